import AudioIO
import Foundation
import FuzzSupport

/// Streaming decoding from memory, compared with whole-buffer decoding.
///
/// The chunk size and the seek target are derived from a hash of the input, so every input
/// exercises a different split. Invariants: the reader accepts exactly the inputs the decoder
/// accepts (strict and lenient), chunks are never larger than asked, their concatenation equals
/// the decoded samples bit for bit, and after a seek the next chunk equals the decoded slice.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = fuzzBytes(start, count)
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
  let chunk = 1 + Int(hash % 1_000)
  for lenient in [false, true] {
    check(bytes, options: .init(lenient: lenient), chunk: chunk, seekSeed: Int(hash >> 20))
  }
  return 0
}

func check(_ bytes: [UInt8], options: DecodingOptions, chunk: Int, seekSeed: Int) {
  let whole = Result { () throws(AudioIOError) in try AudioDecoder.decode(bytes, options: options) }
  let reader: AudioStreamReader
  do {
    reader = try AudioStreamReader(data: Data(bytes), options: options)
  } catch {
    // Header errors agree; a strict truncation may surface at creation or only in decode.
    if case .success(let audio) = whole {
      fatalError("reader rejected (\(error)) what the decoder accepted: \(audio.info)")
    }
    return
  }
  invariant(reader.isSeekable, "memory input not seekable")
  let known = reader.knownFrameCount ?? -1
  invariant(known >= 0, "memory input without a known frame count")
  var channels = [[Float]](repeating: [], count: reader.info.channelCount)
  var streamError: AudioIOError?
  do {
    while let buffer = try reader.read(maxFrames: chunk) {
      invariant(buffer.frameCount >= 1 && buffer.frameCount <= chunk, "chunk of \(buffer.frameCount) > \(chunk)")
      invariant(buffer.channelCount == channels.count, "chunk channel count changed")
      invariant(buffer.sampleRate == reader.info.sampleRate, "chunk sample rate changed")
      for c in channels.indices { channels[c] += buffer.channels[c] }
      invariant(channels[0].count <= known, "read \(channels[0].count) frames of \(known)")
    }
  } catch {
    streamError = error
  }
  switch whole {
  case .failure(let error):
    invariant(streamError != nil, "decoder failed (\(error)) but the stream read \(channels[0].count) frames")
    return
  case .success(let audio):
    invariant(streamError == nil, "stream failed (\(streamError!)) where the decoder succeeded")
    invariant(audio.info == reader.info, "stream info \(reader.info) ≠ decoder info \(audio.info)")
    invariant(known == audio.info.frameCount, "knownFrameCount \(known) ≠ \(audio.info.frameCount)")
    for c in channels.indices {
      invariant(bitwiseEqual(channels[c][...], audio.buffer.channels[c][...]), "streamed channel \(c) differs")
    }
    // Seek somewhere (the end included) and read one chunk again.
    let target = known == 0 ? 0 : seekSeed % (known + 1)
    do {
      try reader.seek(toFrame: target)
      let buffer = try reader.read(maxFrames: chunk)
      let expected = min(chunk, known - target)
      invariant((buffer?.frameCount ?? 0) == expected, "after seek to \(target): \(buffer?.frameCount ?? 0) frames")
      if let buffer {
        for c in channels.indices {
          invariant(
            bitwiseEqual(buffer.channels[c][...], audio.buffer.channels[c][target..<target + expected]),
            "after seek to \(target) channel \(c) differs")
        }
      }
      invariant((try? reader.seek(toFrame: known + 1)) == nil, "seek past the end accepted")
    } catch {
      fatalError("seek/read after a successful decode failed: \(error)")
    }
  }
}

/// The process entry point (SwiftPM links `main` to `FuzzAudioStream_main`): libFuzzer's driver.
@_cdecl("FuzzAudioStream_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runLibFuzzer(argc, argv) { data, size in fuzz(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
}
