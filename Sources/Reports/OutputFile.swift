#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes output to stdout or to a file atomically: a temporary file in the same folder, fsync, rename.
/// A failure or a kill never leaves a half-written output file.
///
/// Special targets: an existing non-regular file (`/dev/null`, `/dev/full`, a FIFO, `/dev/stdout`) is written
/// straight (never replaced by a regular file); a symlink is followed and its target replaced (the link stays);
/// an existing file keeps its permission bits. A failing write (`/dev/full`) is a `WriteError` (exit 73).
public final class OutputSink {
    public let path: String?
    private var fd: Int32
    private let tempPath: String?
    /// Where the temporary file is renamed to (the symlink's target for a symlink).
    private let finalPath: String?
    private var buffer: [UInt8] = []
    private var committed = false
    private let ownsFD: Bool

    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// `path == nil` or `-` writes to stdout.
    public init(path: String?) throws(WriteError) {
        if let p = path, p != "-" {
            self.path = p
            var st = stat()
            if stat(p, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                guard (st.st_mode & S_IFMT) != S_IFDIR else { throw WriteError(path: p, message: "is a folder: name a file") }
                // A device, FIFO or socket (possibly through a symlink such as /dev/stdout): write to it directly.
                let f = open(p, O_WRONLY | O_CLOEXEC)
                guard f >= 0 else { throw WriteError(path: p, message: "cannot open for writing: \(String(cString: strerror(errno)))") }
                fd = f; tempPath = nil; finalPath = nil; ownsFD = true
            } else {
                // A regular file (through symlinks: its real path) or a new path: temporary file + rename.
                var target = p
                var lst = stat()
                if lstat(p, &lst) == 0 && (lst.st_mode & S_IFMT) == S_IFLNK {
                    if let r = realpath(p, nil) { target = String(cString: r); free(r) }
                    else {
                        // A dangling link: create its target through it.
                        let f = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                        guard f >= 0 else { throw WriteError(path: p, message: "cannot create: \(String(cString: strerror(errno)))") }
                        fd = f; tempPath = nil; finalPath = nil; ownsFD = true
                        buffer.reserveCapacity(1 << 16)
                        return
                    }
                }
                let exists = stat(target, &st) == 0
                let tmp = target + ".tmp-\(getpid())"
                let f = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard f >= 0 else { throw WriteError(path: p, message: "cannot create: \(String(cString: strerror(errno)))") }
                if exists { _ = fchmod(f, st.st_mode & 0o7777) }
                fd = f
                tempPath = tmp
                finalPath = target
                ownsFD = true
            }
        } else {
            self.path = nil
            fd = 1
            tempPath = nil
            finalPath = nil
            ownsFD = false
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if let t = tempPath, !committed { close(fd); unlink(t) }
        else if tempPath == nil && ownsFD && !committed { close(fd) }
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
        if let t = tempPath, let p = path, let target = finalPath {
            fsync(fd)
            close(fd)
            guard rename(t, target) == 0 else {
                unlink(t)
                throw WriteError(path: p, message: "cannot rename into place: \(String(cString: strerror(errno)))")
            }
            committed = true
        } else if ownsFD {
            committed = true
            guard close(fd) == 0 else { throw WriteError(path: path ?? "<stdout>", message: "write failed: \(String(cString: strerror(errno)))") }
        }
    }
}
