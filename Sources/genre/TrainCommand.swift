import ArgumentParser
import Foundation
import GenreClassifier

/// `genre train`: trains a model bundle from a feature table and split lists, or cross-validates
/// a configuration.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a genre model from a feature table (e.g. features_30_sec.csv) and split lists.",
    discussion: """
      Training uses the rows of the tracks in --train-split (one 'genre/file.wav' per line, read \
      from --split-dir); --validation-split drives early stopping and the choice of epoch, and \
      --refit then retrains on both splits for that many epochs. The scaler is fit on training \
      rows only. With --cross-validate K, no model is written: the configuration is evaluated by \
      track-grouped stratified K-fold cross-validation over all rows of the table. With --audio DIR \
      (instead of --table) the melCNN preset is trained on log-mel images of 3 s segments of the \
      split's audio files (DIR/<genre>/<file>; --genres to restrict, --cache to keep the images).
      """
  )

  @Option(help: "The feature table (CSV with filename, feature columns and label); not with --audio.")
  var table: String?

  @Option(help: "Train on log-mel images of the audio in this folder (<genre>/<file>; preset melCNN).")
  var audio: String?

  @Option(help: "With --audio: the comma-separated genres to use (default: all in the splits).")
  var genres: String?

  @Option(help: "With --audio: cache the log-mel images in this folder.")
  var cache: String?

  @Option(help: "With --audio: also report (once) on this split's tracks and store it as 'test'.")
  var testSplit: String?

  @Option(help: "The folder holding the split lists.")
  var splitDir: String?

  @Option(help: "The training split's file name inside --split-dir.")
  var trainSplit = "train_filtered.txt"

  @Option(help: "The validation split's file name inside --split-dir ('none' to train without one).")
  var validationSplit = "valid_filtered.txt"

  @Flag(help: "After choosing the epoch on validation, retrain on training + validation tracks.")
  var refit = false

  @Option(help: "Architecture: \(ArchitecturePreset.allCases.map(\.rawValue).joined(separator: ", ")).")
  var preset: String = ArchitecturePreset.mlp.rawValue

  @Option(help: "The feature recipe the table holds: gtzan57 (30 s) or gtzan57-3s.")
  var recipe = "gtzan57"

  @Option(help: "Maximum epochs.") var epochs = 150
  @Option(help: "Rows per mini-batch.") var batchSize = 32
  @Option(help: "Optimiser: adam, adamW or sgd.") var optimizer = "adamW"
  @Option(help: "Initial learning rate (cosine-decayed to 0 unless --constant-rate).") var learningRate: Float = 1e-3
  @Flag(help: "Keep the learning rate constant.") var constantRate = false
  @Option(help: "Weight decay.") var weightDecay: Float = 1e-2
  @Option(help: "Label smoothing in [0, 1).") var labelSmoothing: Float = 0.1
  @Option(help: "Seed for initialisation, dropout and shuffling.") var seed: UInt64 = 0
  @Option(help: "Early-stopping patience in epochs (needs a validation split).") var patience: Int?
  @Flag(help: "Weight classes by inverse frequency (lda: uniform class priors).") var balanced = false
  @Flag(help: "Standardise the variance columns (*_var) on a log scale.") var logVariances = false
  @Option(help: "Train this many networks (seeds seed, seed+1, …) and average their probabilities.")
  var ensemble = 1
  @Option(help: "Compute threads (1 gives bit-reproducible weights).") var threads = 1

  @Option(help: "Cross-validate with this many folds instead of training a bundle.")
  var crossValidate: Int?

  @Option(help: "Measure the closed-form ridge baseline with this penalty instead of training a network.")
  var ridge: Double?

  @Option(help: "The output bundle directory.")
  var out: String?

  @Option(help: "Also write an HTML report here (cross-validation).")
  var report: String?

  @Flag(help: "Print the cross-validation report as JSON.")
  var json = false

  func run() throws {
    guard let preset = ArchitecturePreset(rawValue: preset) else {
      throw ValidationError("unknown preset '\(preset)'")
    }
    guard let optimizerKind = TrainingConfiguration.OptimizerKind(rawValue: optimizer) else {
      throw ValidationError("unknown optimizer '\(optimizer)'")
    }
    let recipes: [String: FeatureRecipe] = ["gtzan57": .gtzan57, "gtzan57-3s": .gtzan57ThreeSecond]
    guard let featureRecipe = recipes[recipe] else { throw ValidationError("unknown recipe '\(recipe)'") }
    guard preset != .lda || ensemble == 1 else {
      throw ValidationError("--ensemble \(ensemble) with --preset lda: the closed-form fits would be identical")
    }
    guard ridge == nil || !logVariances else {
      throw ValidationError("--ridge standardises the table's columns as they are; drop --log-variances")
    }
    ComputeThreads.set(threads)
    let config = TrainingConfiguration(
      preset: preset, epochs: epochs, batchSize: batchSize, optimizer: optimizerKind, learningRate: learningRate,
      weightDecay: weightDecay, cosineSchedule: !constantRate, seed: seed, patience: patience,
      monitor: .validationLoss, restoreBest: patience != nil, balancedClassWeights: balanced,
      labelSmoothing: labelSmoothing, logVariances: logVariances)
    if let audio {
      guard table == nil else { throw ValidationError("give either --table or --audio, not both") }
      try trainOnAudio(root: URL(fileURLWithPath: audio), configuration: config)
      return
    }
    guard let table else { throw ValidationError("--table or --audio is required") }
    let tableURL = URL(fileURLWithPath: table)
    let featureTable = try FeatureTable(contentsOf: tableURL)
    let progress = ProgressPrinter()

    if let alpha = ridge {
      if let folds = crossValidate {
        let accuracy = try RidgeClassifier.crossValidatedAccuracy(on: featureTable, folds: folds, seed: seed, alpha: alpha)
        print(String(format: "ridge (α %g) cross-validated accuracy: %.2f %%", alpha, 100 * accuracy))
      } else {
        guard let splitDir else { throw ValidationError("--split-dir or --cross-validate is required") }
        let splitURL = URL(fileURLWithPath: splitDir)
        let train = try SplitList(contentsOf: splitURL.appendingPathComponent(trainSplit)).tracks
        let held = try SplitList(contentsOf: splitURL.appendingPathComponent(validationSplit)).tracks
        let accuracy = try RidgeClassifier.accuracy(on: featureTable, trainingTracks: train, testTracks: held, alpha: alpha)
        print(String(format: "ridge (α %g) trained on %@, accuracy on %@: %.2f %%", alpha, trainSplit, validationSplit,
          100 * accuracy))
      }
      return
    }

    if let folds = crossValidate {
      let result = try Evaluation.crossValidate(
        config, on: featureTable, folds: folds, seed: seed, ensembleSize: ensemble,
        dataDescription: "\(tableURL.lastPathComponent), \(folds)-fold track-grouped stratified CV",
        progress: { fold, epoch in progress.show("fold \(fold)/\(folds)", epoch) })
      progress.finish()
      if json {
        print(String(decoding: result.jsonData(), as: UTF8.self))
      } else {
        let folds = (result.foldAccuracies ?? []).map { String(format: "%.1f", 100 * $0) }
        print(String(format: "cross-validated accuracy: %.2f %%  (folds: %@)", 100 * result.windows.accuracy,
          folds.joined(separator: " ")))
      }
      if let path = report {
        try HTMLReport.render(result, title: "Cross-validation").write(toFile: path, atomically: true, encoding: .utf8)
      }
      return
    }

    guard let out else { throw ValidationError("--out DIR is required unless --cross-validate is given") }
    guard let splitDir else { throw ValidationError("--split-dir is required to train a bundle") }
    let splitURL = URL(fileURLWithPath: splitDir)
    let trainTracks = try SplitList(contentsOf: splitURL.appendingPathComponent(trainSplit)).tracks
    let validationTracks =
      validationSplit == "none"
      ? nil : try SplitList(contentsOf: splitURL.appendingPathComponent(validationSplit)).tracks
    let job = TableTraining(
      table: featureTable, recipe: featureRecipe, trainingTracks: trainTracks, validationTracks: validationTracks,
      configuration: config, ensembleSize: ensemble, refitOnValidation: refit, dataDescription: tableURL.lastPathComponent,
      splitDescription: "train: \(trainSplit); validation: \(validationTracks == nil ? "none" : validationSplit)")
    let bundle = try job.run(progress: { phase, epoch in progress.show(phase, epoch) })
    progress.finish()
    try bundle.write(to: URL(fileURLWithPath: out))
    let record = bundle.manifest.training
    print("wrote \(out): \(bundle.manifest.labels.count) classes, best epoch \(record?.bestEpoch ?? 0)"
      + " of \(record?.epochsRun ?? 0)")
    if let validation = bundle.manifest.metrics["validation"] {
      print(String(format: "validation accuracy %.2f %% (%d rows), song accuracy %.2f %%",
        100 * validation.accuracy, validation.rows, 100 * validation.songAccuracy))
    }
  }
}

extension TrainCommand {
  /// The `--audio` path: log-mel images of the split's tracks, a melCNN-style network, a bundle
  /// carrying the log-mel input.
  func trainOnAudio(root: URL, configuration: TrainingConfiguration) throws {
    guard let out else { throw ValidationError("--out DIR is required") }
    guard let splitDir else { throw ValidationError("--split-dir is required to train a bundle") }
    guard validationSplit != "none" else { throw ValidationError("--audio training needs a validation split") }
    guard !configuration.logVariances else {
      throw ValidationError("--log-variances applies to feature tables; log-mel images have no variance columns")
    }
    let input = LogMelSegments()
    guard configuration.preset.inputShape(featureCount: 0) == input.imageShape else {
      throw ValidationError("preset '\(configuration.preset.rawValue)' does not take log-mel images; use melCNN")
    }
    let splitURL = URL(fileURLWithPath: splitDir)
    let keep = genres.map(genreSet)
    let cacheURL = cache.map { URL(fileURLWithPath: $0) }
    let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    func load(_ split: String) throws -> LogMelDataset {
      let paths = try SplitList(contentsOf: splitURL.appendingPathComponent(split)).paths
      let set = try LogMelDataset(
        root: root, paths: paths, genres: keep, input: input, cacheDirectory: cacheURL, log: log)
      log("\(split): \(Set(set.tracks).count) tracks, \(set.count) segments")
      return set
    }
    let training = try load(trainSplit)
    let validation = try load(validationSplit)
    let genreList = Set(training.labels).sorted().joined(separator: ", ")
    let job = LogMelTraining(
      input: input, configuration: configuration, dataDescription: "audio \(root.lastPathComponent) (\(genreList))",
      splitDescription: "train: \(trainSplit); validation: \(validationSplit)")
    var bundle = try job.run(training: training, validation: validation) { p in
      var line = String(format: "epoch %3d/%d  loss %.4f  acc %.3f", p.epoch, p.epochs, p.loss, p.accuracy)
      if let vl = p.validationLoss, let va = p.validationAccuracy {
        line += String(format: "  val_loss %.4f  val_acc %.3f", vl, va)
      }
      log(line + String(format: "  %.0fs", p.elapsed))
    }
    if let testSplit {
      let test = try load(testSplit)
      let encoder = try LabelEncoder(fitting: bundle.manifest.labels)
      let samples = try LogMelTraining.samples(test, input: input, encoder: encoder, scaler: bundle.manifest.scaler)
      bundle.manifest.metrics["test"] = Evaluation.summary(
        of: try bundle.makeNetworks(), on: samples, labels: bundle.manifest.labels)
    }
    try bundle.write(to: URL(fileURLWithPath: out))
    let record = bundle.manifest.training
    print("wrote \(out): \(bundle.manifest.labels.count) classes, best epoch \(record?.bestEpoch ?? 0)"
      + " of \(record?.epochsRun ?? 0)")
    for (name, m) in bundle.manifest.metrics.sorted(by: { $0.key > $1.key }) {
      print(String(format: "%@: segment accuracy %.2f %% (%d segments), song accuracy %.2f %%, macro F1 %.3f",
        name, 100 * m.accuracy, m.rows, 100 * m.songAccuracy, m.macroF1))
    }
  }
}

/// Epoch progress: a rewritten bar on a terminal, one plain line per 10 epochs otherwise.
final class ProgressPrinter {
  private let isTerminal = isatty(STDERR_FILENO) != 0
  private var active = false

  func show(_ phase: String, _ p: EpochProgress) {
    var line = String(format: "%@ epoch %3d/%d  loss %.4f  acc %.3f", phase, p.epoch, p.epochs, p.loss, p.accuracy)
    if let vl = p.validationLoss, let va = p.validationAccuracy {
      line += String(format: "  val_loss %.4f  val_acc %.3f", vl, va)
    }
    line += String(format: "  %.0fs, ETA %.0fs", p.elapsed, p.estimatedRemaining)
    if isTerminal {
      let width = 20
      let filled = width * p.epoch / max(p.epochs, 1)
      let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      FileHandle.standardError.write(Data("\r\u{1B}[2K[\(bar)] \(line)".utf8))
      active = true
    } else if p.epoch % 10 == 0 || p.epoch == p.epochs || p.epoch == 1 {
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
  }

  func finish() {
    if active { FileHandle.standardError.write(Data("\n".utf8)) }
    active = false
  }
}
