// The code of the article "Getting started" (Sources/GenreClassifier/GenreClassifier.docc).
// Scripts/check_doc_snippets.py checks that every Swift block of the articles appears here.

import Foundation
import GenreClassifier

enum GettingStarted {
  static func classifyOneFile() throws {
    let predictor = try GenrePredictor.default
    let prediction = try predictor.predict(file: URL(fileURLWithPath: "song.wav"))
    print(prediction.label)  // the most probable genre, e.g. "rock"
    for entry in prediction.ranked.prefix(3) {
      print(entry.label, entry.probability)
    }
  }
}
