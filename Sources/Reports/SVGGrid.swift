/// A categorical grid: rows x columns of labelled, coloured cells (a roster: agents x days, a cell per shift).
public struct SVGGrid: Sendable {
    public struct Cell: Sendable, Equatable {
        public var color: String
        public var text: String
        public var tooltip: String
        public init(color: String, text: String, tooltip: String) { self.color = color; self.text = text; self.tooltip = tooltip }
    }

    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// cells[row][column]; nil = empty.
    public var cells: [[Cell?]]
    /// Legend entries in order.
    public var legend: [(label: String, color: String)]
    /// Columns drawn on a shaded background (weekends).
    public var shadedColumns: Set<Int>
    public var cellWidth: Double = 38
    public var cellHeight: Double = 15

    public init(title: String, rowLabels: [String], columnLabels: [String], cells: [[Cell?]], legend: [(label: String, color: String)], shadedColumns: Set<Int> = []) {
        self.title = title; self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.cells = cells; self.legend = legend
        self.shadedColumns = shadedColumns
    }

    public func render() -> String {
        let left = 110.0, top = 58.0, cw = cellWidth, ch = cellHeight
        let width = left + Double(columnLabels.count) * cw + 20
        let height = top + Double(rowLabels.count) * ch + 40
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"9\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(Int(left))\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(ReportDocument.html(title))</text>\n"
        for c in shadedColumns.sorted() where c < columnLabels.count {
            s += "<rect x=\(q(left + Double(c) * cw)) y=\(q(top)) width=\(q(cw)) height=\(q(Double(rowLabels.count) * ch)) fill=\"#f1f1f1\"/>\n"
        }
        for (j, c) in columnLabels.enumerated() {
            let lines = c.split(separator: "\n")
            for (k, l) in lines.enumerated() {
                s += "<text x=\(q(left + Double(j) * cw + cw / 2)) y=\(q(top - 6 - Double(lines.count - 1 - k) * 11)) text-anchor=\"middle\">\(ReportDocument.html(String(l)))</text>\n"
            }
        }
        for (i, r) in rowLabels.enumerated() {
            let y = top + Double(i) * ch
            s += "<text x=\"\(Int(left - 4))\" y=\(q(y + ch - 4)) text-anchor=\"end\">\(ReportDocument.html(r))</text>\n"
            s += "<line x1=\(q(left)) y1=\(q(y + ch)) x2=\(q(left + Double(columnLabels.count) * cw)) y2=\(q(y + ch)) stroke=\"#e4e4e4\" stroke-width=\"0.5\"/>\n"
            for (j, cell) in cells[i].enumerated() {
                guard let cell else { continue }
                s += "<g><title>\(ReportDocument.html(cell.tooltip))</title><rect x=\(q(left + Double(j) * cw + 1)) y=\(q(y + 1)) width=\(q(cw - 2)) height=\(q(ch - 2)) rx=\"2\" fill=\"\(cell.color)\"/>"
                s += "<text x=\(q(left + Double(j) * cw + cw / 2)) y=\(q(y + ch - 4)) text-anchor=\"middle\" fill=\"#ffffff\">\(ReportDocument.html(cell.text))</text></g>\n"
            }
        }
        var lx = left
        let ly = top + Double(rowLabels.count) * ch + 22
        for e in legend {
            s += "<rect x=\(q(lx)) y=\(q(ly - 9)) width=\"12\" height=\"11\" rx=\"2\" fill=\"\(e.color)\"/><text x=\(q(lx + 16)) y=\(q(ly))>\(ReportDocument.html(e.label))</text>\n"
            lx += 26 + Double(e.label.count) * 5.5
        }
        return s + "</svg>\n"
    }

    private func q(_ v: Double) -> String { "\"" + String(format: "%.1f", v) + "\"" }
}
