import Foundation
import Testing

// Test support shared by the test targets: the CLI runner (both executables), golden files, fixture paths and
// tolerance comparisons. Not part of the product.

/// Runs the built `peakplan` binary (next to the test bundle) and compares whole outputs.
public enum CLI {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    public static let binary: String = executable("peakplan")
    /// The benchmarks executable (not shipped in `peakplan`).
    public static let benchBinary: String = executable("peakplan-bench")

    public static func executable(_ name: String) -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test bundle may live in <bin>/PeakPlanPackageTests.xctest/...; walk up to find the binary.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root + "/.build/debug/" + name
    }
    public static let corpus = root + "/Tests/IngestTests/Corpus"
    public static let golden = root + "/Tests/CLITests/Golden"
    public static let voice6 = root + "/Datasets/anonbank-israel-1999/voice-6min.csv"
    public static let types30 = root + "/Datasets/anonbank-calls-1999/types-30min.csv"

    public struct Result { public var code: Int32; public var out: String; public var err: String }

    @discardableResult
    public static func run(_ args: [String], stdin: Data? = nil) throws -> Result {
        let p = Process()
        // `bench ...` runs the benchmarks executable.
        p.executableURL = URL(fileURLWithPath: args.first == "bench" ? benchBinary : binary)
        p.arguments = args.first == "bench" ? Array(args.dropFirst()) : args
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        p.environment = env
        let o = Pipe(), e = Pipe()
        p.standardOutput = o
        p.standardError = e
        let i = Pipe()
        p.standardInput = i
        try p.run()
        if let d = stdin { try? i.fileHandleForWriting.write(contentsOf: d) }
        try? i.fileHandleForWriting.close()
        // Read both pipes fully before waiting (large outputs would block otherwise).
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter(); DispatchQueue.global().async { outData = o.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter(); DispatchQueue.global().async { errData = e.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.wait()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
    }

    public static func workspace(zone: String = "+02:00", extra: [String] = []) throws -> String {
        let d = NSTemporaryDirectory() + "peakplan-cli-\(UUID().uuidString)"
        let r = try run(["init", "--workspace", d, "--time-zone", zone] + extra)
        precondition(r.code == 0, r.err)
        return d
    }

    /// Compares with a golden file; PEAKPLAN_UPDATE_GOLDEN=1 rewrites it.
    public static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = golden + "/" + name
        if ProcessInfo.processInfo.environment["PEAKPLAN_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let want = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == want, "differs from golden \(name)", sourceLocation: sourceLocation)
    }

    public static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }
}

/// `a` and `b` agree within `absolute + relative * max(|a|, |b|)`; the failure names both and the difference.
public func expectClose(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 0, _ what: String = "",
                        sourceLocation: SourceLocation = #_sourceLocation) {
    let d = abs(a - b), allowed = absolute + relative * max(abs(a), abs(b))
    #expect(d <= allowed || (a.isNaN && b.isNaN), "\(what.isEmpty ? "" : what + ": ")\(a) vs \(b): differs by \(d), allowed \(allowed)",
            sourceLocation: sourceLocation)
}
