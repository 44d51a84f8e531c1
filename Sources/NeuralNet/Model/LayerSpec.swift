/// A height × width pair for 2-D kernels, pools and strides; an integer literal means a square.
///
/// JSON form: `[height, width]` (a bare integer is accepted when decoding and means a square).
public struct Extent2D: Codable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
  /// Extent along H.
  public var height: Int
  /// Extent along W.
  public var width: Int

  /// A `height × width` extent.
  public init(_ height: Int, _ width: Int) {
    self.height = height
    self.width = width
  }

  /// A square `value × value` extent.
  public init(integerLiteral value: Int) {
    self.init(value, value)
  }

  /// `"height×width"`.
  public var description: String { "\(height)×\(width)" }

  var pair: (Int, Int) { (height, width) }

  /// Decodes `[height, width]` or a single integer (a square).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let side = try? container.decode(Int.self) {
      self.init(side, side)
      return
    }
    let values = try container.decode([Int].self)
    guard values.count == 2 else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "an extent is [height, width], got \(values.count) numbers")
    }
    self.init(values[0], values[1])
  }

  /// Encodes `[height, width]`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode([height, width])
  }
}

/// A serialisable description of one layer of a `Sequential` model.
///
/// Model bundles embed these in `model.json`, so the JSON form is a stable contract: an object with
/// a `"type"` key naming the case and one key per argument, e.g.
/// `{"type": "conv2D", "filters": 32, "kernel": [3, 3], "stride": [1, 1], "padding": "same",
/// "initializer": "glorotUniform"}`. Encoding writes every argument; decoding fills omitted
/// optional arguments with the defaults shown on each case. New cases may be added; existing
/// keys and meanings will not change.
///
/// Each case lists the PyTorch module it matches; parameters are named like PyTorch's
/// `torch.nn.Sequential` state dict (`"<index>.weight"`).
public enum LayerSpec: Codable, Hashable, Sendable {
  /// `Dense`: `[N, in] → [N, units]` (`torch.nn.Linear`). JSON type `"dense"`.
  case dense(units: Int, initializer: Initializer = .glorotUniform)
  /// `Conv1D`: `[N, C, L] → [N, filters, OL]` (`torch.nn.Conv1d`). JSON type `"conv1D"`.
  case conv1D(
    filters: Int, kernel: Int, stride: Int = 1, padding: ConvolutionPadding = .valid,
    initializer: Initializer = .glorotUniform)
  /// `Conv2D`: `[N, C, H, W] → [N, filters, OH, OW]` (`torch.nn.Conv2d`). JSON type `"conv2D"`.
  case conv2D(
    filters: Int, kernel: Extent2D, stride: Extent2D = 1, padding: ConvolutionPadding = .valid,
    initializer: Initializer = .glorotUniform)
  /// Max pooling over `[N, C, L]` (`torch.nn.MaxPool1d`); stride defaults to `size`. `"maxPool1D"`.
  case maxPool1D(size: Int, stride: Int? = nil)
  /// Max pooling over `[N, C, H, W]` (`torch.nn.MaxPool2d`); stride defaults to `size`. `"maxPool2D"`.
  case maxPool2D(size: Extent2D, stride: Extent2D? = nil)
  /// Average pooling over `[N, C, L]` (`torch.nn.AvgPool1d`). `"averagePool1D"`.
  case averagePool1D(size: Int, stride: Int? = nil)
  /// Average pooling over `[N, C, H, W]` (`torch.nn.AvgPool2d`). `"averagePool2D"`.
  case averagePool2D(size: Extent2D, stride: Extent2D? = nil)
  /// Mean over all spatial axes, `[N, C, …] → [N, C]`. `"globalAveragePooling"`.
  case globalAveragePooling
  /// Batch normalisation over the channel axis (`torch.nn.BatchNorm1d/2d`). `"batchNorm"`.
  case batchNorm(momentum: Float = 0.1, epsilon: Float = 1e-5)
  /// Inverted dropout with probability `rate` (`torch.nn.Dropout`). `"dropout"`.
  case dropout(rate: Float)
  /// `max(x, 0)` (`torch.nn.ReLU`). `"relu"`.
  case relu
  /// Leaky ReLU (`torch.nn.LeakyReLU`). `"leakyReLU"`.
  case leakyReLU(slope: Float = 0.01)
  /// `[N, …] → [N, features]` (`torch.nn.Flatten`). `"flatten"`.
  case flatten
  /// Softmax over the last axis (`torch.nn.Softmax(dim=-1)`). `"softmax"`.
  case softmax

  private enum Key: String, CodingKey {
    case type, units, initializer, filters, kernel, stride, padding, size, momentum, epsilon, rate, slope
  }

  /// The JSON `"type"` string of this case.
  public var typeName: String {
    switch self {
    case .dense: "dense"
    case .conv1D: "conv1D"
    case .conv2D: "conv2D"
    case .maxPool1D: "maxPool1D"
    case .maxPool2D: "maxPool2D"
    case .averagePool1D: "averagePool1D"
    case .averagePool2D: "averagePool2D"
    case .globalAveragePooling: "globalAveragePooling"
    case .batchNorm: "batchNorm"
    case .dropout: "dropout"
    case .relu: "relu"
    case .leakyReLU: "leakyReLU"
    case .flatten: "flatten"
    case .softmax: "softmax"
    }
  }

  /// Decodes the documented JSON object; omitted optional arguments take their defaults.
  ///
  /// - Throws: `DecodingError` for an unknown `"type"` or a missing required argument.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    let type = try c.decode(String.self, forKey: .type)
    func initializer() throws -> Initializer {
      try c.decodeIfPresent(Initializer.self, forKey: .initializer) ?? .glorotUniform
    }
    switch type {
    case "dense":
      self = .dense(units: try c.decode(Int.self, forKey: .units), initializer: try initializer())
    case "conv1D":
      self = .conv1D(
        filters: try c.decode(Int.self, forKey: .filters), kernel: try c.decode(Int.self, forKey: .kernel),
        stride: try c.decodeIfPresent(Int.self, forKey: .stride) ?? 1,
        padding: try c.decodeIfPresent(ConvolutionPadding.self, forKey: .padding) ?? .valid,
        initializer: try initializer())
    case "conv2D":
      self = .conv2D(
        filters: try c.decode(Int.self, forKey: .filters),
        kernel: try c.decode(Extent2D.self, forKey: .kernel),
        stride: try c.decodeIfPresent(Extent2D.self, forKey: .stride) ?? 1,
        padding: try c.decodeIfPresent(ConvolutionPadding.self, forKey: .padding) ?? .valid,
        initializer: try initializer())
    case "maxPool1D":
      self = .maxPool1D(
        size: try c.decode(Int.self, forKey: .size), stride: try c.decodeIfPresent(Int.self, forKey: .stride))
    case "maxPool2D":
      self = .maxPool2D(
        size: try c.decode(Extent2D.self, forKey: .size),
        stride: try c.decodeIfPresent(Extent2D.self, forKey: .stride))
    case "averagePool1D":
      self = .averagePool1D(
        size: try c.decode(Int.self, forKey: .size), stride: try c.decodeIfPresent(Int.self, forKey: .stride))
    case "averagePool2D":
      self = .averagePool2D(
        size: try c.decode(Extent2D.self, forKey: .size),
        stride: try c.decodeIfPresent(Extent2D.self, forKey: .stride))
    case "globalAveragePooling": self = .globalAveragePooling
    case "batchNorm":
      self = .batchNorm(
        momentum: try c.decodeIfPresent(Float.self, forKey: .momentum) ?? 0.1,
        epsilon: try c.decodeIfPresent(Float.self, forKey: .epsilon) ?? 1e-5)
    case "dropout": self = .dropout(rate: try c.decode(Float.self, forKey: .rate))
    case "relu": self = .relu
    case "leakyReLU": self = .leakyReLU(slope: try c.decodeIfPresent(Float.self, forKey: .slope) ?? 0.01)
    case "flatten": self = .flatten
    case "softmax": self = .softmax
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: c, debugDescription: "unknown layer type '\(type)'")
    }
  }

  /// Encodes the documented JSON object with every argument written out.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    try c.encode(typeName, forKey: .type)
    switch self {
    case .dense(let units, let initializer):
      try c.encode(units, forKey: .units)
      try c.encode(initializer, forKey: .initializer)
    case .conv1D(let filters, let kernel, let stride, let padding, let initializer):
      try c.encode(filters, forKey: .filters)
      try c.encode(kernel, forKey: .kernel)
      try c.encode(stride, forKey: .stride)
      try c.encode(padding, forKey: .padding)
      try c.encode(initializer, forKey: .initializer)
    case .conv2D(let filters, let kernel, let stride, let padding, let initializer):
      try c.encode(filters, forKey: .filters)
      try c.encode(kernel, forKey: .kernel)
      try c.encode(stride, forKey: .stride)
      try c.encode(padding, forKey: .padding)
      try c.encode(initializer, forKey: .initializer)
    case .maxPool1D(let size, let stride), .averagePool1D(let size, let stride):
      try c.encode(size, forKey: .size)
      try c.encode(stride ?? size, forKey: .stride)
    case .maxPool2D(let size, let stride), .averagePool2D(let size, let stride):
      try c.encode(size, forKey: .size)
      try c.encode(stride ?? size, forKey: .stride)
    case .batchNorm(let momentum, let epsilon):
      try c.encode(momentum, forKey: .momentum)
      try c.encode(epsilon, forKey: .epsilon)
    case .dropout(let rate):
      try c.encode(rate, forKey: .rate)
    case .leakyReLU(let slope):
      try c.encode(slope, forKey: .slope)
    case .globalAveragePooling, .relu, .flatten, .softmax:
      break
    }
  }

  /// The per-sample output shape (without the batch axis) for a per-sample `input` shape.
  ///
  /// - Throws: `NeuralNetError.invalidSpecification` when the arguments are out of range or the
  ///   layer cannot take that shape (e.g. a dense layer after an unflattened feature map).
  public func outputShape(for input: [Int], layerIndex: Int = 0) throws(NeuralNetError) -> [Int] {
    func fail(_ reason: String) -> NeuralNetError {
      .invalidSpecification(layer: layerIndex, reason: "\(typeName) on per-sample input \(input): \(reason)")
    }
    func windowed(_ length: Int, _ kernel: Int, _ stride: Int, _ padding: ConvolutionPadding)
      throws(NeuralNetError) -> Int
    {
      guard kernel > 0, stride > 0 else {
        throw fail("kernel \(kernel) and stride \(stride) must be positive")
      }
      // `resolve` adds length, stride and kernel; a model.json claiming ~Int.max must not trap.
      let (reach, overflow) = length.addingReportingOverflow(stride)
      guard !overflow, !reach.addingReportingOverflow(kernel).overflow else {
        throw fail("kernel \(kernel) and stride \(stride) are too large")
      }
      let out = padding.resolve(input: length, kernel: kernel, stride: stride).output
      guard out > 0 else { throw fail("window \(kernel) does not fit length \(length)") }
      return out
    }
    switch self {
    case .dense(let units, _):
      guard input.count == 1 else {
        throw fail("dense needs a flat [features] input; add flatten or global pooling")
      }
      guard units > 0 else { throw fail("units must be positive") }
      return [units]
    case .conv1D(let filters, let kernel, let stride, let padding, _):
      guard input.count == 2 else { throw fail("conv1D needs [channels, length]") }
      guard filters > 0 else { throw fail("filters must be positive") }
      return [filters, try windowed(input[1], kernel, stride, padding)]
    case .conv2D(let filters, let kernel, let stride, let padding, _):
      guard input.count == 3 else { throw fail("conv2D needs [channels, height, width]") }
      guard filters > 0 else { throw fail("filters must be positive") }
      return [
        filters, try windowed(input[1], kernel.height, stride.height, padding),
        try windowed(input[2], kernel.width, stride.width, padding),
      ]
    case .maxPool1D(let size, let stride), .averagePool1D(let size, let stride):
      guard input.count == 2 else { throw fail("1-D pooling needs [channels, length]") }
      return [input[0], try windowed(input[1], size, stride ?? size, .valid)]
    case .maxPool2D(let size, let stride), .averagePool2D(let size, let stride):
      guard input.count == 3 else { throw fail("2-D pooling needs [channels, height, width]") }
      let stride = stride ?? size
      return [
        input[0], try windowed(input[1], size.height, stride.height, .valid),
        try windowed(input[2], size.width, stride.width, .valid),
      ]
    case .globalAveragePooling:
      guard input.count >= 2 else { throw fail("global pooling needs [channels, …spatial]") }
      return [input[0]]
    case .batchNorm(let momentum, let epsilon):
      guard !input.isEmpty else { throw fail("batch normalisation needs a channel axis") }
      guard momentum >= 0 && momentum <= 1 else { throw fail("momentum \(momentum) must lie in [0, 1]") }
      guard epsilon > 0 else { throw fail("epsilon \(epsilon) must be positive") }
      return input
    case .dropout(let rate):
      guard rate >= 0 && rate < 1 else { throw fail("rate \(rate) must lie in [0, 1)") }
      return input
    case .relu, .leakyReLU, .softmax:
      return input
    case .flatten:
      var count = 1
      for extent in input {
        let (product, overflow) = count.multipliedReportingOverflow(by: extent)
        guard !overflow else { throw fail("the flattened size overflows Int") }
        count = product
      }
      return [count]
    }
  }
}
