// swift-tools-version: 6.1
//
// libFuzzer targets for GenreClassifier's parsers (issue 8). Build and run with
// `Scripts/fuzz.sh TARGET SECONDS` from the repository root; see Fuzz/README.md.
// Each executable defines `LLVMFuzzerTestOneInput` and must be built with
// `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library` (libFuzzer supplies `main`).

import PackageDescription

let package = Package(
  name: "GenreClassifierFuzz",
  dependencies: [
    .package(name: "GenreClassifier", path: "..")
  ],
  targets: [
    .target(name: "CLibFuzzer"),
    .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", .product(name: "AudioIO", package: "GenreClassifier")]),
    .executableTarget(
      name: "FuzzAudioDecode",
      dependencies: ["FuzzSupport", .product(name: "AudioIO", package: "GenreClassifier")]),
    .executableTarget(
      name: "FuzzAudioStream",
      dependencies: ["FuzzSupport", .product(name: "AudioIO", package: "GenreClassifier")]),
    .executableTarget(
      name: "FuzzSafeTensors",
      dependencies: ["FuzzSupport", .product(name: "NeuralNet", package: "GenreClassifier")]),
    .executableTarget(
      name: "FuzzModelManifest",
      dependencies: [
        "FuzzSupport", .product(name: "GenreModel", package: "GenreClassifier"),
        .product(name: "NeuralNet", package: "GenreClassifier"),
      ]),
    .executableTarget(
      name: "FuzzModelBundle",
      dependencies: [
        "FuzzSupport", .product(name: "GenreModel", package: "GenreClassifier"),
        .product(name: "NeuralNet", package: "GenreClassifier"),
      ]),
    .executableTarget(
      name: "FuzzFeatureTable",
      dependencies: ["FuzzSupport", .product(name: "GenreModel", package: "GenreClassifier")]),
    .executableTarget(
      name: "FuzzSplitList",
      dependencies: ["FuzzSupport", .product(name: "GenreModel", package: "GenreClassifier")]),
  ]
)
