import CBLAS
import Dispatch
import Synchronization

/// The number of threads NeuralNet computes with: OpenBLAS's pool for matrix products and the
/// number of chunks NeuralNet's own element-wise, pooling and normalisation loops are split into.
///
/// Results are bit-for-bit repeatable for a fixed thread count; one thread makes them repeatable
/// everywhere (OpenBLAS kernels may still differ between CPUs).
public enum ComputeThreads {
  /// 0 means "not set": follow OpenBLAS's own default (`OPENBLAS_NUM_THREADS` or the core count).
  private static let stored = Atomic<Int>(0)

  /// Sets the thread count for matrix products (`openblas_set_num_threads`) and NeuralNet's loops.
  ///
  /// - Parameter count: threads, ≥ 1.
  public static func set(_ count: Int) {
    precondition(count >= 1, "thread count \(count) must be ≥ 1")
    openblas_set_num_threads(Int32(count))
    stored.store(count, ordering: .relaxed)
  }

  /// The current thread count.
  public static var current: Int {
    let value = stored.load(ordering: .relaxed)
    return value > 0 ? value : max(1, Int(openblas_get_num_threads()))
  }
}

/// Runs `body` over `0..<count` split into at most `ComputeThreads.current` contiguous chunks of
/// at least `grain` items, concurrently when there is more than one chunk. `body` must only write
/// to memory owned by its chunk.
@inline(__always)
func parallelChunks(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
  let chunks = min(ComputeThreads.current, count / max(grain, 1))
  if chunks <= 1 {
    body(0..<count)
    return
  }
  withoutActuallyEscaping(body) { body in
    let box = UncheckedSendable(body)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      box.value((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
    }
  }
}

/// Carries a value the caller guarantees is used safely across threads (disjoint writes).
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
