import AudioIO
import Testing

@Suite("AudioIOError descriptions")
struct AudioIOErrorTests {
  @Test("every error has a description that says what was wrong")
  func descriptions() {
    let cases: [(AudioIOError, String)] = [
      (.unrecognisedFormat(firstBytes: Array("OggS".utf8)), "4F 67 67 53"),
      (.unrecognisedFormat(firstBytes: []), "empty"),
      (.truncatedHeader(container: .au, neededBytes: 24, availableBytes: 10), "needs 24 bytes"),
      (.missingChunk("data"), "\"data\""),
      (.malformedChunk(id: "fmt ", reason: "too short"), "too short"),
      (.unsupportedEncoding(container: .wav, code: 2, detail: "Microsoft ADPCM"), "Microsoft ADPCM"),
      (.invalidBitsPerSample(0, encoding: "PCM"), "0 bits"),
      (.invalidChannelCount(0), "0 channels"),
      (.invalidSampleRate(0), "0 Hz"),
      (.invalidBlockAlign(claimed: 3, expected: 4), "lenient"),
      (.absurdSize(field: "x", claimed: 99, availableBytes: 1), "99 bytes"),
      (.truncatedData(expectedBytes: 16, availableBytes: 13), "only 13"),
      (.fileNotReadable(path: "/a.wav", reason: "denied"), "/a.wav"),
      (.readFailed(reason: "EIO"), "EIO"),
      (.notSeekable(operation: "seek to frame 3"), "pipe"),
      (.seekOutOfRange(frame: 9, frameCount: 4), "4 frames"),
      (.writeFailed(path: "/x.wav", reason: "full"), "/x.wav"),
    ]
    for (error, fragment) in cases {
      #expect(error.description.contains(fragment), "\(error)")
    }
  }
}
