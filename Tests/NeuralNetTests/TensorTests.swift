import NeuralNet
import Testing

@Suite("Tensor")
struct TensorTests {
  @Test("row-major strides and multi-index access follow C order")
  func rowMajorLayout() {
    var t = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
    #expect(t.strides == [12, 4, 1])
    #expect(t[1, 2, 3] == 23)
    #expect(t[1, 0, 2] == 14)
    t[0, 1, 0] = -1
    #expect(t.scalars[4] == -1)
    #expect(t.rank == 3 && t.count == 24)
  }

  @Test("reshape keeps elements and checks the count; batch slices the first axis")
  func reshapeAndBatch() {
    let t = Tensor(shape: [4, 2], scalars: (0..<8).map(Float.init))
    #expect(t.reshaped(to: [2, 2, 2]).scalars == t.scalars)
    #expect(t.reshaped(to: [8]).shape == [8])
    let b = t.batch(1..<3)
    #expect(b.shape == [2, 2])
    #expect(b.scalars == [2, 3, 4, 5])
    #expect(Tensor(zeros: [2, 0, 3]).count == 0)
    #expect(Tensor(zeros: [2], value: 3).scalars == [3, 3])
  }

  @Test("argmax along the last axis picks the first maximum of each row")
  func argmax() {
    let t = Tensor(shape: [3, 3], scalars: [1, 5, 5, -1, -2, -3, 0, 0, 2])
    #expect(t.argmaxAlongLastAxis() == [1, 0, 2])
  }
}
