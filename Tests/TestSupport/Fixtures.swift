import Foundation

/// Locates inputs for tests: committed fixtures inside a test bundle, and the optional GTZAN audio.
public enum TestData {
  /// The environment variable that points at GTZAN data laid out as in the team's shared data:
  /// `sample/<genre>/<genre>.NNNNN.wav` (audio), `tables/features_30_sec.csv` (the public feature
  /// tables) and `splits/*_filtered.txt` (split lists).
  public static let gtzanVariable = "GTZAN_DIR"

  /// The GTZAN data folder named by `GTZAN_DIR`, or `nil` when the variable is unset or empty.
  ///
  /// Tests that need GTZAN data are skipped when this is `nil`; `.ci/run` sets it to
  /// `../shared/data/gtzan`.
  public static var gtzanDirectory: URL? {
    guard let path = ProcessInfo.processInfo.environment[gtzanVariable], !path.isEmpty else {
      return nil
    }
    return URL(fileURLWithPath: path, isDirectory: true)
  }

  /// The folder of real GTZAN clips, `<genre>/<genre>.NNNNN.wav`: `$GTZAN_DIR/sample`.
  public static var gtzanAudioDirectory: URL? {
    gtzanDirectory?.appendingPathComponent("sample", isDirectory: true)
  }

  /// Why GTZAN tests were skipped, for the test log.
  public static let gtzanSkipMessage =
    "GTZAN_DIR is unset: point it at a folder holding sample/<genre>/<genre>.NNNNN.wav, tables/ and splits/ (e.g. ../shared/data/gtzan) to run the GTZAN tests"

  /// The URL of a committed fixture file in `bundle`'s `Fixtures/` resource folder.
  ///
  /// - Precondition: the file exists (a missing committed fixture is a broken checkout).
  public static func fixture(_ name: String, in bundle: Bundle) -> URL {
    guard let base = bundle.resourceURL else {
      preconditionFailure("test bundle \(bundle.bundlePath) has no resources")
    }
    let url = base.appendingPathComponent("Fixtures").appendingPathComponent(name)
    precondition(FileManager.default.fileExists(atPath: url.path), "missing fixture \(url.path)")
    return url
  }

  /// A fresh temporary directory, unique per call.
  public static func temporaryDirectory(_ label: String = "genre-tests") throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
