import PlanningCore
import Reports
import Simulation

extension ReportBuilder {
    /// "Simulated service": the plan's roster simulated against the forecast: per queue target, planned (Erlang)
    /// and simulated service level, and per queue a day x interval heat map of the simulated service level.
    func simulationSection(_ sim: PlanSimulation) -> ReportDocument.Section? {
        let rows = sim.result.byInterval
        guard !rows.isEmpty else { return nil }
        var sec = ReportDocument.Section(title: "Simulated service")
        sec.paragraphs.append(
            "The roster run as the floor would run it: \(sim.summaryLine). Per queue, the service level staffing planned (Erlang, each queue on its own) beside the simulated one (agents shared by skill level, breaks, shift edges and abandonment included). The full table per queue and interval is plan/simulation.csv."
        )
        let t = sim.queueTable()
        sec.tables.append(t)
        if let p = sim.policyTable() {
            sec.paragraphs.append(
                "Routing policies compared on the same contacts (common random numbers: every replication offers the same arrivals, handle times and patience under each policy): the plan's weight table (routing.csv: per queue and interval only the groups it names, split by their weights), static priority by skill level, and delay-based overflow (secondary skills after \(Int(RoutingSettings().overflowDelaySeconds)) s). Differences are paired per replication, in service-level points with their 95% confidence interval; the last row counts the queue-intervals with \(Int(PlanSimulation.minimumOffered))+ contacts meeting their target, mean per replication. The full comparison is plan/simulation-policies.csv."
            )
            sec.tables.append(p)
        }
        let m1 = Int((24 * 60 / sim.instance.intervalMinutes).rounded())
        let days = (sim.instance.intervals + m1 - 1) / m1
        for q in sim.instance.queues.map(\.id) {
            var grid = [[Double]](repeating: [Double](repeating: .nan, count: m1), count: days)
            for r in rows where r.queue == q && r.offered > 0 { grid[r.interval / m1][r.interval % m1] = 100 * (r.serviceLevel.value ?? .nan) }
            let hm = SVGHeatmap(
                title: "\(q): simulated service level %", rowLabels: (0..<days).map { String(sim.label($0 * m1).prefix(10)) },
                columnLabels: (0..<m1).map { String(sim.label($0).suffix(5)) }, values: grid, center: (sim.targets[q] ?? 0.8) * 100, legend: "service level %")
            sec.figures.append(.init(name: "simulated-\(q)", svg: hm.render(), caption: "\(q): simulated service level by day and interval (grey: no contacts)"))
        }
        return sec
    }
}
