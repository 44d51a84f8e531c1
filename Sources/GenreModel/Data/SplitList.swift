import Foundation

/// A list of tracks forming one split, one relative path per line (`blues/blues.00029.wav`),
/// as in the fault-filtered GTZAN split of Kereliuk, Sturm & Larsen (2015).
public struct SplitList: Sendable, Equatable {
  /// The listed paths as written, e.g. `blues/blues.00029.wav`.
  public var paths: [String]

  /// A split from its paths.
  public init(paths: [String]) { self.paths = paths }

  /// The track names (last path component), e.g. `blues.00029.wav`, in list order.
  public var tracks: [String] { paths.map(TrackID.track(of:)) }

  /// Reads a split list; blank lines and lines starting with `#` are skipped. Lines end with LF,
  /// CRLF or CR (any Unicode line break).
  ///
  /// - Throws: `ModelError.fileError` if unreadable; `ModelError.malformedSplit` for a line with
  ///   whitespace or a comma inside, a duplicate track, or a list without tracks.
  public init(contentsOf url: URL) throws(ModelError) {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw .fileError(path: url.path, reason: error.localizedDescription)
    }
    try self.init(text: text, path: url.path)
  }

  /// Parses split-list text (see `init(contentsOf:)`); `path` names the source in errors.
  public init(text: String, path: String = "<split>") throws(ModelError) {
    var paths: [String] = []
    var seen = Set<String>()
    // Split on `isNewline`, not on "\n": in Swift "\r\n" is one Character, so a CRLF file would
    // otherwise be a single line (found by Fuzz/FuzzSplitList).
    for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      // Look at Unicode scalars, not Characters: "," or " " followed by a combining mark is one
      // Character that equals neither (found by Fuzz/FuzzSplitList).
      if line.isEmpty || line.unicodeScalars.first == "#" { continue }
      if line.unicodeScalars.contains(where: { $0 == "," || $0.properties.isWhitespace }) {
        throw .malformedSplit(path: path, line: index + 1, reason: "'\(line)' is not a single relative path")
      }
      guard seen.insert(TrackID.track(of: line)).inserted else {
        throw .malformedSplit(path: path, line: index + 1, reason: "track '\(line)' is listed twice")
      }
      paths.append(line)
    }
    guard !paths.isEmpty else { throw .malformedSplit(path: path, line: 1, reason: "the list names no tracks") }
    self.paths = paths
  }
}
