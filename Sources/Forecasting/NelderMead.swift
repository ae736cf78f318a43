/// Derivative-free minimisation (Nelder & Mead 1965) of `f` over the box [lower, upper]^n
/// (points are clamped into the box). Deterministic; stops after `maxEvaluations` or when the simplex's
/// function values agree to `tolerance`.
enum NelderMead {
    static func minimize(_ f: ([Double]) -> Double, start: [Double], step: Double = 0.1, lower: Double = 0, upper: Double = 1,
                         maxEvaluations: Int = 400, tolerance: Double = 1e-10) -> (x: [Double], value: Double) {
        let n = start.count
        func clamp(_ x: [Double]) -> [Double] { x.map { min(max($0, lower), upper) } }
        var simplex: [[Double]] = [clamp(start)]
        for i in 0..<n {
            var p = start
            p[i] += p[i] + step <= upper ? step : -step
            simplex.append(clamp(p))
        }
        var values = simplex.map(f)
        var evals = values.count
        while evals < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + 1e-12) { break }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex.dropLast() { for j in 0..<n { centroid[j] += p[j] / Double(n) } }
            func along(_ t: Double) -> [Double] { clamp((0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) }) }
            let xr = along(-1); let fr = f(xr); evals += 1
            if fr < values[0] {
                let xe = along(-2); let fe = f(xe); evals += 1
                if fe < fr { simplex[n] = xe; values[n] = fe } else { simplex[n] = xr; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = xr; values[n] = fr
            } else {
                let xc = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = f(xc); evals += 1
                if fc < min(fr, values[n]) {
                    simplex[n] = xc; values[n] = fc
                } else {
                    for i in 1...n {
                        simplex[i] = clamp((0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) })
                        values[i] = f(simplex[i]); evals += 1
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return (simplex[best], values[best])
    }
}
