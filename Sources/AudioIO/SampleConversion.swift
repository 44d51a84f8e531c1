/// Interleaved file samples → planar `Float`, scaled exactly as libsndfile/soundfile (dtype float32):
///
/// | encoding | value |
/// |---|---|
/// | PCM 8-bit unsigned (WAV) | `(x − 128) / 128` |
/// | PCM 8-bit signed (AU) | `x / 128` |
/// | PCM 16/24/32-bit | `x / 2^(bits−1)` (32-bit rounds to `Float`'s 24-bit significand) |
/// | float 32 | unchanged |
/// | float 64 | rounded to the nearest `Float` |
/// | µ-law, A-law | G.711 16-bit linear value / 32 768 |
///
/// Scaling by a power of two is exact, so `x × 2^−k` equals `x / 2^k` bit for bit.
enum SampleConversion {
  /// Decodes `frameCount` interleaved frames at `source` into one array per channel.
  ///
  /// - Precondition: `source` holds at least `frameCount × layout.blockAlign` bytes.
  /// - Complexity: O(`frameCount × channelCount`), one pass over the data per channel (one in all
  ///   for 16-bit stereo).
  static func planar(
    _ source: UnsafeRawPointer, layout: AudioLayout, frameCount: Int
  ) -> [[Float]] {
    if layout.channelCount <= 2 {
      let result = withPlanarOutput(channelCount: layout.channelCount, frameCount: frameCount) {
        (destinations) throws(AudioIOError) in
        deinterleave(source, layout: layout, frameCount: frameCount, into: destinations)
      }
      // The fill above cannot throw.
      guard case .success(let channels) = result else { preconditionFailure("unreachable") }
      return channels
    }
    let bytesPerSample = layout.encoding.bytesPerSample
    return (0..<layout.channelCount).map { channel in
      [Float](unsafeUninitializedCapacity: frameCount) { buffer, initialized in
        if let destination = buffer.baseAddress, frameCount > 0 {
          convert(
            source + channel * bytesPerSample, stride: layout.blockAlign, count: frameCount,
            encoding: layout.encoding, bigEndian: layout.isBigEndian, into: destination)
        }
        initialized = frameCount
      }
    }
  }

  /// Creates one or two uninitialised arrays of `frameCount` samples and lets `fill` write every
  /// element through their base pointers; on failure no array is kept.
  ///
  /// - Precondition: `channelCount` is 1 or 2.
  static func withPlanarOutput(
    channelCount: Int, frameCount: Int,
    _ fill: ([UnsafeMutablePointer<Float>]) throws(AudioIOError) -> Void
  ) -> Result<[[Float]], AudioIOError> {
    precondition(
      (1...2).contains(channelCount), "withPlanarOutput handles 1 or 2 channels, got \(channelCount)")
    guard frameCount > 0 else { return .success([[Float]](repeating: [], count: channelCount)) }
    var failure: AudioIOError?
    var second: [Float] = []
    let first = [Float](unsafeUninitializedCapacity: frameCount) { firstBuffer, firstCount in
      if channelCount == 1 {
        do throws(AudioIOError) { try fill([firstBuffer.baseAddress!]) } catch { failure = error }
        firstCount = failure == nil ? frameCount : 0
        return
      }
      second = [Float](unsafeUninitializedCapacity: frameCount) { secondBuffer, secondCount in
        do throws(AudioIOError) {
          try fill([firstBuffer.baseAddress!, secondBuffer.baseAddress!])
        } catch {
          failure = error
        }
        secondCount = failure == nil ? frameCount : 0
      }
      firstCount = failure == nil ? frameCount : 0
    }
    if let failure { return .failure(failure) }
    return .success(channelCount == 1 ? [first] : [first, second])
  }

  /// Converts `frameCount` interleaved frames at `source` into per-channel destinations.
  ///
  /// - Precondition: `destinations.count == layout.channelCount`, each with room for `frameCount`.
  static func deinterleave(
    _ source: UnsafeRawPointer, layout: AudioLayout, frameCount: Int,
    into destinations: [UnsafeMutablePointer<Float>]
  ) {
    guard frameCount > 0 else { return }
    if destinations.count == 2, layout.encoding == .signedInteger(bits: 16), !layout.isBigEndian {
      // Stereo 16-bit, the most common layout after mono: both channels in one SIMD pass.
      int16Stereo(source, count: frameCount, left: destinations[0], right: destinations[1])
      return
    }
    let bytesPerSample = layout.encoding.bytesPerSample
    for (channel, destination) in destinations.enumerated() {
      convert(
        source + channel * bytesPerSample, stride: layout.blockAlign, count: frameCount,
        encoding: layout.encoding, bigEndian: layout.isBigEndian, into: destination)
    }
  }

  /// Converts `count` samples spaced `stride` bytes apart, starting at `source`, into `destination`.
  static func convert(
    _ source: UnsafeRawPointer, stride: Int, count: Int, encoding: SampleEncoding, bigEndian: Bool,
    into destination: UnsafeMutablePointer<Float>
  ) {
    switch encoding {
    case .unsignedInteger8:
      let scale: Float = 1.0 / 128
      strided(source, stride, count, destination) { Float(Int($0.load(as: UInt8.self)) - 128) * scale }
    case .signedInteger(bits: 8):
      let scale: Float = 1.0 / 128
      strided(source, stride, count, destination) { Float($0.load(as: Int8.self)) * scale }
    case .signedInteger(bits: 16):
      if !bigEndian, stride == 2 {
        int16Contiguous(source, count: count, into: destination)
      } else {
        let scale: Float = 1.0 / 32768
        if bigEndian {
          strided(source, stride, count, destination) {
            Float(Int16(bigEndian: $0.loadUnaligned(as: Int16.self))) * scale
          }
        } else {
          strided(source, stride, count, destination) {
            Float(Int16(littleEndian: $0.loadUnaligned(as: Int16.self))) * scale
          }
        }
      }
    case .signedInteger(bits: 24):
      let scale: Float = 1.0 / 8_388_608
      let (high, low) = bigEndian ? (0, 2) : (2, 0)
      strided(source, stride, count, destination) { p in
        let value =
          Int32(p.load(fromByteOffset: high, as: Int8.self)) << 16
          | Int32(p.load(fromByteOffset: 1, as: UInt8.self)) << 8
          | Int32(p.load(fromByteOffset: low, as: UInt8.self))
        return Float(value) * scale
      }
    case .signedInteger:  // 32 bits: the only other width a layout can hold
      let scale: Float = 1.0 / 2_147_483_648
      if bigEndian {
        strided(source, stride, count, destination) {
          Float(Int32(bigEndian: $0.loadUnaligned(as: Int32.self))) * scale
        }
      } else {
        strided(source, stride, count, destination) {
          Float(Int32(littleEndian: $0.loadUnaligned(as: Int32.self))) * scale
        }
      }
    case .float32:
      if bigEndian {
        strided(source, stride, count, destination) {
          Float(bitPattern: UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)))
        }
      } else {
        strided(source, stride, count, destination) {
          Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)))
        }
      }
    case .float64:
      if bigEndian {
        strided(source, stride, count, destination) {
          Float(Double(bitPattern: UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self))))
        }
      } else {
        strided(source, stride, count, destination) {
          Float(Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))))
        }
      }
    case .muLaw, .aLaw:
      let table = encoding == .muLaw ? G711.muLawTable : G711.aLawTable
      table.withUnsafeBufferPointer { lookup in
        let lookup = lookup.baseAddress!
        strided(source, stride, count, destination) { lookup[Int($0.load(as: UInt8.self))] }
      }
    }
  }

  /// The generic strided loop; `load` reads one sample at the given address.
  @inline(__always)
  private static func strided(
    _ source: UnsafeRawPointer, _ stride: Int, _ count: Int,
    _ destination: UnsafeMutablePointer<Float>, _ load: (UnsafeRawPointer) -> Float
  ) {
    var p = source
    for i in 0..<count {
      destination[i] = load(p)
      p += stride
    }
  }

  /// Interleaved little-endian 16-bit stereo frames, 8 at a time with SIMD: each frame read as one
  /// little-endian 32-bit word holds the left sample in its low half and the right in its high half.
  private static func int16Stereo(
    _ source: UnsafeRawPointer, count: Int, left: UnsafeMutablePointer<Float>,
    right: UnsafeMutablePointer<Float>
  ) {
    let scale: Float = 1.0 / 32768
    var i = 0
    #if _endian(little)
      let vectorScale = SIMD8<Float>(repeating: scale)
      let leftOutput = UnsafeMutableRawPointer(left)
      let rightOutput = UnsafeMutableRawPointer(right)
      while i + 8 <= count {
        let frames = source.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Int32>.self)
        let low = (frames &<< 16) &>> 16  // sign-extends the left sample
        let high = frames &>> 16  // sign-extends the right sample
        leftOutput.storeBytes(of: SIMD8<Float>(low) * vectorScale, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        rightOutput.storeBytes(
          of: SIMD8<Float>(high) * vectorScale, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        i += 8
      }
    #endif
    while i < count {
      left[i] =
        Float(Int16(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: Int16.self))) * scale
      right[i] =
        Float(Int16(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i + 2, as: Int16.self))) * scale
      i += 1
    }
  }

  /// Contiguous little-endian 16-bit samples (mono 16-bit WAV), 16 at a time with SIMD.
  private static func int16Contiguous(
    _ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>
  ) {
    let scale: Float = 1.0 / 32768
    var i = 0
    #if _endian(little)
      let vectorScale = SIMD16<Float>(repeating: scale)
      let output = UnsafeMutableRawPointer(destination)
      while i + 16 <= count {
        let raw = source.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<Int16>.self)
        let wide = SIMD16<Int32>(truncatingIfNeeded: raw)
        let values = SIMD16<Float>(wide) * vectorScale
        output.storeBytes(of: values, toByteOffset: 4 * i, as: SIMD16<Float>.self)
        i += 16
      }
    #endif
    while i < count {
      let value = Int16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))
      destination[i] = Float(value) * scale
      i += 1
    }
  }
}
