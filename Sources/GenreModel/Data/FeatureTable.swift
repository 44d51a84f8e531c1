import Foundation

/// A feature table such as the public GTZAN `features_30_sec.csv`: one row per audio window,
/// a `filename` column, optional metadata (`length`), numeric feature columns and a `label`.
///
/// Rows are stored row-major: `values[row * columnNames.count + column]`.
public struct FeatureTable: Sendable, Equatable {
  /// The feature column names in table order (metadata columns excluded).
  public var columnNames: [String]
  /// The `filename` of each row, e.g. `classical.00000.3.wav`.
  public var fileNames: [String]
  /// The `label` of each row, e.g. `classical`.
  public var labels: [String]
  /// The feature values, row-major, `fileNames.count × columnNames.count`.
  public var values: [Float]

  /// Columns that are neither features nor labels and are skipped when reading.
  public static let metadataColumns: Set<String> = ["length"]

  /// A table from its parts.
  ///
  /// - Precondition: `values.count == fileNames.count * columnNames.count` and one label per row.
  public init(columnNames: [String], fileNames: [String], labels: [String], values: [Float]) {
    precondition(
      fileNames.count == labels.count && values.count == fileNames.count * columnNames.count,
      "table of \(fileNames.count) names, \(labels.count) labels, \(columnNames.count) columns, \(values.count) values")
    self.columnNames = columnNames
    self.fileNames = fileNames
    self.labels = labels
    self.values = values
  }

  /// The number of rows.
  public var rowCount: Int { fileNames.count }

  /// Row `index`'s feature values.
  public func row(_ index: Int) -> ArraySlice<Float> {
    let n = columnNames.count
    return values[(index * n)..<((index + 1) * n)]
  }

  /// Reads a CSV feature table: a header naming `filename`, `label` and the feature columns
  /// (`length` is skipped), then one row per window.
  ///
  /// - Throws: `ModelError.fileError` if unreadable; `ModelError.malformedTable` naming the line
  ///   for a missing `filename`/`label` column, duplicate column, ragged row, non-numeric or
  ///   non-finite value, empty label, duplicate file name, or a table without rows.
  public init(contentsOf url: URL) throws(ModelError) {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw .fileError(path: url.path, reason: error.localizedDescription)
    }
    try self.init(csv: text, path: url.path)
  }

  /// Parses CSV text (see `init(contentsOf:)`); `path` only names the source in errors.
  public init(csv text: String, path: String = "<table>") throws(ModelError) {
    let records = try CSVReader.records(in: text, path: path)
    guard let header = records.first else {
      throw .malformedTable(path: path, line: 1, reason: "the table is empty (no header)")
    }
    let names = header.fields.map { String(Self.trimmed($0)) }
    if let duplicate = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
      throw .malformedTable(path: path, line: header.line, reason: "column '\(duplicate)' appears twice")
    }
    guard let fileColumn = names.firstIndex(of: "filename") else {
      throw .malformedTable(path: path, line: header.line, reason: "no 'filename' column in the header")
    }
    guard let labelColumn = names.firstIndex(of: "label") else {
      throw .malformedTable(path: path, line: header.line, reason: "no 'label' column in the header")
    }
    let featureColumns = names.indices.filter {
      $0 != fileColumn && $0 != labelColumn && !Self.metadataColumns.contains(names[$0])
    }
    guard !featureColumns.isEmpty else {
      throw .malformedTable(path: path, line: header.line, reason: "no feature columns")
    }
    guard records.count > 1 else {
      throw .malformedTable(path: path, line: header.line + 1, reason: "the table has a header but no rows")
    }
    var fileNames: [String] = []
    var labels: [String] = []
    var values: [Float] = []
    fileNames.reserveCapacity(records.count - 1)
    values.reserveCapacity((records.count - 1) * featureColumns.count)
    var seen = Set<String>()
    for record in records.dropFirst() {
      guard record.fields.count == names.count else {
        throw .malformedTable(
          path: path, line: record.line,
          reason: "\(record.fields.count) fields where the header has \(names.count) (ragged row)")
      }
      let file = record.fields[fileColumn]
      let label = String(Self.trimmed(record.fields[labelColumn]))
      guard !file.isEmpty else { throw .malformedTable(path: path, line: record.line, reason: "empty filename") }
      guard !label.isEmpty else { throw .malformedTable(path: path, line: record.line, reason: "empty label") }
      guard seen.insert(file).inserted else {
        throw .malformedTable(path: path, line: record.line, reason: "file '\(file)' appears twice")
      }
      for column in featureColumns {
        let cell = Self.trimmed(record.fields[column])
        guard let value = Double(cell) else {
          throw .malformedTable(
            path: path, line: record.line, reason: "column '\(names[column])' holds '\(cell)', not a number")
        }
        guard value.isFinite, abs(value) <= Double(Float.greatestFiniteMagnitude) else {
          throw .malformedTable(
            path: path, line: record.line, reason: "column '\(names[column])' holds \(cell), which is not finite")
        }
        values.append(Float(value))
      }
      fileNames.append(file)
      labels.append(label)
    }
    self.init(
      columnNames: featureColumns.map { names[$0] }, fileNames: fileNames, labels: labels, values: values)
  }

  /// `text` without leading and trailing spaces and tabs (cheaper than Foundation's trimming).
  static func trimmed(_ text: String) -> Substring {
    var slice = Substring(text)
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return slice
  }

  /// The rows at `indices`, in that order.
  public func selecting(rows indices: [Int]) -> FeatureTable {
    let n = columnNames.count
    var selected: [Float] = []
    selected.reserveCapacity(indices.count * n)
    for i in indices { selected += row(i) }
    return FeatureTable(
      columnNames: columnNames, fileNames: indices.map { fileNames[$0] }, labels: indices.map { labels[$0] },
      values: selected)
  }

  /// The track each row belongs to (see `TrackID.track(of:)`).
  public var trackNames: [String] { fileNames.map(TrackID.track(of:)) }

  /// The rows whose track is in `tracks` (file names such as `blues.00029.wav`), in table order.
  ///
  /// - Throws: `ModelError.missingTrack` for the first listed track without rows (so a split that
  ///   does not fit the table is caught), `ModelError.emptyDataset` if `tracks` is empty.
  public func selecting(tracks: [String]) throws(ModelError) -> FeatureTable {
    guard !tracks.isEmpty else { throw .emptyDataset(reason: "the split lists no tracks") }
    let wanted = Set(tracks)
    let rowTracks = trackNames
    let present = Set(rowTracks)
    if let missing = tracks.first(where: { !present.contains($0) }) { throw .missingTrack(missing) }
    return selecting(rows: rowTracks.indices.filter { wanted.contains(rowTracks[$0]) })
  }

  /// Checks that the feature columns are exactly `expected`, in order.
  ///
  /// - Throws: `ModelError.malformedTable` naming the first differing column.
  public func validateColumns(_ expected: [String], path: String = "<table>") throws(ModelError) {
    guard columnNames != expected else { return }
    let common = Array(zip(columnNames, expected)).firstIndex { $0.0 != $0.1 } ?? min(columnNames.count, expected.count)
    let found = common < columnNames.count ? columnNames[common] : "nothing"
    let wanted = common < expected.count ? expected[common] : "nothing"
    throw .malformedTable(
      path: path, line: 1,
      reason: "feature column \(common + 1) is '\(found)' but the model expects '\(wanted)' "
        + "(\(columnNames.count) vs \(expected.count) columns)")
  }
}
