import Foundation
import TestSupport

/// Reads the arrays written by `Scripts/dsp_reference.py`: raw little-endian float32 `<name>.f32`
/// files described by `manifest.json` (shape and producing parameters per array).
enum Reference {
  /// The parsed manifest's `arrays` dictionary.
  nonisolated(unsafe) static let arrays: [String: [String: Any]] = {
    let url = TestData.fixture("manifest.json", in: .module)
    guard let data = try? Data(contentsOf: url),
      let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let arrays = json["arrays"] as? [String: [String: Any]]
    else { preconditionFailure("unreadable fixture manifest \(url.path)") }
    return arrays
  }()

  /// The float32 values of array `name`, in the file's (row-major) order.
  static func floats(_ name: String) -> [Float] {
    let url = TestData.fixture(name + ".f32", in: .module)
    guard let data = try? Data(contentsOf: url) else { preconditionFailure("unreadable \(url.path)") }
    precondition(data.count % 4 == 0, "\(name).f32 has \(data.count) bytes, not a float32 array")
    return data.withUnsafeBytes { raw in
      (0..<(data.count / 4)).map {
        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
      }
    }
  }

  /// The manifest entry of array `name`.
  static func meta(_ name: String) -> [String: Any] {
    guard let entry = arrays[name] else { preconditionFailure("fixture \(name) missing from manifest") }
    return entry
  }

  /// The shape of array `name`.
  static func shape(_ name: String) -> [Int] {
    (meta(name)["shape"] as? [Int]) ?? []
  }

  /// A test signal (`signal_<name>`).
  static func signal(_ name: String) -> [Float] { floats("signal_" + name) }

  /// Transposes a row-major `rows × columns` matrix (librosa's bins × frames) to columns-major.
  static func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
    precondition(values.count == rows * columns, "\(values.count) values are not \(rows) × \(columns)")
    var out = [Float](repeating: 0, count: values.count)
    for r in 0..<rows {
      for c in 0..<columns { out[c * rows + r] = values[r * columns + c] }
    }
    return out
  }
}
