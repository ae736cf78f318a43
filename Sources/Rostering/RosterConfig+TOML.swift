import PlanningCore

extension RosterConfig {
    /// The `[roster]` table with every setting written out (defaults, every soft rule's weight, the templates and
    /// contracts in use, built-in ones included); `parse` of it gives this configuration back.
    public func toml() -> TOMLTable {
        let weights = RuleRegistry.rules(weights: self.weights).filter { !$0.isHard }
        return .build([
            ("seed", .integer(Int(seed))),
            ("time_limit_seconds", .number(timeLimitSeconds)),
            ("late_end", .clock(lateEndMinute)),
            ("max_start_spread_hours", .number(LocalDateTime.hours(minutes: workability.maxStartSpreadMinutes ?? 24 * 60))),
            ("max_backward_rotation_hours", .number(LocalDateTime.hours(minutes: workability.maxBackwardRotationMinutes ?? 24 * 60))),
            ("min_queue_block_minutes", .integer(workability.minQueueBlockMinutes)),
            ("weights", .table(.build(weights.map { ($0.id, .number($0.weight)) }))),
            ("activities", activities.isEmpty ? nil : .tables(activityTables())),
            (
                "templates",
                .tables(
                    templates.filter { !sharedTemplateIDs.contains($0.name) }.map { t in
                        .build(
                            [
                                ("name", .string(t.name)), ("start_earliest", .clock(t.startEarliest)), ("start_latest", .clock(t.startLatest)),
                                ("start_step_minutes", .integer(t.startStepMinutes)), ("paid_hours", .number(t.paidHours)),
                                ("break_minutes", .integer(t.breakMinutes))
                            ] + breakWindow(t))
                    })
            ),
            (
                "contracts",
                .tables(
                    contracts.map { c in
                        .build([
                            ("name", .string(c.name)), ("min_hours_week", .number(c.minHoursWeek)), ("max_hours_week", .number(c.maxHoursWeek)),
                            ("max_consecutive_days", .integer(c.maxConsecutiveDays)), ("days_off_per_week", .integer(c.daysOffPerWeek)),
                            ("paired_days_off", .bool(c.pairedDaysOff)), ("min_rest_hours", .number(c.minRestHours)),
                            ("templates", .strings(c.templates))
                        ])
                    })
            )
        ])
    }

    /// A template's break window as `break_earliest_minutes` / `break_latest_minutes` (none without a break).
    private func breakWindow(_ t: ShiftTemplate) -> [(String, TOMLValue?)] {
        guard let b = t.breaks.first(where: { !$0.paid && $0.durationPeriods > 0 }) else { return [] }
        return [("break_earliest_minutes", .integer(b.earliestOffset * t.grid.minutes)), ("break_latest_minutes", .integer(b.latestOffset * t.grid.minutes))]
    }
}
