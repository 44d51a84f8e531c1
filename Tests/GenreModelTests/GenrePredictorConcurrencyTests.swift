import GenreModel
import NeuralNet
import Testing

@Suite("GenrePredictor shared across tasks")
struct GenrePredictorConcurrencyTests {
  /// 1 000 feature rows of the default model's 57 columns, deterministic and spread like real
  /// table values (standardised values in [-2, 2) mapped back through the model's scaler).
  private func rows(for predictor: GenrePredictor, count: Int) -> [[Float]] {
    var generator = SeededGenerator(seed: 7)
    let scaler = predictor.manifest.scaler
    return (0..<count).map { _ in
      scaler.inverseTransform((0..<scaler.columnCount).map { _ in generator.nextUniform() * 4 - 2 })
    }
  }

  @Test("1 000 concurrent predictions on one shared predictor equal the sequential results")
  func concurrentEqualsSequential() async throws {
    let predictor = try GenrePredictor.default
    let inputs = rows(for: predictor, count: 1_000)
    let sequential = try inputs.map { try predictor.predict(rows: $0) }

    let concurrent = try await withThrowingTaskGroup(of: (Int, GenrePrediction).self) { group in
      for (index, row) in inputs.enumerated() {
        group.addTask { (index, try predictor.predict(rows: row)) }
      }
      var results = [GenrePrediction?](repeating: nil, count: inputs.count)
      for try await (index, prediction) in group { results[index] = prediction }
      return results
    }
    #expect(concurrent.count == sequential.count)
    for index in inputs.indices {
      #expect(concurrent[index] == sequential[index], "row \(index)")
    }
    // The rows are varied enough to exercise more than one answer.
    #expect(Set(sequential.map { $0.ranked[0].label }).count > 1)
  }
}
