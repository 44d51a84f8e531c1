import AudioIO
import Features
import Foundation

/// Log-mel segment images of listed audio tracks (`root/<genre>/<file>`), one label per track,
/// extracted once per track and cached on disk.
public struct LogMelDataset: Sendable {
  /// `count × melCount × frameCount` dB values, segment-major (`LogMelSegmentBatch/values` layout).
  public var values: [Float]
  /// The label of each segment (the track's genre folder).
  public var labels: [String]
  /// The track name (`genre.00012.wav`) of each segment, for song-level aggregation.
  public var tracks: [String]
  /// Tracks skipped because their audio could not be decoded, with the reason.
  public var skipped: [(path: String, reason: String)]

  /// The number of segments.
  public var count: Int { labels.count }

  /// Loads the segments of `paths` (split-list form `genre/file.wav`, relative to `root`) whose
  /// genre is in `genres` (all when nil). Every track is segmented separately (segments never
  /// straddle two tracks). A file that fails to decode is skipped and reported through `log`
  /// and ``skipped``; a missing file is an error.
  ///
  /// - Parameters:
  ///   - root: the folder holding one subfolder per genre.
  ///   - paths: relative paths in split-list order.
  ///   - genres: the genres to keep, or nil for all.
  ///   - input: the log-mel description.
  ///   - cacheDirectory: where images are cached (`<dir>/<input hash>/<genre>.<file>.logmel`,
  ///     keyed by the file's size and modification time), or nil for no cache.
  ///   - log: receives one line per skipped file.
  /// - Throws: `ModelError.fileError` for a missing file or an unwritable cache,
  ///   `.features` when extraction refuses a decoded signal, `.emptyDataset` when nothing is left.
  public init(
    root: URL, paths: [String], genres: Set<String>? = nil, input: LogMelSegments, cacheDirectory: URL? = nil,
    log: (String) -> Void = { _ in }
  ) throws(ModelError) {
    let plan: LogMelSegmentPlan
    do { plan = try LogMelSegmentPlan(input) } catch { throw .features(source: "log-mel input", error) }
    let imageSize = input.melCount * input.frameCount
    let cacheFolder = cacheDirectory.map { $0.appendingPathComponent(Self.hash(of: input)) }
    values = []
    labels = []
    tracks = []
    skipped = []
    for path in paths {
      let genre = String(path.split(separator: "/").first ?? "")
      if let genres, !genres.contains(genre) { continue }
      let url = root.appendingPathComponent(path)
      let stamp = try Self.stamp(of: url)
      let cacheURL = cacheFolder?.appendingPathComponent(path.replacingOccurrences(of: "/", with: ".") + ".logmel")
      var images: [Float]
      if let cacheURL, let cached = Self.read(cacheURL, stamp: stamp, imageSize: imageSize) {
        images = cached
      } else {
        let decoded: DecodedAudio
        do {
          decoded = try AudioDecoder.decode(contentsOf: url)
        } catch {
          log("skipping \(path): \(error.description)")
          skipped.append((path, error.description))
          continue
        }
        do {
          images = try plan.segments(of: decoded.buffer.mono(), sampleRate: decoded.buffer.sampleRate).values
        } catch {
          throw .features(source: url.path, error)
        }
        if let cacheURL { try Self.write(images, to: cacheURL, stamp: stamp) }
      }
      let segments = images.count / imageSize
      values += images
      labels += Array(repeating: genre, count: segments)
      tracks += Array(repeating: TrackID.track(of: path), count: segments)
    }
    guard !labels.isEmpty else {
      throw .emptyDataset(reason: "no decodable tracks of the requested genres under '\(root.path)'")
    }
  }

  private static func hash(of input: LogMelSegments) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Plain numbers and an enum: encoding cannot fail.
    let json = (try? encoder.encode(input)) ?? Data()
    return String(format: "logmel-%016llx", FeatureCache.fnv1a(json))
  }

  /// The file's size and modification time (seconds), which a cache entry must match.
  private static func stamp(of url: URL) throws(ModelError) -> [Double] {
    do {
      let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
      let size = (attributes[.size] as? NSNumber)?.doubleValue ?? -1
      let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
      return [size, modified]
    } catch {
      throw .fileError(path: url.path, reason: error.localizedDescription)
    }
  }

  /// Entry layout: size and modification time (2 × Float64), then the images as Float32, all
  /// little-endian.
  private static func read(_ url: URL, stamp: [Double], imageSize: Int) -> [Float]? {
    guard let data = try? Data(contentsOf: url), data.count >= 16 else { return nil }
    let floatBytes = data.count - 16
    guard floatBytes % 4 == 0, floatBytes / 4 % imageSize == 0, floatBytes > 0 else { return nil }
    return data.withUnsafeBytes { raw -> [Float]? in
      let header = (0..<2).map {
        Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))
      }
      guard header == stamp else { return nil }
      return (0..<(floatBytes / 4)).map {
        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 16 + 4 * $0, as: UInt32.self)))
      }
    }
  }

  private static func write(_ images: [Float], to url: URL, stamp: [Double]) throws(ModelError) {
    var data = Data(capacity: 16 + 4 * images.count)
    for value in stamp { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    images.withUnsafeBufferPointer { buffer in
      for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    }
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try data.write(to: url, options: .atomic)
    } catch {
      throw .fileError(path: url.path, reason: error.localizedDescription)
    }
  }
}
