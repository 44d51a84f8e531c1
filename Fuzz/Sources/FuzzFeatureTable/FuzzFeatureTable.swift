import FuzzSupport
import GenreModel

/// `FeatureTable(csv:)` (RFC 4180 reader plus table checks) on arbitrary text.
///
/// Invariants: a rectangular finite table with at least one row and column, distinct file names,
/// non-empty labels and file names, no metadata column among the features, rows sliceable.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count), as: UTF8.self)
  let table: FeatureTable
  do {
    table = try FeatureTable(csv: text)
  } catch {
    invariant(!error.description.isEmpty, "empty error description")
    return 0
  }
  let columns = table.columnNames.count
  invariant(columns >= 1 && table.rowCount >= 1, "\(table.rowCount) × \(columns) table accepted")
  invariant(table.labels.count == table.rowCount, "labels.count ≠ rowCount")
  invariant(table.values.count == table.rowCount * columns, "values.count ≠ rows × columns")
  invariant(table.values.allSatisfy(\.isFinite), "non-finite value accepted")
  invariant(Set(table.fileNames).count == table.rowCount, "duplicate file names accepted")
  invariant(!table.fileNames.contains("") && !table.labels.contains(""), "empty file name or label")
  invariant(Set(table.columnNames).count == columns, "duplicate column names")
  invariant(
    !table.columnNames.contains("filename") && !table.columnNames.contains("label")
      && table.columnNames.allSatisfy { !FeatureTable.metadataColumns.contains($0) },
    "a non-feature column among the features: \(table.columnNames)")
  invariant(
    table.selecting(rows: [table.rowCount - 1]).values[...] == table.row(table.rowCount - 1),
    "row slicing disagrees")
  return 0
}

/// The process entry point (SwiftPM links `main` to `FuzzFeatureTable_main`): libFuzzer's driver.
@_cdecl("FuzzFeatureTable_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runLibFuzzer(argc, argv) { data, size in fuzz(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
}
