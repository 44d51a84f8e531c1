// The code of the article "Classifying audio" (Sources/GenreClassifier/GenreClassifier.docc).

import Foundation
import GenreClassifier

enum ClassifyingAudio {
  static func errors(predictor: GenrePredictor, url: URL) {
    do {
      let prediction = try predictor.predict(file: url)
      print(prediction.label)
    } catch {
      // `predict(file:)` throws only `ModelError`: `error` has that type here.
      switch error {
      case .audioFile(let path, let reason): print("cannot decode \(path): \(reason)")
      default: print(error.description)
      }
    }
  }

  static func manyFiles(predictor: GenrePredictor, urls: [URL]) {
    let results = predictor.predict(files: urls, concurrency: 2)
    for (url, result) in zip(urls, results) {
      switch result {
      case .success(let prediction): print(url.lastPathComponent, prediction.label)
      case .failure(let error): print(error)  // names the file
      }
    }
  }

  static func samples(predictor: GenrePredictor, url: URL, samples: [Float]) throws {
    let decoded = try AudioDecoder.decode(contentsOf: url)  // any rate, any channel count
    let fromBuffer = try predictor.predict(buffer: decoded.buffer)
    let fromSamples = try predictor.predict(samples: samples, sampleRate: 44_100)  // mono
    print(fromBuffer.label, fromSamples.label)
  }

  static func timeline(predictor: GenrePredictor, url: URL) throws {
    let prediction = try predictor.predict(file: url)
    if prediction.inputShorterThanWindow {
      print("shorter than \(predictor.windowSeconds) s: classified whole")
    }
    for window in prediction.timeline {
      print(window.start, window.end, window.label)  // seconds from the start of the file
    }
  }

  static func ownModel() throws {
    let predictor = try GenrePredictor(contentsOf: URL(fileURLWithPath: "MyModel"))
    print(predictor.labels, predictor.manifest.recipe.name)
  }

  static func featureRows(predictor: GenrePredictor, samples: [Float]) throws {
    let extractor = try FeatureExtractor(recipe: predictor.manifest.recipe)
    let matrix = try extractor.summaries(of: samples, sampleRate: 22_050)  // windows × columns
    let prediction = try predictor.predict(rows: matrix.values)
    print(matrix.columnNames.count, prediction.label)
  }
}
