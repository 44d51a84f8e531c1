/// Errors the NeuralNet module throws for inputs a user, a file or a model description can cause.
///
/// Programmer errors (mismatched tensor shapes passed between layers, negative sizes in code) are
/// `precondition` failures instead; anything read from disk or from a model description is checked
/// and reported through one of these cases, whose `description` says what was wrong and what to do.
public enum NeuralNetError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A layer specification cannot be applied to the shape that reaches it.
  case invalidSpecification(layer: Int, reason: String)
  /// A tensor has a different shape than the model or operation requires.
  case shapeMismatch(name: String, expected: [Int], actual: [Int])
  /// A named tensor the model needs is missing from a weight file or dictionary.
  case missingTensor(name: String)
  /// A weight file or dictionary holds a tensor the model does not have.
  case unexpectedTensor(name: String)
  /// A tensor is stored with an element type other than the one required.
  case dtypeMismatch(name: String, expected: String, actual: String)
  /// A safetensors file is malformed (truncated, bad header, bad offsets, …).
  case malformedSafeTensors(reason: String)
  /// A file could not be read or written.
  case fileError(path: String, reason: String)
  /// A numeric argument is outside its allowed range.
  case invalidArgument(name: String, reason: String)

  /// A sentence saying what went wrong and what to do about it.
  public var description: String {
    switch self {
    case .invalidSpecification(let layer, let reason):
      return "layer \(layer) of the model specification is invalid: \(reason); fix the architecture"
    case .shapeMismatch(let name, let expected, let actual):
      return "tensor '\(name)' has shape \(actual) but \(expected) is required; "
        + "check that the weights belong to this architecture"
    case .missingTensor(let name):
      return "tensor '\(name)' is missing; the weights do not match the architecture"
    case .unexpectedTensor(let name):
      return "tensor '\(name)' is not part of the model; the weights do not match the architecture"
    case .dtypeMismatch(let name, let expected, let actual):
      return "tensor '\(name)' is stored as \(actual) but \(expected) is required; "
        + "convert it (e.g. tensor.float() in PyTorch) before saving"
    case .malformedSafeTensors(let reason):
      return "malformed safetensors data: \(reason); re-export the weights with the safetensors package"
    case .fileError(let path, let reason):
      return "cannot access '\(path)': \(reason)"
    case .invalidArgument(let name, let reason):
      return "invalid \(name): \(reason)"
    }
  }
}
