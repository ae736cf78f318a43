import PlanningCore

/// Shrinkage by weekday and by clock window in a `[staffing]` level.
extension TOMLReader {
    /// `{ "08:00-10:00" = 0.35, "17:00-24:00" = 0.2 }`: shrinkage by clock window (no overlaps).
    mutating func byHours(_ k: String) throws(ConfigError) -> Located<[HoursShrinkage]>? {
        guard let v = raw(k) else { return nil }
        guard case .table(let t) = v else { throw error(k, "expected a table of clock windows such as { \"08:00-10:00\" = 0.35 }, found \(v.typeName)") }
        var out: [HoursShrinkage] = []
        for key in t.keys.sorted() {
            let loc = ConfigError(line: t.lines[key] ?? line(k), key: prefix + k + "." + key, message: "")
            let parts = key.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let from = LocalDateTime.parseClock(parts[0]), let to = LocalDateTime.parseClock(parts[1]), from < to else {
                var e = loc; e.message = "\"\(key)\" is not a clock window; use \"HH:MM-HH:MM\" with the start before the end (24:00 for midnight)"; throw e
            }
            guard let x = t[key].flatMap(TOMLReader.number), x >= 0, x < 1 else {
                var e = loc; e.message = "must be a number in [0, 1), a fraction such as 0.3"; throw e
            }
            let w = HoursShrinkage(from: from, to: to, value: x)
            if let other = out.first(where: { $0.from < to && from < $0.to }) {
                var e = loc; e.message = "overlaps the window \(other.label): windows may not overlap"; throw e
            }
            out.append(w)
        }
        return Located(value: out.sorted { $0.from < $1.from }, key: prefix + k, line: line(k))
    }

    mutating func byWeekday(_ k: String) throws(ConfigError) -> [Int: Located<Double>] {
        guard let v = raw(k) else { return [:] }
        guard case .table(let t) = v else { throw error(k, "expected a table of weekdays such as { fri = 0.35, sat = 0.2 }, found \(v.typeName)") }
        var out: [Int: Located<Double>] = [:]
        for key in t.keys {
            let loc = ConfigError(line: t.lines[key] ?? line(k), key: prefix + k + "." + key, message: "")
            guard let d = WorkspaceConfig.weekdayKeys.firstIndex(of: key.lowercased()) else {
                var e = loc; e.message = "\"\(key)\" is not a weekday; use mon, tue, wed, thu, fri, sat, sun"; throw e
            }
            guard let x = t[key].flatMap(TOMLReader.number), x >= 0, x < 1 else {
                var e = loc; e.message = "must be a number in [0, 1), a fraction such as 0.3"; throw e
            }
            out[d] = Located(value: x, key: prefix + k + "." + key, line: loc.line)
        }
        return out
    }
}
