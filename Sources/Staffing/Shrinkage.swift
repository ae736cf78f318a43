import Foundation
import PlanningCore

/// Shrinkage: the share of scheduled (paid) time agents are not available for contacts.
///
/// Planned shrinkage p (breaks, meetings, training, leave known when the schedule is built) and unplanned
/// shrinkage u (sickness, lateness, unplanned absence) apply one after the other: of the scheduled time a
/// share 1 - p remains after planned activities, and of that a share 1 - u is actually present, so
/// productive = scheduled (1 - p)(1 - u) and total shrinkage = 1 - (1 - p)(1 - u) (not p + u, which double
/// counts unplanned absence during planned activities).
public struct Shrinkage: Sendable, Equatable {
    public let planned: Double
    public let unplanned: Double

    /// - Throws: `StaffingError.invalidInput` unless 0 <= planned < 1 and 0 <= unplanned < 1.
    public init(planned: Double, unplanned: Double) throws {
        for (name, v) in [("planned shrinkage", planned), ("unplanned shrinkage", unplanned)] where !(v >= 0 && v < 1) {
            throw StaffingError.invalidInput(field: name, value: v, requirement: "in [0, 1), a fraction such as 0.25")
        }
        self.planned = planned
        self.unplanned = unplanned
    }

    /// 1 - (1 - p)(1 - u).
    public var total: Double { 1 - (1 - planned) * (1 - unplanned) }

    /// Scheduled agents needed for `productive` on-queue agents: productive / ((1 - p)(1 - u)).
    public func scheduled(productive: Double) -> Double { productive / ((1 - planned) * (1 - unplanned)) }

    /// Whole scheduled agents for whole productive agents (rounded up; values within 1e-9 of a whole number
    /// are not pushed to the next one by rounding noise).
    public func scheduledAgents(productive: Int) -> Int {
        let x = scheduled(productive: Double(productive))
        return Int((x - 1e-9 * max(1, x)).rounded(.up))
    }
}

/// Productive (on-queue) and scheduled requirement for one interval.
public struct ShrunkRequirement: Sendable, Equatable {
    public let productive: Double
    public let scheduled: Double
}

extension Shrinkage {
    /// Applies a shrinkage per interval (e.g. by day of week or interval from the configuration).
    /// - Throws: `StaffingError.invalidTable` when the lengths differ; `.invalidInput` for a negative or NaN requirement.
    public static func apply(productive: [Double], shrinkage: [Shrinkage]) throws -> [ShrunkRequirement] {
        guard productive.count == shrinkage.count else {
            throw StaffingError.invalidTable(field: "shrinkage", message: "has \(shrinkage.count) entries for \(productive.count) intervals")
        }
        return try zip(productive, shrinkage).enumerated().map { k, pair in
            guard pair.0.isFinite, pair.0 >= 0 else {
                throw StaffingError.invalidInput(field: "productive requirement in interval \(k)", value: pair.0, requirement: "a finite number >= 0")
            }
            return ShrunkRequirement(productive: pair.0, scheduled: pair.1.scheduled(productive: pair.0))
        }
    }
}

/// Shrinkage for a clock window of every day (`planned_shrinkage_by_hours = { "08:00-10:00" = 0.35 }`): minutes
/// after midnight, `from` inclusive, `to` exclusive.
public struct HoursShrinkage: Sendable, Equatable {
    public var from: Int, to: Int, value: Double
    public init(from: Int, to: Int, value: Double) { self.from = from; self.to = to; self.value = value }
    public func contains(_ minute: Int) -> Bool { minute >= from && minute < to }
    /// `HH:MM-HH:MM`.
    public var label: String { LocalDateTime.clock(minuteOfDay: from) + "-" + LocalDateTime.clock(minuteOfDay: to) }
}
