import Foundation
import Testing
@testable import Staffing

/// One row of `Datasets/benchmarks/erlang/erlang_reference.csv` (values computed two independent ways; definitions in
/// `erlang_reference_notes.md`). Expected values keep their printed text so the test knows their resolution.
struct ReferenceRow: Sendable, CustomTestStringConvertible {
    let line: Int
    let model: String
    let arrivals: Double
    let intervalSeconds: Double
    let ahtSeconds: Double
    let patienceSeconds: Double?
    let agents: Int
    let serviceSeconds: Double?
    let serviceLevel: String
    let probWait: String
    let asaSeconds: String

    var testDescription: String {
        "line \(line): \(model) arrivals \(arrivals)/\(intervalSeconds) s, AHT \(ahtSeconds), patience \(patienceSeconds.map { "\($0)" } ?? "-"), agents \(agents)"
    }
}

enum Reference {
    /// Repository root is three levels up from this file.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Datasets/benchmarks/erlang").standardizedFileURL

    static let csvText: String? = try? String(contentsOf: directory.appendingPathComponent("erlang_reference.csv"), encoding: .utf8)
    static let notesText: String? = try? String(contentsOf: directory.appendingPathComponent("erlang_reference_notes.md"), encoding: .utf8)

    static let rows: [ReferenceRow] = {
        guard let text = csvText else { return [] }
        var out: [ReferenceRow] = []
        for (k, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() where k > 0 && !raw.isEmpty {
            let f = splitCSV(String(raw))
            guard f.count == 11 else { continue }
            out.append(ReferenceRow(line: k + 1, model: f[0], arrivals: Double(f[1])!, intervalSeconds: Double(f[2])!,
                                    ahtSeconds: Double(f[3])!, patienceSeconds: Double(f[4]), agents: Int(f[5])!,
                                    serviceSeconds: Double(f[6]), serviceLevel: f[7], probWait: f[8], asaSeconds: f[9]))
        }
        return out
    }()

    /// RFC 4180 fields of one line (quoted fields may hold commas).
    static func splitCSV(_ line: String) -> [String] {
        var fields: [String] = [], cur = "", quoted = false
        var it = Array(line).makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? it.next() {
            pending = nil
            if quoted {
                if ch == "\"" {
                    if let nx = it.next() { if nx == "\"" { cur.append("\"") } else { quoted = false; pending = nx } } else { quoted = false }
                } else { cur.append(ch) }
            } else if ch == "\"" { quoted = true } else if ch == "," { fields.append(cur); cur = "" } else if ch != "\r" { cur.append(ch) }
        }
        fields.append(cur)
        return fields
    }

    /// Half a unit in the 10th significant digit of `text`: the CSV is written with `%.10g`, which drops
    /// trailing zeros, so "3420" means 3420.000000.
    static func printedResolution(_ text: String) -> Double {
        let v = abs(Double(text)!)
        guard v > 0 else { return 0 }
        return 0.5 * pow(10, floor(log10(v)) - 9)
    }
}

@Suite struct ReferenceTableTests {
    @Test func referenceTableIsPresentAndComplete() throws {
        #expect(Reference.csvText != nil, "missing \(Reference.directory.path)/erlang_reference.csv")
        let byModel = Dictionary(grouping: Reference.rows, by: \.model).mapValues(\.count)
        #expect(Reference.rows.count == 47)
        #expect(byModel == ["ErlangB": 7, "ErlangC": 21, "ErlangA": 12, "ErlangC_HalfinWhitt_approx": 4, "ErlangA_GMR_approx": 3])
    }

    /// Every row to 1e-9 absolute (Erlang A ASA: 1e-7). Two allowances, both the reference's own resolution:
    /// ASA values the CSV prints with 10 significant digits above 10 s are checked to half a unit of the last
    /// printed digit (e.g. 835.3452343 is only known to 5e-8). The `*_approx` rows are the asymptotic formulas'
    /// own values (notes), so they test `QEDApproximation`, not the exact models: all 7 are checked, none skipped.
    @Test("reference row reproduced", arguments: Reference.rows)
    func referenceRow(_ r: ReferenceRow) throws {
        let load = try QueueLoad(arrivals: r.arrivals, intervalSeconds: r.intervalSeconds, ahtSeconds: r.ahtSeconds,
                                 patienceSeconds: r.patienceSeconds)
        func close(_ got: Double, _ expected: String, _ base: Double, _ what: String) {
            let want = Double(expected)!
            let tol = max(base, Reference.printedResolution(expected)) + 1e-15
            #expect(abs(got - want) <= tol, "\(what): got \(got), expected \(expected), diff \(abs(got - want)) > \(tol)")
        }
        switch r.model {
        case "ErlangB":
            close(ErlangB.blocking(agents: r.agents, load: load.offeredLoad), r.probWait, 1e-9, "blocking")
            let m = try QueueModel.erlangB.metrics(load, agents: r.agents, serviceSeconds: 20)
            close(m.probWait, r.probWait, 1e-9, "metrics.probWait")
        case "ErlangC", "ErlangA":
            let model: QueueModel = r.model == "ErlangC" ? .erlangC : .erlangA
            let m = try model.metrics(load, agents: r.agents, serviceSeconds: r.serviceSeconds!)
            close(m.serviceLevel, r.serviceLevel, 1e-9, "service level")
            close(m.probWait, r.probWait, 1e-9, "P(wait)")
            if model == .erlangA {
                close(m.asaSeconds, r.asaSeconds, 1e-7, "ASA")
            } else {
                let want = Double(r.asaSeconds)!
                let tol = want < 10 ? 1e-9 : Reference.printedResolution(r.asaSeconds)
                #expect(abs(m.asaSeconds - want) <= tol + 1e-15, "ASA: got \(m.asaSeconds), expected \(r.asaSeconds)")
            }
        case "ErlangC_HalfinWhitt_approx":
            close(QEDApproximation.halfinWhittProbWait(agents: Double(r.agents), load: load.offeredLoad), r.probWait, 1e-9, "Halfin-Whitt P(wait)")
        case "ErlangA_GMR_approx":
            close(QEDApproximation.garnettMandelbaumReimanProbWait(agents: Double(r.agents), load: load.offeredLoad,
                                                                   ahtSeconds: r.ahtSeconds, patienceSeconds: r.patienceSeconds!),
                  r.probWait, 1e-9, "GMR P(wait)")
        default:
            Issue.record("unknown model \(r.model) on line \(r.line): add it to this test")
        }
    }

    /// The notes' Erlang A table (which adds P(abandon)), to its printed precision: 6 decimals (SL, P(wait),
    /// P(abandon)) and 4 decimals (ASA).
    @Test func erlangANotesTable() throws {
        let text = try #require(Reference.notesText, "missing erlang_reference_notes.md")
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| arrivals") }
        #expect(rows.count == 12)
        for row in rows {
            let c = row.split(separator: "|").map { Double($0.trimmingCharacters(in: .whitespaces))! }
            let load = try QueueLoad(arrivals: c[0], intervalSeconds: c[1], ahtSeconds: c[2], patienceSeconds: c[3])
            let m = try QueueModel.erlangA.metrics(load, agents: Int(c[4]), serviceSeconds: c[5])
            #expect(abs(m.serviceLevel - c[6]) <= 5e-7 + 1e-12, "\(row): SL \(m.serviceLevel)")
            #expect(abs(m.probWait - c[7]) <= 5e-7 + 1e-12, "\(row): P(wait) \(m.probWait)")
            #expect(abs(m.asaSeconds - c[8]) <= 5e-5 + 1e-12, "\(row): ASA \(m.asaSeconds)")
            #expect(abs(m.probAbandon! - c[9]) <= 5e-7 + 1e-12, "\(row): P(abandon) \(m.probAbandon!)")
        }
    }
}
