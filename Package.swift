// swift-tools-version: 6.1
//
// GenreClassifier: music genre classification in Swift, from audio bytes to a genre.
// Layers (each imports only those before it): AudioIO → DSP → Features → NeuralNet → GenreModel.
// See Docs/architecture.md and ../shared/DESIGN.md.

import PackageDescription

let package = Package(
  name: "GenreClassifier",
  products: [
    .library(name: "AudioIO", targets: ["AudioIO"]),
    .library(name: "DSP", targets: ["DSP"]),
    .library(name: "Features", targets: ["Features"]),
    .library(name: "NeuralNet", targets: ["NeuralNet"]),
    .library(name: "GenreModel", targets: ["GenreModel"]),
    .library(name: "GenreClassifier", targets: ["GenreClassifier"]),
    .executable(name: "genre", targets: ["genre"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // `swift package generate-documentation` (DocC); a build plugin only, never linked.
    .package(url: "https://github.com/apple/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // Debian's OpenBLAS (CBLAS) and LAPACKE, exposed through a module map.
    .systemLibrary(
      name: "CBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),
    .target(name: "AudioIO"),
    .target(name: "DSP"),
    .target(name: "Features", dependencies: ["DSP"]),
    .target(name: "NeuralNet", dependencies: ["CBLAS"]),
    .target(
      name: "GenreModel",
      dependencies: ["AudioIO", "DSP", "Features", "NeuralNet"],
      resources: [.copy("Resources/DefaultModel")]
    ),
    .target(
      name: "GenreClassifier",
      dependencies: ["AudioIO", "DSP", "Features", "NeuralNet", "GenreModel"]
    ),
    .executableTarget(
      name: "genre",
      dependencies: [
        "GenreClassifier",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // Shared helpers for the test targets: tolerance asserts, fixture and GTZAN lookup.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "TestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(name: "DSPTests", dependencies: ["DSP", "TestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(name: "FeaturesTests", dependencies: ["Features", "AudioIO", "TestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "GenreModelTests", dependencies: ["GenreModel", "TestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(name: "GenreCLITests", dependencies: ["genre", "AudioIO", "GenreModel", "TestSupport"]),
  ]
)
