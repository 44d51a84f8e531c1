/// Per-column standardisation `z = (x − mean) / scale`, fit on training rows only.
///
/// Matches `sklearn.preprocessing.StandardScaler`: `scale` is the population standard deviation
/// (ddof 0) and a column with zero variance gets scale 1 (so it maps to 0, never NaN). Statistics
/// accumulate in `Double`.
public struct StandardScaler: Codable, Sendable, Equatable {
  /// The mean of each column over the fitting rows.
  public var mean: [Float]
  /// The population standard deviation of each column (1 where it is 0).
  public var scale: [Float]

  /// A scaler from stored statistics.
  ///
  /// - Precondition: equal lengths, every scale finite and positive.
  public init(mean: [Float], scale: [Float]) {
    precondition(mean.count == scale.count, "scaler mean \(mean.count) vs scale \(scale.count) columns")
    self.mean = mean
    self.scale = scale
  }

  /// Fits mean and scale on `values` (row-major, `columns` per row) with a two-pass algorithm.
  ///
  /// - Throws: `ModelError.emptyDataset` if there are no rows; `ModelError.invalidArgument` if
  ///   `values.count` is not a multiple of `columns` or a value is not finite.
  /// - Complexity: O(rows × columns).
  public init(fitting values: [Float], columns: Int) throws(ModelError) {
    guard columns > 0, values.count % columns == 0 else {
      throw .invalidArgument(name: "scaler input", reason: "\(values.count) values do not form rows of \(columns)")
    }
    let rows = values.count / columns
    guard rows > 0 else { throw .emptyDataset(reason: "cannot fit a scaler on zero rows") }
    guard values.allSatisfy(\.isFinite) else {
      throw .invalidArgument(name: "scaler input", reason: "a value is NaN or infinite")
    }
    var sums = [Double](repeating: 0, count: columns)
    for r in 0..<rows { for c in 0..<columns { sums[c] += Double(values[r * columns + c]) } }
    let means = sums.map { $0 / Double(rows) }
    var squares = [Double](repeating: 0, count: columns)
    for r in 0..<rows {
      for c in 0..<columns {
        let d = Double(values[r * columns + c]) - means[c]
        squares[c] += d * d
      }
    }
    mean = means.map(Float.init)
    scale = squares.map { sum in
      let std = (sum / Double(rows)).squareRoot()
      // sklearn treats variances below ~10·eps·mean² as zero; a Float exact zero is what matters here.
      return std > 0 && Float(std) > 0 ? Float(std) : 1
    }
  }

  /// The number of columns.
  public var columnCount: Int { mean.count }

  /// `values` (row-major) standardised column by column.
  ///
  /// - Precondition: `values.count` is a multiple of `columnCount`.
  /// - Complexity: O(values.count).
  public func transform(_ values: [Float]) -> [Float] {
    let n = columnCount
    precondition(values.count % n == 0, "\(values.count) values do not form rows of \(n) columns")
    var result = values
    result.withUnsafeMutableBufferPointer { out in
      for start in stride(from: 0, to: out.count, by: n) {
        for c in 0..<n { out[start + c] = (out[start + c] - mean[c]) / scale[c] }
      }
    }
    return result
  }
}
