import AudioIO
import CLibFuzzer

/// Stops the fuzzer with a message when a parser returned a wrong result (not only a crash):
/// `fatalError` traps, libFuzzer reports a deadly signal and saves the input as `crash-…`.
///
/// - Parameters:
///   - condition: what must hold for every accepted input.
///   - message: what was wrong, built only on failure.
public func invariant(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #fileID, line: UInt = #line
) {
  if !condition() { fatalError("invariant violated: \(message())", file: file, line: line) }
}

/// The input bytes as an array.
///
/// - Parameters:
///   - start: libFuzzer's data pointer.
///   - count: its length.
/// - Returns: a copy of the bytes.
public func fuzzBytes(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
  Array(UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count))
}

/// Whether two sample arrays are identical bit for bit (NaN payloads included).
///
/// - Returns: `true` when both have the same length and the same bit pattern at every index.
public func bitwiseEqual(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// Checks what holds for every successfully decoded file of `byteCount` bytes.
///
/// Frame counts agree and fit in the input, one array per channel, integer and G.711 encodings give
/// finite samples in [-1, 1] (float encodings may hold anything).
public func checkDecoded(_ audio: DecodedAudio, byteCount: Int) {
  let info = audio.info
  let buffer = audio.buffer
  invariant(info.frameCount == buffer.frameCount, "info.frameCount \(info.frameCount) ≠ \(buffer.frameCount)")
  invariant(info.channelCount == buffer.channelCount, "info.channelCount ≠ buffer.channelCount")
  invariant((1...65_535).contains(info.channelCount), "channel count \(info.channelCount)")
  invariant(info.sampleRate > 0 && info.sampleRate == buffer.sampleRate, "sample rate \(info.sampleRate)")
  let (bytes, overflow) = info.frameCount.multipliedReportingOverflow(
    by: info.channelCount * info.encoding.bytesPerSample)
  invariant(!overflow && bytes <= byteCount, "\(info.frameCount) frames cannot fit in \(byteCount) bytes")
  switch info.encoding {
  case .float32, .float64: break
  default:
    for channel in buffer.channels {
      invariant(channel.allSatisfy { $0.isFinite && $0 >= -1 && $0 <= 1 }, "integer sample outside [-1, 1]")
    }
  }
}

/// Runs libFuzzer's driver with `argc`/`argv` on `callback` (the target's `LLVMFuzzerTestOneInput`).
///
/// Each fuzz target's `<Module>_main` calls this, since SwiftPM links `main` to that symbol.
/// - Returns: libFuzzer's exit status.
public func runLibFuzzer(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
  var argc = argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
  return LLVMFuzzerRunDriver(&argc, &argv, callback)
}
