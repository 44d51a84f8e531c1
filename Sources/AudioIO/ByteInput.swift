import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `read(2)`, reachable from types that have a `read` method of their own.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(fd, buffer, count)
}

/// `open(2)` for reading.
private func posixOpen(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }

/// A source of input bytes addressed by logical offset (0 = where the audio file starts).
///
/// Seekable inputs serve any offset; forward-only inputs (pipes) serve offsets at or after the
/// current position, discarding skipped bytes, and throw `.notSeekable` for earlier ones.
protocol ByteInput: AnyObject {
  /// Total bytes, when known.
  var length: Int? { get }
  /// Whether any offset may be read.
  var isSeekable: Bool { get }
  /// Reads up to `buffer.count` bytes at `offset`, returning fewer only at the end of the input.
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(AudioIOError) -> Int
}

extension ByteInput {
  /// Up to `count` bytes at `offset` as an array (fewer only at the end of the input).
  func bytes(at offset: Int, count: Int) throws(AudioIOError) -> [UInt8] {
    guard count > 0 else { return [] }
    var result = [UInt8](repeating: 0, count: count)
    let got = try result.withUnsafeMutableBytes { buffer in
      Result { () throws(AudioIOError) in try read(into: buffer, at: offset) }
    }.get()
    result.removeLast(count - got)
    return result
  }
}

/// A `HeaderSource` reading through a `ByteInput`.
struct InputHeaderSource: HeaderSource {
  let input: any ByteInput
  var length: Int? { input.length }
  var isSeekable: Bool { input.isSeekable }
  func bytes(at offset: Int, count: Int) throws(AudioIOError) -> [UInt8] {
    try input.bytes(at: offset, count: count)
  }
}

/// Bytes held in memory.
final class DataInput: ByteInput {
  let data: Data
  init(_ data: Data) { self.data = data }
  var length: Int? { data.count }
  var isSeekable: Bool { true }
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
    guard offset < data.count else { return 0 }
    let count = min(buffer.count, data.count - offset)
    let start = data.startIndex + offset
    data.copyBytes(to: buffer.bindMemory(to: UInt8.self), from: start..<start + count)
    return count
  }
}

/// A POSIX file descriptor: a regular file (seekable, `pread`) or a pipe/terminal (forward `read`).
final class DescriptorInput: ByteInput {
  let descriptor: Int32
  private let ownsDescriptor: Bool
  let isSeekable: Bool
  let length: Int?
  /// Absolute file offset of logical offset 0 (seekable inputs).
  private let base: Int
  /// Bytes consumed so far (forward-only inputs).
  private var position = 0
  /// Forward-only inputs: the bytes from offset 0 to `position`, kept while `retainsHistory` so a
  /// header parser may read a region twice (e.g. the magic, then the whole header).
  private var history: [UInt8] = []
  /// The most history kept (1 MiB); past it, going back throws `.notSeekable`.
  static let historyLimit = 1 << 20
  /// Whether reads of a forward-only input are kept in `history`; turn off before streaming data.
  var retainsHistory = true {
    didSet { if !retainsHistory { history = [] } }
  }
  /// Where the error messages say the bytes came from.
  let name: String
  /// An object that owns the descriptor (a `FileHandle`), kept alive while this input is.
  var owner: AnyObject?

  /// Wraps an open descriptor; closes it on deinit only when `owns` is true.
  init(descriptor: Int32, owns: Bool, name: String) {
    self.descriptor = descriptor
    self.ownsDescriptor = owns
    self.name = name
    var info = stat()
    let current = lseek(descriptor, 0, SEEK_CUR)
    if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, current >= 0 {
      isSeekable = true
      base = Int(current)
      length = max(Int(info.st_size) - Int(current), 0)
    } else {
      isSeekable = false
      base = 0
      length = nil
    }
  }

  /// Opens `url` for reading.
  ///
  /// - Throws: `.fileNotReadable` with the system's reason.
  static func open(_ url: URL) throws(AudioIOError) -> DescriptorInput {
    let path = url.path
    var descriptor: Int32
    repeat { descriptor = posixOpen(path) } while descriptor < 0 && errno == EINTR
    guard descriptor >= 0 else {
      throw .fileNotReadable(path: path, reason: String(cString: strerror(errno)))
    }
    var info = stat()
    if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
      close(descriptor)
      throw .fileNotReadable(path: path, reason: "it is a directory")
    }
    return DescriptorInput(descriptor: descriptor, owns: true, name: path)
  }

  deinit {
    if ownsDescriptor { close(descriptor) }
  }

  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(AudioIOError) -> Int {
    guard let start = buffer.baseAddress, buffer.count > 0 else { return 0 }
    var done = 0
    if !isSeekable {
      if offset < position {
        // Serve what was read before from the history, then continue reading forwards.
        guard retainsHistory, history.count == position else {
          throw .notSeekable(operation: "go back to byte \(offset)")
        }
        done = min(buffer.count, position - offset)
        history.withUnsafeBytes { kept in
          start.copyMemory(from: kept.baseAddress! + offset, byteCount: done)
        }
        if done == buffer.count { return done }
      } else {
        try skip(offset - position)
      }
    }
    while done < buffer.count {
      let n =
        isSeekable
        ? pread(descriptor, start + done, buffer.count - done, off_t(base + offset + done))
        : posixRead(descriptor, start + done, buffer.count - done)
      if n > 0 {
        done += n
      } else if n == 0 {
        break
      } else if errno != EINTR {
        throw .readFailed(reason: "\(name): \(String(cString: strerror(errno)))")
      }
    }
    if !isSeekable {
      let fresh = done - max(min(buffer.count, position - offset), 0)
      if retainsHistory, fresh > 0 {
        history.append(contentsOf: UnsafeRawBufferPointer(start: start + done - fresh, count: fresh))
      }
      position += fresh
      if history.count > Self.historyLimit { retainsHistory = false }
    }
    return done
  }

  /// Reads and discards `count` bytes of a forward-only input (stops early at its end).
  private func skip(_ count: Int) throws(AudioIOError) {
    var remaining = count
    var scratch = [UInt8](repeating: 0, count: min(remaining, 65_536))
    while remaining > 0 {
      let got = try scratch.withUnsafeMutableBytes { buffer in
        Result { () throws(AudioIOError) -> Int in
          var done = 0
          let want = min(buffer.count, remaining)
          while done < want {
            let n = posixRead(descriptor, buffer.baseAddress! + done, want - done)
            if n > 0 {
              done += n
            } else if n == 0 {
              break
            } else if errno != EINTR {
              throw .readFailed(reason: "\(name): \(String(cString: strerror(errno)))")
            }
          }
          return done
        }
      }.get()
      if retainsHistory { history += scratch[..<got] }
      if history.count > Self.historyLimit { retainsHistory = false }
      position += got
      remaining -= got
      if got == 0 { return }
      if scratch.count > remaining, remaining > 0 { scratch.removeLast(scratch.count - remaining) }
    }
  }
}
