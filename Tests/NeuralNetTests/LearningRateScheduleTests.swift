import Foundation
import NeuralNet
import TestSupport
import Testing

@Suite("LearningRateSchedule")
struct LearningRateScheduleTests {
  @Test("constant, step, exponential, cosine and warm-up rates")
  func rates() throws {
    #expect(LearningRateSchedule.constant(rate: 0.1).rate(at: 50) == 0.1)
    let step = LearningRateSchedule.step(initial: 1, factor: 0.5, every: 10)
    #expect(step.rate(at: 9) == 1 && step.rate(at: 10) == 0.5 && step.rate(at: 25) == 0.25)
    expectClose(
      LearningRateSchedule.exponential(initial: 2, factor: 0.9).rate(at: 3), 2 * 0.729, absolute: 1e-6)
    let cosine = LearningRateSchedule.cosine(initial: 1, steps: 100, minimum: 0.1)
    #expect(cosine.rate(at: 0) == 1)
    expectClose(cosine.rate(at: 50), 0.55, absolute: 1e-6)
    expectClose(cosine.rate(at: 100), 0.1, absolute: 1e-6)
    expectClose(cosine.rate(at: 500), 0.1, absolute: 1e-6)
    let warm = LearningRateSchedule.warmup(steps: 4, then: .constant(rate: 0.8))
    expectClose([warm.rate(at: 0), warm.rate(at: 3), warm.rate(at: 4)], [0.2, 0.8, 0.8], absolute: 1e-7)
    let data = try JSONEncoder().encode(warm)
    #expect(try JSONDecoder().decode(LearningRateSchedule.self, from: data) == warm)
  }
}
