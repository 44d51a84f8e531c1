import Foundation

/// A parsed safetensors file: named tensors in the standard layout of Hugging Face's
/// `safetensors` format, readable and writable by the Python `safetensors` package.
///
/// Layout: an unsigned 64-bit little-endian header length N; N bytes of UTF-8 JSON mapping each
/// tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (plus an optional
/// `"__metadata__"` string map), possibly padded with spaces; then the data buffer, where each
/// tensor occupies bytes `[begin, end)` (relative to the buffer start) in row-major order, little
/// endian. Parsing validates everything before touching the data: the header length against the
/// file size, the JSON, each dtype, shape and byte count, and that the tensors tile the buffer
/// without gaps or overlaps (the rules of the reference implementation). Only `F32` tensors can be
/// converted to `Tensor`; other dtypes are listed and reported as `dtypeMismatch` when requested.
public struct SafeTensorsFile: Sendable {
  /// One tensor's header entry.
  public struct Entry: Sendable, Equatable {
    /// The tensor's name, e.g. `"0.weight"`.
    public var name: String
    /// The safetensors dtype string, e.g. `"F32"`, `"I64"`.
    public var dtype: String
    /// The shape, outermost axis first.
    public var shape: [Int]
    /// The byte range inside the data buffer.
    public var byteRange: Range<Int>
  }

  /// The largest header accepted (100 MB, the reference implementation's limit).
  public static let maximumHeaderSize = 100_000_000

  /// Entries by name.
  public let entries: [String: Entry]
  /// The free-form `"__metadata__"` map (empty if absent).
  public let metadata: [String: String]
  private let buffer: [UInt8]
  private let dataStart: Int

  /// Tensor names in ascending order.
  public var names: [String] { entries.keys.sorted() }

  /// Parses a safetensors file from memory.
  ///
  /// - Throws: `NeuralNetError.malformedSafeTensors` saying what is wrong.
  /// - Complexity: O(header size + tensor count · log); the data are not copied.
  public init(bytes: [UInt8]) throws(NeuralNetError) {
    func fail(_ reason: String) -> NeuralNetError { .malformedSafeTensors(reason: reason) }
    guard bytes.count >= 8 else {
      throw fail("\(bytes.count) bytes is shorter than the 8-byte header length")
    }
    var length: UInt64 = 0
    for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard length <= UInt64(SafeTensorsFile.maximumHeaderSize) else {
      throw fail("header length \(length) exceeds the limit of \(SafeTensorsFile.maximumHeaderSize) bytes")
    }
    guard length <= UInt64(bytes.count - 8) else {
      throw fail("header length \(length) exceeds the \(bytes.count - 8) bytes after the length field")
    }
    guard length >= 2 else { throw fail("header length \(length) is too small for a JSON object") }
    let headerEnd = 8 + Int(length)
    guard bytes[8] == UInt8(ascii: "{") else { throw fail("the header does not start with '{'") }
    let header: [String: HeaderValue]
    do {
      header = try JSONDecoder().decode([String: HeaderValue].self, from: Data(bytes[8..<headerEnd]))
    } catch {
      throw fail("the header is not a JSON object of tensor entries (\(SafeTensorsFile.summary(of: error)))")
    }
    let dataLength = bytes.count - headerEnd
    var entries: [String: Entry] = [:]
    var metadata: [String: String] = [:]
    for (name, value) in header {
      let dtype: String
      let shape: [Int]
      let offsets: [Int]
      switch value {
      case .metadata(let map):
        guard name == "__metadata__" else { throw fail("entry '\(name)' is not a tensor description") }
        metadata = map
        continue
      case .tensor(let d, let s, let o):
        guard name != "__metadata__" else { throw fail("__metadata__ must map strings to strings") }
        (dtype, shape, offsets) = (d, s, o)
      }
      guard let width = SafeTensorsFile.byteWidth(of: dtype) else {
        throw fail("entry '\(name)' has an unknown dtype '\(dtype)'")
      }
      guard shape.allSatisfy({ $0 >= 0 }) else {
        throw fail("entry '\(name)' has a negative extent in \(shape)")
      }
      guard offsets.count == 2 else { throw fail("entry '\(name)' needs data_offsets [begin, end]") }
      let (begin, end) = (offsets[0], offsets[1])
      guard begin >= 0, begin <= end, end <= dataLength else {
        throw fail(
          "entry '\(name)' has data_offsets [\(begin), \(end)] outside the \(dataLength)-byte data buffer")
      }
      var elements = 1
      for extent in shape {
        let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
        guard !overflow, product <= dataLength else {
          throw fail("entry '\(name)' claims shape \(shape), larger than the \(dataLength)-byte data buffer")
        }
        elements = product
      }
      guard elements * width == end - begin else {
        throw fail(
          "entry '\(name)': shape \(shape) of \(dtype) needs \(elements * width) bytes, offsets span \(end - begin)"
        )
      }
      entries[name] = Entry(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }
    // The tensors must tile the buffer exactly: sorted by start, each starts where the previous ended.
    var position = 0
    for entry in entries.values.sorted(by: {
      ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound)
    }) {
      guard entry.byteRange.lowerBound == position else {
        throw fail(
          entry.byteRange.lowerBound < position
            ? "entry '\(entry.name)' overlaps the previous tensor (starts at \(entry.byteRange.lowerBound), previous ends at \(position))"
            : "gap in the data buffer before entry '\(entry.name)' (bytes \(position)..<\(entry.byteRange.lowerBound))"
        )
      }
      position = entry.byteRange.upperBound
    }
    guard position == dataLength else {
      throw fail("the tensors cover \(position) bytes but the data buffer holds \(dataLength)")
    }
    self.entries = entries
    self.metadata = metadata
    buffer = bytes
    dataStart = headerEnd
  }

  /// Reads and parses the file at `url`.
  ///
  /// - Throws: `fileError` if it cannot be read, else as `init(bytes:)`.
  public init(contentsOf url: URL) throws(NeuralNetError) {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw .fileError(path: url.path, reason: error.localizedDescription)
    }
    try self.init(bytes: [UInt8](data))
  }

  /// The F32 tensor called `name`.
  ///
  /// - Throws: `missingTensor`, or `dtypeMismatch` when it is not stored as `F32`.
  public func tensor(named name: String) throws(NeuralNetError) -> Tensor {
    guard let entry = entries[name] else { throw .missingTensor(name: name) }
    guard entry.dtype == "F32" else { throw .dtypeMismatch(name: name, expected: "F32", actual: entry.dtype) }
    let count = entry.byteRange.count / 4
    var scalars = [Float](repeating: 0, count: count)
    let start = dataStart + entry.byteRange.lowerBound
    buffer.withUnsafeBufferPointer { bytes in
      for i in 0..<count {
        let p = start + 4 * i
        let bits =
          UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3])
          << 24
        scalars[i] = Float(bitPattern: bits)
      }
    }
    return Tensor(shape: entry.shape, scalars: scalars)
  }

  /// Every tensor by name.
  ///
  /// - Throws: `dtypeMismatch` for the first (by name) tensor not stored as `F32`.
  public func tensors() throws(NeuralNetError) -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for name in names { result[name] = try tensor(named: name) }
    return result
  }

  static func byteWidth(of dtype: String) -> Int? {
    switch dtype {
    case "BOOL", "U8", "I8", "F8_E4M3", "F8_E5M2": 1
    case "U16", "I16", "F16", "BF16": 2
    case "U32", "I32", "F32": 4
    case "U64", "I64", "F64": 8
    default: nil
    }
  }

  /// A header value: a tensor description or the metadata map.
  private enum HeaderValue: Decodable {
    case tensor(dtype: String, shape: [Int], offsets: [Int])
    case metadata([String: String])

    private enum Key: String, CodingKey {
      case dtype, shape
      case offsets = "data_offsets"
    }

    init(from decoder: any Decoder) throws {
      if let map = try? decoder.singleValueContainer().decode([String: String].self) {
        self = .metadata(map)
        return
      }
      let c = try decoder.container(keyedBy: Key.self)
      self = .tensor(
        dtype: try c.decode(String.self, forKey: .dtype), shape: try c.decode([Int].self, forKey: .shape),
        offsets: try c.decode([Int].self, forKey: .offsets))
    }
  }

  private static func summary(of error: any Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
      DecodingError.valueNotFound(_, let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return path.isEmpty ? context.debugDescription : "at \(path): \(context.debugDescription)"
    case DecodingError.keyNotFound(let key, let context):
      let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
      return "missing \(path)"
    default:
      return "\(error)"
    }
  }
}

/// Writing safetensors files.
public enum SafeTensors {
  /// The bytes of a safetensors file holding `tensors` as `F32`.
  ///
  /// Deterministic: tensors are stored in ascending name order, the header is compact JSON with
  /// keys `dtype`, `shape`, `data_offsets` (and `__metadata__` first when given), padded with
  /// spaces to a multiple of 8 bytes so the data are aligned, as the Python package writes it.
  ///
  /// - Complexity: O(total elements).
  public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> [UInt8] {
    var header = "{"
    var parts: [String] = []
    if !metadata.isEmpty {
      let items = metadata.keys.sorted().map { "\(quoted($0)):\(quoted(metadata[$0]!))" }
      parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
    }
    var offset = 0
    let names = tensors.keys.sorted()
    for name in names {
      let tensor = tensors[name]!
      let end = offset + tensor.count * 4
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
      offset = end
    }
    header += parts.joined(separator: ",") + "}"
    var headerBytes = Array(header.utf8)
    while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + headerBytes.count + offset)
    let length = UInt64(headerBytes.count)
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(i)))) }
    bytes += headerBytes
    for name in names {
      for value in tensors[name]!.scalars {
        let bits = value.bitPattern
        bytes.append(UInt8(truncatingIfNeeded: bits))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
      }
    }
    return bytes
  }

  /// Writes `tensors` to `url` atomically (see `encode`).
  ///
  /// - Throws: `NeuralNetError.fileError` when the file cannot be written.
  public static func write(
    _ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL
  ) throws(NeuralNetError) {
    do {
      try Data(encode(tensors, metadata: metadata)).write(to: url, options: .atomic)
    } catch {
      throw .fileError(path: url.path, reason: error.localizedDescription)
    }
  }

  /// A JSON string literal for `text`.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          result += String(format: "\\u%04x", scalar.value)
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}

extension Sequential {
  /// Replaces the model's tensors with those of a safetensors file (see `load(_:ignoringUnknown:)`).
  ///
  /// - Throws: `missingTensor`, `dtypeMismatch`, `shapeMismatch` or `unexpectedTensor` for the first
  ///   problem; the model is unchanged unless everything matches.
  public func loadWeights(from file: SafeTensorsFile, ignoringUnknown: Bool = false) throws(NeuralNetError) {
    var tensors: [String: Tensor] = [:]
    for (name, _) in namedParameters { tensors[name] = try file.tensor(named: name) }
    if !ignoringUnknown, let extra = file.names.first(where: { tensors[$0] == nil }) {
      throw .unexpectedTensor(name: extra)
    }
    try load(tensors, ignoringUnknown: ignoringUnknown)
  }

  /// Writes every tensor (weights and running statistics) by state-dict name to `url`.
  public func saveWeights(to url: URL, metadata: [String: String] = [:]) throws(NeuralNetError) {
    try SafeTensors.write(stateDictionary(), metadata: metadata, to: url)
  }
}
