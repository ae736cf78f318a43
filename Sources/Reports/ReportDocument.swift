import Foundation

/// A report page: titled sections of prose, tables and SVG figures, rendered as one self-contained HTML page
/// (figures inline, no scripts, no network) and as Markdown with the figures as separate SVG files.
public struct ReportDocument: Sendable {
    public struct Figure: Sendable {
        public var name: String
        public var svg: String
        public var caption: String
        public init(name: String, svg: String, caption: String) { self.name = name; self.svg = svg; self.caption = caption }
    }

    public struct Section: Sendable {
        public var title: String
        public var paragraphs: [String] = []
        public var figures: [Figure] = []
        public var tables: [Table] = []
        public init(title: String, paragraphs: [String] = [], figures: [Figure] = [], tables: [Table] = []) {
            self.title = title; self.paragraphs = paragraphs; self.figures = figures; self.tables = tables
        }
    }

    public var title: String
    public var subtitle: String
    public var sections: [Section] = []

    public init(title: String, subtitle: String) { self.title = title; self.subtitle = subtitle }

    /// Escapes text for HTML and SVG.
    public static func html(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Inline `code` spans in prose.
    static func inline(_ s: String) -> String {
        let parts = html(s).split(separator: "`", omittingEmptySubsequences: false)
        return parts.enumerated().map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
    }

    public func renderHTML() -> String {
        var o = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.html(title))</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
        header { background: #1f3a5f; color: #fff; padding: 18px 32px; }
        header h1 { margin: 0; font-size: 24px; } header p { margin: 4px 0 0; opacity: .85; }
        nav { padding: 8px 32px; background: #e8edf3; font-size: 14px; } nav a { margin-right: 14px; color: #1f3a5f; }
        main { padding: 8px 32px 40px; max-width: 1200px; }
        section { background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 8px 20px 16px; margin: 18px 0; }
        h2 { color: #1f3a5f; font-size: 20px; }
        figure { margin: 12px 0; } figcaption { font-size: 13px; color: #555; }
        figure svg { max-width: 100%; height: auto; }
        table { border-collapse: collapse; font-size: 13px; margin: 10px 0; }
        th, td { border: 1px solid #d5dbe2; padding: 3px 8px; text-align: right; } th { background: #f0f3f7; }
        td:first-child, th:first-child { text-align: left; }
        code { background: #f0f3f7; padding: 0 3px; border-radius: 3px; }
        </style></head><body>
        <header><h1>\(Self.html(title))</h1><p>\(Self.html(subtitle))</p></header>
        <nav>
        """
        for (i, s) in sections.enumerated() { o += "<a href=\"#s\(i)\">\(Self.html(s.title))</a>" }
        o += "</nav>\n<main>\n"
        for (i, s) in sections.enumerated() {
            o += "<section id=\"s\(i)\"><h2>\(Self.html(s.title))</h2>\n"
            for p in s.paragraphs { o += "<p>\(Self.inline(p))</p>\n" }
            for f in s.figures {
                // Inline SVG without its XML declaration.
                var svg = f.svg
                if let r = svg.range(of: "?>") , svg.hasPrefix("<?xml") { svg = String(svg[r.upperBound...]) }
                o += "<figure>\(svg)<figcaption>\(Self.inline(f.caption))</figcaption></figure>\n"
            }
            for t in s.tables {
                if let title = t.title { o += "<p><b>\(Self.html(title))</b></p>" }
                o += "<table><tr>" + t.columns.map { "<th>\(Self.html($0))</th>" }.joined() + "</tr>\n"
                for r in t.rows { o += "<tr>" + r.map { "<td>\(Self.html($0.plain))</td>" }.joined() + "</tr>\n" }
                o += "</table>\n"
            }
            o += "</section>\n"
        }
        o += "</main></body></html>\n"
        return o
    }

    /// Markdown text plus the figure files it links (`figures/NAME.svg`). Text from data (names in titles,
    /// prose and table cells) has `&`, `<` and `>` escaped as in the HTML page, so raw HTML in a name is shown
    /// as text by Markdown renderers; line breaks inside a table cell become spaces.
    public func renderMarkdown(figureFolder: String = "figures") -> (text: String, files: [(name: String, svg: String)]) {
        let h = Self.html
        func cell(_ s: String) -> String {
            h(s).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        }
        var o = "# \(h(title))\n\n*\(h(subtitle))*\n\n"
        var files: [(String, String)] = []
        for s in sections {
            o += "## \(h(s.title))\n\n"
            for p in s.paragraphs { o += h(p) + "\n\n" }
            for f in s.figures {
                files.append(("\(f.name).svg", f.svg))
                o += "![\(h(f.caption))](\(figureFolder)/\(f.name).svg)\n\n*\(h(f.caption))*\n\n"
            }
            for t in s.tables {
                if let title = t.title { o += "**\(h(title))**\n\n" }
                o += "| " + t.columns.map(cell).joined(separator: " | ") + " |\n|" + t.columns.map { _ in "---" }.joined(separator: "|") + "|\n"
                for r in t.rows { o += "| " + r.map { cell($0.plain) }.joined(separator: " | ") + " |\n" }
                o += "\n"
            }
        }
        return (o, files)
    }
}

/// A heat map: rows x columns of values drawn as coloured cells, with a diverging scale around `center`
/// (blue below, red above) or a sequential one when `center` is nil.
public struct SVGHeatmap: Sendable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// values[row][column]; NaN = no data (grey).
    public var values: [[Double]]
    public var center: Double?
    public var legend: String
    public var cell: Double = 12

    public init(title: String, rowLabels: [String], columnLabels: [String], values: [[Double]], center: Double?, legend: String) {
        self.title = title; self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.values = values; self.center = center; self.legend = legend
    }

    public func render() -> String {
        let left = 118.0, top = 40.0, cw = max(cell, min(14, 900 / Double(max(columnLabels.count, 1)))), ch = cell
        let width = left + Double(columnLabels.count) * cw + 20, height = top + Double(rowLabels.count) * ch + 50
        let finite = values.flatMap { $0 }.filter { $0.isFinite }
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        func color(_ v: Double) -> String {
            guard v.isFinite else { return "#dddddd" }
            if let c = center {
                let span = max(abs(hi - c), abs(lo - c), 1e-9)
                let t = max(-1, min(1, (v - c) / span))
                let (r, g, b) = t >= 0 ? (255.0, 255 - 200 * t, 255 - 200 * t) : (255 + 200 * t, 255 + 200 * t, 255.0)
                return String(format: "#%02x%02x%02x", Int(r), Int(g), Int(b))
            }
            let t = hi > lo ? (v - lo) / (hi - lo) : 0
            return String(format: "#%02x%02x%02x", Int(255 - 200 * t), Int(255 - 150 * t), Int(255 - 60 * t))
        }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"10\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"\(Int(left))\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(ReportDocument.html(title))</text>\n"
        for (i, r) in rowLabels.enumerated() {
            s += "<text x=\"\(Int(left - 4))\" y=\(q(top + Double(i) * ch + ch - 3)) text-anchor=\"end\">\(ReportDocument.html(r))</text>\n"
            for (j, v) in values[i].enumerated() {
                s += "<rect x=\(q(left + Double(j) * cw)) y=\(q(top + Double(i) * ch)) width=\(q(cw)) height=\(q(ch)) fill=\"\(color(v))\"><title>\(ReportDocument.html(r)) \(ReportDocument.html(columnLabels[j])): \(v.isFinite ? String(format: "%.1f", v) : "no data")</title></rect>\n"
            }
        }
        let every = max(1, columnLabels.count / 12)
        for (j, c) in columnLabels.enumerated() where j % every == 0 {
            s += "<text x=\(q(left + Double(j) * cw + cw / 2)) y=\(q(top + Double(rowLabels.count) * ch + 12)) text-anchor=\"middle\">\(ReportDocument.html(c))</text>\n"
        }
        let ly = top + Double(rowLabels.count) * ch + 32
        s += "<text x=\"\(Int(left))\" y=\(q(ly)) >\(ReportDocument.html(legend)): \(String(format: "%.1f", lo))</text>\n"
        for k in 0..<20 {
            let v = lo + (hi - lo) * Double(k) / 19
            s += "<rect x=\(q(left + 150 + Double(k) * 8)) y=\(q(ly - 9)) width=\"8\" height=\"10\" fill=\"\(color(v))\"/>\n"
        }
        s += "<text x=\(q(left + 316)) y=\(q(ly))>\(String(format: "%.1f", hi))</text>\n</svg>\n"
        return s
    }

    private func q(_ v: Double) -> String { "\"" + String(format: "%.1f", v) + "\"" }
}
