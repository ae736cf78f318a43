import PlanningCore

extension StaffingConfig.Layer {
    /// The layer as the `[staffing]` keys it was read from (only the keys it sets).
    public func toml(name: String? = nil) -> TOMLTable {
        func byWeekday(_ m: [Int: Located<Double>]) -> TOMLValue? {
            guard !m.isEmpty else { return nil }
            return .table(.build(m.keys.sorted().map { (WorkspaceConfig.weekdayKeys[$0], .number(m[$0]!.value)) }))
        }
        func byHours(_ w: Located<[HoursShrinkage]>?) -> TOMLValue? {
            guard let w, !w.value.isEmpty else { return nil }
            return .table(.build(w.value.map { ($0.label, .number($0.value)) }))
        }
        return .build([
            ("name", name.map { .string($0) }),
            ("model", model.map { .string($0.value.rawValue) }),
            ("quantile", quantile.map { .string($0.value.rawValue) }),
            ("patience_seconds", patienceSeconds.map { .number($0.value) }),
            ("max_asa_seconds", maxASASeconds.map { .number($0.value) }),
            ("max_abandon", maxAbandon.map { .number($0.value) }),
            ("max_occupancy", maxOccupancy.map { .number($0.value) }),
            ("planned_shrinkage", planned.map { .number($0.value) }),
            ("unplanned_shrinkage", unplanned.map { .number($0.value) }),
            ("planned_shrinkage_by_weekday", byWeekday(plannedByWeekday)),
            ("unplanned_shrinkage_by_weekday", byWeekday(unplannedByWeekday)),
            ("planned_shrinkage_by_hours", byHours(plannedByHours)),
            ("unplanned_shrinkage_by_hours", byHours(unplannedByHours)),
            ("max_concurrency", maxConcurrency.map { .integer($0.value) }),
            ("concurrency_factors", concurrencyFactors.map { .numbers($0.value) }),
            ("deadline_hours", deadlineHours.map { .number($0.value) }),
            ("open_hours", openHours.map { .string(LocalDateTime.clock(minuteOfDay: $0.value.lowerBound) + "-" + LocalDateTime.clock(minuteOfDay: $0.value.upperBound)) }),
            ("open_days", openDays.map { .strings(WorkspaceConfig.weekdayNames($0.value)) }),
            ("deadline_curve", deadlineCurve.map { .string($0.value.rawValue) }),
            ("aht_seconds", ahtSeconds.map { .number($0.value) }),
            ("max_agents", maxAgents.map { .integer($0.value) })
        ])
    }
}

extension StaffingConfig {
    /// The `[staffing]` table: `parse` of it gives this configuration back. With `filled`, the defaults that do
    /// not depend on other keys are written out (quantile, unplanned shrinkage, deadline hours and curve), so
    /// `peakplan config show` states them; the result reads back to the same channel settings.
    public func toml(filled: Bool = false) -> TOMLTable {
        var d = defaults
        if filled {
            func located<T>(_ v: T, _ k: String) -> Layer.Located<T> { .init(value: v, key: "staffing." + k, line: nil) }
            if d.quantile == nil { d.quantile = located(.mean, "quantile") }
            if d.unplanned == nil { d.unplanned = located(0, "unplanned_shrinkage") }
            if d.deadlineHours == nil { d.deadlineHours = located(StaffingConfig.defaultDeadlineHours, "deadline_hours") }
            if d.deadlineCurve == nil { d.deadlineCurve = located(.levelled, "deadline_curve") }
        }
        var t = d.toml()
        if !channelOrder.isEmpty {
            t.put("channels", .tables(channelOrder.map { channels[$0]!.toml(name: $0) }))
        }
        return t
    }
}
