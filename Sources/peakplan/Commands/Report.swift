import ArgumentParser
import CommandLineSupport
import Forecasting
import Foundation
import PlanningCore
import Reports
import Store
import Pipeline

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML page and a Markdown page with SVG charts of everything in the workspace.",
        discussion: """
        Sections, each present when the workspace has its data: history (daily totals with calendar events),
        backtest accuracy by model and horizon, the latest forecast as a fan chart with its peak days, the
        staffing requirement as a day x interval heat map, the schedule's planned minus required agents per
        queue (heat maps, with the gap to the LP bound), routing weights over the day per queue, and the roster
        grid (agents x days). Schedules and rosters are those stored by `peakplan plan`. Charts are SVG drawn by PeakPlan: the HTML page is
        self-contained (no scripts, no network). Files are written to a temporary folder and moved into place.
        Example:
          peakplan report --workspace demo --out-dir Notebooks-exported/demo
        """
    )
    @OptionGroup var ws: WorkspaceOptions
    @Option(help: ArgumentHelp("Folder to write index.html, report.md and figures/ into.", valueName: "dir")) var outDir: String
    @Option(help: "Report title.") var title: String = "PeakPlan report"
    @Option(help: "Subtitle (default: the workspace and its time zone).") var subtitle: String?
    @Option(name: .customLong("channel"), help: "Channels (repeatable; default: all).") var channels: [String] = []

    func run() throws {
        do {
            var b = ReportBuilder(workspace: ws.ws, outDir: outDir)
            b.title = title; b.subtitle = subtitle; b.channels = channels
            let n = try b.write()
            Diagnostics.info("report: \(n) sections written to \(outDir)/index.html and \(outDir)/report.md")
        } catch { throw failure(error) }
    }
}
