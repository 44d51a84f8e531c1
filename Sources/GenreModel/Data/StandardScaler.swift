import Foundation

/// Per-column standardisation `z = (x − mean) / scale`, fit on training rows only, optionally
/// after taking the natural logarithm of some columns.
///
/// Matches `sklearn.preprocessing.StandardScaler`: `scale` is the population standard deviation
/// (ddof 0) and a column with zero variance gets scale 1 (so it maps to 0, never NaN). Statistics
/// accumulate in `Double`.
///
/// The columns in ``logColumns`` are first mapped to `ln(max(x, logFloor))` (``logFloor`` keeps a
/// zero, e.g. the variance of digital silence, finite); `mean` and `scale` then describe the
/// logarithms. Variances of frame features are positive and heavy-tailed (a few loud tracks sit
/// tens of standard deviations out), and their logarithms are close to normal, which suits linear
/// and Gaussian models (see Docs/evaluation.md).
public struct StandardScaler: Codable, Sendable, Equatable {
  /// The smallest value a logarithmic column is clamped to before its logarithm is taken.
  public static let logFloor: Float = 1e-12

  /// The mean of each column over the fitting rows (of its logarithm for ``logColumns``).
  public var mean: [Float]
  /// The population standard deviation of each column (1 where it is 0).
  public var scale: [Float]
  /// Indices of the columns standardised on a logarithmic scale, ascending (empty: none).
  public var logColumns: [Int]

  /// A scaler from stored statistics.
  ///
  /// - Precondition: equal lengths, every scale finite and positive; `logColumns` ascending,
  ///   distinct and in range.
  public init(mean: [Float], scale: [Float], logColumns: [Int] = []) {
    precondition(mean.count == scale.count, "scaler mean \(mean.count) vs scale \(scale.count) columns")
    precondition(Self.isValid(logColumns: logColumns, columnCount: mean.count), "log columns \(logColumns)")
    self.mean = mean
    self.scale = scale
    self.logColumns = logColumns
  }

  /// Fits mean and scale on `values` (row-major, `columns` per row) with a two-pass algorithm,
  /// on the logarithms of the `logColumns`.
  ///
  /// - Throws: `ModelError.emptyDataset` if there are no rows; `ModelError.invalidArgument` if
  ///   `values.count` is not a multiple of `columns`, a value is not finite, a log column is out
  ///   of range or repeated, or a log column holds a negative value.
  /// - Complexity: O(rows × columns).
  public init(fitting values: [Float], columns: Int, logColumns: [Int] = []) throws(ModelError) {
    guard columns > 0, values.count % columns == 0 else {
      throw .invalidArgument(name: "scaler input", reason: "\(values.count) values do not form rows of \(columns)")
    }
    let rows = values.count / columns
    guard rows > 0 else { throw .emptyDataset(reason: "cannot fit a scaler on zero rows") }
    guard values.allSatisfy(\.isFinite) else {
      throw .invalidArgument(name: "scaler input", reason: "a value is NaN or infinite")
    }
    let logColumns = logColumns.sorted()
    guard Self.isValid(logColumns: logColumns, columnCount: columns) else {
      throw .invalidArgument(
        name: "log columns", reason: "\(logColumns) must be distinct column indices below \(columns)")
    }
    for c in logColumns {
      if let row = (0..<rows).first(where: { values[$0 * columns + c] < 0 }) {
        throw .invalidArgument(
          name: "scaler input",
          reason: "column \(c) is standardised on a log scale but row \(row) holds \(values[row * columns + c]) < 0")
      }
    }
    self.logColumns = logColumns
    let values = Self.takingLogarithms(values, columns: columns, logColumns: logColumns)
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

  /// `values` (row-major) standardised column by column (the ``logColumns`` on a log scale).
  ///
  /// - Precondition: `values.count` is a multiple of `columnCount`.
  /// - Complexity: O(values.count).
  public func transform(_ values: [Float]) -> [Float] {
    let n = columnCount
    precondition(values.count % n == 0, "\(values.count) values do not form rows of \(n) columns")
    var result = Self.takingLogarithms(values, columns: n, logColumns: logColumns)
    result.withUnsafeMutableBufferPointer { out in
      for start in stride(from: 0, to: out.count, by: n) {
        for c in 0..<n { out[start + c] = (out[start + c] - mean[c]) / scale[c] }
      }
    }
    return result
  }
}

extension StandardScaler {
  private enum CodingKeys: String, CodingKey { case mean, scale, logColumns }

  /// Decodes a stored scaler; `logColumns` may be absent (format version 1 bundles have none).
  ///
  /// - Throws: `DecodingError` for missing statistics, unequal lengths or invalid log columns.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    mean = try container.decode([Float].self, forKey: .mean)
    scale = try container.decode([Float].self, forKey: .scale)
    logColumns = try container.decodeIfPresent([Int].self, forKey: .logColumns) ?? []
    guard Self.isValid(logColumns: logColumns, columnCount: mean.count) else {
      throw DecodingError.dataCorruptedError(
        forKey: .logColumns, in: container,
        debugDescription: "log columns \(logColumns) must be ascending, distinct indices below \(mean.count)")
    }
  }

  /// Encodes the statistics, and `logColumns` only when there are any.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(mean, forKey: .mean)
    try container.encode(scale, forKey: .scale)
    if !logColumns.isEmpty { try container.encode(logColumns, forKey: .logColumns) }
  }

  /// Whether `logColumns` is ascending, without repeats, and inside `0..<columnCount`.
  static func isValid(logColumns: [Int], columnCount: Int) -> Bool {
    zip(logColumns, logColumns.dropFirst()).allSatisfy { $0 < $1 }
      && logColumns.allSatisfy { $0 >= 0 && $0 < columnCount }
  }

  /// The raw rows whose ``transform(_:)`` is `standardised` (row-major): `z · scale + mean`, then
  /// `exp` in the ``logColumns``. Exact up to float rounding, except that a log column's values
  /// below ``logFloor`` come back as the floor.
  ///
  /// - Precondition: `standardised.count` is a multiple of `columnCount`.
  public func inverseTransform(_ standardised: [Float]) -> [Float] {
    let n = columnCount
    precondition(standardised.count % n == 0, "\(standardised.count) values do not form rows of \(n) columns")
    var result = standardised
    for start in stride(from: 0, to: result.count, by: n) {
      for c in 0..<n { result[start + c] = result[start + c] * scale[c] + mean[c] }
      for c in logColumns { result[start + c] = expf(result[start + c]) }
    }
    return result
  }

  /// `values` with `ln(max(x, logFloor))` in the `logColumns` of every row.
  private static func takingLogarithms(_ values: [Float], columns: Int, logColumns: [Int]) -> [Float] {
    guard !logColumns.isEmpty else { return values }
    var result = values
    for start in stride(from: 0, to: result.count, by: columns) {
      for c in logColumns { result[start + c] = logf(max(result[start + c], logFloor)) }
    }
    return result
  }
}
