import Foundation

/// The reference level that maps to 0 dB in ``Decibels`` (librosa's `ref` argument).
public enum DecibelReference: Sendable, Hashable {
  /// A fixed value (librosa `ref=1.0` and friends; the absolute value is used).
  case value(Double)
  /// The largest value of the input (librosa `ref=np.max`).
  case maximum
}

/// Decibel scaling with librosa's exact semantics (`librosa.power_to_db`, `amplitude_to_db`).
public enum Decibels {
  /// Converts a power spectrogram to decibels in place, as `librosa.power_to_db`.
  ///
  /// `S_dB = 10·log10(max(amin, S)) − 10·log10(max(amin, ref))`, then, when `topDB` is given,
  /// `S_dB = max(S_dB, max(S_dB) − topDB)` over the whole input.
  ///
  /// - Parameters:
  ///   - values: power values (non-negative), replaced by their dB values.
  ///   - reference: the 0 dB level (default `.value(1)`, librosa's default `ref=1.0`).
  ///   - amin: the floor applied before the logarithm, > 0 (default 1e-10).
  ///   - topDB: the dynamic range kept below the peak, ≥ 0, or `nil` for none (default 80).
  /// - Throws: ``DSPError/invalidParameter(name:value:valid:)`` for `amin ≤ 0` or `topDB < 0`.
  /// - Complexity: O(`values.count`); no allocation.
  public static func powerToDecibels(
    _ values: UnsafeMutableBufferPointer<Float>, reference: DecibelReference = .value(1),
    amin: Double = 1e-10, topDB: Double? = 80
  ) throws(DSPError) {
    guard amin > 0, amin.isFinite else { throw .invalidParameter(name: "amin", value: amin, valid: "> 0") }
    if let topDB, !(topDB >= 0) {
      throw .invalidParameter(name: "topDB", value: topDB, valid: ">= 0 (or nil for no clipping)")
    }
    let refValue: Double
    switch reference {
    case .value(let v): refValue = abs(v)
    case .maximum: refValue = Double(values.max() ?? 0)
    }
    let aminF = Float(amin)
    let offset = Float(10 * log10(max(amin, refValue)))
    var peak = -Float.infinity
    var i = 0
    let n = values.count
    // Vector path while the clamped values are normal and finite (always, for amin ≥ 1.2e-38).
    if aminF >= Float.leastNormalMagnitude, let base = values.baseAddress {
      let raw = UnsafeMutableRawPointer(base)
      let floorV = SIMD4<Float>(repeating: aminF)
      let offsetV = SIMD4<Float>(repeating: offset)
      var peakV = SIMD4<Float>(repeating: -.infinity)
      while i + 4 <= n {
        let x = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD4<Float>.self)
        let clamped = x.replacing(with: floorV, where: x .< floorV)
        // NaN or infinity: finish with the scalar path, which propagates them as numpy does.
        if any(.!(clamped .<= Float.greatestFiniteMagnitude)) { break }
        let v = tenLog10(clamped) - offsetV
        raw.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD4<Float>.self)
        peakV = peakV.replacing(with: v, where: v .> peakV)  // maxps; pointwiseMax scalarises
        i += 4
      }
      peak = peakV.max()
    }
    while i < n {
      let x = values[i]
      let v = 10 * log10(x.isNaN ? x : max(aminF, x)) - offset
      values[i] = v
      peak = max(peak, v)
      i += 1
    }
    if let topDB {
      let floor = peak - Float(topDB)
      for i in 0..<values.count { values[i] = max(values[i], floor) }
    }
  }

  /// `librosa.power_to_db` of an array (a copy converted by the in-place variant, which
  /// documents the formula).
  ///
  /// - Returns: the dB values, same layout as `values`.
  /// - Throws: as the in-place variant.
  public static func powerToDecibels(
    _ values: [Float], reference: DecibelReference = .value(1), amin: Double = 1e-10,
    topDB: Double? = 80
  ) throws(DSPError) -> [Float] {
    var out = values
    try out.withUnsafeMutableBufferPointer { (buffer) throws(DSPError) in
      try powerToDecibels(buffer, reference: reference, amin: amin, topDB: topDB)
    }
    return out
  }

  /// `librosa.power_to_db` of a spectrogram (same shape and layout).
  ///
  /// - Throws: as the in-place variant.
  public static func powerToDecibels(
    _ spectrogram: Spectrogram, reference: DecibelReference = .value(1), amin: Double = 1e-10,
    topDB: Double? = 80
  ) throws(DSPError) -> Spectrogram {
    var out = spectrogram
    out.values = try powerToDecibels(spectrogram.values, reference: reference, amin: amin, topDB: topDB)
    return out
  }

  /// Converts amplitudes to decibels, as `librosa.amplitude_to_db`.
  ///
  /// Equivalent to `power_to_db(|S|², ref = ref², amin = amin², top_db)`, i.e.
  /// `20·log10(max(amin, |S|)) − 20·log10(max(amin, ref))`, clipped to `topDB` below the peak.
  ///
  /// - Parameters:
  ///   - values: amplitudes (their absolute values are used).
  ///   - reference: the 0 dB amplitude (default `.value(1)`); `.maximum` is `max |S|`.
  ///   - amin: the amplitude floor, > 0 (default 1e-5, librosa's default).
  ///   - topDB: dynamic range kept, ≥ 0, or `nil` (default 80).
  /// - Returns: the dB values, same layout as `values`.
  /// - Throws: ``DSPError/invalidParameter(name:value:valid:)`` for `amin ≤ 0` or `topDB < 0`.
  public static func amplitudeToDecibels(
    _ values: [Float], reference: DecibelReference = .value(1), amin: Double = 1e-5,
    topDB: Double? = 80
  ) throws(DSPError) -> [Float] {
    guard amin > 0, amin.isFinite else { throw .invalidParameter(name: "amin", value: amin, valid: "> 0") }
    let magnitude = values.map { abs($0) }
    let refValue: Double
    switch reference {
    case .value(let v): refValue = abs(v)
    case .maximum: refValue = Double(magnitude.max() ?? 0)
    }
    return try powerToDecibels(
      magnitude.map { $0 * $0 }, reference: .value(refValue * refValue), amin: amin * amin, topDB: topDB)
  }
}
