// The code of the article "Real-time streaming" (Sources/GenreClassifier/GenreClassifier.docc).

import Foundation
import GenreClassifier

enum RealTimeStreaming {
  static func stream(url: URL) throws {
    let classifier = try StreamingClassifier()  // the shipped model; an update every second
    let reader = try AudioStreamReader(contentsOf: url, options: DecodingOptions(lenient: true))
    while let chunk = try reader.read(maxFrames: 4096) {
      for update in try classifier.push(chunk) {
        print(update.window.start, update.window.end, update.window.label, update.currentLabel)
        if let change = update.change {
          print("at \(change.time) s: \(change.from ?? "start") → \(change.to)")
        }
      }
    }
    try classifier.finish()  // a last window covering the end of the stream
  }

  static func configured(predictor: GenrePredictor) throws -> StreamingClassifier {
    let configuration = StreamingConfiguration(
      hopSeconds: 2, smoothingSeconds: 20, changeMargin: 0.1, emitsPartialWindows: false)
    let classifier = try StreamingClassifier(predictor: predictor, configuration: configuration)
    print(classifier.hopDuration, classifier.windowLength, classifier.modelSampleRate)
    return classifier
  }

  static func samples(classifier: StreamingClassifier, interleaved: [Float]) throws {
    try classifier.push(interleaved: interleaved, channelCount: 2, sampleRate: 48_000)
    print(classifier.latest?.smoothedRanking.first?.label ?? "no update yet")
  }

  static func observe(classifier: StreamingClassifier) async {
    for await update in classifier.updates() {
      print(update.index, update.isPartial, update.smoothedRanking.prefix(3))
    }
  }
}
