import GenreModel
import TestSupport
import Testing

@Suite("StandardScaler and LabelEncoder")
struct StandardScalerTests {
  @Test("population standard deviation like sklearn; constant columns map to 0")
  func fit() throws {
    // Column 0: 1, 2, 3, 4 → mean 2.5, population std √1.25; column 1 constant.
    let scaler = try StandardScaler(fitting: [1, 7, 2, 7, 3, 7, 4, 7], columns: 2)
    #expect(scaler.mean == [2.5, 7])
    expectClose(scaler.scale[0], 1.25.squareRoot(), relative: 1e-6)
    #expect(scaler.scale[1] == 1)
    let z = scaler.transform([1, 7, 4, 7])
    expectClose(z[0], -1.5 / 1.25.squareRoot(), relative: 1e-6)
    #expect(z[1] == 0 && z[3] == 0)
  }

  @Test("bad inputs throw")
  func errors() {
    #expect(throws: ModelError.self) { try StandardScaler(fitting: [], columns: 2) }
    #expect(throws: ModelError.self) { try StandardScaler(fitting: [1, 2, 3], columns: 2) }
    #expect(throws: ModelError.self) { try StandardScaler(fitting: [.nan, 1], columns: 2) }
  }

  @Test("label encoding is sorted and rejects unknown labels")
  func labels() throws {
    let encoder = try LabelEncoder(fitting: ["rock", "blues", "rock"])
    #expect(encoder.labels == ["blues", "rock"])
    #expect(try encoder.encode(["rock", "blues"]) == [1, 0])
    #expect(throws: ModelError.unknownLabel("pop", known: ["blues", "rock"])) { try encoder.index(of: "pop") }
    #expect(throws: ModelError.self) { try LabelEncoder(labels: ["a", "a"]) }
  }
}
