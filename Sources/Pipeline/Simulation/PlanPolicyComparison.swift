import Foundation
import Reports
import Simulation

/// The routing policies compared on the plan (`PlanSimulation.comparison`): the same roster, forecast and
/// random numbers under the plan's weight table, static skill priority and delay-based overflow; differences
/// against the main run's policy from paired replications.
extension PlanSimulation {
    /// `12.3 ± 0.4` in points from a difference of fractions (the half-width left out when unknown).
    static func points(_ d: PolicyComparison.Difference?) -> Cell {
        guard let d else { return .null }
        return .text(String(format: "%+.1f", d.mean * 100) + (d.halfWidth.map { String(format: " ± %.1f", $0 * 100) } ?? ""))
    }

    /// Per queue and in total: each policy's simulated service level and its difference from the main policy;
    /// last row, the queue-intervals meeting their target (mean per replication).
    public func policyTable() -> Table? {
        guard let c = comparison else { return nil }
        let policies = c.targets.map(\.policy)
        var columns = ["queue"]
        for p in policies { columns += p == c.baseline ? ["\(p) %"] : ["\(p) %", "\(p) − \(c.baseline) (points, 95% CI)"] }
        var t = Table(title: "Routing policies on the same random numbers (\(c.replications) paired replications)", columns: columns)
        for queue in result.queueIDs + ["total"] {
            var row: [Cell] = [.text(queue)]
            for p in policies {
                guard let r = c.queues.first(where: { $0.queue == queue && $0.policy == p }) else { continue }
                row.append(r.serviceLevel.value.map { .number($0 * 100, decimals: 1) } ?? .null)
                if p != c.baseline { row.append(Self.points(r.difference)) }
            }
            t.rows.append(row)
        }
        var row: [Cell] = [.text("intervals meeting target (of \(c.targets.first?.counted ?? 0))")]
        for r in c.targets {
            row.append(.number(r.meetingPerReplication, decimals: 1))
            if r.policy != c.baseline {
                row.append(r.difference.map { d in .text(String(format: "%+.1f", d.mean) + (d.halfWidth.map { String(format: " ± %.1f", $0) } ?? "")) } ?? .null)
            }
        }
        t.rows.append(row)
        return t
    }

    /// simulation-policies.csv: one row per measure, queue and policy: value, and the paired difference from the
    /// main policy with its 95% half-width (service level as a fraction; intervals meeting target as counts).
    public func policyCSV() -> Table? {
        guard let c = comparison else { return nil }
        var t = Table(columns: ["measure", "queue", "policy", "value", "ci95", "difference_vs_\(c.baseline)", "difference_ci95"])
        for r in c.queues {
            t.rows.append([
                .text("service_level"), .text(r.queue), .text(r.policy), r.serviceLevel.value.map { .number($0, decimals: 4) } ?? .null,
                r.serviceLevel.halfWidth.map { .number($0, decimals: 4) } ?? .null, r.difference.map { .number($0.mean, decimals: 4) } ?? .null,
                (r.difference?.halfWidth).map { .number($0, decimals: 4) } ?? .null
            ])
        }
        for r in c.targets {
            t.rows.append([
                .text("intervals_meeting_target_per_replication"), .text("all (\(r.counted) with \(Int(Self.minimumOffered))+ contacts)"), .text(r.policy),
                .number(r.meetingPerReplication, decimals: 2), .null, r.difference.map { .number($0.mean, decimals: 2) } ?? .null,
                (r.difference?.halfWidth).map { .number($0, decimals: 2) } ?? .null
            ])
            t.rows.append([
                .text("intervals_meeting_target_pooled"), .text("all (\(r.counted) with \(Int(Self.minimumOffered))+ contacts)"), .text(r.policy),
                .int(r.meetingPooled), .null, .null, .null
            ])
        }
        return t
    }

    /// One line naming the best policy by total service level, with the differences.
    public var policyLine: String? {
        guard let c = comparison else { return nil }
        let totals = c.queues.filter { $0.queue == "total" }
        let parts = totals.map { r in
            let sl = r.serviceLevel.value.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a"
            let d = r.difference.map { d in String(format: " (%+.1f", d.mean * 100) + (d.halfWidth.map { String(format: " ± %.1f", $0 * 100) } ?? "") + " points)" } ?? ""
            return "\(r.policy) \(sl)\(d)"
        }
        return "routing policies on the same random numbers (\(c.replications) paired replications, differences against \(c.baseline)): " + parts.joined(separator: ", ")
    }
}
