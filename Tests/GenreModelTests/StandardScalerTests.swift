import Foundation
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

  @Test("log columns are standardised on a log scale; zeros meet the floor, negatives are refused")
  func logColumns() throws {
    // Column 1 holds e¹, e², e³ → logs 1, 2, 3 → mean 2, population std √(2/3).
    let e = Float(M_E)
    let values: [Float] = [5, e, 6, e * e, 7, e * e * e]
    let scaler = try StandardScaler(fitting: values, columns: 2, logColumns: [1])
    #expect(scaler.logColumns == [1])
    expectClose(scaler.mean, [6, 2], relative: 1e-6)
    expectClose(scaler.scale[1], (2.0 / 3).squareRoot(), relative: 1e-6)
    let z = scaler.transform([6, e * e * e, 6, 0])
    expectClose(z[1], 1 / (2.0 / 3).squareRoot(), relative: 1e-5)
    expectClose(z[3], (Foundation.log(Double(StandardScaler.logFloor)) - 2) / (2.0 / 3).squareRoot(), relative: 1e-5)
    #expect(z.allSatisfy { $0.isFinite })
    #expect(throws: ModelError.self) { try StandardScaler(fitting: [1, -1, 2, 3], columns: 2, logColumns: [1]) }
    #expect(throws: ModelError.self) { try StandardScaler(fitting: values, columns: 2, logColumns: [2]) }
    #expect(throws: ModelError.self) { try StandardScaler(fitting: values, columns: 2, logColumns: [1, 1]) }
  }

  @Test("inverseTransform undoes transform, log columns included")
  func inverse() throws {
    let values: [Float] = [1, 0.5, -3, 2, 0.01, 4, 3, 2e-5, 9]
    let scaler = try StandardScaler(fitting: values, columns: 3, logColumns: [1])
    expectClose(scaler.inverseTransform(scaler.transform(values)), values, relative: 1e-5)
    let z = scaler.transform([2, 0, 4])  // 0 in a log column meets the floor
    expectClose(scaler.inverseTransform(z)[1], StandardScaler.logFloor, relative: 1e-4)
  }

  @Test("log columns survive JSON; older scalers without them decode; bad ones are refused")
  func logColumnsCodable() throws {
    let scaler = try StandardScaler(fitting: [1, 2, 3, 4, 5, 6], columns: 3, logColumns: [2, 0])
    #expect(scaler.logColumns == [0, 2])
    let data = try JSONEncoder().encode(scaler)
    #expect(try JSONDecoder().decode(StandardScaler.self, from: data) == scaler)
    let plain = try JSONDecoder().decode(StandardScaler.self, from: Data(#"{"mean":[1,2],"scale":[1,1]}"#.utf8))
    #expect(plain.logColumns.isEmpty)
    #expect(!String(decoding: try JSONEncoder().encode(plain), as: UTF8.self).contains("logColumns"))
    for bad in [#"[2]"#, #"[1,0]"#, #"[-1]"#] {
      let json = #"{"mean":[1,2],"scale":[1,1],"logColumns":"# + bad + "}"
      #expect(throws: DecodingError.self) { try JSONDecoder().decode(StandardScaler.self, from: Data(json.utf8)) }
    }
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
