import Testing

/// The largest element-wise difference between two equally long arrays, and where it occurs.
public struct Discrepancy: CustomStringConvertible, Sendable {
  /// Index of the worst element.
  public var index: Int
  /// `|actual - expected|` at `index`.
  public var absoluteError: Double
  /// `|actual - expected| / max(|expected|, tiny)` at the index with the worst relative error.
  public var relativeError: Double
  /// Human-readable summary.
  public var description: String {
    "worst |Δ| \(absoluteError) at \(index), worst relative \(relativeError)"
  }
}

/// Measures the worst absolute and relative error of `actual` against `expected`.
public func discrepancy<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(
  _ actual: [A], _ expected: [B]
) -> Discrepancy {
  precondition(actual.count == expected.count, "lengths differ: \(actual.count) vs \(expected.count)")
  var worst = Discrepancy(index: 0, absoluteError: 0, relativeError: 0)
  for i in actual.indices {
    let a = Double(actual[i])
    let e = Double(expected[i])
    let absolute = abs(a - e)
    if absolute > worst.absoluteError || absolute.isNaN {
      worst.absoluteError = absolute
      worst.index = i
    }
    worst.relativeError = max(worst.relativeError, absolute / max(abs(e), 1e-30))
  }
  return worst
}

/// Expects every element of `actual` to satisfy `|a - e| <= absolute + relative * |e|`
/// (numpy's `allclose` rule), and reports the first violation with its index and values.
public func expectClose<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(
  _ actual: [A], _ expected: [B], absolute: Double = 0, relative: Double = 0,
  _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actual.count == expected.count else {
    let note = comment.map { " — \($0)" } ?? ""
    Issue.record(
      "lengths differ: \(actual.count) vs \(expected.count)\(note)",
      sourceLocation: sourceLocation)
    return
  }
  for i in actual.indices {
    let a = Double(actual[i])
    let e = Double(expected[i])
    if !(abs(a - e) <= absolute + relative * abs(e)) {
      let note = comment.map { " — \($0)" } ?? ""
      let worst = discrepancy(actual, expected)
      Issue.record(
        "element \(i): \(a) vs expected \(e) (|Δ| \(abs(a - e)) > \(absolute) + \(relative)·|e|); \(worst)\(note)",
        sourceLocation: sourceLocation)
      return
    }
  }
}

/// Expects `|actual - expected| <= absolute + relative * |expected|` for two scalars.
public func expectClose<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(
  _ actual: A, _ expected: B, absolute: Double = 0, relative: Double = 0,
  _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
  expectClose([actual], [expected], absolute: absolute, relative: relative, comment,
    sourceLocation: sourceLocation)
}
