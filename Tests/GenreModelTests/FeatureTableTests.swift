import Foundation
import GenreModel
import TestSupport
import Testing

@Suite("FeatureTable")
struct FeatureTableTests {
  static let good = """
    filename,length,f1,f2,label
    blues.00000.wav,661794,1.5,-2,blues
    "rock.00001.wav",661794,3e2,0.25,rock

    """

  @Test("reads names, labels and row-major values, skipping length")
  func parses() throws {
    let table = try FeatureTable(csv: Self.good)
    #expect(table.columnNames == ["f1", "f2"])
    #expect(table.fileNames == ["blues.00000.wav", "rock.00001.wav"])
    #expect(table.labels == ["blues", "rock"])
    #expect(table.values == [1.5, -2, 300, 0.25])
    #expect(Array(table.row(1)) == [300, 0.25])
  }

  func tableError(_ csv: String) -> (line: Int, reason: String)? {
    do {
      _ = try FeatureTable(csv: csv)
      return nil
    } catch {
      if case .malformedTable(_, let line, let reason) = error { return (line, reason) }
      return (-1, "\(error)")
    }
  }

  @Test("malformed tables name the line and the problem")
  func malformed() throws {
    let ragged = try #require(tableError("filename,f1,label\na.wav,1,x\nb.wav,2\n"))
    #expect(ragged.line == 3 && ragged.reason.contains("ragged"))
    let text = try #require(tableError("filename,f1,label\na.wav,abc,x\n"))
    #expect(text.line == 2 && text.reason.contains("abc"))
    let nan = try #require(tableError("filename,f1,label\na.wav,nan,x\n"))
    #expect(nan.reason.contains("not finite"))
    let huge = try #require(tableError("filename,f1,label\na.wav,1e300,x\n"))
    #expect(huge.reason.contains("not finite"))
    #expect(tableError("")?.reason.contains("empty") == true)
    #expect(tableError("filename,f1,label\n")?.reason.contains("no rows") == true)
    #expect(tableError("name,f1,label\na,1,x\n")?.reason.contains("filename") == true)
    #expect(tableError("filename,f1\na,1\n")?.reason.contains("label") == true)
    #expect(tableError("filename,f1,label\na.wav,1,\n")?.reason.contains("empty label") == true)
    #expect(tableError("filename,f1,label\na.wav,1,x\na.wav,2,x\n")?.reason.contains("twice") == true)
    #expect(tableError("filename,f1,label\n\"a.wav,1,x\n")?.reason.contains("never closed") == true)
  }

  @Test("selecting tracks groups 3 s segments by track and reports missing tracks")
  func selectTracks() throws {
    let csv = """
      filename,f1,label
      rock.00001.0.wav,1,rock
      rock.00001.1.wav,2,rock
      jazz.00002.0.wav,3,jazz
      """
    let table = try FeatureTable(csv: csv)
    #expect(table.trackNames == ["rock.00001.wav", "rock.00001.wav", "jazz.00002.wav"])
    #expect(try table.selecting(tracks: ["rock.00001.wav"]).values == [1, 2])
    #expect(throws: ModelError.missingTrack("pop.00000.wav")) {
      try table.selecting(tracks: ["pop.00000.wav"])
    }
    #expect(throws: ModelError.self) { try table.validateColumns(["f2"]) }
  }

  @Test("the public GTZAN tables parse with the gtzan57 columns", .requiresGTZAN)
  func publicTable() throws {
    let directory = try #require(TestData.gtzanDirectory)
    let table = try FeatureTable(contentsOf: directory.appendingPathComponent("tables/features_30_sec.csv"))
    #expect(table.rowCount == 1000)
    #expect(table.columnNames.count == 57)
    #expect(Set(table.labels).count == 10)
  }
}

@Suite("TrackID and SplitList")
struct SplitListTests {
  @Test("segment names map to their track")
  func trackIDs() {
    #expect(TrackID.track(of: "classical.00000.3.wav") == "classical.00000.wav")
    #expect(TrackID.track(of: "classical.00000.wav") == "classical.00000.wav")
    #expect(TrackID.track(of: "blues/blues.00029.wav") == "blues.00029.wav")
    #expect(TrackID.track(of: "my.song.mp3.wav") == "my.song.mp3.wav")
  }

  @Test("split lists parse and reject malformed lines")
  func parse() throws {
    let split = try SplitList(text: "blues/blues.00029.wav\n\n# comment\nrock/rock.00001.wav\n")
    #expect(split.tracks == ["blues.00029.wav", "rock.00001.wav"])
    #expect(throws: ModelError.self) { try SplitList(text: "a.wav,b.wav\n") }
    #expect(throws: ModelError.self) { try SplitList(text: "a/x.wav\nb/x.wav\n") }
    #expect(throws: ModelError.self) { try SplitList(text: "\n") }
  }

  @Test("a folder of genre folders lists labelled audio files")
  func listing() throws {
    let root = try TestData.temporaryDirectory("listing")
    for (genre, files) in [("rock", ["b.wav", "a.au", "notes.txt"]), ("jazz", ["c.WAV"]), ("empty", [])] {
      let folder = root.appendingPathComponent(genre)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for file in files { try Data().write(to: folder.appendingPathComponent(file)) }
    }
    let listing = try AudioDatasetListing(root: root)
    #expect(listing.labels == ["jazz", "rock"])
    #expect(listing.items.map(\.relativePath) == ["jazz/c.WAV", "rock/a.au", "rock/b.wav"])
    #expect(throws: ModelError.self) { try AudioDatasetListing(root: root.appendingPathComponent("empty")) }
  }
}
