// swift-tools-version: 6.1
import PackageDescription

// Module layout and dependency rule: see README.md "Architecture" and ../shared/DESIGN.md section 2.
// Core modules (PlanningCore) touch no files, database, network or C module.
// Edge modules (Ingest, Store, Reports) do I/O; Reports depends on the domain modules whose results it writes, never
// the other way round. Pipeline (the application layer) composes them; the executables depend on it.
let package = Package(
    name: "PeakPlan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "peakplan", targets: ["peakplan"]),
        .executable(name: "peakplan-bench", targets: ["peakplan-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        // C system libraries: module.modulemap + shim.h only.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .systemLibrary(name: "CCbc", path: "Sources/CCbc"),

        // Solver-neutral LP/MIP model builder, typed outcomes, hard deadlines; the CBC/CLP backend.
        .target(name: "Optimization", dependencies: ["CCbc"]),

        // Pure scheduling: rules (one file each in Constraints/), decomposition, the engine; builds Optimization models.
        .target(name: "Scheduling", dependencies: ["PlanningCore", "Optimization"]),

        // Pure routing: weight tables from a solved schedule's per-interval allocation.
        .target(name: "Routing", dependencies: ["PlanningCore", "Scheduling"]),

        // Swift API over LAPACK: ridge, least squares, SVD.
        .target(name: "LinearAlgebra", dependencies: ["CLapack"]),

        // Pure forecasting: models (one file each), calendar effects, backtests, intervals.
        .target(name: "Forecasting", dependencies: ["PlanningCore", "LinearAlgebra"]),

        // Pure core: value types, time zone rules, workspace configuration (TOML), calendar rules.
        .target(name: "PlanningCore"),

        // Edge: streaming, validating CSV readers for history and events.
        .target(name: "Ingest", dependencies: ["PlanningCore"]),

        // Pure core: Erlang B/C/A, staff solver, chat concurrency, deadline work, shrinkage.
        .target(name: "Staffing", dependencies: ["PlanningCore"]),

        // Edge: the SQLite store, migrations, one record type per table.
        .target(name: "Store", dependencies: ["PlanningCore", "Ingest", "CSQLite"]),

        // Edge: table / CSV / JSON renderers (JSONOutput for Encodable results), the writers of schedule, route,
        // roster, simulation and Erlang results, SVG charts, report documents, atomic file output.
        .target(name: "Reports", dependencies: ["PlanningCore", "Staffing", "Scheduling", "Routing", "Rostering", "Simulation"]),

        // Pure discrete-event simulation of a multi-skill centre (ccsim/1 instances); RoutingPolicies/ one per file.
        .target(name: "Simulation"),

        // Pure rostering: named agents onto shifts; rules (one file each in Rules/), the engine (its writers are in Reports).
        .target(name: "Rostering", dependencies: ["PlanningCore"]),

        // Application layer: the plan's stages as typed calls passing values (series loading, ingest, forecast,
        // staffing, schedule, roster, routing, report, scenarios), and the mapping between domain values and
        // store records. No argument parsing and no terminal: the executables parse, call one stage, render.
        .target(name: "Pipeline", dependencies: [
            "PlanningCore", "Ingest", "Store", "Reports", "Forecasting", "Staffing", "Rostering",
            "Optimization", "Scheduling", "Routing", "Simulation",
        ]),

        // What both executables share on the command line: option groups, exit codes, the progress bar.
        .target(name: "CommandLineSupport", dependencies: [
            "Pipeline", "PlanningCore", "Reports", "Store", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(
            name: "peakplan",
            dependencies: [
                "Pipeline", "CommandLineSupport", "PlanningCore", "Ingest", "Store", "Reports", "Forecasting", "Staffing", "Rostering",
                "Optimization", "Scheduling", "Routing", "Simulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Generated benchmark cases (rosters) for peakplan-bench and the tests; not linked into `peakplan`.
        .target(name: "BenchmarkFixtures", dependencies: ["PlanningCore", "Rostering"]),

        // Benchmarks that print figures beside the peers' results (not shipped in `peakplan`).
        .executableTarget(
            name: "peakplan-bench",
            dependencies: [
                "Pipeline", "CommandLineSupport", "BenchmarkFixtures", "PlanningCore", "Ingest", "Store", "Reports", "Forecasting", "Staffing",
                "Rostering", "Optimization", "Scheduling", "Routing", "Simulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test support (CLI runner, golden files, fixture paths, tolerance checks) for the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "PlanningCoreTests", dependencies: [
            "PlanningCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "PlanningCore"], exclude: ["Corpus"]),
        .testTarget(name: "StoreTests", dependencies: [
            "Store", "Ingest", "PlanningCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "StaffingTests", dependencies: [
            "Staffing", "PlanningCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["peakplan", "peakplan-bench", "PlanningCore", "TestSupport"], exclude: ["Golden", "Fixtures"]),
        .testTarget(name: "RosteringTests", dependencies: [
            "Rostering", "Reports", "BenchmarkFixtures", "PlanningCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "OptimizationTests", dependencies: [
            "Optimization", "PlanningCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "SchedulingTests", dependencies: [
            "Scheduling", "Optimization", "PlanningCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "RoutingTests", dependencies: [
            "Routing", "Scheduling", "PlanningCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Staffing", "PlanningCore"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Store", "Reports", "PlanningCore", "Scheduling", "Staffing", "Rostering", "Routing", "TestSupport"]),
        .testTarget(name: "ForecastingTests", dependencies: [
            "Forecasting", "LinearAlgebra", "PlanningCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
