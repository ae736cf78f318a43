#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes output to stdout or to a file atomically: a temporary file in the same folder, fsync, rename.
/// A failure or a kill never leaves a half-written output file.
public final class OutputSink {
    public let path: String?
    private var fd: Int32
    private let tempPath: String?
    private var buffer: [UInt8] = []
    private var committed = false

    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// `path == nil` or `-` writes to stdout.
    public init(path: String?) throws(WriteError) {
        if let p = path, p != "-" {
            self.path = p
            let tmp = p + ".tmp-\(getpid())"
            let f = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard f >= 0 else { throw WriteError(path: p, message: "cannot create: \(String(cString: strerror(errno)))") }
            fd = f
            tempPath = tmp
        } else {
            self.path = nil
            fd = 1
            tempPath = nil
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if let t = tempPath, !committed { close(fd); unlink(t) }
    }

    public func write(_ s: String) throws(WriteError) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws(WriteError) {
        var off = 0
        while off < buffer.count {
            let r = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if r < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path ?? "<stdout>", message: "write failed: \(String(cString: strerror(errno)))")
            }
            off += r
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes; for a file, syncs and renames the temporary file into place.
    public func finish() throws(WriteError) {
        try flush()
        if let t = tempPath, let p = path {
            fsync(fd)
            close(fd)
            guard rename(t, p) == 0 else {
                unlink(t)
                throw WriteError(path: p, message: "cannot rename into place: \(String(cString: strerror(errno)))")
            }
            committed = true
        }
    }
}
