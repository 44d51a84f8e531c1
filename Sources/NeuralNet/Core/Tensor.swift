/// A dense, contiguous, row-major (C-order) array of `Float` with a shape.
///
/// Layout: element `[i0, i1, …, ik]` lives at `Σ ij · strides[j]`, where the last axis has stride 1
/// and `strides[j] = Π_{m>j} shape[m]` — the layout of a contiguous PyTorch or NumPy array.
/// Batches are batch-first: dense activations are `[N, features]`, 1-D feature maps `[N, C, L]`
/// (PyTorch NCW) and 2-D feature maps `[N, C, H, W]` (PyTorch NCHW).
///
/// `Tensor` is a value type backed by a copy-on-write array; layers read and write `scalars`
/// through `withUnsafeBufferPointer`/`withUnsafeMutableBufferPointer` in their hot loops and never
/// copy element by element through subscripts.
public struct Tensor: Sendable, Equatable {
  /// The extent of every axis, outermost first.
  public private(set) var shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
  public var scalars: [Float]

  /// A tensor of `shape` holding `scalars` in row-major order.
  ///
  /// - Precondition: every extent is ≥ 0 and `scalars.count` equals the product of `shape`.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    precondition(
      scalars.count == shape.reduce(1, *),
      "\(scalars.count) scalars do not fill shape \(shape) (\(shape.reduce(1, *)) elements)")
    self.shape = shape
    self.scalars = scalars
  }

  /// A tensor of `shape` with every element equal to `value` (zero by default).
  public init(zeros shape: [Int], value: Float = 0) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    self.shape = shape
    self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
  }

  /// The number of elements, `Π shape`.
  public var count: Int { scalars.count }

  /// The number of axes.
  public var rank: Int { shape.count }

  /// Row-major strides in elements: `strides[j] = Π_{m>j} shape[m]`.
  public var strides: [Int] { Tensor.strides(of: shape) }

  /// Row-major strides for `shape`.
  public static func strides(of shape: [Int]) -> [Int] {
    var result = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() {
      result[axis] = step
      step *= shape[axis]
    }
    return result
  }

  /// The element at a full multi-index (convenient in tests; not for hot loops).
  public subscript(index: Int...) -> Float {
    get { scalars[offset(of: index)] }
    set { scalars[offset(of: index)] = newValue }
  }

  private func offset(of index: [Int]) -> Int {
    precondition(index.count == shape.count, "index \(index) has rank \(index.count), tensor \(shape)")
    var offset = 0
    for axis in index.indices {
      precondition(index[axis] >= 0 && index[axis] < shape[axis], "index \(index) outside \(shape)")
      offset = offset * shape[axis] + index[axis]
    }
    return offset
  }

  /// The same elements viewed with another shape of equal element count (no copy).
  ///
  /// - Precondition: `newShape` has as many elements as the tensor.
  public func reshaped(to newShape: [Int]) -> Tensor {
    precondition(
      newShape.reduce(1, *) == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
    var copy = self
    copy.shape = newShape
    return copy
  }

  /// Changes the shape in place without touching the elements.
  ///
  /// - Precondition: `newShape` has as many elements as the tensor.
  public mutating func reshape(to newShape: [Int]) {
    precondition(
      newShape.reduce(1, *) == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
    shape = newShape
  }

  /// Samples `range` of the first (batch) axis, e.g. one mini-batch of a dataset tensor.
  ///
  /// - Complexity: O(elements copied).
  public func batch(_ range: Range<Int>) -> Tensor {
    precondition(rank >= 1, "batch(_:) needs rank ≥ 1")
    precondition(range.lowerBound >= 0 && range.upperBound <= shape[0], "batch \(range) outside \(shape)")
    let row = count / max(shape[0], 1)
    var newShape = shape
    newShape[0] = range.count
    return Tensor(
      shape: newShape, scalars: Array(scalars[(range.lowerBound * row)..<(range.upperBound * row)]))
  }

  /// The samples at `indices` of the first (batch) axis, in that order (e.g. a shuffled mini-batch).
  ///
  /// - Precondition: every index lies in `0..<shape[0]`.
  /// - Complexity: O(elements copied).
  public func gathering(_ indices: [Int]) -> Tensor {
    precondition(rank >= 1, "gathering(_:) needs rank ≥ 1")
    let row = shape[0] == 0 ? 0 : count / shape[0]
    var newShape = shape
    newShape[0] = indices.count
    var result = [Float](unfilled: indices.count * row)
    scalars.withUnsafeBufferPointer { source in
      result.withUnsafeMutableBufferPointer { target in
        for (position, index) in indices.enumerated() {
          precondition(index >= 0 && index < shape[0], "sample index \(index) outside 0..<\(shape[0])")
          (target.baseAddress! + position * row).update(from: source.baseAddress! + index * row, count: row)
        }
      }
    }
    return Tensor(shape: newShape, scalars: result)
  }

  /// The index of the largest element of each row along the last axis (the first one on ties),
  /// e.g. predicted classes from `[N, classes]` logits. Matches `torch.argmax(x, dim=-1)`.
  ///
  /// - Complexity: O(elements).
  public func argmaxAlongLastAxis() -> [Int] {
    precondition(rank >= 1 && shape.last! > 0, "argmax needs a non-empty last axis, got \(shape)")
    let width = shape.last!
    return (0..<(count / width)).map { row in
      var best = row * width
      for i in (row * width)..<((row + 1) * width) where scalars[i] > scalars[best] { best = i }
      return best - row * width
    }
  }
}
