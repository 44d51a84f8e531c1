import NeuralNet
import TestSupport
import Testing

@Suite("Initializer")
struct InitializerTests {
  @Test("fans follow PyTorch: [out, in, k…] gives fanIn = in·Πk, fanOut = out·Πk")
  func fans() {
    #expect(Initializer.fans(of: [64, 32, 3, 3]) == (288, 576))
    #expect(Initializer.fans(of: [10, 128]) == (128, 10))
  }

  @Test("Glorot uniform stays within ±√(6/(fanIn+fanOut)) with variance limit²/3")
  func glorot() {
    var g = SeededGenerator(seed: 5)
    let shape = [64, 32, 3, 3]
    let values = Initializer.glorotUniform.values(shape: shape, generator: &g)
    let limit = (6.0 / Double(288 + 576)).squareRoot()
    #expect(values.allSatisfy { abs(Double($0)) <= limit })
    let variance = values.reduce(0.0) { $0 + Double($1 * $1) } / Double(values.count)
    expectClose(variance, limit * limit / 3, relative: 0.05)
  }

  @Test("He normal has standard deviation √(2/fanIn) and repeats for a seed")
  func he() {
    var g = SeededGenerator(seed: 5)
    var h = SeededGenerator(seed: 5)
    let shape = [128, 64, 3, 3]
    let values = Initializer.heNormal.values(shape: shape, generator: &g)
    #expect(values == Initializer.heNormal.values(shape: shape, generator: &h))
    let variance = values.reduce(0.0) { $0 + Double($1 * $1) } / Double(values.count)
    expectClose(variance, 2.0 / 576, relative: 0.03)
    #expect(Initializer.zeros.values(shape: [3, 2], generator: &g) == [0, 0, 0, 0, 0, 0])
  }
}
