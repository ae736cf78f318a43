import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Ingest
import PlanningCore
import Reports
import Store

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load interval history CSV files into the store (validated, idempotent, all-or-nothing).",
        discussion: """
        CSV header: timestamp,channel,volume[,aht_seconds][,abandoned]
          timestamp     ISO 8601 local wall time at interval start in the workspace time zone (2026-03-01T08:30:00)
          channel       queue name (UTF-8)
          volume        contacts offered in the interval (>= 0)
          aht_seconds   mean handle time in seconds (optional, may be empty)
          abandoned     contacts abandoned (optional, <= volume)
        The interval length is detected per channel (5, 6, 10, 15, 30 or 60 minutes) and every row must start on
        its grid. All files are validated before anything is written, then written in one transaction: on any
        error nothing changes. Re-ingesting the same data changes nothing; overlapping data updates rows.

        Example:
          peakplan ingest --workspace bank Datasets/anonbank-israel-1999/voice-6min.csv
          cat today.csv | peakplan ingest --workspace bank -
        """
    )

    @OptionGroup var ws: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("CSV files to load; - reads standard input.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one CSV file (or - for standard input)") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        do {
            let report = try IngestStage.run(ws.ws, files: files)
            try output.emit(IngestStage.table(report).render(output.format.format))
            Diagnostics.info(IngestStage.summary(report))
        } catch { throw failure(error) }
    }
}
