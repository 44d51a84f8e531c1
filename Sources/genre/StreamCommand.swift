import ArgumentParser
import Foundation
import GenreClassifier
import Synchronization

/// `genre stream [FILE|-]`: real-time classification of a WAV/AU stream (a file, or standard
/// input as it arrives), with a live view on a terminal and one JSON line per hop otherwise.
struct StreamCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stream",
    abstract: "Classify a live audio stream: a prediction every hop, a smoothed genre and its changes.",
    discussion: """
      Reads WAV, RF64 or Sun AU from FILE or, with '-' (the default), from standard input as it \
      arrives: a recorder's header with an unknown or placeholder size works, e.g. \
      'arecord -f S16_LE -r 22050 -t wav | genre stream -' or \
      'sox song.mp3 -t wav - | genre stream -'. The model's window (30 s for the default model) \
      slides by --hop seconds (rounded to whole STFT hops); before the stream has lasted one \
      window the prediction covers the stream so far and is marked partial.

      On a terminal the top genres are redrawn in place; otherwise (or with --json) one JSON \
      object per line is written per hop and flushed at once: index, start, end (seconds of the \
      stream), partial, final, label and probabilities of the window, the smoothed probabilities, \
      the current genre and, when it changed, change {time, from, to}.

      Exit status: 0 at the end of the stream; 130 after Ctrl-C (SIGINT), once reading has \
      stopped, the final update for the audio received has been written and the terminal restored; \
      1 on an error (named on standard error).
      """
  )

  @Argument(help: "An audio file, or '-' for standard input.")
  var input = "-"

  @Option(help: "A model bundle directory; default: the shipped model.")
  var model: String?

  @Option(help: "Seconds between updates (rounded to whole STFT hops of the model).")
  var hop = 1.0

  @Option(help: "Time constant of the smoothed estimate in seconds (0: no smoothing).")
  var smoothing = 10.0

  @Option(help: "Lead in smoothed probability another genre needs to become the current genre.")
  var margin: Float = 0.05

  @Option(help: "Genres shown in the live view.")
  var top = 5

  @Flag(help: "Write JSON lines even on a terminal.")
  var json = false

  @Flag(inversion: .prefixedNo, help: "Emit partial-window updates before the first full window.")
  var partial = true

  func validate() throws {
    guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
    guard hop > 0, hop.isFinite else { throw ValidationError("--hop must be positive, got \(hop)") }
    guard smoothing >= 0, smoothing.isFinite else {
      throw ValidationError("--smoothing must be 0 or more, got \(smoothing)")
    }
  }

  func run() throws {
    let predictor = try model.map { try GenrePredictor(contentsOf: URL(fileURLWithPath: $0)) }
      ?? GenrePredictor.default
    let classifier = try StreamingClassifier(
      predictor: predictor,
      configuration: StreamingConfiguration(
        hopSeconds: hop, smoothingSeconds: smoothing, changeMargin: margin, emitsPartialWindows: partial))
    let lenient = DecodingOptions(lenient: true)
    let reader =
      input == "-"
      ? try AudioStreamReader(fileHandle: FileHandle.standardInput, options: lenient)
      : try AudioStreamReader(contentsOf: URL(fileURLWithPath: input), options: lenient)
    let live = !json && isatty(STDOUT_FILENO) != 0
    let session = StreamSession(
      classifier: classifier, view: live ? .live(top: top) : .jsonLines, labels: predictor.labels)

    // Ctrl-C: the signal handler only writes a byte to a pipe; a watcher thread reads it, ends
    // the stream (final update, terminal restored) and exits, even while the reader is blocked
    // in read(2) on a pipe that stays open.
    InterruptPipe.install()
    Thread.detachNewThread {
      InterruptPipe.wait()
      session.end(status: 130)
      Foundation.exit(130)
    }

    // About 50 ms of audio per read keeps the view responsive at any rate.
    let chunkFrames = max(256, reader.info.sampleRate / 20)
    do {
      while let chunk = try reader.read(maxFrames: chunkFrames) {
        guard try session.push(chunk) else { break }
      }
    } catch {
      session.abandon()
      throw error
    }
    session.end(status: 0)
  }
}

/// SIGINT delivery through a self-pipe: the handler does nothing but an async-signal-safe
/// `write(2)`.
private enum InterruptPipe {
  nonisolated(unsafe) static var readEnd: Int32 = -1
  nonisolated(unsafe) static var writeEnd: Int32 = -1

  static func install() {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return }
    readEnd = fds[0]
    writeEnd = fds[1]
    signal(SIGINT) { _ in
      var byte: UInt8 = 1
      _ = write(InterruptPipe.writeEnd, &byte, 1)
    }
  }

  /// Blocks until SIGINT arrives.
  static func wait() {
    var byte: UInt8 = 0
    while read(readEnd, &byte, 1) < 0, errno == EINTR {}
  }
}

/// The stream's output side: pushes and the final flush happen under one lock, so an interrupt
/// arriving mid-push waits for it and then ends the stream exactly once.
private final class StreamSession: Sendable {
  enum View { case live(top: Int), jsonLines }

  private struct State {
    var ended = false
    var drawnLines = 0
    var changes: [GenreChange] = []
  }

  private let classifier: StreamingClassifier
  private let view: View
  private let labels: [String]
  private let state = Mutex(State())

  init(classifier: StreamingClassifier, view: View, labels: [String]) {
    self.classifier = classifier
    self.view = view
    self.labels = labels
    if case .live = view { write("\u{1B}[?25l") }  // hide the cursor while redrawing
  }

  /// Pushes a chunk and writes its updates; false once the stream has ended (interrupted).
  func push(_ chunk: AudioBuffer) throws -> Bool {
    try state.withLock { (s) throws -> Bool in
      if s.ended { return false }
      do {
        show(try classifier.push(chunk), &s)
      } catch {
        restore(&s)
        s.ended = true
        throw error
      }
      return true
    }
  }

  /// Flushes the final updates and restores the terminal (once).
  func end(status: Int32) {
    state.withLock { s in
      if s.ended { return }
      s.ended = true
      do {
        show(try classifier.finish(), &s)
      } catch {
        printError("\(error)")
      }
      restore(&s)
      if status == 130, case .live = view { write("interrupted\n") }
    }
  }

  /// Restores the terminal after an error, without a final update.
  func abandon() {
    state.withLock { s in
      s.ended = true
      restore(&s)
    }
  }

  private func show(_ updates: [StreamingUpdate], _ s: inout State) {
    guard !updates.isEmpty else { return }
    switch view {
    case .jsonLines:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      var text = ""
      for update in updates {
        if let data = try? encoder.encode(StreamRecord(update, labels: labels)) {
          text += String(decoding: data, as: UTF8.self) + "\n"
        }
      }
      write(text)
    case .live(let top):
      for update in updates { if let change = update.change { s.changes.append(change) } }
      if s.changes.count > 6 { s.changes.removeFirst(s.changes.count - 6) }
      let lines = liveLines(updates.last!, top: top, changes: s.changes)
      var text = s.drawnLines > 0 ? "\u{1B}[\(s.drawnLines)A" : ""
      for line in lines { text += "\u{1B}[2K" + line + "\n" }
      s.drawnLines = lines.count
      write(text)
    }
  }

  private func liveLines(_ update: StreamingUpdate, top: Int, changes: [GenreChange]) -> [String] {
    let window = update.window
    let kind = update.isPartial ? "partial window" : "window"
    var lines = [
      String(format: "%@  now: %@   (%@ %.1f–%.1f s: %@)", clock(window.end), update.currentLabel, kind,
        window.start, window.end, window.label)
    ]
    for ranked in update.smoothedRanking.prefix(top) {
      let width = Int((Double(ranked.probability) * 30).rounded())
      let bar = String(repeating: "█", count: width) + String(repeating: "·", count: 30 - width)
      lines.append(
        ranked.label.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + bar
          + String(format: " %.2f", ranked.probability))
    }
    let history = changes.map { "\(clock($0.time)) \($0.to)" }.joined(separator: " → ")
    lines.append("changes: \(history)")
    return lines
  }

  private func clock(_ seconds: Double) -> String {
    let whole = Int(seconds)
    return String(format: "%02d:%02d.%d", whole / 60, whole % 60, Int((seconds - Double(whole)) * 10))
  }

  private func restore(_ s: inout State) {
    if case .live = view { write("\u{1B}[?25h") }  // show the cursor again
  }

  private func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}

/// One JSON line of `genre stream`.
private struct StreamRecord: Encodable {
  var index: Int
  var start: Double
  var end: Double
  var partial: Bool
  var final: Bool
  var label: String
  var probabilities: [String: Float]
  var smoothed: [String: Float]
  var current: String
  var change: GenreChange?

  init(_ update: StreamingUpdate, labels: [String]) {
    index = update.index
    start = update.window.start
    end = update.window.end
    partial = update.isPartial
    final = update.isFinal
    label = update.window.label
    probabilities = Dictionary(uniqueKeysWithValues: zip(labels, update.window.probabilities))
    smoothed = Dictionary(uniqueKeysWithValues: zip(labels, update.smoothedProbabilities))
    current = update.currentLabel
    change = update.change
  }
}
