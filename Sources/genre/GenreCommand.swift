import ArgumentParser

/// The `genre` command-line tool: argument parsing and printing only; the work happens in the
/// GenreClassifier libraries.
@main
struct GenreCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "genre",
    abstract: "Music genre classification: decode audio, extract features, train and classify.",
    version: "0.1.0",
    subcommands: [
      ClassifyCommand.self, StreamCommand.self, InfoCommand.self, FeaturesCommand.self, TrainCommand.self,
      EvaluateCommand.self,
    ]
  )
}
