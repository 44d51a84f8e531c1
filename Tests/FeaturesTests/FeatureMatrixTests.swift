import Features
import Testing

@Suite("FeatureMatrix")
struct FeatureMatrixTests {
  @Test("rows and columns are read in row-major order")
  func access() {
    let m = FeatureMatrix(
      rowCount: 2, columnNames: ["a", "b", "c"], values: [1, 2, 3, 4, 5, 6],
      spans: [0 ..< 1, 1 ..< 2], isShorterThanWindow: false)
    #expect(m.columnCount == 3)
    #expect(Array(m.row(1)) == [4, 5, 6])
    #expect(m.column("b") == [2, 5])
    #expect(m.column("z") == nil)
  }
}
