import Foundation
import NeuralNet

/// A trained model as stored on disk: a directory with `model.json` (``ModelManifest``) and
/// `weights.safetensors` (float32 tensors by layer name, e.g. `0.weight`, readable by the Python
/// `safetensors` package).
///
/// A value type holding the weights as tensors; ``makeNetwork()`` builds a ready `Sequential`.
public struct ModelBundle: Sendable {
  /// The file name of the manifest inside a bundle directory.
  public static let manifestFileName = "model.json"
  /// The file name of the weights inside a bundle directory.
  public static let weightsFileName = "weights.safetensors"

  /// Everything except the weights.
  public var manifest: ModelManifest
  /// The network's tensors by state-dict name.
  public var weights: [String: Tensor]

  /// A bundle from a manifest and weights, validated.
  ///
  /// - Throws: see ``validate()``.
  public init(manifest: ModelManifest, weights: [String: Tensor]) throws(ModelError) {
    self.manifest = manifest
    self.weights = weights
    try validate()
  }

  /// A bundle capturing a trained network's current weights.
  public init(manifest: ModelManifest, network: Sequential) throws(ModelError) {
    try self.init(manifest: manifest, networks: [network])
  }

  /// A bundle capturing an ensemble's weights (`manifest.ensembleSize` networks); member `k`'s
  /// tensors are stored as `members.k.<name>` when there is more than one.
  public init(manifest: ModelManifest, networks: [Sequential]) throws(ModelError) {
    var weights: [String: Tensor] = [:]
    for (k, network) in networks.enumerated() {
      for (name, tensor) in network.stateDictionary() {
        weights[Self.tensorName(name, member: k, of: networks.count)] = tensor
      }
    }
    try self.init(manifest: manifest, weights: weights)
  }

  /// The stored name of a member's tensor.
  static func tensorName(_ name: String, member: Int, of count: Int) -> String {
    count == 1 ? name : "members.\(member).\(name)"
  }

  /// Checks the manifest (``ModelManifest/validate()``), that every weight is finite, then every
  /// tensor name and shape against the architecture.
  ///
  /// - Throws: `ModelError.unsupportedVersion`, `.inconsistentBundle` (also for a NaN or infinite
  ///   weight, naming the tensor), or `.weightsMismatch` naming the first missing, unexpected or
  ///   mis-shaped tensor.
  public func validate() throws(ModelError) {
    _ = try makeNetworks()
  }

  /// New networks (one per ensemble member) with this bundle's architecture and weights; use
  /// them from one thread at a time (layers cache activations).
  ///
  /// - Throws: as ``validate()``.
  public func makeNetworks() throws(ModelError) -> [Sequential] {
    try manifest.validate()
    // A NaN or infinite weight makes every prediction NaN; refuse it here, naming the tensor,
    // rather than return garbage probabilities later.
    for name in weights.keys.sorted() {
      if let index = weights[name]!.scalars.firstIndex(where: { !$0.isFinite }) {
        throw .inconsistentBundle(
          reason: "tensor '\(name)' holds \(weights[name]!.scalars[index]) at index \(index); weights must be finite")
      }
    }
    // Building a network allocates its parameters, so check first that the weights (already in
    // memory, bounded by the file) can hold them: a model.json claiming a 2^34-unit layer must not
    // allocate gigabytes (found by Fuzz/FuzzModelManifest).
    let available = weights.values.reduce(0) { $0 + $1.count }
    guard let needed = Self.kernelScalarCount(manifest), needed <= available else {
      throw .inconsistentBundle(
        reason: "the architecture needs more parameters per network than the \(available) stored weights hold")
    }
    let count = manifest.ensembleSize
    var networks: [Sequential] = []
    var used = Set<String>()
    for member in 0..<count {
      let network: Sequential
      do {
        network = try Sequential(inputShape: manifest.inputShape, specs: manifest.architecture)
      } catch {
        throw .inconsistentBundle(reason: error.description)
      }
      var tensors: [String: Tensor] = [:]
      for (name, _) in network.namedParameters {
        let stored = Self.tensorName(name, member: member, of: count)
        guard let tensor = weights[stored] else { throw .weightsMismatch(.missingTensor(name: stored)) }
        tensors[name] = tensor
        used.insert(stored)
      }
      do {
        try network.load(tensors)
      } catch {
        if case .shapeMismatch(let name, let expected, let actual) = error {
          throw .weightsMismatch(
            .shapeMismatch(name: Self.tensorName(name, member: member, of: count), expected: expected, actual: actual))
        }
        throw .weightsMismatch(error)
      }
      networks.append(network)
    }
    if let extra = weights.keys.sorted().first(where: { !used.contains($0) }) {
      throw .weightsMismatch(.unexpectedTensor(name: extra))
    }
    return networks
  }

  /// The scalars in the dense and convolution kernels of one network of a validated manifest's
  /// architecture (a lower bound on its parameter count; biases and normalisation are smaller), or
  /// `nil` when it overflows `Int`.
  static func kernelScalarCount(_ manifest: ModelManifest) -> Int? {
    var shape = manifest.inputShape
    var total = 0
    for (index, spec) in manifest.architecture.enumerated() {
      var factors: [Int] = []
      switch spec {
      case .dense(let units, _): factors = [shape[0], units]
      case .conv1D(let filters, let kernel, _, _, _): factors = [shape[0], filters, kernel]
      case .conv2D(let filters, let kernel, _, _, _): factors = [shape[0], filters, kernel.height, kernel.width]
      default: break
      }
      if !factors.isEmpty {
        var product = 1
        for factor in factors {
          let (next, overflow) = product.multipliedReportingOverflow(by: factor)
          if overflow { return nil }
          product = next
        }
        let (sum, overflow) = total.addingReportingOverflow(product)
        if overflow { return nil }
        total = sum
      }
      guard let next = try? spec.outputShape(for: shape, layerIndex: index) else { return nil }
      shape = next
    }
    return total
  }

  /// The single network of a one-member bundle, or the first member of an ensemble.
  ///
  /// - Throws: as ``validate()``.
  public func makeNetwork() throws(ModelError) -> Sequential {
    try makeNetworks()[0]
  }

  /// Reads and validates the bundle in `directory`.
  ///
  /// - Throws: `ModelError.fileError` for a missing file, `.malformedManifest` for invalid JSON or
  ///   missing fields, `.unsupportedVersion`, `.inconsistentBundle`, or `.weightsMismatch` (also for a
  ///   malformed safetensors file or a non-F32 tensor).
  public init(contentsOf directory: URL) throws(ModelError) {
    let manifestURL = directory.appendingPathComponent(Self.manifestFileName)
    let weightsURL = directory.appendingPathComponent(Self.weightsFileName)
    let data: Data
    do {
      data = try Data(contentsOf: manifestURL)
    } catch {
      throw .fileError(path: manifestURL.path, reason: "cannot read the model manifest (\(error.localizedDescription))")
    }
    // Read the version first so a newer bundle says so instead of failing on a renamed field.
    struct Version: Decodable { var formatVersion: Int }
    let version: Version
    do {
      version = try JSONDecoder().decode(Version.self, from: data)
    } catch {
      throw .malformedManifest(path: manifestURL.path, reason: Self.describe(error))
    }
    guard ModelManifest.supportedFormatVersions.contains(version.formatVersion) else {
      throw .unsupportedVersion(found: version.formatVersion, supported: ModelManifest.supportedFormatVersions)
    }
    let manifest: ModelManifest
    do {
      manifest = try JSONDecoder().decode(ModelManifest.self, from: data)
    } catch {
      throw .malformedManifest(path: manifestURL.path, reason: Self.describe(error))
    }
    guard FileManager.default.fileExists(atPath: weightsURL.path) else {
      throw .fileError(path: weightsURL.path, reason: "the weights file is missing")
    }
    let file: SafeTensorsFile
    let tensors: [String: Tensor]
    do {
      file = try SafeTensorsFile(contentsOf: weightsURL)
      tensors = try file.tensors()
    } catch {
      throw .weightsMismatch(error)
    }
    try self.init(manifest: manifest, weights: tensors)
  }

  /// Writes `model.json` (pretty, sorted keys) and `weights.safetensors` into `directory`,
  /// creating it if needed.
  ///
  /// - Throws: `ModelError.fileError` when the directory or a file cannot be written.
  public func write(to directory: URL) throws(ModelError) {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let json = try encoder.encode(manifest)
      try (json + Data("\n".utf8)).write(
        to: directory.appendingPathComponent(Self.manifestFileName), options: .atomic)
    } catch {
      throw .fileError(path: directory.path, reason: error.localizedDescription)
    }
    do {
      try SafeTensors.write(
        weights, metadata: ["format": "pt", "labels": manifest.labels.joined(separator: ",")],
        to: directory.appendingPathComponent(Self.weightsFileName))
    } catch {
      throw .fileError(path: directory.appendingPathComponent(Self.weightsFileName).path, reason: error.description)
    }
  }

  private static func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
    case DecodingError.dataCorrupted(let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return path.isEmpty ? "not valid JSON" : "field '\(path)': \(context.debugDescription)"
    default:
      return "\(error)"
    }
  }
}
