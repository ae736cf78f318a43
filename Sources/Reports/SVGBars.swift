/// Horizontal grouped bars (two values per row), with a dashed reference line at 1 (e.g. MASE).
public enum SVGBars {
    /// Horizontal grouped bars, one row per label.
    public static func render(title: String, bars: [(String, Double, Double)], labels: (String, String)) -> String {
        let left = 130.0, rowH = 22.0, width = 560.0, top = 40.0
        let maxV = max(bars.flatMap { [$0.1, $0.2] }.filter { $0.isFinite }.max() ?? 1, 1)
        let scale = (width - left - 60) / maxV
        let height = top + Double(bars.count) * rowH + 40
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(Int(left))\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(ReportDocument.html(title))</text>\n"
        let oneX = left + scale
        s += "<line x1=\"\(f(oneX))\" y1=\"\(f(top - 6))\" x2=\"\(f(oneX))\" y2=\"\(f(top + Double(bars.count) * rowH))\" stroke=\"#888888\" stroke-dasharray=\"3,3\"/>\n"
        s += "<text x=\"\(f(oneX))\" y=\"\(f(top - 8))\" text-anchor=\"middle\" fill=\"#666666\">1.0</text>\n"
        for (i, b) in bars.enumerated() {
            let y = top + Double(i) * rowH
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 14))\" text-anchor=\"end\">\(ReportDocument.html(b.0))</text>\n"
            for (k, v) in [b.1, b.2].enumerated() where v.isFinite {
                let color = k == 0 ? "#1f77b4" : "#ff7f0e"
                s += "<rect x=\"\(f(left))\" y=\"\(f(y + 2 + Double(k) * 9))\" width=\"\(f(v * scale))\" height=\"8\" fill=\"\(color)\"/>\n"
                s += "<text x=\"\(f(left + v * scale + 4))\" y=\"\(f(y + 9 + Double(k) * 9))\" font-size=\"9\">\(String(format: "%.3f", v))</text>\n"
            }
        }
        let ly = top + Double(bars.count) * rowH + 20
        s += "<rect x=\"\(f(left))\" y=\"\(f(ly - 8))\" width=\"10\" height=\"8\" fill=\"#1f77b4\"/><text x=\"\(f(left + 14))\" y=\"\(f(ly))\">\(labels.0)</text>\n"
        s += "<rect x=\"\(f(left + 80))\" y=\"\(f(ly - 8))\" width=\"10\" height=\"8\" fill=\"#ff7f0e\"/><text x=\"\(f(left + 94))\" y=\"\(f(ly))\">\(labels.1)</text>\n</svg>\n"
        return s
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

}
