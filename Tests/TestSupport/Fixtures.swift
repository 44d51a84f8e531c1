import Foundation

/// Locates inputs for tests: committed fixtures inside a test bundle, and the optional GTZAN audio.
public enum TestData {
  /// The environment variable that points at a GTZAN folder (`<genre>/<genre>.NNNNN.wav`).
  public static let gtzanVariable = "GTZAN_DIR"

  /// The GTZAN folder named by `GTZAN_DIR`, or `nil` when the variable is unset or empty.
  ///
  /// Tests that need real GTZAN audio are skipped when this is `nil`; `.ci/run` sets it to
  /// `../shared/data/gtzan/sample`.
  public static var gtzanDirectory: URL? {
    guard let path = ProcessInfo.processInfo.environment[gtzanVariable], !path.isEmpty else {
      return nil
    }
    return URL(fileURLWithPath: path, isDirectory: true)
  }

  /// Why GTZAN tests were skipped, for the test log.
  public static let gtzanSkipMessage =
    "GTZAN_DIR is unset: set it to a folder holding <genre>/<genre>.NNNNN.wav (e.g. ../shared/data/gtzan/sample) to run the real-audio tests"

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
