/// Feature values of one signal: one row per analysis window (or per STFT frame, for a
/// per-frame recipe), one column per recipe column.
///
/// Values are `Float`, row-major (`values[row * columnCount + column]`). Every feature is
/// computed in `Float` (as librosa computes from float32 audio) and summaries are accumulated in
/// `Double` and rounded once, so storing `Float` loses nothing the public table's float64 text
/// holds beyond float32 rounding, and rows feed a model without conversion.
public struct FeatureMatrix: Sendable, Equatable {
  /// Number of rows (windows or frames).
  public let rowCount: Int
  /// The column names, in order (the recipe's ``FeatureRecipe/columnNames``).
  public let columnNames: [String]
  /// Row-major values, `rowCount × columnCount`.
  public var values: [Float]
  /// Each row's span in seconds from the start of the signal: `[start, end)` of the window (per
  /// frame: the frame's centre ± half a hop).
  public let spans: [Range<Double>]
  /// Whether the signal was shorter than one window and was summarised whole (a model trained on
  /// full windows sees different statistics: treat its answer with care).
  public let isShorterThanWindow: Bool

  /// Number of columns.
  public var columnCount: Int { columnNames.count }

  /// Creates a matrix.
  ///
  /// - Precondition: `values.count == rowCount * columnNames.count` and `spans.count == rowCount`.
  public init(
    rowCount: Int, columnNames: [String], values: [Float], spans: [Range<Double>],
    isShorterThanWindow: Bool
  ) {
    precondition(
      values.count == rowCount * columnNames.count,
      "\(values.count) values for \(rowCount) rows × \(columnNames.count) columns")
    precondition(spans.count == rowCount, "\(spans.count) spans for \(rowCount) rows")
    self.rowCount = rowCount
    self.columnNames = columnNames
    self.values = values
    self.spans = spans
    self.isShorterThanWindow = isShorterThanWindow
  }

  /// Row `index` (one window's values in column order).
  public func row(_ index: Int) -> ArraySlice<Float> {
    precondition(index >= 0 && index < rowCount, "row \(index) outside 0..<\(rowCount)")
    return values[index * columnCount ..< (index + 1) * columnCount]
  }

  /// Column `name`'s values over all rows, or `nil` when there is no such column.
  public func column(_ name: String) -> [Float]? {
    guard let c = columnNames.firstIndex(of: name) else { return nil }
    return (0..<rowCount).map { values[$0 * columnCount + c] }
  }
}
