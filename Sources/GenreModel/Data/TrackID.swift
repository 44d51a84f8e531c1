/// Track identities for grouping segments: all windows of one recording share a track, and a
/// track never crosses splits or folds.
public enum TrackID {
  /// The track a row's file name belongs to: a segment name `classical.00000.3.wav` (genre,
  /// track number, segment index) belongs to `classical.00000.wav`; any other name is its own
  /// track. Directory components are dropped (`blues/blues.00029.wav` → `blues.00029.wav`).
  public static func track(of fileName: String) -> String {
    let base = fileName.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? fileName
    var parts = base.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count >= 4 else { return base }
    let isNumber = { (s: Substring) in !s.isEmpty && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) }
    let segment = parts[parts.count - 2]
    let trackNumber = parts[parts.count - 3]
    guard isNumber(segment), isNumber(trackNumber) else { return base }
    parts.remove(at: parts.count - 2)
    return parts.joined(separator: ".")
  }
}
