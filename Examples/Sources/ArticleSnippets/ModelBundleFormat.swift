// The code of the article "Model bundle format" (Sources/GenreClassifier/GenreClassifier.docc).

import Foundation
import GenreClassifier

enum ModelBundleFormat {
  static func inspect() throws {
    let bundle = try ModelBundle(contentsOf: URL(fileURLWithPath: "MyModel"))  // validates everything
    let manifest = bundle.manifest
    print(manifest.formatVersion, manifest.labels, manifest.recipe.columnNames.count)
    print(manifest.metrics["test"]?.accuracy ?? .nan, manifest.training?.bestEpoch ?? 0)
    for (name, tensor) in bundle.weights.sorted(by: { $0.key < $1.key }) {
      print(name, tensor.shape)  // e.g. 0.weight [10, 57]
    }
  }

  static func shipped() throws {
    let bundle = try ModelBundle.shipped()
    try bundle.write(to: URL(fileURLWithPath: "DefaultModelCopy"))
  }
}
