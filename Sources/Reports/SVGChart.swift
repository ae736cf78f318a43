import Foundation

/// A small, dependency-free SVG chart writer: scatter points, lines and shaded bands on linear axes, with
/// ticks, grid, axis titles and a legend. Output is deterministic: the same chart gives the same bytes
/// (coordinates are printed with fixed decimals, no dates, ids or random numbers).
public struct SVGChart: Sendable {
    public struct Axis: Sendable {
        public var title: String
        public var min: Double
        public var max: Double
        /// Tick values (inside [min, max]); labels use `decimals`.
        public var ticks: [Double]
        public var decimals: Int
        public init(title: String, min: Double, max: Double, ticks: [Double]? = nil, decimals: Int = 0) {
            self.title = title
            self.min = min
            self.max = max
            self.ticks = ticks ?? SVGChart.niceTicks(min: min, max: max)
            self.decimals = decimals
        }
    }

    public enum Mark: Sendable {
        /// Circles at (x, y).
        case points(x: [Double], y: [Double], color: String, radius: Double, opacity: Double, label: String?)
        /// A polyline through (x, y); NaN values break the line.
        case line(x: [Double], y: [Double], color: String, width: Double, dashed: Bool, label: String?)
        /// A shaded area between `low` and `high` along x.
        case band(x: [Double], low: [Double], high: [Double], color: String, opacity: Double, label: String?)
    }

    public var title: String
    public var width: Double
    public var height: Double
    public var x: Axis
    public var y: Axis
    public var marks: [Mark] = []
    /// A note under the plot (e.g. the data source).
    public var caption: String?

    public init(title: String, width: Double = 520, height: Double = 400, x: Axis, y: Axis, marks: [Mark] = [], caption: String? = nil) {
        self.title = title
        self.width = width
        self.height = height
        self.x = x
        self.y = y
        self.marks = marks
        self.caption = caption
    }

    // Plot area margins.
    static let left = 62.0, right = 16.0, top = 34.0, bottom = 58.0

    /// A complete SVG document with this chart alone.
    public func render() -> String {
        SVGChart.document(width: width, height: height + (caption == nil ? 0 : 18)) { body(originX: 0, originY: 0) }
    }

    /// Charts side by side in one SVG document, with an optional overall title.
    public static func panels(_ charts: [SVGChart], title: String? = nil) -> String {
        let w = charts.reduce(0) { $0 + $1.width }
        let titleH = title == nil ? 0.0 : 26.0
        let h = (charts.map { $0.height + ($0.caption == nil ? 0 : 18) }.max() ?? 0) + titleH
        return document(width: w, height: h) {
            var s = ""
            if let t = title {
                s += "<text x=\"\(f(w / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(escape(t))</text>\n"
            }
            var x0 = 0.0
            for c in charts {
                s += c.body(originX: x0, originY: titleH)
                x0 += c.width
            }
            return s
        }
    }

    static func document(width: Double, height: Double, _ content: () -> String) -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>\n"
        s += content()
        s += "</svg>\n"
        return s
    }

    /// The chart's elements translated to (originX, originY).
    func body(originX ox: Double, originY oy: Double) -> String {
        let px0 = ox + SVGChart.left, px1 = ox + width - SVGChart.right
        let py0 = oy + SVGChart.top, py1 = oy + height - SVGChart.bottom
        func sx(_ v: Double) -> Double { px0 + (v - x.min) / (x.max - x.min) * (px1 - px0) }
        func sy(_ v: Double) -> Double { py1 - (v - y.min) / (y.max - y.min) * (py1 - py0) }
        func clampX(_ v: Double) -> Double { Swift.min(Swift.max(v, x.min), x.max) }
        func clampY(_ v: Double) -> Double { Swift.min(Swift.max(v, y.min), y.max) }
        func f(_ v: Double, _ d: Int = 1) -> String { SVGChart.f(v, d) }
        let esc = SVGChart.escape
        var s = "<g>\n"
        s += "<text x=\"\(f((px0 + px1) / 2))\" y=\"\(f(oy + 20))\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(esc(title))</text>\n"
        // Grid and ticks.
        for t in x.ticks where t >= x.min && t <= x.max {
            let X = sx(t)
            s += "<line x1=\"\(f(X))\" y1=\"\(f(py0))\" x2=\"\(f(X))\" y2=\"\(f(py1))\" stroke=\"#e4e4e4\"/>\n"
            s += "<text x=\"\(f(X))\" y=\"\(f(py1 + 15))\" text-anchor=\"middle\">\(SVGChart.label(t, x.decimals))</text>\n"
        }
        for t in y.ticks where t >= y.min && t <= y.max {
            let Y = sy(t)
            s += "<line x1=\"\(f(px0))\" y1=\"\(f(Y))\" x2=\"\(f(px1))\" y2=\"\(f(Y))\" stroke=\"#e4e4e4\"/>\n"
            s += "<text x=\"\(f(px0 - 6))\" y=\"\(f(Y + 4))\" text-anchor=\"end\">\(SVGChart.label(t, y.decimals))</text>\n"
        }
        s += "<rect x=\"\(f(px0))\" y=\"\(f(py0))\" width=\"\(f(px1 - px0))\" height=\"\(f(py1 - py0))\" fill=\"none\" stroke=\"#555555\"/>\n"
        s += "<text x=\"\(f((px0 + px1) / 2))\" y=\"\(f(py1 + 34))\" text-anchor=\"middle\">\(esc(x.title))</text>\n"
        s += "<text transform=\"translate(\(f(ox + 16)) \(f((py0 + py1) / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(y.title))</text>\n"
        // Marks, clipped to the plot area by clamping (no clipPath ids, so panels never collide).
        var legend: [(String, String, Bool)] = []
        for m in marks {
            switch m {
            case let .band(xs, lo, hi, color, opacity, label):
                var upper: [String] = [], lower: [String] = []
                for k in xs.indices where lo[k].isFinite && hi[k].isFinite && xs[k].isFinite {
                    upper.append("\(f(sx(clampX(xs[k])))),\(f(sy(clampY(hi[k]))))")
                    lower.append("\(f(sx(clampX(xs[k])))),\(f(sy(clampY(lo[k]))))")
                }
                if !upper.isEmpty {
                    s += "<polygon points=\"\((upper + lower.reversed()).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"\(f(opacity, 2))\" stroke=\"none\"/>\n"
                }
                if let l = label { legend.append((l, color, true)) }
            case let .line(xs, ys, color, w, dashed, label):
                var run: [String] = []
                func flush() {
                    if run.count >= 2 {
                        s += "<polyline points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(f(w, 2))\"\(dashed ? " stroke-dasharray=\"5 4\"" : "")/>\n"
                    }
                    run = []
                }
                for k in xs.indices {
                    if xs[k].isFinite && ys[k].isFinite { run.append("\(f(sx(clampX(xs[k])))),\(f(sy(clampY(ys[k]))))") } else { flush() }
                }
                flush()
                if let l = label { legend.append((l, color, false)) }
            case let .points(xs, ys, color, r, opacity, label):
                s += "<g fill=\"\(color)\" fill-opacity=\"\(f(opacity, 2))\">\n"
                for k in xs.indices where xs[k].isFinite && ys[k].isFinite {
                    s += "<circle cx=\"\(f(sx(clampX(xs[k]))))\" cy=\"\(f(sy(clampY(ys[k]))))\" r=\"\(f(r, 1))\"/>\n"
                }
                s += "</g>\n"
                if let l = label { legend.append((l, color, true)) }
            }
        }
        // Legend, top left inside the plot.
        for (k, item) in legend.enumerated() {
            let ly = py0 + 14 + Double(k) * 15
            if item.2 {
                s += "<rect x=\"\(f(px0 + 8))\" y=\"\(f(ly - 8))\" width=\"10\" height=\"10\" fill=\"\(item.1)\"/>\n"
            } else {
                s += "<line x1=\"\(f(px0 + 6))\" y1=\"\(f(ly - 3))\" x2=\"\(f(px0 + 20))\" y2=\"\(f(ly - 3))\" stroke=\"\(item.1)\" stroke-width=\"2\"/>\n"
            }
            s += "<text x=\"\(f(px0 + 25))\" y=\"\(f(ly + 1))\">\(esc(item.0))</text>\n"
        }
        if let c = caption {
            s += "<text x=\"\(f(ox + 8))\" y=\"\(f(oy + height + 10))\" font-size=\"10\" fill=\"#555555\">\(esc(c))</text>\n"
        }
        s += "</g>\n"
        return s
    }

    /// About five round tick values covering [min, max].
    public static func niceTicks(min: Double, max: Double, count: Int = 5) -> [Double] {
        guard max > min, min.isFinite, max.isFinite else { return [min] }
        let raw = (max - min) / Double(count)
        let mag = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var t = (min / step).rounded(.up) * step
        var out: [Double] = []
        while t <= max + step * 1e-9 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    static func label(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

    /// Fixed-decimal coordinates: deterministic, compact.
    static func f(_ v: Double, _ decimals: Int = 1) -> String {
        let s = String(format: "%.\(decimals)f", v)
        return s == "-0.0" || s == "-0.00" || s == "-0" ? String(s.dropFirst()) : s
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
