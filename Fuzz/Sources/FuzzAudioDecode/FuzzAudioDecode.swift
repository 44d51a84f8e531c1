import AudioIO
import Foundation
import FuzzSupport

/// Whole-buffer decoding, strict and lenient, from `[UInt8]` and from `Data`.
///
/// Invariants: see `checkDecoded`; strict success implies lenient success with the same result;
/// `[UInt8]` and `Data` decode identically.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = fuzzBytes(start, count)
  var strict: DecodedAudio?
  do {
    let audio = try AudioDecoder.decode(bytes)
    checkDecoded(audio, byteCount: count)
    strict = audio
  } catch {
    invariant(!error.description.isEmpty, "empty error description")
  }
  let lenientResult = Result { () throws(AudioIOError) in
    try AudioDecoder.decode(Data(bytes), options: .init(lenient: true))
  }
  if case .success(let lenient) = lenientResult { checkDecoded(lenient, byteCount: count) }
  if let strict {
    guard case .success(let lenient) = lenientResult else {
      fatalError("strict decoding succeeded but lenient failed: \(lenientResult)")
    }
    invariant(strict.info == lenient.info, "strict \(strict.info) ≠ lenient \(lenient.info)")
    for c in 0..<strict.buffer.channelCount {
      invariant(
        bitwiseEqual(strict.buffer.channels[c][...], lenient.buffer.channels[c][...]),
        "strict and lenient samples differ in channel \(c)")
    }
  }
  return 0
}

/// The process entry point (SwiftPM links `main` to `FuzzAudioDecode_main`): libFuzzer's driver.
@_cdecl("FuzzAudioDecode_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runLibFuzzer(argc, argv) { data, size in fuzz(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
}
