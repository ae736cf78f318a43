#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PlanningCore

/// Reads a text file (or standard input) line by line in large chunks, without decoding it all.
///
/// - Strips a UTF-8 byte-order mark at the start and `\r` before `\n` (CRLF files).
/// - Refuses a line longer than `maxLineBytes` after reading only that much (a 1 GB line costs 1 MiB).
/// - Refuses NUL bytes and invalid UTF-8 (binary garbage), naming the line.
public final class LineReader {
    public static let defaultMaxLineBytes = 1 << 20

    public let name: String
    private let fd: Int32
    private let ownsFD: Bool
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var eof = false
    private let maxLineBytes: Int
    public private(set) var lineNumber = 0
    public private(set) var bytesConsumed: Int64 = 0
    /// Size of the file when known (not for pipes).
    public let totalBytes: Int64?

    /// Opens `path`; `-` means standard input.
    public init(path: String, maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws(InputError) {
        self.maxLineBytes = maxLineBytes
        if path == "-" {
            name = "<stdin>"
            fd = 0
            ownsFD = false
            totalBytes = nil
        } else {
            name = path
            let f = open(path, O_RDONLY)
            guard f >= 0 else {
                let reason = String(cString: strerror(errno))
                throw InputError(kind: .unreadable, file: path, message: "cannot open: \(reason)", fix: "check the path")
            }
            var st = stat()
            if fstat(f, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                close(f)
                throw InputError(kind: .unreadable, file: path, message: "is a directory, not a CSV file", fix: "name a file")
            }
            fd = f
            ownsFD = true
            totalBytes = (st.st_mode & S_IFMT) == S_IFREG ? Int64(st.st_size) : nil
        }
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if ownsFD { close(fd) }
    }

    private func fill() throws(InputError) {
        if start > 0 {
            let n = end - start
            if n > 0 { buffer.update(from: buffer + start, count: n) }
            start = 0
            end = n
        }
        if end == capacity {
            let newCap = capacity * 2
            let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
            nb.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = nb
            capacity = newCap
        }
        while true {
            let r = read(fd, buffer + end, capacity - end)
            if r < 0 {
                if errno == EINTR { continue }
                throw InputError(kind: .unreadable, file: name, line: lineNumber + 1, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if r == 0 { eof = true }
            end += r
            return
        }
    }

    /// Calls `body` with the next line (without its line ending); returns false at end of input.
    /// The buffer is valid only inside `body`.
    @inline(__always)
    public func nextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(InputError) -> R) throws(InputError) -> R? {
        var scanFrom = start
        while true {
            if let nl = findNewline(from: scanFrom) {
                lineNumber += 1
                var lineEnd = nl
                if lineEnd > start && buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
                var s = start
                if lineNumber == 1 && lineEnd - s >= 3 && buffer[s] == 0xEF && buffer[s + 1] == 0xBB && buffer[s + 2] == 0xBF { s += 3 }
                let len = lineEnd - s
                if len > maxLineBytes { throw tooLong() }
                let bp = UnsafeBufferPointer(start: buffer + s, count: len)
                try check(bp)
                bytesConsumed += Int64(nl + 1 - start)
                start = nl + 1
                return try body(bp)
            }
            if end - start > maxLineBytes + 2 { lineNumber += 1; throw tooLong() }
            if eof {
                if start == end { return nil }
                // Last line without a trailing newline.
                lineNumber += 1
                var lineEnd = end
                if lineEnd > start && buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
                var s = start
                if lineNumber == 1 && lineEnd - s >= 3 && buffer[s] == 0xEF && buffer[s + 1] == 0xBB && buffer[s + 2] == 0xBF { s += 3 }
                let bp = UnsafeBufferPointer(start: buffer + s, count: lineEnd - s)
                try check(bp)
                bytesConsumed += Int64(end - start)
                start = end
                return try body(bp)
            }
            let scanned = end - start
            try fill()
            scanFrom = start + scanned
        }
    }

    private func tooLong() -> InputError {
        InputError(file: name, line: lineNumber,
                   message: "line is longer than \(maxLineBytes / 1024) KiB (binary data, or a file without line breaks?)",
                   fix: "give a CSV text file with one record per line")
    }

    @inline(__always)
    private func findNewline(from: Int) -> Int? {
        guard from < end else { return nil }
        if let p = memchr(buffer + from, 10, end - from) {
            return buffer.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        return nil
    }

    @inline(__always)
    private func check(_ bp: UnsafeBufferPointer<UInt8>) throws(InputError) {
        guard let base = bp.baseAddress, bp.count > 0 else { return }
        if let nul = memchr(base, 0, bp.count) {
            let i = base.distance(to: nul.assumingMemoryBound(to: UInt8.self))
            throw InputError(file: name, line: lineNumber,
                             message: "binary data (a NUL byte at byte \(i + 1) of the line): this is not a CSV text file",
                             fix: "export the data as UTF-8 CSV text")
        }
        // High bit set anywhere? Eight bytes at a time.
        var acc: UInt64 = 0
        var i = 0
        let n = bp.count
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n { acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self); i += 8 }
        while i < n { acc |= UInt64(bp[i]); i += 1 }
        let high = acc & 0x8080_8080_8080_8080 != 0
        if high {
            var it = bp.makeIterator()
            var decoder = UTF8()
            loop: while true {
                switch decoder.decode(&it) {
                case .scalarValue: continue
                case .emptyInput: break loop
                case .error:
                    throw InputError(file: name, line: lineNumber,
                                     message: "invalid UTF-8 text (binary data, or a file in another encoding such as GBK or Latin-1)",
                                     fix: "save the file as UTF-8")
                }
            }
        }
    }
}
