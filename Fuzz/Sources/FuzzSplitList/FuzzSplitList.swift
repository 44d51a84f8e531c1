import FuzzSupport
import GenreModel

/// `SplitList(text:)` on arbitrary text.
///
/// Invariants: at least one path; every path is one non-empty line without whitespace, commas or
/// line breaks and not a comment; track names are distinct.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count), as: UTF8.self)
  let split: SplitList
  do {
    split = try SplitList(text: text)
  } catch {
    invariant(!error.description.isEmpty, "empty error description")
    return 0
  }
  invariant(!split.paths.isEmpty, "empty split accepted")
  for path in split.paths {
    invariant(!path.isEmpty && path.unicodeScalars.first != "#", "path \(path.debugDescription)")
    invariant(
      !path.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "," },
      "path \(path.debugDescription) holds whitespace, a line break or a comma")
  }
  invariant(Set(split.tracks).count == split.paths.count, "duplicate tracks accepted")
  return 0
}

/// The process entry point (SwiftPM links `main` to `FuzzSplitList_main`): libFuzzer's driver.
@_cdecl("FuzzSplitList_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runLibFuzzer(argc, argv) { data, size in fuzz(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
}
