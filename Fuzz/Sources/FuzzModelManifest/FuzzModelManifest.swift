import Foundation
import FuzzSupport
import GenreModel

/// `model.json` as `ModelBundle(contentsOf:)` reads it: the version probe, `ModelManifest`
/// decoding, then `validate()`.
///
/// Invariants: a manifest that validates survives encode → decode unchanged and still validates.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let data = Data(bytes: start, count: count)
  struct Version: Decodable { var formatVersion: Int }
  guard (try? JSONDecoder().decode(Version.self, from: data)) != nil else { return 0 }
  guard let manifest = try? JSONDecoder().decode(ModelManifest.self, from: data) else { return 0 }
  do {
    try manifest.validate()
  } catch {
    invariant(!error.description.isEmpty, "empty error description")
    return 0
  }
  do {
    let encoded = try JSONEncoder().encode(manifest)
    let again = try JSONDecoder().decode(ModelManifest.self, from: encoded)
    invariant(again == manifest, "manifest changed in an encode/decode round trip")
    try again.validate()
  } catch {
    fatalError("a valid manifest does not round-trip: \(error)")
  }
  return 0
}

/// The process entry point (SwiftPM links `main` to `FuzzModelManifest_main`): libFuzzer's driver.
@_cdecl("FuzzModelManifest_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runLibFuzzer(argc, argv) { data, size in fuzz(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
}
