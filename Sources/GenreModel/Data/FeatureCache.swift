import Features
import Foundation

/// An on-disk cache of extracted feature rows, so re-training does not re-extract audio.
///
/// One binary entry per (audio file, recipe) under `directory/<recipe hash>/`, keyed by the file's
/// absolute path, byte size and modification time, and the recipe's hash (FNV-1a 64 of its JSON
/// with sorted keys). Entry layout: magic `GCFC`, UInt32 version 1, UInt32 key-JSON length, the
/// key JSON (`path`, `size`, `modified`, `recipeHash`, `rows`, `columns`), then `rows × columns`
/// little-endian float32 values, row-major. A changed file, a different recipe or a damaged
/// entry is a miss, never an error.
public struct FeatureCache: Sendable {
  /// The cache's root directory.
  public let directory: URL
  /// The recipe whose rows are cached.
  public let recipe: FeatureRecipe
  /// The recipe's hash, 16 lower-case hex digits.
  public let recipeHash: String

  /// What an entry was computed from.
  struct Key: Codable, Equatable {
    var path: String
    var size: Int
    var modified: Double
    var recipeHash: String
    var rows: Int
    var columns: Int
  }

  private static let magic: [UInt8] = Array("GCFC".utf8)
  private static let version: UInt32 = 1

  /// A cache for `recipe` in `directory` (created on first store).
  public init(directory: URL, recipe: FeatureRecipe) {
    self.directory = directory
    self.recipe = recipe
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // A recipe is plain numbers, strings and enums: encoding cannot fail.
    let json = (try? encoder.encode(recipe)) ?? Data()
    recipeHash = String(format: "%016llx", Self.fnv1a(json))
  }

  /// The cached rows for `file` (row-major, `recipe.columns.count` per row), or nil when there is
  /// no valid entry for the file's current size and modification time.
  ///
  /// - Throws: `ModelError.fileError` if `file` itself cannot be examined.
  public func rows(for file: URL) throws(ModelError) -> [Float]? {
    let current = try key(for: file, rows: 0)
    guard let data = try? Data(contentsOf: entryURL(for: file)), data.count >= 12 else { return nil }
    let bytes = [UInt8](data)
    guard Array(bytes[0..<4]) == Self.magic, Self.uint32(bytes, 4) == Self.version else { return nil }
    let keyLength = Int(Self.uint32(bytes, 8))
    guard 12 + keyLength <= bytes.count,
      let stored = try? JSONDecoder().decode(Key.self, from: Data(bytes[12..<(12 + keyLength)]))
    else { return nil }
    guard stored.path == current.path, stored.size == current.size, stored.modified == current.modified,
      stored.recipeHash == recipeHash, stored.columns == recipe.columns.count, stored.rows >= 0
    else { return nil }
    let count = stored.rows * stored.columns
    let start = 12 + keyLength
    guard bytes.count == start + 4 * count else { return nil }
    return (0..<count).map { Float(bitPattern: Self.uint32(bytes, start + 4 * $0)) }
  }

  /// Stores `rows` (row-major, `recipe.columns.count` per row) for `file`'s current state.
  ///
  /// - Throws: `ModelError.invalidArgument` when `rows` is not whole rows; `ModelError.fileError`
  ///   when the file cannot be examined or the entry cannot be written.
  public func store(_ rows: [Float], for file: URL) throws(ModelError) {
    let columns = recipe.columns.count
    guard rows.count % columns == 0 else {
      throw .invalidArgument(name: "cached rows", reason: "\(rows.count) values are not rows of \(columns)")
    }
    let key = try key(for: file, rows: rows.count / columns)
    var bytes = Self.magic
    Self.append(Self.version, to: &bytes)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = [UInt8]((try? encoder.encode(key)) ?? Data())
    Self.append(UInt32(json.count), to: &bytes)
    bytes += json
    bytes.reserveCapacity(bytes.count + 4 * rows.count)
    for value in rows { Self.append(value.bitPattern, to: &bytes) }
    let url = entryURL(for: file)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url, options: .atomic)
    } catch {
      throw .fileError(path: url.path, reason: error.localizedDescription)
    }
  }

  /// The entry file for `file`: `directory/<recipe hash>/<hash of the absolute path>.features`.
  public func entryURL(for file: URL) -> URL {
    let path = file.standardizedFileURL.path
    return directory.appendingPathComponent(recipeHash)
      .appendingPathComponent(String(format: "%016llx.features", Self.fnv1a(Data(path.utf8))))
  }

  private func key(for file: URL, rows: Int) throws(ModelError) -> Key {
    let path = file.standardizedFileURL.path
    let attributes: [FileAttributeKey: Any]
    do {
      attributes = try FileManager.default.attributesOfItem(atPath: path)
    } catch {
      throw .fileError(path: path, reason: error.localizedDescription)
    }
    let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
    let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    return Key(
      path: path, size: size, modified: modified, recipeHash: recipeHash, rows: rows, columns: recipe.columns.count)
  }

  static func fnv1a(_ data: Data) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in data {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
      | UInt32(bytes[offset + 3]) << 24
  }

  private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
  }
}
