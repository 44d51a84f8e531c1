// swift-tools-version: 6.1
//
// Examples for GenreClassifier: a separate package that uses the library as any other package
// would, by depending on it (here by path; use the repository's URL in your own package).
// `swift run -c release classify-folder DIR` classifies every audio file under DIR.
// The `ArticleSnippets` target holds the code shown in the DocC articles, so CI compiles it.

import PackageDescription

let package = Package(
  name: "GenreClassifierExamples",
  dependencies: [
    .package(name: "GenreClassifier", path: "..")
  ],
  targets: [
    .executableTarget(
      name: "classify-folder",
      dependencies: [.product(name: "GenreClassifier", package: "GenreClassifier")]
    ),
    .target(
      name: "ArticleSnippets",
      dependencies: [.product(name: "GenreClassifier", package: "GenreClassifier")]
    ),
  ]
)
