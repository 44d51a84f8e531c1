/// How a signal is extended past its ends before framing (numpy's `np.pad` modes that librosa
/// uses: `pad_mode` of `stft`, `mode` of the centred features).
///
/// For `[a b c d]`: `constant` → `0 0 | a b c d | 0 0`, `edge` → `a a | a b c d | d d`,
/// `reflect` → `c b | a b c d | c b`, `symmetric` → `b a | a b c d | d c`. Padding longer than
/// the signal continues the pattern, as `np.pad` does.
public enum PadMode: String, Sendable, CaseIterable, Codable {
  /// Zeros (librosa ≥ 0.10's STFT default).
  case constant
  /// Repeat the first/last sample (`zero_crossing_rate`'s centring).
  case edge
  /// Mirror without repeating the edge sample (librosa < 0.10's STFT default; the GTZAN table).
  case reflect
  /// Mirror repeating the edge sample (numpy `symmetric`, scipy.ndimage `reflect`).
  case symmetric

  /// The signal index that padded position `j` copies, or `nil` for a zero.
  ///
  /// - Parameters:
  ///   - j: a position relative to the first sample (negative before it, `≥ length` after).
  ///   - length: the signal length, at least 1.
  @inline(__always)
  public func sourceIndex(_ j: Int, length: Int) -> Int? {
    if j >= 0 && j < length { return j }
    switch self {
    case .constant:
      return nil
    case .edge:
      return j < 0 ? 0 : length - 1
    case .reflect:
      if length == 1 { return 0 }
      let period = 2 * (length - 1)
      var r = j % period
      if r < 0 { r += period }
      return r < length ? r : period - r
    case .symmetric:
      let period = 2 * length
      var r = j % period
      if r < 0 { r += period }
      return r < length ? r : period - 1 - r
    }
  }

  /// Copies `count` samples of the padded signal starting at signal position `start` (which may
  /// be negative or run past the end) into `out`.
  func fill(
    _ x: UnsafePointer<Float>, length: Int, from start: Int, count: Int,
    into out: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<count {
      if let j = sourceIndex(start + i, length: length) { out[i] = x[j] } else { out[i] = 0 }
    }
  }
}
