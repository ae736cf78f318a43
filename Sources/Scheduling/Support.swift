import PlanningCore

/// A number with at most `decimals` decimals and no trailing zeros (messages and explanations).
func fmt(_ x: Double, _ decimals: Int = 1) -> String {
    var m = 1.0
    for _ in 0 ..< max(0, decimals) { m *= 10 }
    let r = (x * m).rounded() / m
    if decimals == 0 || r == r.rounded() { return String(Int(r.rounded())) }
    return String(r)
}

enum Civilian {
    /// `YYYY-MM-DD` of horizon day d.
    static func date(_ p: ScheduleProblem, _ d: Int) -> String { Civil.formatDate(day: p.firstDay + Int64(d)) }
}
