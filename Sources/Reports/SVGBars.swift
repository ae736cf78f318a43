/// Horizontal grouped bars (one or more values per row), with a dashed reference line at 1 (e.g. MASE).
public enum SVGBars {
    static let colors = ["#9467bd", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#8c564b"]

    /// Horizontal grouped bars, one row per label, one bar per series (`labels`, in order); NaN values are left out.
    public static func render(title: String, rows: [(label: String, values: [Double])], labels: [String]) -> String {
        let k = max(labels.count, 1)
        let left = 130.0, barH = 8.0, width = 560.0, top = 40.0
        let rowH = Double(k) * (barH + 1) + 4
        let maxV = max(rows.flatMap(\.values).filter { $0.isFinite }.max() ?? 1, 1)
        let scale = (width - left - 60) / maxV
        let height = top + Double(rows.count) * rowH + 40
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(Int(left))\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(ReportDocument.html(title))</text>\n"
        let oneX = left + scale
        s += "<line x1=\"\(f(oneX))\" y1=\"\(f(top - 6))\" x2=\"\(f(oneX))\" y2=\"\(f(top + Double(rows.count) * rowH))\" stroke=\"#888888\" stroke-dasharray=\"3,3\"/>\n"
        s += "<text x=\"\(f(oneX))\" y=\"\(f(top - 8))\" text-anchor=\"middle\" fill=\"#666666\">1.0</text>\n"
        for (i, r) in rows.enumerated() {
            let y = top + Double(i) * rowH
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + rowH / 2 + 3))\" text-anchor=\"end\">\(ReportDocument.html(r.label))</text>\n"
            for (j, v) in r.values.enumerated() where v.isFinite {
                let by = y + 2 + Double(j) * (barH + 1)
                s += "<rect x=\"\(f(left))\" y=\"\(f(by))\" width=\"\(f(v * scale))\" height=\"\(f(barH))\" fill=\"\(colors[j % colors.count])\"/>\n"
                s += "<text x=\"\(f(left + v * scale + 4))\" y=\"\(f(by + 7))\" font-size=\"9\">\(String(format: "%.3f", v))</text>\n"
            }
        }
        let ly = top + Double(rows.count) * rowH + 20
        var lx = left
        for (j, l) in labels.enumerated() {
            s += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 8))\" width=\"10\" height=\"8\" fill=\"\(colors[j % colors.count])\"/><text x=\"\(f(lx + 14))\" y=\"\(f(ly))\">\(ReportDocument.html(l))</text>\n"
            lx += 24 + Double(l.count) * 6
        }
        return s + "</svg>\n"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
