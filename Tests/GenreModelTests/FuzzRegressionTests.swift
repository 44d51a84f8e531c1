import Foundation
import GenreModel
import Testing

/// Inputs found by the libFuzzer targets in Fuzz/ (see Scripts/fuzz.sh), replayed as tests.
@Suite("Fuzz regressions: GenreModel parsers")
struct GenreModelFuzzRegressionTests {
  @Test("FuzzSplitList: CRLF line ends separate paths (\\r\\n is one Swift Character)")
  func splitListCRLF() throws {
    let split = try SplitList(text: "jazz/jazz.00002.wav\r\npop/pop.00003.wav\r\n")
    #expect(split.paths == ["jazz/jazz.00002.wav", "pop/pop.00003.wav"])
    let mixed = try SplitList(text: "# c\ra.wav\r\rb.wav\n\r\nc.wav")
    #expect(mixed.paths == ["a.wav", "b.wav", "c.wav"])
  }

  @Test("FuzzSplitList: whitespace other than space and tab inside a path is rejected with its line")
  func splitListOtherWhitespace() {
    for text in ["a.wav\nb\u{A0}c.wav\n", "a.wav\r\nb\u{3000}.wav", "a.wav\nb\u{2003}.wav"] {
      #expect(throws: ModelError.self) { try SplitList(text: text) }
      do {
        _ = try SplitList(text: text)
      } catch {
        guard case .malformedSplit(_, let line, _) = error else {
          Issue.record("unexpected error \(error)")
          continue
        }
        #expect(line == 2)
      }
    }
  }
}
