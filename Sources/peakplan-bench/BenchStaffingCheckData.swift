import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Ingest
import PlanningCore
import Reports
import Staffing

/// The call records aggregated per 30-minute interval of queue entry (local wall clock), plus every server's
/// service spells for the agents-on-duty estimates.
struct CallData {
    static let interval: Int64 = TimeGrid.halfHour.secondsPerSlot
    /// Local seconds of the first interval.
    var base: Int64 = 0
    var count = 0
    var offered: [Int] = [], answered: [Int] = [], abandoned: [Int] = []
    /// Answered with queue_seconds <= T, for the thresholds in `thresholds`.
    var answeredWithin: [Double: [Int]] = [:]
    var waitSum: [Double] = [], serviceSum: [Double] = []
    /// Services of each server: (start, end), local seconds, capped at `serviceCap`.
    var spells: [[(Int64, Int64)]] = []
    var servers: [String] = []
    /// The offered calls one by one (for the simulation replay), in file order: queue entry (local seconds),
    /// service type (index into `types`), priority, queue wait, service seconds (capped), outcome (0 served,
    /// 1 abandoned in queue) and server (index into `servers`, -1 when none).
    var callEntry: [Int64] = [], callType: [UInt8] = [], callPriority: [UInt8] = [], callWait: [Int32] = []
    var callService: [Int32] = [], callOutcome: [UInt8] = [], callServer: [Int32] = []
    var types: [String] = []
    var records = 0, offeredTotal = 0, phantom = 0, vruOnly = 0, noServer = 0, capped = 0, excludedDay = 0
    /// 23 May 1999: a VRU/system event (SOURCE.md); left out.
    static let excludedDays: Set<Int64> = [Civil.daysFromCivil(year: 1999, month: 5, day: 23)]
    static let serviceCap = 3600

    /// Parses calls.csv (header arrival,type,priority,vru_seconds,queue_seconds,outcome,service_seconds,server,entered_queue).
    static func read(path: String, thresholds: [Double] = [20]) throws -> CallData {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw PlanError("\(path): cannot open or read the call records (anonbank-calls-1999/calls.csv); pass --calls PATH", .noInput)
        }
        var d = CallData()
        var starts: [Int64] = [], qEntry: [Int64] = [], waits: [Int32] = [], services: [Int32] = [], outcome: [UInt8] = []
        var entered: [Bool] = [], serverIx: [Int32] = []
        var serverIndex: [String: Int32] = [:]
        var typeIx: [UInt8] = [], priorities: [UInt8] = [], typeIndex: [String: UInt8] = [:]
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var lineStart = 0, lineNo = 0
            var fieldStarts = [Int](repeating: 0, count: 10), fieldEnds = [Int](repeating: 0, count: 10)
            func int(_ k: Int) -> Int? {
                var i = fieldStarts[k], v = 0, neg = false
                let e = fieldEnds[k]
                if i < e && b[i] == 45 { neg = true; i += 1 }
                guard i < e else { return nil }
                while i < e { let c = Int(b[i]) - 48; guard c >= 0 && c <= 9 else { return nil }; v = v * 10 + c; i += 1 }
                return neg ? -v : v
            }
            func text(_ k: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[fieldStarts[k]..<fieldEnds[k]]), as: UTF8.self) }
            while lineStart < b.count {
                var end = lineStart
                while end < b.count && b[end] != 10 { end += 1 }
                var lineEnd = end
                if lineEnd > lineStart && b[lineEnd - 1] == 13 { lineEnd -= 1 }
                lineNo += 1
                defer { lineStart = end + 1 }
                if lineNo == 1 || lineEnd == lineStart { continue }
                var nf = 0, i = lineStart
                fieldStarts[0] = i
                while i < lineEnd {
                    if b[i] == 44 { fieldEnds[nf] = i; nf += 1; if nf >= 9 { break }; fieldStarts[nf] = i + 1 }
                    i += 1
                }
                if nf < 9 { fieldEnds[nf] = lineEnd; nf += 1 }
                guard nf == 9 else {
                    throw InputError(file: path, line: lineNo, message: "expected 9 fields (arrival,type,priority,vru_seconds,queue_seconds,outcome,service_seconds,server,entered_queue)")
                }
                d.records += 1
                let type = text(1)
                if type == "AA" { continue }
                guard case .success(let ts) = Civil.parseTimestamp(UnsafeBufferPointer(rebasing: b[fieldStarts[0]..<fieldEnds[0]])),
                      let prio = int(2), let vru = int(3), let q = int(4), let svc = int(6), let eq = int(8) else {
                    throw InputError(file: path, line: lineNo, value: String(decoding: UnsafeBufferPointer(rebasing: b[lineStart..<lineEnd]), as: UTF8.self),
                                     message: "unreadable record: arrival must be an ISO 8601 time and priority, vru_seconds, queue_seconds, service_seconds, entered_queue integers")
                }
                let out = text(5)
                let o: UInt8 = out == "AGENT" ? 0 : out == "HANG" ? 1 : 2
                if o == 2 { d.phantom += 1; continue }
                if o == 1 && eq == 0 { d.vruOnly += 1; continue }
                let entry = ts.localSeconds + Int64(vru)
                if CallData.excludedDays.contains(Civil.split(entry).day) { d.excludedDay += 1; continue }
                var sIx: Int32 = -1
                if o == 0 {
                    let name = text(7)
                    if name == "NO_SERVER" { d.noServer += 1 } else {
                        if let k = serverIndex[name] { sIx = k } else {
                            sIx = Int32(serverIndex.count); serverIndex[name] = sIx; d.servers.append(name)
                        }
                    }
                    if svc > CallData.serviceCap { d.capped += 1 }
                }
                starts.append(ts.localSeconds); qEntry.append(entry); waits.append(Int32(q))
                services.append(Int32(min(svc, CallData.serviceCap))); outcome.append(o); entered.append(eq == 1); serverIx.append(sIx)
                if let k = typeIndex[type] { typeIx.append(k) } else {
                    let k = UInt8(typeIndex.count); typeIndex[type] = k; d.types.append(type); typeIx.append(k)
                }
                priorities.append(UInt8(max(0, min(prio, 9))))
            }
        }
        try aggregate(&d, path: path, qEntry: qEntry, waits: waits, services: services, outcome: outcome, serverIx: serverIx, thresholds: thresholds)
        d.callEntry = qEntry; d.callType = typeIx; d.callPriority = priorities; d.callWait = waits
        d.callService = services; d.callOutcome = outcome; d.callServer = serverIx
        return d
    }

    /// Counts per 30-minute interval (offered, answered, abandoned, waits, talk, answered within each threshold)
    /// and each server's busy spells, from the parsed calls.
    static func aggregate(
        _ d: inout CallData, path: String, qEntry: [Int64], waits: [Int32], services: [Int32], outcome: [UInt8], serverIx: [Int32], thresholds: [Double]
    ) throws {
        guard let first = qEntry.min(), let last = qEntry.max() else {
            throw PlanError("\(path): no offered calls", .dataError)
        }
        d.base = LocalDateTime.startOfDay(Civil.split(first).day)
        d.count = Int((last - d.base) / interval) + 2
        d.offered = [Int](repeating: 0, count: d.count); d.answered = d.offered; d.abandoned = d.offered
        d.waitSum = [Double](repeating: 0, count: d.count); d.serviceSum = d.waitSum
        for t in thresholds { d.answeredWithin[t] = d.offered }
        d.spells = [[(Int64, Int64)]](repeating: [], count: d.servers.count)
        for i in qEntry.indices {
            let k = Int((qEntry[i] - d.base) / interval)
            d.offered[k] += 1
            d.offeredTotal += 1
            d.waitSum[k] += Double(waits[i])
            if outcome[i] == 0 {
                d.answered[k] += 1
                d.serviceSum[k] += Double(services[i])
                for t in thresholds where Double(waits[i]) <= t { d.answeredWithin[t]![k] += 1 }
                if serverIx[i] >= 0 {
                    let s = qEntry[i] + Int64(waits[i])
                    d.spells[Int(serverIx[i])].append((s, s + Int64(services[i])))
                }
            } else {
                d.abandoned[k] += 1
            }
        }
        for s in d.spells.indices { d.spells[s].sort { $0.0 < $1.0 } }
    }

    /// Time-weighted agents on duty: each server's spells merged into sessions while the idle gap is at most
    /// `gapSeconds`; an agent counts for the share of the interval inside one of its sessions.
    func sessionAgents(gapSeconds: Double) -> [Double] {
        var on = [Double](repeating: 0, count: count)
        for list in spells where !list.isEmpty {
            var (a, b) = list[0]
            func add(_ a: Int64, _ b: Int64) {
                var k = Int((a - base) / CallData.interval)
                while k < count {
                    let lo = base + Int64(k) * CallData.interval, hi = lo + CallData.interval
                    if lo >= b { break }
                    on[k] += Double(min(b, hi) - max(a, lo)) / Double(CallData.interval)
                    k += 1
                }
            }
            for (s, e) in list.dropFirst() {
                if Double(s - b) > gapSeconds { add(a, b); a = s; b = e } else { b = max(b, e) }
            }
            add(a, b)
        }
        return on
    }

    /// Idle gaps between one server's consecutive services (seconds; overlaps left out), sorted.
    func idleGaps() -> [Double] {
        var out: [Double] = []
        for list in spells where list.count > 1 {
            var end = list[0].1
            for (a, b) in list.dropFirst() {
                if a >= end { out.append(Double(a - end)) }
                end = max(end, b)
            }
        }
        return out.sorted()
    }

    /// Distinct servers with any service overlapping the interval.
    func distinctAgents() -> [Double] {
        var on = [Double](repeating: 0, count: count)
        for list in spells {
            var last = -1
            for (a, b) in list {
                var k = max(last + 1, Int((a - base) / CallData.interval))
                while k < count && base + Int64(k) * CallData.interval <= max(a, b - 1) { on[k] += 1; last = k; k += 1 }
            }
        }
        return on
    }

    /// Agents busy on average (talk time only): total service time inside the interval / interval length.
    func busyAgents() -> [Double] {
        var busy = [Double](repeating: 0, count: count)
        for list in spells {
            for (a, b) in list {
                var k = Int((a - base) / CallData.interval)
                while k < count {
                    let lo = base + Int64(k) * CallData.interval, hi = lo + CallData.interval
                    if lo >= b { break }
                    busy[k] += Double(min(b, hi) - max(a, lo)) / Double(CallData.interval)
                    k += 1
                }
            }
        }
        return busy
    }
}
