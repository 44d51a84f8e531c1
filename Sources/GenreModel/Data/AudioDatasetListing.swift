import Foundation

/// An audio data set laid out as one folder per genre (`root/<genre>/<file>`): labels come from
/// the folder names, so any custom set of genres works.
public struct AudioDatasetListing: Sendable, Equatable {
  /// One audio file and its label.
  public struct Item: Sendable, Equatable {
    /// The file's URL.
    public var url: URL
    /// The folder name it was found in.
    public var label: String
    /// `label/fileName`, the form split lists use.
    public var relativePath: String
  }

  /// The labels (folder names), sorted, in class-index order.
  public var labels: [String]
  /// Every audio file, sorted by label then file name.
  public var items: [Item]

  /// File extensions taken as audio (lower-cased).
  public static let audioExtensions: Set<String> = ["wav", "wave", "au", "snd", "rf64"]

  /// Lists `root`: each immediate subfolder is a label; files directly inside it with an audio
  /// extension are its items (hidden files and deeper folders are ignored).
  ///
  /// - Throws: `ModelError.fileError` if `root` is not a readable directory;
  ///   `ModelError.emptyDataset` if no subfolder holds an audio file.
  public init(root: URL) throws(ModelError) {
    let manager = FileManager.default
    let folders: [URL]
    do {
      folders = try manager.contentsOfDirectory(
        at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
    } catch {
      throw .fileError(path: root.path, reason: error.localizedDescription)
    }
    var items: [Item] = []
    var labels: [String] = []
    for folder in folders.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
      guard (try? folder.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true else { continue }
      let label = folder.lastPathComponent
      let files = (try? manager.contentsOfDirectory(
        at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])) ?? []
      let audio = files.filter { Self.audioExtensions.contains($0.pathExtension.lowercased()) }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
      guard !audio.isEmpty else { continue }
      labels.append(label)
      items += audio.map { Item(url: $0, label: label, relativePath: "\(label)/\($0.lastPathComponent)") }
    }
    guard !items.isEmpty else {
      throw .emptyDataset(reason: "'\(root.path)' has no genre subfolders with audio files (.wav, .au)")
    }
    self.labels = labels
    self.items = items
  }
}
