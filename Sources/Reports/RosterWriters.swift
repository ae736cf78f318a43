import Foundation
import PlanningCore
import Rostering

/// The roster's writers: long CSV, JSON, one iCalendar file per agent, the printable HTML grid and the summary
/// table (what `peakplan roster` and the plan's roster stage write). What they share with reading a published
/// roster back (activities, clocks, the CSV header) stays in Rostering (`RosterExport`).
extension RosterExport {
    /// Long CSV: one row per agent shift and activity.
    public static func csv(_ r: Roster, _ p: RosterProblem) -> String {
        var s = csvHeader + "\n"
        for sh in sorted(r) {
            let a = p.agents[sh.agent]
            let head = [CSV.quote(a.id), CSV.quote(a.name), p.date(sh.day), local(sh.startMinute, p), local(p.endMinute(sh), p)].joined(separator: ",")
            for act in activities(sh, p) {
                s += head + ",\(act.kind),\(local(act.start, p)),\(local(act.end, p)),\(CSV.quote(act.channel))\n"
            }
        }
        return s
    }

    /// `roster --format json`: summary metrics, soft-rule penalties by rule, shifts with activities.
    struct Document: Encodable {
        struct Summary: Encodable {
            var agents, weeks: Int
            var start: String
            var shifts: Int
            var paid_hours: Double
            var shortfall_pct: JSONOutput.Rounded
            var hard_violations, fairness_spread, weekend_spread, late_spread: Int
            var weekend_gini, late_gini, preferences_met_pct: JSONOutput.Rounded
        }
        struct Shift: Encodable {
            struct Activity: Encodable {
                var activity, start, end: String
                var channel: String?
            }
            var agent_id, name, date, template, shift_start, shift_end: String
            var activities: [Activity]
        }
        var summary: Summary
        var penalties: JSONOutput.OrderedObject<JSONOutput.Rounded>
        var shifts: [Shift]
    }

    /// JSON: summary metrics, soft-rule penalties by rule, shifts with activities (one shift per line).
    public static func json(_ r: Roster, _ p: RosterProblem, metrics m: RosterEngine.Metrics, soft: [Violation]) -> String {
        var byRule: [String: Double] = [:]
        for v in soft { byRule[v.rule, default: 0] += v.penalty }
        let summary = Document.Summary(
            agents: p.agents.count, weeks: p.weeks, start: p.date(0), shifts: m.shifts, paid_hours: m.paidHours, shortfall_pct: .init(m.shortfallPct, 3),
            hard_violations: m.hardViolations, fairness_spread: m.fairness.spread, weekend_spread: m.fairness.weekendSpread, late_spread: m.fairness.lateSpread,
            weekend_gini: .init(m.fairness.weekendGini, 4), late_gini: .init(m.fairness.lateGini, 4), preferences_met_pct: .init(m.preferencesMetPct, 2))
        let shifts = sorted(r).map { sh in
            let a = p.agents[sh.agent]
            return Document.Shift(
                agent_id: a.id, name: a.name, date: p.date(sh.day), template: p.templates[sh.template].name, shift_start: local(sh.startMinute, p),
                shift_end: local(p.endMinute(sh), p),
                activities: activities(sh, p).map { .init(activity: $0.kind, start: local($0.start, p), end: local($0.end, p), channel: $0.channel.isEmpty ? nil : $0.channel) })
        }
        let doc = Document(summary: summary, penalties: .init(byRule.keys.sorted().map { ($0, .init(byRule[$0]!, 3)) }), shifts: shifts)
        return JSONOutput.render(doc, layout: .sections)
    }

    /// One iCalendar (RFC 5545) document for an agent: a VEVENT per shift, times in UTC (`toUTC` maps
    /// local wall seconds to UTC seconds), CRLF line ends, lines folded at 75 octets.
    public static func iCalendar(agent a: Int, _ r: Roster, _ p: RosterProblem, dtstamp: Int64, toUTC: (Int64) -> Int64) -> String {
        func utc(_ t: Int64) -> String {
            let s = Civil.formatLocal(t)  // YYYY-MM-DDTHH:MM:SS
            return s.filter { $0 != "-" && $0 != ":" } + "Z"
        }
        let agent = p.agents[a]
        let own = agentClock(a, p)
        /// `HH:MM` of a minute from horizon start, on the agent's clock when it has its own zone.
        func hm(_ minute: Int) -> String { own.map { clock($0.local(minute)) } ?? String(local(minute, p).suffix(8).prefix(5)) }
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PeakPlan//Roster 0.1//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape("Roster " + agent.name)
        ]
        for sh in sorted(r) where sh.agent == a {
            let acts = activities(sh, p)
            let chans = acts.filter { $0.kind == "work" }.map(\.channel).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let startLocal = LocalDateTime.localSeconds(firstDay: p.startDay, minute: sh.startMinute)
            let endLocal = LocalDateTime.localSeconds(firstDay: p.startDay, minute: p.endMinute(sh))
            lines += [
                "BEGIN:VEVENT", "UID:" + escape("\(agent.id)-\(p.date(sh.day))@peakplan"), "DTSTAMP:" + utc(dtstamp),
                "DTSTART:" + utc(toUTC(startLocal)), "DTEND:" + utc(toUTC(endLocal)),
                "SUMMARY:"
                    + escape(
                        "Shift \(hm(sh.startMinute))-\(hm(p.endMinute(sh)))" + (own.map { " \($0.zone)" } ?? "") + (chans.isEmpty ? "" : " (\(chans.joined(separator: ", ")))")),
                "DESCRIPTION:"
                    + escape(
                        acts.map { "\($0.kind) \(hm($0.start))-\(hm($0.end))\($0.channel.isEmpty ? "" : " " + $0.channel)" }.joined(separator: "\n")
                            + (own == nil
                                ? ""
                                : "\n(times in \(own!.zone); roster times \(local(sh.startMinute, p).suffix(8).prefix(5))-\(local(p.endMinute(sh), p).suffix(8).prefix(5)) \(p.zone?.name ?? ""))")
                    ),
                "TRANSP:OPAQUE", "END:VEVENT"
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping (RFC 5545 3.3.11): backslash, semicolon and comma escaped, a line break (LF, CRLF or a
    /// bare CR) written as `\n`, other control characters (not allowed in TEXT) as spaces. Works on Unicode
    /// scalars: CRLF is one Swift Character, and a bare CR must never end the content line.
    static func escape(_ s: String) -> String {
        var o = String.UnicodeScalarView()
        var it = s.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let u = pending ?? it.next() {
            pending = nil
            switch u {
            case "\\": o.append(contentsOf: "\\\\".unicodeScalars)
            case ";": o.append(contentsOf: "\\;".unicodeScalars)
            case ",": o.append(contentsOf: "\\,".unicodeScalars)
            case "\n": o.append(contentsOf: "\\n".unicodeScalars)
            case "\r":
                o.append(contentsOf: "\\n".unicodeScalars)
                if let nx = it.next(), nx != "\n" { pending = nx }
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) { o.append(" ") } else { o.append(u) }
            }
        }
        return String(o)
    }

    /// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var out = "", count = 0, limit = 75
        for ch in line.unicodeScalars {
            let n = String(ch).utf8.count
            if count + n > limit { out += "\r\n "; count = 1; limit = 75 }
            out.unicodeScalars.append(ch); count += n
        }
        return out
    }

    /// A printable HTML grid: agents x days, each cell the shift times (or off / time off).
    public static func html(_ r: Roster, _ p: RosterProblem, title: String) -> String {
        func h(_ s: String) -> String { s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;").replacingAll("\"", "&quot;") }
        var cell: [Int: RosterShift] = [:]
        for s in r.shifts { cell[s.agent * 1000 + s.day] = s }
        var s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(h(title))</title><style>\n"
        s += "body{font:12px sans-serif}table{border-collapse:collapse}th,td{border:1px solid #999;padding:2px 4px;text-align:center;white-space:nowrap}"
        s += "td.off{color:#999}td.leave{background:#eee;color:#666}td.late{background:#fde9c8}th.we{background:#e8eef8}"
        s += "@media print{@page{size:landscape}body{font-size:9px}thead{display:table-header-group}}\n</style></head><body>\n"
        s += "<h1>\(h(title))</h1>\n"
        if let z = p.zone { s += "<p>Times in \(h(z.name)); an agent with another time zone sees its own times below them.</p>\n" }
        s += "<table>\n<thead><tr><th>agent</th><th>contract</th><th>time zone</th>"
        for d in 0..<p.days {
            let wd = p.weekday(d)
            s += "<th\(p.weekend.contains(wd) ? " class=\"we\"" : "")>\(Civil.weekdayNames[wd])<br>\(p.date(d).suffix(5))</th>"
        }
        s += "<th>hours</th></tr></thead>\n<tbody>\n"
        for (a, agent) in p.agents.enumerated() {
            let own = agentClock(a, p)
            s += "<tr><th>\(h(agent.name)) (\(h(agent.id)))</th><td>\(h(agent.contract))</td><td>\(h(agent.timeZone ?? p.zone?.name ?? ""))</td>"
            var hours = 0.0
            for d in 0..<p.days {
                if let sh = cell[a * 1000 + d] {
                    hours += p.paidHours(sh)
                    let mine = own.map { "<br><small>\(clock($0.local(sh.startMinute)))-\(clock($0.local(p.endMinute(sh))))</small>" } ?? ""
                    s +=
                        "<td\(p.isLate(sh) ? " class=\"late\"" : "")>\(formatClock(sh.start))-\(formatClock(LocalDateTime.wrap(minuteOfDay: sh.start + p.templates[sh.template].lengthMinutes)))\(mine)</td>"
                } else if p.isUnavailable(agent: a, day: d) {
                    s += "<td class=\"leave\">time off</td>"
                } else {
                    s += "<td class=\"off\">off</td>"
                }
            }
            s += "<td>\(RosterExport.num(hours))</td></tr>\n"
        }
        s += "</tbody></table>\n</body></html>\n"
        return s
    }

    /// `roster --format table`: the roster's measures and each soft rule's penalty; with `changes` (a re-plan),
    /// the changed assignments after them.
    public static func summaryText(_ result: RosterEngine.Result, _ p: RosterProblem, changes: [Change]?) -> String {
        let m = result.metrics
        let title = "Roster \(p.date(0))..\(p.date(p.days - 1)) (\(p.weeks) week\(p.weeks == 1 ? "" : "s"), \(p.agents.count) agents, \(p.channels.count) channels)"
        var t = Table(title: title, columns: ["measure", "value"])
        t.rows.append([.text("shifts"), .number(Double(m.shifts), decimals: 0)])
        t.rows.append([.text("paid hours"), .number(m.paidHours, decimals: 1)])
        t.rows.append([.text("coverage shortfall %"), .number(m.shortfallPct, decimals: 2)])
        t.rows.append([.text("hard violations"), .number(Double(m.hardViolations), decimals: 0)])
        t.rows.append([.text("fairness spread (max-min, weekend/late)"), .text("\(m.fairness.weekendSpread)/\(m.fairness.lateSpread)")])
        t.rows.append([.text("fairness Gini (weekend/late)"), .text(String(format: "%.3f/%.3f", m.fairness.weekendGini, m.fairness.lateGini))])
        t.rows.append([.text("preferences met %"), .number(m.preferencesMetPct, decimals: 1)])
        for r in result.penalties where !r.isHard { t.rows.append([.text("penalty \(r.rule) (weight \(r.weight))"), .number(r.penalty, decimals: 1)]) }
        var text = t.render(.table)
        if let changes {
            var d = Table(title: "Changed assignments (\(changes.count))", columns: ["agent_id", "date", "before", "after"])
            for c in changes { d.rows.append([.text(c.agentID), .text(c.date), .text(c.before), .text(c.after)]) }
            text += "\n" + d.render(.table)
        }
        return text
    }
}

extension String {
    func replacingAll(_ a: String, _ b: String) -> String {
        guard contains(a) else { return self }
        return split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
