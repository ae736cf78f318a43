import ArgumentParser

@main
struct PeakPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peakplan",
        abstract: "Contact-centre workforce management: forecast, staff, schedule, roster, route.",
        discussion: """
        A workspace is a folder holding peakplan.toml (configuration) and peakplan.sqlite (store).

        Example:
          peakplan init --workspace ws --time-zone Asia/Shanghai
          peakplan ingest --workspace ws history.csv
          peakplan history --workspace ws
          peakplan simulate --instance Datasets/simulation/anonbank_demo_2w.json

        Exit codes:
          0   success
          1   unexpected failure
          64  usage error (bad option or argument)
          65  bad input data (the message names file, line, column and value; nothing was written), or
              schedule/route/plan: no schedule satisfies the hard rules (queues, intervals and rules named)
          66  input file missing or unreadable
          73  cannot create an output file
          74  store error (database cannot be opened or written)
          75  schedule/route/plan: the solver's time limit came before every part had a schedule
          78  configuration error (peakplan.toml; the message names line and key)
        """,
        version: "0.1.0",
        subcommands: [Init.self, Ingest.self, History.self, Events.self, BacktestCommand.self, ForecastCommand.self, Erlang.self, Staff.self, ScheduleCommand.self, RosterCommand.self, RouteCommand.self, SimulateCommand.self, ReportCommand.self, PlanCommand.self, CompareCommand.self, Bench.self]
    )
}
