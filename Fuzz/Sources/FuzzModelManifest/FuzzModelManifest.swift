import Foundation
import FuzzSupport
import GenreModel
import NeuralNet

/// Stand-in weights of 2^16 scalars: enough for `ModelBundle` to build small networks (then fail
/// on the missing names), so building one from a hostile manifest is fuzzed too, with a budget.
let budgetWeights = ["budget": Tensor(zeros: [1 << 16])]

/// `model.json` as `ModelBundle(contentsOf:)` reads it: the version probe, `ModelManifest`
/// decoding, then `validate()`.
///
/// Invariants: a manifest that validates survives encode → decode unchanged and still validates;
/// `ModelBundle(manifest:weights:)` over a 2^16-scalar budget throws or succeeds without a big
/// allocation (libFuzzer's -malloc_limit_mb catches one).
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
  _ = try? ModelBundle(manifest: manifest, weights: budgetWeights)
  return 0
}

/// The process entry point (SwiftPM links `main` to `FuzzModelManifest_main`): libFuzzer's driver.
@_cdecl("FuzzModelManifest_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runLibFuzzer(argc, argv) { data, size in fuzz(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
}
