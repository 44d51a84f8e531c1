/// One of `count` disjoint parts of a list of files, chosen by a stable hash of each file's path,
/// so that many machines can each process their part of one list without talking to each other.
///
/// A path belongs to shard `i` of `n` when `Shard.index(ofPath: path, count: n) == i`:
///
/// ```
/// h = fnv1a64(utf8(path))          // offset 0xcbf29ce484222325, prime 0x100000001b3
/// h = fmix64(h)                    // MurmurHash3's 64-bit finaliser
/// shard = h mod n
/// ```
///
/// The assignment depends only on the path's text and `n`: not on the order or number of the
/// other paths, the machine, the process or Swift's per-process `Hasher` seed. Every path lands in
/// exactly one shard, and the shards are near equal in size for many paths. The same list given
/// to `genre features --shard i/n` or `genre classify --shard i/n` for `i` in `0..<n` therefore
/// covers every file once. Pass paths spelled the same way on every machine (e.g. relative to a
/// data-set root): `a/b.wav` and `./a/b.wav` are different texts and may land in different shards.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
  /// This shard's index, `0 ≤ index < count`.
  public let index: Int
  /// The number of shards the files are divided into, at least 1.
  public let count: Int

  /// The shard `index` of `count`.
  ///
  /// - Throws: `ModelError.invalidArgument` unless `count ≥ 1` and `0 ≤ index < count`.
  public init(index: Int, count: Int) throws(ModelError) {
    guard count >= 1, index >= 0, index < count else {
      throw .invalidArgument(name: "shard", reason: "need 0 ≤ i < n and n ≥ 1, got \(index)/\(count)")
    }
    self.index = index
    self.count = count
  }

  /// Parses `i/n`, e.g. `0/4` for the first of four shards (as written on a command line).
  ///
  /// - Throws: `ModelError.invalidArgument` if the text is not two decimal integers separated by
  ///   `/`, or they are out of range.
  public init(parsing text: String) throws(ModelError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
      throw .invalidArgument(name: "shard", reason: "'\(text)' is not i/n (e.g. 0/4)")
    }
    try self.init(index: index, count: count)
  }

  /// `i/n`.
  public var description: String { "\(index)/\(count)" }

  /// Whether `path` belongs to this shard.
  public func contains(path: String) -> Bool { Shard.index(ofPath: path, count: count) == index }

  /// The paths of `paths` that belong to this shard, in their original order.
  ///
  /// - Complexity: O(total length of the paths).
  public func select(_ paths: [String]) -> [String] { paths.filter { contains(path: $0) } }

  /// The shard (in `0..<count`) that `path` belongs to: `fmix64(fnv1a64(utf8(path))) mod count`.
  ///
  /// - Parameters:
  ///   - path: the file's path, exactly as it will be passed to the tool.
  ///   - count: the number of shards; must be at least 1.
  /// - Returns: the shard index, the same on every machine and in every process.
  /// - Complexity: O(path length).
  public static func index(ofPath path: String, count: Int) -> Int {
    precondition(count >= 1, "Shard.index(ofPath:count:) needs count ≥ 1, got \(count)")
    return Int(stableHash(path) % UInt64(count))
  }

  /// FNV-1a (64-bit) of the UTF-8 bytes, mixed by MurmurHash3's `fmix64` so that every output
  /// bit depends on every input bit (FNV-1a's low bits alone split similar names unevenly).
  package static func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01b3
    }
    h ^= h >> 33
    h = h &* 0xff51_afd7_ed55_8ccd
    h ^= h >> 33
    h = h &* 0xc4ce_b9fe_1a85_ec53
    h ^= h >> 33
    return h
  }
}
