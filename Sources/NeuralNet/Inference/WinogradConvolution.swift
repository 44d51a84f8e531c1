/// The element-wise function fused into a convolution's output pass.
enum FusedActivation: Equatable {
  case identity
  case relu
  case leakyReLU(slope: Float)

  @inline(__always)
  func apply(_ v: SIMD4<Float>) -> SIMD4<Float> {
    switch self {
    case .identity: return v
    case .relu: return maximum(v, .zero)
    case .leakyReLU(let slope): return v.replacing(with: v * slope, where: v .<= .zero)
    }
  }
}

/// A planned 3 × 3, stride-1 convolution by Winograd F(4 × 4, 3 × 3) on channels-last activations,
/// with a folded per-filter affine map (bias, BatchNorm), an activation and an optional 2 × 2 /
/// stride 2 max pool fused into the output transform.
///
/// Per chunk of tiles: the input transform writes `V[tile][ξ][c]` (ξ < 36), 36 `sgemm` calls
/// compute `M[·][ξ] = V[·][ξ] · U[ξ]` (strided rows) with the weights transformed once at planning
/// (`U[ξ][c][f]`), and the output transform reads `M[tile][ξ][f]`, adds the bias, applies the
/// activation and pools. Chunks keep `V` and `M` near the cache.
///
/// With one or two input channels (the first layer of a spectrogram network) the Winograd
/// products cannot use `sgemm` well (K ≤ 2), so such a stage convolves directly instead: a
/// channels-last im2col of a few output rows, one `sgemm` with K = 9·C, and the same fused
/// bias/activation/pool pass — measured 2× faster than Winograd for C = 1.
final class WinogradConvolution {
  /// Where this stage reads its input (zero border = the convolution's padding).
  let input: ChannelsLastLayout
  /// Filters F and the convolution output extent (before pooling).
  let filters: Int, outputHeight: Int, outputWidth: Int
  let activation: FusedActivation
  let pools: Bool
  let tilesHigh: Int, tilesWide: Int
  /// `U[ξ][Cs][Fs]`, Fs = F rounded up to 4 (zero for padded channels and filters).
  private let transformedWeights: [Float]
  /// `[Fs]`, zero for padded filters.
  let bias: [Float]
  /// Whether the stage convolves directly (C ≤ 2) rather than by Winograd.
  let isDirect: Bool
  /// Direct path: `W[(i·3 + j)·C + c][Fs]`, scaled like `U`.
  let directWeights: [Float]
  /// Tiles (Winograd) or output rows (direct, even) per round.
  let chunk: Int
  /// Floats of scratch a round needs for transformed inputs (or im2col rows) and for products.
  let transformedScratch: Int, productsScratch: Int

  /// Input channels up to which the stage convolves directly rather than by Winograd.
  static let directChannels = 2
  /// Bytes of transformed tiles and products a Winograd round aims at (about one L2 cache).
  static let chunkBytes = 1 << 20

  /// Logical extent of the stage's result (after pooling, if any).
  var resultHeight: Int { pools ? outputHeight / 2 : outputHeight }
  var resultWidth: Int { pools ? outputWidth / 2 : outputWidth }
  var filterStride: Int { (filters + 3) / 4 * 4 }

  /// The layout a Winograd stage needs for its input: `height × width × channels` with the
  /// convolution's padding as a zero border, and room for whole 6 × 6 input tiles.
  static func inputLayout(channels: Int, height: Int, width: Int, padding: ConvolutionPadding)
    -> ChannelsLastLayout
  {
    let rows = padding.resolve(input: height, kernel: 3, stride: 1)
    let columns = padding.resolve(input: width, kernel: 3, stride: 1)
    let tilesHigh = (rows.output + 3) / 4
    let tilesWide = (columns.output + 3) / 4
    // 1–2 channels take the direct path, whose im2col copies whole rows of a compact layout.
    return ChannelsLastLayout(
      channels: channels, height: height, width: width, padTop: rows.before, padLeft: columns.before,
      paddedHeight: max(4 * tilesHigh + 2, height + rows.before),
      paddedWidth: max(4 * tilesWide + 2, width + columns.before), compact: channels <= directChannels)
  }

  /// Plans the stage.
  ///
  /// - Parameters:
  ///   - weight: `[F, C, 3, 3]` (PyTorch layout); `bias`: `[F]`.
  ///   - scale, shift: a per-filter affine map applied after the convolution
  ///     (`y = scale · (W ∗ x + b) + shift`), e.g. a folded BatchNorm; ones and zeros if none.
  init(
    weight: [Float], bias: [Float], scale: [Float], shift: [Float], input: ChannelsLastLayout,
    padding: ConvolutionPadding, activation: FusedActivation, pools: Bool
  ) {
    let f = bias.count
    let c = input.channels
    precondition(weight.count == f * c * 9, "Winograd weights \(weight.count) ≠ \(f)·\(c)·9")
    self.input = input
    filters = f
    outputHeight = padding.resolve(input: input.height, kernel: 3, stride: 1).output
    outputWidth = padding.resolve(input: input.width, kernel: 3, stride: 1).output
    precondition(outputHeight > 0 && outputWidth > 0, "3 × 3 kernel does not fit \(input.height)×\(input.width)")
    self.activation = activation
    self.pools = pools
    tilesHigh = (outputHeight + 3) / 4
    tilesWide = (outputWidth + 3) / 4
    let cs = input.channelStride
    let fs = (f + 3) / 4 * 4
    var u = [Float](repeating: 0, count: 36 * cs * fs)
    for filter in 0..<f {
      for channel in 0..<c {
        let start = (filter * c + channel) * 9
        let kernel = weight[start..<(start + 9)].map { Double($0) * Double(scale[filter]) }
        let transformed = WinogradTransforms.kernelTransform(kernel)
        for xi in 0..<36 { u[(xi * cs + channel) * fs + filter] = Float(transformed[xi]) }
      }
    }
    transformedWeights = u
    isDirect = c <= Self.directChannels
    precondition(
      input.channelStride == (isDirect ? c : (c + 3) / 4 * 4),
      "input layout stride \(input.channelStride) does not suit \(c) channels")
    var direct = [Float](repeating: 0, count: isDirect ? 9 * c * fs : 0)
    if isDirect {
      for filter in 0..<f {
        for channel in 0..<c {
          for tap in 0..<9 {
            direct[(tap * c + channel) * fs + filter] = weight[(filter * c + channel) * 9 + tap] * scale[filter]
          }
        }
      }
    }
    directWeights = direct
    if isDirect {
      // Rows of im2col + products in the budget, even (pooling pairs rows), at least 2.
      let rowBytes = 4 * outputWidth * (9 * c + fs)
      chunk = max(2, Self.chunkBytes / 4 / max(rowBytes, 1) / 2 * 2)
      transformedScratch = chunk * outputWidth * 9 * c
      productsScratch = chunk * outputWidth * fs
    } else {
      // At least 64 tiles, so that weights are packed by sgemm once for a 32 × 32 map.
      chunk = max(64, Self.chunkBytes / (36 * 4 * (cs + fs)))
      transformedScratch = 36 * chunk * cs
      productsScratch = 36 * chunk * fs
    }
    var b = [Float](repeating: 0, count: fs)
    for filter in 0..<f { b[filter] = scale[filter] * bias[filter] + shift[filter] }
    self.bias = b
  }

  /// Tiles per sample.
  var tilesPerSample: Int { tilesHigh * tilesWide }

  /// Runs the stage on `samples` samples of `source` (laid out as `input`) and writes the result
  /// into `target` laid out as `output` (channels = F, logical extent = the result extent).
  ///
  /// - Parameters:
  ///   - transformed, products: scratch of `transformedScratch` and `productsScratch` floats.
  /// - Complexity: O(samples · tiles · 36 · C · F) in `sgemm`, O(samples · tiles · 36 · (C + F))
  ///   in the transforms.
  func run(
    _ source: UnsafePointer<Float>, samples: Int, into target: UnsafeMutablePointer<Float>,
    output: ChannelsLastLayout, transformed: UnsafeMutablePointer<Float>,
    products: UnsafeMutablePointer<Float>
  ) {
    precondition(
      output.channels == filters && output.height == resultHeight && output.width == resultWidth,
      "Winograd output layout \(output) does not match \(filters)×\(resultHeight)×\(resultWidth)")
    if isDirect {
      runDirect(source, samples: samples, into: target, output: output, columns: transformed, products: products)
      return
    }
    let total = samples * tilesPerSample
    let chunk = chunk
    transformedWeights.withUnsafeBufferPointer { u in
      bias.withUnsafeBufferPointer { b in
        var start = 0
        while start < total {
          let count = min(chunk, total - start)
          transformInput(source, tiles: start..<(start + count), into: transformed)
          let cs = input.channelStride
          let fs = filterStride
          if input.channels <= 4 {
            // K ≤ 4 runs far below sgemm's peak: multiply inside the output transform instead.
            let direct = SmallChannelProducts(
              v: transformed, u: u.baseAddress!, channels: input.channels, channelStride: cs, filterStride: fs)
            transformOutput(
              direct, tiles: start..<(start + count), bias: b.baseAddress!, into: target, output: output)
          } else {
            for xi in 0..<36 {
              gemm(
                m: count, n: fs, k: cs, a: transformed + xi * cs, lda: 36 * cs,
                b: u.baseAddress! + xi * cs * fs,
                ldb: fs, c: products + xi * fs, ldc: 36 * fs)
            }
            transformOutput(
              GEMMProducts(m: products, filterStride: fs), tiles: start..<(start + count),
              bias: b.baseAddress!, into: target, output: output)
          }
          start += count
        }
      }
    }
  }

  /// `V[q][ξ][c] = (Bᵀ d B)[ξ]` for every tile `q` of `tiles` and channel `c`.
  private func transformInput(
    _ source: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>
  ) {
    let cs = input.channelStride
    let count = tiles.count
    let rowStride = input.rowStride
    let perSample = tilesPerSample
    let layout = input
    let wide = tilesWide
    parallelChunks(count, grain: max(1, 4096 / max(cs, 1))) { range in
      withUnsafeTemporaryAllocation(of: SIMD4<Float>.self, capacity: 36) { scratch in
        let t = scratch.baseAddress!
        for q in range {
          let p = tiles.lowerBound + q
          let n = p / perSample
          let r = p &- n &* perSample
          let ty = r / wide
          let tx = r &- ty &* wide
          // Padded row 4·ty is logical row 4·ty − padTop: the tile's first input row.
          let origin = source + ((n &* layout.paddedHeight &+ 4 &* ty) &* rowStride &+ 4 &* tx &* cs)
          let out = v + q &* 36 &* cs
          var c = 0
          while c < cs {
            let base = origin + c
            for j in 0..<6 {
              let column = base + j &* cs
              let (t0, t1, t2, t3, t4, t5) = WinogradTransforms.inputColumn(
                load4(column), load4(column + rowStride), load4(column + 2 &* rowStride),
                load4(column + 3 &* rowStride), load4(column + 4 &* rowStride), load4(column + 5 &* rowStride))
              t[j] = t0
              t[6 + j] = t1
              t[12 + j] = t2
              t[18 + j] = t3
              t[24 + j] = t4
              t[30 + j] = t5
            }
            let step = cs
            for k in 0..<6 {
              let row = t + 6 * k
              let (v0, v1, v2, v3, v4, v5) = WinogradTransforms.inputColumn(
                row[0], row[1], row[2], row[3], row[4], row[5])
              let target = out + (6 &* k &* step &+ c)
              store4(v0, target)
              store4(v1, target + step)
              store4(v2, target + 2 &* step)
              store4(v3, target + 3 &* step)
              store4(v4, target + 4 &* step)
              store4(v5, target + 5 &* step)
            }
            c += 4
          }
        }
      }
    }
  }

  /// `Y = Aᵀ M A + b`, activation, optional 2 × 2 max pool; writes the valid part of every tile.
  private func transformOutput<Products: WinogradProducts>(
    _ m: Products, tiles: Range<Int>, bias: UnsafePointer<Float>,
    into target: UnsafeMutablePointer<Float>, output: ChannelsLastLayout
  ) {
    let fs = filterStride
    let count = tiles.count
    let perSample = tilesPerSample
    let wide = tilesWide
    let (oh, ow) = (outputHeight, outputWidth)
    let (rh, rw) = (resultHeight, resultWidth)
    let activation = activation
    let pools = pools
    parallelChunks(count, grain: max(1, 4096 / max(fs, 1))) { range in
      withUnsafeTemporaryAllocation(of: SIMD4<Float>.self, capacity: 24) { scratch in
        let t = scratch.baseAddress!
        for q in range {
          let p = tiles.lowerBound + q
          let n = p / perSample
          let r = p &- n &* perSample
          let ty = r / wide
          let tx = r &- ty &* wide
          var f = 0
          while f < fs {
            // t[k][col] = (M A)[k][col]: Aᵀ along each row k of the 6 × 6 product tile.
            for k in 0..<6 {
              let xi = 6 &* k
              let (o0, o1, o2, o3) = WinogradTransforms.outputColumn(
                m.load(tile: q, product: xi, filter: f), m.load(tile: q, product: xi &+ 1, filter: f),
                m.load(tile: q, product: xi &+ 2, filter: f), m.load(tile: q, product: xi &+ 3, filter: f),
                m.load(tile: q, product: xi &+ 4, filter: f), m.load(tile: q, product: xi &+ 5, filter: f))
              t[4 &* k] = o0
              t[4 &* k &+ 1] = o1
              t[4 &* k &+ 2] = o2
              t[4 &* k &+ 3] = o3
            }
            let b = load4(bias + f)
            if pools {
              // Columns (0, 1) and (2, 3) give pooled columns 0 and 1. The bias is per channel and
              // the activation non-decreasing, so both apply after the maximum (4 values, not 16).
              for pair in 0..<2 {
                let px = 2 * tx + pair
                guard px < rw else { continue }
                let (a0, a1, a2, a3) = rawColumn(t, 2 * pair)
                let (c0, c1, c2, c3) = rawColumn(t, 2 * pair + 1)
                let top = activation.apply(maximum(maximum(a0, a1), maximum(c0, c1)) + b)
                let bottom = activation.apply(maximum(maximum(a2, a3), maximum(c2, c3)) + b)
                let py = 2 * ty
                if py < rh { store4(top, target + output.offset(sample: n, y: py, x: px) + f) }
                if py + 1 < rh { store4(bottom, target + output.offset(sample: n, y: py + 1, x: px) + f) }
              }
            } else {
              for col in 0..<4 {
                let ox = 4 * tx + col
                guard ox < ow else { break }
                let (y0, y1, y2, y3) = column(t, col, bias: b, activation)
                let oy = 4 * ty
                let at = target + output.offset(sample: n, y: oy, x: ox) + f
                let rowStep = output.rowStride
                if oy < oh { store4(y0, at) }
                if oy + 1 < oh { store4(y1, at + rowStep) }
                if oy + 2 < oh { store4(y2, at + 2 * rowStep) }
                if oy + 3 < oh { store4(y3, at + 3 * rowStep) }
              }
            }
            f += 4
          }
        }
      }
    }
  }

  /// Rows 0…3 of output column `col`: Aᵀ along the rows of `t`, plus bias, then the activation.
  @inline(__always)
  private func column(
    _ t: UnsafeMutablePointer<SIMD4<Float>>, _ col: Int, bias: SIMD4<Float>, _ activation: FusedActivation
  ) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let (y0, y1, y2, y3) = rawColumn(t, col)
    return (
      activation.apply(y0 + bias), activation.apply(y1 + bias), activation.apply(y2 + bias),
      activation.apply(y3 + bias)
    )
  }

  /// Rows 0…3 of output column `col` of `Aᵀ M A`, before bias and activation.
  @inline(__always)
  private func rawColumn(_ t: UnsafeMutablePointer<SIMD4<Float>>, _ col: Int)
    -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)
  {
    WinogradTransforms.outputColumn(t[col], t[4 + col], t[8 + col], t[12 + col], t[16 + col], t[20 + col])
  }
}

/// Where the output transform reads the 36 element-wise products `M[tile][ξ][f…f+3]` from.
protocol WinogradProducts {
  func load(tile q: Int, product xi: Int, filter f: Int) -> SIMD4<Float>
}

/// Products computed by `sgemm` into `M[tile][ξ][Fs]`.
struct GEMMProducts: WinogradProducts {
  let m: UnsafeMutablePointer<Float>
  let filterStride: Int

  @inline(__always)
  func load(tile q: Int, product xi: Int, filter f: Int) -> SIMD4<Float> {
    load4(m + ((q &* 36 &+ xi) &* filterStride &+ f))
  }
}

/// Products computed on the fly, `Σ_c V[q][ξ][c] · U[ξ][c][f]`, for at most 4 input channels.
struct SmallChannelProducts: WinogradProducts {
  let v: UnsafeMutablePointer<Float>
  let u: UnsafePointer<Float>
  let channels: Int, channelStride: Int, filterStride: Int

  @inline(__always)
  func load(tile q: Int, product xi: Int, filter f: Int) -> SIMD4<Float> {
    let values = v + (q &* 36 &+ xi) &* channelStride
    let weights = u + (xi &* channelStride &* filterStride &+ f)
    var sum = SIMD4<Float>(repeating: values[0]) * load4(weights)
    var c = 1
    while c < channels {
      sum += SIMD4<Float>(repeating: values[c]) * load4(weights + c &* filterStride)
      c &+= 1
    }
    return sum
  }
}

/// Lane-wise maximum as one compare and select (`pointwiseMax` is an unspecialised call per lane).
@inline(__always)
func maximum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
  a.replacing(with: b, where: b .> a)
}

@inline(__always)
func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

@inline(__always)
func load4(_ p: UnsafeMutablePointer<Float>) -> SIMD4<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

@inline(__always)
func store4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
}
