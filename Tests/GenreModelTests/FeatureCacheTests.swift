import Features
import Foundation
import GenreModel
import TestSupport
import Testing

@Suite("FeatureCache")
struct FeatureCacheTests {
  @Test("stores and returns rows; a changed file, another recipe or a damaged entry is a miss")
  func roundTrip() throws {
    let directory = try TestData.temporaryDirectory("cache")
    let audio = directory.appendingPathComponent("song.wav")
    try Data(repeating: 1, count: 100).write(to: audio)
    let cache = FeatureCache(directory: directory.appendingPathComponent("cache"), recipe: .gtzan57)
    #expect(try cache.rows(for: audio) == nil)
    let rows = (0..<114).map { Float($0) * 0.5 - 3 }
    try cache.store(rows, for: audio)
    #expect(try cache.rows(for: audio) == rows)

    let other = FeatureCache(directory: cache.directory, recipe: .gtzan57ThreeSecond)
    #expect(other.recipeHash != cache.recipeHash)
    #expect(try other.rows(for: audio) == nil)

    try Data(repeating: 2, count: 101).write(to: audio)
    #expect(try cache.rows(for: audio) == nil)
    try cache.store(rows, for: audio)
    try Data([0x47, 0x43]).write(to: cache.entryURL(for: audio))
    #expect(try cache.rows(for: audio) == nil)

    #expect(throws: ModelError.self) { try cache.store([1, 2, 3], for: audio) }
    #expect(throws: ModelError.self) { try cache.rows(for: directory.appendingPathComponent("missing.wav")) }
  }
}
