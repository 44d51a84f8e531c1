import GenreModel
import NeuralNet
import TestSupport
import Testing

@Suite("RidgeClassifier")
struct RidgeClassifierTests {
  @Test("matches the normal-equation solution on a tiny problem and separates clusters")
  func fits() throws {
    // One feature, two classes: x = [-1, 1], y = [0, 1] → Ỹ for class 1 = [-1, 1], x̃ = x.
    // (x̃ᵀx̃ + α) w = x̃ᵀỹ → (2 + 1) w = 2 → w = 2/3, intercept 0.
    let tiny = LabeledSamples(inputs: Tensor(shape: [2, 1], scalars: [-1, 1]), labels: [0, 1], tracks: ["a", "b"])
    let ridge = try RidgeClassifier(fitting: tiny, classCount: 2, alpha: 1)
    expectClose(ridge.weights, [-2.0 / 3, 2.0 / 3], absolute: 1e-12)
    expectClose(ridge.intercepts, [0.0, 0.0], absolute: 1e-12)
    let clusters = clusterSamples(perClass: 30, seed: 21).samples
    let model = try RidgeClassifier(fitting: clusters, classCount: 3, alpha: 1)
    let test = clusterSamples(perClass: 30, seed: 22).samples
    let correct = zip(model.predict(test.inputs), test.labels).filter { $0 == $1 }.count
    #expect(Double(correct) / Double(test.count) > 0.9)
    #expect(throws: ModelError.self) { try RidgeClassifier(fitting: clusters, classCount: 3, alpha: 0) }
  }
}
