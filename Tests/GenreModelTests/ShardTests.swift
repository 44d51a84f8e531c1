import GenreModel
import Testing

@Suite("Shard")
struct ShardTests {
  @Test("the hash is FNV-1a 64 + fmix64 of the UTF-8 path, as Scripts/shard_of.py computes it")
  func referenceValues() {
    // (path, hash, shard of 3, shard of 1000) from `stable_hash` in Scripts/shard_of.py.
    let cases: [(String, UInt64, Int, Int)] = [
      ("", 0xefd0_1f60_ba99_2926, 2, 342),
      ("a", 0x82a2_a958_a9be_ce5b, 2, 315),
      ("blues/blues.00000.wav", 0x0985_5b68_0147_dd8a, 0, 58),
      ("classical/classical.00049.wav", 0x039a_260e_b3fc_2186, 0, 782),
      ("ünïcödé/jazz.00001.wav", 0xf0ce_fe8c_2b89_df3b, 0, 187),
    ]
    for (path, hash, of3, of1000) in cases {
      #expect(Shard.stableHash(path) == hash, "\(path)")
      #expect(Shard.index(ofPath: path, count: 3) == of3, "\(path)")
      #expect(Shard.index(ofPath: path, count: 1000) == of1000, "\(path)")
      #expect(Shard.index(ofPath: path, count: 1) == 0)
    }
  }

  @Test("every path of a list lands in exactly one shard, independent of the list, near evenly")
  func partition() throws {
    let genres = ["blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"]
    let paths = genres.flatMap { g in (0..<100).map { "\(g)/\(g).\(String(100_000 + $0).dropFirst()).wav" } }
    for n in [1, 2, 3, 7, 16] {
      let shards = try (0..<n).map { try Shard(index: $0, count: n) }
      let parts = shards.map { $0.select(paths) }
      #expect(parts.map(\.count).reduce(0, +) == paths.count)
      #expect(Set(parts.joined()) == Set(paths))
      for path in paths { #expect(shards.filter { $0.contains(path: path) }.count == 1) }
      // 1 000 paths: each shard within 5 binomial standard deviations of 1000/n.
      let expected = Double(paths.count) / Double(n)
      let sigma = (expected * (1 - 1 / Double(n))).squareRoot()
      for part in parts { #expect(abs(Double(part.count) - expected) <= 5 * sigma + 1e-9, "n \(n)") }
      // A path's shard does not depend on the other paths or their order.
      let reversed = shards.map { $0.select(paths.reversed()) }
      #expect(zip(parts, reversed).allSatisfy { $0 == Array($1.reversed()) })
      #expect(shards[0].select(Array(paths.prefix(10))) == parts[0].filter { paths.prefix(10).contains($0) })
    }
  }

  @Test("parsing i/n; bad text and out-of-range values throw invalidArgument naming the shard")
  func parsing() throws {
    let shard = try Shard(parsing: "2/5")
    #expect(shard.index == 2 && shard.count == 5)
    #expect(shard.description == "2/5")
    #expect(try Shard(parsing: "0/1") == Shard(index: 0, count: 1))
    for bad in ["", "1", "1/", "/3", "3/3", "-1/3", "1/0", "a/b", "1/2/3", "1 /2"] {
      #expect(throws: ModelError.self, "\(bad)") { try Shard(parsing: bad) }
      do {
        _ = try Shard(parsing: bad)
      } catch {
        guard case .invalidArgument(let name, _) = error else {
          Issue.record("\(bad): \(error)")
          continue
        }
        #expect(name == "shard")
      }
    }
  }
}
