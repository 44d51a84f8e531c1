// swift-tools-version: 6.1
//
// Benchmarks for GenreClassifier (ordo-one/benchmark). Kept in a separate package so users of the
// library never build the benchmark tooling. Run: `swift package benchmark --no-progress`.

import PackageDescription

let package = Package(
  name: "GenreClassifierBenchmarks",
  dependencies: [
    .package(name: "GenreClassifier", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "Pipeline",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "GenreClassifier", package: "GenreClassifier"),
      ],
      path: "Benchmarks/Pipeline",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ]
)
