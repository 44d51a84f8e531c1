/// Maps label strings to class indices and back; the order is the model's output order.
public struct LabelEncoder: Codable, Sendable, Equatable {
  /// The labels in class-index order.
  public let labels: [String]
  private let indices: [String: Int]

  /// An encoder for `labels` (in class-index order).
  ///
  /// - Throws: `ModelError.invalidArgument` if `labels` is empty or has duplicates.
  public init(labels: [String]) throws(ModelError) {
    guard !labels.isEmpty else { throw .invalidArgument(name: "labels", reason: "at least one label is needed") }
    var indices: [String: Int] = [:]
    for (i, label) in labels.enumerated() {
      guard indices[label] == nil else { throw .invalidArgument(name: "labels", reason: "'\(label)' appears twice") }
      indices[label] = i
    }
    self.labels = labels
    self.indices = indices
  }

  /// An encoder for the distinct labels of `observed`, sorted (sklearn's `LabelEncoder` order).
  public init(fitting observed: [String]) throws(ModelError) {
    try self.init(labels: Array(Set(observed)).sorted())
  }

  /// The number of classes.
  public var count: Int { labels.count }

  /// The class index of `label`.
  ///
  /// - Throws: `ModelError.unknownLabel` when the label is not known.
  public func index(of label: String) throws(ModelError) -> Int {
    guard let index = indices[label] else { throw .unknownLabel(label, known: labels) }
    return index
  }

  /// The class indices of `labels`.
  public func encode(_ labels: [String]) throws(ModelError) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(labels.count)
    for label in labels { result.append(try index(of: label)) }
    return result
  }

  /// Decodes the JSON array of labels (class-index order), rejecting empty or duplicate lists.
  public init(from decoder: any Decoder) throws {
    let labels = try decoder.singleValueContainer().decode([String].self)
    do {
      try self.init(labels: labels)
    } catch {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }

  /// Encodes the labels as a JSON array in class-index order.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(labels)
  }
}
