import Foundation
import Testing
@testable import Ingest
import PlanningCore

let corpusDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path
let london = try! ZoneRules("Europe/London")

struct BadCase: Sendable, CustomStringConvertible {
    var file: String
    var line: Int?
    var column: String?
    var fragment: String
    var description: String { file }
}

/// Every bad input names file, line, column (where one applies) and what is wrong.
let badCases: [BadCase] = [
    .init(file: "bad-missing-header.csv", line: 1, column: "timestamp, channel, volume", fragment: "header is missing"),
    .init(file: "bad-missing-column.csv", line: 1, column: "volume", fragment: "required column volume missing"),
    .init(file: "bad-volume-not-numeric.csv", line: 4, column: "volume", fragment: "volume is not a number"),
    .init(file: "bad-volume-negative.csv", line: 4, column: "volume", fragment: "volume is negative"),
    .init(file: "bad-volume-nan.csv", line: 4, column: "volume", fragment: "not a finite number"),
    .init(file: "bad-volume-inf.csv", line: 4, column: "volume", fragment: "not a finite number"),
    .init(file: "bad-aht-inf.csv", line: 4, column: "aht_seconds", fragment: "finite number"),
    .init(file: "bad-timestamp-unparseable.csv", line: 4, column: "timestamp", fragment: "cannot read the timestamp"),
    .init(file: "bad-timestamp-invalid-date.csv", line: 2, column: "timestamp", fragment: "day 30 does not exist in 2026-02"),
    .init(file: "bad-timestamp-off-grid.csv", line: 5, column: "timestamp", fragment: "not on the 15-minute grid"),
    .init(file: "bad-timestamp-dst-gap.csv", line: 4, column: "timestamp", fragment: "does not exist in Europe/London: clocks jumped from 01:00 to 02:00 on 2026-03-29"),
    .init(file: "bad-timestamp-offset-mismatch.csv", line: 2, column: "timestamp", fragment: "UTC offset +05:00 does not match Europe/London"),
    .init(file: "bad-duplicate-rows.csv", line: 5, column: "timestamp", fragment: "duplicate row: line 3 already has this timestamp for channel voice"),
    .init(file: "bad-mixed-intervals.csv", line: 11, column: "timestamp", fragment: "mix interval lengths"),
    .init(file: "bad-empty.csv", line: nil, column: nil, fragment: "the file is empty"),
    .init(file: "bad-header-only.csv", line: nil, column: nil, fragment: "no data rows"),
    .init(file: "bad-binary-garbage.bin", line: 1, column: nil, fragment: "binary data"),
    .init(file: "bad-invalid-utf8.csv", line: 2, column: nil, fragment: "invalid UTF-8"),
    .init(file: "bad-field-count.csv", line: 4, column: nil, fragment: "3 fields, but the header has 5"),
    .init(file: "bad-abandoned-exceeds-volume.csv", line: 4, column: "abandoned", fragment: "abandoned exceeds volume"),
    .init(file: "bad-unterminated-quote.csv", line: 4, column: nil, fragment: "malformed quotes"),
    .init(file: "bad-duplicate-column.csv", line: 1, column: "volume", fragment: "appears twice"),
    // Issue 12: numbers are decimal and bounded to what downstream code handles.
    .init(file: "bad-volume-hex.csv", line: 4, column: "volume", fragment: "not a number (decimal notation only"),
    .init(file: "bad-volume-hex-float.csv", line: 4, column: "volume", fragment: "no hexadecimal"),
    .init(file: "bad-volume-huge.csv", line: 4, column: "volume", fragment: "larger than the maximum of 1000000000 contacts"),
    .init(file: "bad-volume-1e308.csv", line: 4, column: "volume", fragment: "larger than the maximum"),
    .init(file: "bad-volume-overflow.csv", line: 4, column: "volume", fragment: "not a finite number"),
    .init(file: "bad-aht-huge.csv", line: 4, column: "aht_seconds", fragment: "from 0 to 86400"),
    .init(file: "bad-aht-hex.csv", line: 4, column: "aht_seconds", fragment: "written in decimal"),
    // Issue 12: channel names become file names and land in spreadsheets and terminals.
    .init(file: "bad-channel-dotdot-path.csv", line: 4, column: "channel", fragment: "path separator"),
    .init(file: "bad-channel-slash.csv", line: 4, column: "channel", fragment: "path separator"),
    .init(file: "bad-channel-backslash.csv", line: 4, column: "channel", fragment: "path separator"),
    .init(file: "bad-channel-dotdot.csv", line: 4, column: "channel", fragment: "contains \"..\""),
    .init(file: "bad-channel-formula-eq.csv", line: 4, column: "channel", fragment: "starts with \"=\", which spreadsheets run as a formula"),
    .init(file: "bad-channel-formula-plus.csv", line: 4, column: "channel", fragment: "starts with \"+\""),
    .init(file: "bad-channel-formula-minus.csv", line: 4, column: "channel", fragment: "starts with \"-\""),
    .init(file: "bad-channel-formula-at.csv", line: 4, column: "channel", fragment: "starts with \"@\""),
    .init(file: "bad-channel-escape.csv", line: 4, column: "channel", fragment: "control character (U+001B)"),
    .init(file: "bad-channel-bell.csv", line: 4, column: "channel", fragment: "control character (U+0007)"),
    .init(file: "bad-channel-quoted-newline-cr.csv", line: 4, column: "channel", fragment: "control character (U+000D)"),
]

@Suite struct CorpusTests {
    @Test("each bad file fails with file, line, column and reason", arguments: badCases)
    func badFile(_ c: BadCase) throws {
        let path = corpusDir + "/" + c.file
        do {
            let b = try HistoryParser(zone: london).parse(path: path)
            Issue.record("\(c.file) was accepted with \(b.count) rows")
        } catch {
            #expect(error.kind == .invalidData)
            #expect(error.file == path)
            #expect(error.line == c.line, "\(error)")
            #expect(error.column == c.column, "\(error)")
            #expect(error.description.contains(c.fragment), "\(error)")
            #expect(error.description.hasPrefix(path + (c.line.map { ":\($0)" } ?? "") + ": "))
            #expect(error.fix != nil, "every error says what to do: \(error)")
        }
    }

    @Test func everyBadCorpusFileHasACase() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: corpusDir).filter { $0.hasPrefix("bad-") }
        #expect(Set(files) == Set(badCases.map(\.file)))
    }

    @Test func chineseChannelNamesAreKept() throws {
        let b = try HistoryParser(zone: london).parse(path: corpusDir + "/good-utf8-chinese.csv")
        #expect(b.channels == ["语音", "在线客服"])
        #expect(b.count == 4)
        #expect(b.intervalMinutes == [30, 30])
    }

    @Test func bomAndCRLFAreAccepted() throws {
        let b = try HistoryParser(zone: london).parse(path: corpusDir + "/good-bom-crlf.csv")
        #expect(b.channels == ["voice"])
        #expect(b.volume == [10, 12])
        #expect(b.aht == [180, 175])
        #expect(b.hasAHT && b.hasAbandoned)
    }

    @Test func repeatedFallBackHourIsFirstThenSecondOccurrence() throws {
        let b = try HistoryParser(zone: london).parse(path: corpusDir + "/good-dst-fall-back.csv")
        #expect(b.count == 11)
        // Strictly increasing instants 15 minutes apart: the second 01:00 is one hour after the first.
        for k in 1..<b.count { #expect(b.utc[k] - b.utc[k - 1] == 900) }
        #expect(b.intervalMinutes == [15])
    }

    @Test func unknownColumnWarns() throws {
        let b = try HistoryParser(zone: london).parse(path: corpusDir + "/good-unknown-column.csv")
        #expect(b.warnings.count == 1)
        #expect(b.warnings[0].contains("unknown column \"site\" ignored"))
        #expect(!b.hasAHT)
    }

    @Test("the shared CSV reader: LF, CRLF, BOM, quotes with spaces around them, a final line without its end")
    func sharedReader() throws {
        let crlf = "\u{FEFF}a,b,c\r\n1,\"x, y\",3\r\n\r\n 4 , \"say \"\"hi\"\"\" ,6"
        let recs = try CSVText.records(crlf)
        #expect(recs.map(\.line) == [1, 2, 3, 4])
        #expect(recs[0].fields == ["a", "b", "c"])
        #expect(recs[1].fields == ["1", "x, y", "3"])
        #expect(recs[2].isBlank)
        #expect(recs[3].fields == [" 4 ", "say \"hi\"", "6"])
        #expect(try CSVText.records("a,b\nc,d\n").map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(throws: CSVSyntaxError.self) { try CSVText.records("a,b\n\"open,c\n") }
        #expect(CSVText.fields("\"a\"x,b") == nil)
    }

    @Test("a 1 GiB line is refused after reading about 1 MiB")
    func hugeLine() throws {
        let path = NSTemporaryDirectory() + "peakplan-hugeline-\(getpid()).csv"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        let header = "timestamp,channel,volume\n2026-01-05T08:00:00,voice,1\n"
        _ = header.withCString { write(fd, $0, strlen($0)) }
        let chunk = [UInt8](repeating: UInt8(ascii: "7"), count: 1 << 20)
        for _ in 0..<1024 { _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        close(fd)
        do {
            _ = try HistoryParser(zone: london).parse(path: path)
            Issue.record("accepted a 1 GiB line")
        } catch {
            #expect(error.line == 3)
            #expect(error.description.contains("longer than 1024 KiB"))
        }
    }

    @Test func missingFileIsUnreadable() {
        do { _ = try HistoryParser(zone: london).parse(path: corpusDir + "/no-such-file.csv"); Issue.record("accepted") }
        catch { #expect(error.kind == .unreadable); #expect(error.description.contains("cannot open")) }
    }
}

@Suite struct NumberParsing {
    @Test("hexadecimal and other non-decimal forms are refused; inf and nan parse (callers say not finite)",
          arguments: ["0x10", "0X1p4", "0x1.8p1", "1_000", "12abc", "e5", ".", "1e", "--1", "1e+"])
    func refused(_ s: String) { #expect(NumberParser.parse(s) == nil, "\(s)") }

    @Test func specialWords() {
        #expect(NumberParser.parse("inf")?.isInfinite == true)
        #expect(NumberParser.parse("-Infinity")?.isInfinite == true)
        #expect(NumberParser.parse("nan")?.isNaN == true)
        #expect(NumberParser.parse("1e308") == 1e308)
        #expect(NumberParser.parse(".5") == 0.5)
    }

    @Test("fast path agrees with the standard library bit for bit",
          arguments: ["0", "1", "14.5", "183.2", "0.1", "123456789012345", "0.000123", "99999.99999", "1e3", "2.5E-2", "007", "1.", "-0"])
    func agrees(_ s: String) {
        var t = s
        let v = t.withUTF8 { NumberParser.parse($0) }
        #expect(v?.bitPattern == Double(s)?.bitPattern || (v == 0 && Double(s) == 0))
    }

    @Test func randomDecimalsRoundTrip() {
        var state: UInt64 = 12345
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let cents = Double(state >> 40) / 100
            var s = "\(cents)"
            let v = s.withUTF8 { NumberParser.parse($0) }
            #expect(v == cents, "\(s)")
        }
    }
}
