import FuzzSupport
import NeuralNet

/// `SafeTensorsFile(bytes:)` and reading every tensor.
///
/// Invariants: byte ranges tile the data buffer, every tensor holds `product(shape)` scalars
/// decoded from its bytes, and F32-only files survive `SafeTensors.encode` → parse unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = fuzzBytes(start, count)
  let file: SafeTensorsFile
  do {
    file = try SafeTensorsFile(bytes: bytes)
  } catch {
    invariant(!error.description.isEmpty, "empty error description")
    return 0
  }
  invariant(file.names == file.entries.keys.sorted(), "names not sorted")
  var covered = 0
  for entry in file.entries.values {
    invariant(entry.byteRange.lowerBound >= 0 && entry.byteRange.upperBound <= count, "range \(entry.byteRange)")
    covered += entry.byteRange.count
  }
  invariant(covered <= count, "entries cover \(covered) bytes of a \(count)-byte file")
  var tensors: [String: Tensor] = [:]
  for name in file.names {
    let entry = file.entries[name]!
    do {
      let tensor = try file.tensor(named: name)
      invariant(entry.dtype == "F32", "tensor(named:) accepted dtype \(entry.dtype)")
      invariant(tensor.shape == entry.shape, "shape \(tensor.shape) ≠ \(entry.shape)")
      invariant(tensor.count * 4 == entry.byteRange.count, "\(tensor.count) scalars for \(entry.byteRange)")
      tensors[name] = tensor
    } catch {
      invariant(entry.dtype != "F32", "F32 tensor '\(name)' not readable: \(error)")
    }
  }
  if tensors.count == file.entries.count {
    do {
      let again = try SafeTensorsFile(bytes: SafeTensors.encode(tensors, metadata: file.metadata))
      invariant(again.metadata == file.metadata, "metadata changed in a round trip")
      invariant(again.names == file.names, "names changed in a round trip")
      for name in file.names {
        let a = tensors[name]!
        let b = try again.tensor(named: name)
        invariant(a.shape == b.shape && bitwiseEqual(a.scalars[...], b.scalars[...]), "'\(name)' changed")
      }
    } catch {
      fatalError("re-encoded file does not parse: \(error)")
    }
  }
  return 0
}

/// The process entry point (SwiftPM links `main` to `FuzzSafeTensors_main`): libFuzzer's driver.
@_cdecl("FuzzSafeTensors_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runLibFuzzer(argc, argv) { data, size in fuzz(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
}
