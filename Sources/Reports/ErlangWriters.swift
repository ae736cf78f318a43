import Foundation
import Staffing

/// Renders `peakplan erlang`: a table of the measures, or one record as CSV or JSON.
public enum ErlangText {
    /// The table shows the given staffing and the one the targets need side by side; csv and json describe one
    /// record: the given staffing, else the continuous answer, else the whole one.
    public static func render(
        _ m: QueueModel, load: QueueLoad, targets: StaffingTargets, serviceSeconds slSeconds: Double, given: QueueMetrics?,
        needed: StaffingSolution?, continuous: FractionalStaffingSolution?, format: OutputFormat
    ) -> String {
        let primary = given ?? continuous?.metrics ?? needed!.metrics
        switch format {
        case .json:
            return JSONOutput.render(Record(primary, agentsContinuous: given == nil && continuous != nil))
        case .csv:
            let agentsText = given != nil || continuous == nil ? String(Int(primary.agents)) : Self.number(primary.agents)
            let fields: [(String, String)] = [
                ("prob_wait", Self.number(primary.probWait)), ("service_level", Self.number(primary.serviceLevel)),
                ("asa_seconds", Self.number(primary.asaSeconds)), ("occupancy", Self.number(primary.occupancy)),
                ("prob_abandon", primary.probAbandon.map(Self.number) ?? ""), ("agents", agentsText)
            ]
            return fields.map(\.0).joined(separator: ",") + "\n" + fields.map(\.1).joined(separator: ",") + "\n"
        case .table:
            var title =
                "\(m.displayName): \(StaffingError.show(load.arrivals)) arrivals in \(StaffingError.show(load.intervalSeconds)) s, "
                + "AHT \(StaffingError.show(load.ahtSeconds)) s"
            if let p = load.patienceSeconds { title += ", patience \(StaffingError.show(p)) s" }
            title += String(format: "; offered load %.3f Erlangs", load.offeredLoad)
            if !targets.isEmpty { title += "\ntargets: " + targets.summary }
            var columns = ["measure"]
            var cols: [QueueMetrics] = []
            if let g = given { columns.append("at \(Int(g.agents)) agents"); cols.append(g) }
            if let n = needed { columns.append("needed"); cols.append(n.metrics) }
            var t = Table(title: title, columns: columns)
            func row(_ name: String, _ cell: (QueueMetrics) -> Cell) { t.rows.append([.text(name)] + cols.map(cell)) }
            row("agents") { .int(Int($0.agents)) }
            row("P(wait > 0)" + (m == .erlangB ? " = P(blocked)" : "")) { .number($0.probWait, decimals: 6) }
            row("service level: answered within \(StaffingError.show(slSeconds)) s") { .number($0.serviceLevel, decimals: 6) }
            row("ASA seconds (all arrivals)") { .number($0.asaSeconds, decimals: 3) }
            row("occupancy") { .number($0.occupancy, decimals: 4) }
            row(m == .erlangB ? "P(blocked)" : "P(abandon)") { $0.probAbandon.map { .number($0, decimals: 6) } ?? .text("n/a") }
            if let g = given, needed != nil {
                let met: [Cell] = [.text("targets met"), .text(targets.isMet(by: g) ? "yes" : "no"), .text("yes")]
                t.rows.append(met)
            }
            if let c = continuous {
                let cells: [Cell] = cols.indices.map { $0 == cols.count - 1 ? Cell.number(c.agents, decimals: 4) : Cell.text("") }
                t.rows.append([Cell.text("agents, continuous requirement")] + cells)
            }
            return t.renderText()
        }
    }

    /// Shortest text that reads back to the same double; empty for non-finite values.
    static func number(_ d: Double) -> String { d.isFinite ? "\(d)" : "" }

    /// The one record `--format json` prints: numbers as Python writes floats (`0.0`, `7.84`), prob_abandon
    /// null under Erlang C, agents whole unless it is the continuous requirement.
    struct Record: Encodable {
        enum Agents: Encodable {
            case whole(Int), continuous(Double)
            func encode(to encoder: Encoder) throws {
                var c = encoder.singleValueContainer()
                switch self {
                case .whole(let n): try c.encode(n)
                case .continuous(let x): try c.encode(JSONOutput.PythonFloat(x))
                }
            }
        }
        var prob_wait: JSONOutput.PythonFloat
        var service_level: JSONOutput.PythonFloat
        var asa_seconds: JSONOutput.PythonFloat
        var occupancy: JSONOutput.PythonFloat
        var prob_abandon: JSONOutput.PythonFloat?
        var agents: Agents

        init(_ m: QueueMetrics, agentsContinuous: Bool) {
            prob_wait = .init(m.probWait)
            service_level = .init(m.serviceLevel)
            asa_seconds = .init(m.asaSeconds)
            occupancy = .init(m.occupancy)
            prob_abandon = m.probAbandon.map { .init($0) }
            agents = agentsContinuous ? .continuous(m.agents) : .whole(Int(m.agents))
        }
    }
}
