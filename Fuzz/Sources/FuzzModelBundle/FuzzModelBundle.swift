import Foundation
import FuzzSupport
import GenreModel
import NeuralNet

/// One scratch bundle directory per fuzzing process (libFuzzer runs inputs one at a time).
let scratch: URL = {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("fuzz-model-bundle-\(ProcessInfo.processInfo.processIdentifier)")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}()

/// Where a successfully loaded bundle is written back for the round-trip check.
let rewritten = scratch.appendingPathComponent("rewritten")

/// A whole bundle directory as `ModelBundle(contentsOf:)` and `GenrePredictor` read it. The input
/// is `[UInt32 LE manifest length][model.json][weights.safetensors]` (see Scripts/fuzz_seeds.py);
/// both files are written to a scratch directory and loaded from there, as a user's would be.
///
/// Invariants for a bundle that loads: every weight is finite; writing it and reading it back
/// gives bit-identical weights, the same predictions, and a manifest that another write/read
/// leaves unchanged (the first write spells out defaults); a `GenrePredictor` builds from it, and on a
/// row of zeros it either throws a typed error or returns, per ensemble average, finite
/// probabilities in [0, 1] that sum to 1. libFuzzer's -malloc_limit_mb catches a big allocation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = fuzzBytes(start, count)
  guard bytes.count >= 4 else { return 0 }
  let claimed = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
  let manifestLength = min(claimed, bytes.count - 4)
  let manifest = Data(bytes[4..<(4 + manifestLength)])
  let weights = Data(bytes[(4 + manifestLength)...])
  do {
    try manifest.write(to: scratch.appendingPathComponent(ModelBundle.manifestFileName))
    try weights.write(to: scratch.appendingPathComponent(ModelBundle.weightsFileName))
  } catch {
    fatalError("cannot write the scratch bundle: \(error)")
  }
  let bundle: ModelBundle
  do {
    bundle = try ModelBundle(contentsOf: scratch)
  } catch {
    invariant(!error.description.isEmpty, "empty error description")
    return 0
  }
  for (name, tensor) in bundle.weights {
    invariant(tensor.scalars.allSatisfy(\.isFinite), "a loaded bundle holds a non-finite weight in \(name)")
  }
  // Writing makes defaults explicit (a pool's stride), so the first write is the canonical form:
  // it must read back with bit-identical weights, and writing that again must change nothing.
  let again: ModelBundle
  do {
    try bundle.write(to: rewritten)
    again = try ModelBundle(contentsOf: rewritten)
    try again.write(to: rewritten)
    let third = try ModelBundle(contentsOf: rewritten)
    invariant(third.manifest == again.manifest, "the written manifest is not stable under another write/read")
  } catch {
    fatalError("a loaded bundle does not round-trip: \(error)")
  }
  invariant(Set(again.weights.keys) == Set(bundle.weights.keys), "tensor names changed in a round trip")
  for (name, tensor) in bundle.weights {
    let other = again.weights[name]!
    invariant(
      other.shape == tensor.shape && bitwiseEqual(other.scalars[...], tensor.scalars[...]),
      "tensor \(name) changed in a write/read round trip")
  }
  let predictor: GenrePredictor
  do {
    predictor = try GenrePredictor(bundle: bundle)
  } catch {
    fatalError("a validated bundle does not build a predictor: \(error)")
  }
  let row = [Float](repeating: 0, count: bundle.manifest.scaler.columnCount)
  let rereadProbabilities = try? GenrePredictor(bundle: again).probabilities(rows: row)
  guard let probabilities = try? predictor.probabilities(rows: row) else {
    invariant(rereadProbabilities == nil, "the re-read bundle predicts where the original throws")
    return 0
  }
  invariant(rereadProbabilities == probabilities, "the re-read bundle predicts differently")
  invariant(probabilities.count == 1, "one row gave \(probabilities.count) probability vectors")
  let p = probabilities[0]
  invariant(p.count == bundle.manifest.labels.count, "\(p.count) probabilities for \(bundle.manifest.labels.count) labels")
  invariant(p.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "a probability outside [0, 1]: \(p)")
  invariant(abs(p.reduce(0, +) - 1) < 1e-3, "probabilities sum to \(p.reduce(0, +))")
  return 0
}

/// The process entry point (SwiftPM links `main` to `FuzzModelBundle_main`): libFuzzer's driver.
@_cdecl("FuzzModelBundle_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runLibFuzzer(argc, argv) { data, size in fuzz(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
}
