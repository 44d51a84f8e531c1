// classify-folder DIR: classifies every audio file under DIR with the shipped model and prints a
// table (file, genre, probability, runner-up). Files are classified on every core; a file that
// cannot be read or classified gets an error row, and the others go on.

import Foundation
import GenreClassifier

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let folder = arguments.first else {
  FileHandle.standardError.write(Data("usage: classify-folder DIR\n".utf8))
  exit(2)
}
let root = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL

// Every file below `root` with an audio extension, in path order.
let extensions: Set<String> = ["wav", "wave", "rf64", "bw64", "au", "snd"]
var files: [URL] = []
if let walker = FileManager.default.enumerator(
  at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
{
  for case let url as URL in walker where extensions.contains(url.pathExtension.lowercased()) {
    files.append(url)
  }
}
files.sort { $0.path < $1.path }
guard !files.isEmpty else {
  FileHandle.standardError.write(Data("classify-folder: no audio files under \(root.path)\n".utf8))
  exit(1)
}

// The shipped 10-genre model; `predict(files:)` uses every core and keeps each file's error.
let predictor = try GenrePredictor.default
let results = predictor.predict(files: files)

// One row per file; the file column shows the path below `root`.
let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
var rows: [[String]] = [["file", "genre", "probability", "runner-up"]]
var failures = 0
for (file, result) in zip(files, results) {
  let name = file.path.hasPrefix(prefix) ? String(file.path.dropFirst(prefix.count)) : file.path
  switch result {
  case .success(let prediction):
    let best = prediction.ranked[0]
    let runnerUp = prediction.ranked.dropFirst().first.map {
      "\($0.label) \(String(format: "%.2f", $0.probability))"
    }
    rows.append([name, best.label, String(format: "%.2f", best.probability), runnerUp ?? "-"])
  case .failure(let error):
    failures += 1
    rows.append([name, "error", "-", "\(error)"])
  }
}

// Columns padded to their widest cell (the last one is left ragged).
let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
for row in rows {
  let padded = (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
  print((padded + [row[3]]).joined(separator: "  "))
}
if failures > 0 {
  FileHandle.standardError.write(Data("classify-folder: \(failures) of \(files.count) file(s) failed\n".utf8))
  exit(1)
}
