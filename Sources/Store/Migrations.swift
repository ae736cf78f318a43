/// Schema migrations. Each entry describes the past: never edit one that has shipped; append a new one.
public enum Migrations {
    public static let all: [(version: Int, name: String, sql: String)] = [
        (1, "history, channels, ingests, events", """
        CREATE TABLE channels (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            interval_minutes INTEGER NOT NULL CHECK (interval_minutes IN (5, 6, 10, 15, 30, 60))
        );
        -- One row per channel and interval start (UTC seconds). NULL = not given.
        CREATE TABLE history (
            channel_id INTEGER NOT NULL REFERENCES channels(id),
            ts INTEGER NOT NULL,
            volume REAL NOT NULL CHECK (volume >= 0),
            aht_seconds REAL CHECK (aht_seconds >= 0),
            abandoned REAL CHECK (abandoned >= 0),
            PRIMARY KEY (channel_id, ts)
        ) WITHOUT ROWID;
        CREATE TABLE ingests (
            id INTEGER PRIMARY KEY,
            at_utc TEXT NOT NULL,
            source TEXT NOT NULL,
            rows INTEGER NOT NULL,
            inserted INTEGER NOT NULL,
            updated INTEGER NOT NULL,
            unchanged INTEGER NOT NULL
        );
        CREATE TABLE ingest_channels (
            ingest_id INTEGER NOT NULL REFERENCES ingests(id),
            channel_id INTEGER NOT NULL REFERENCES channels(id),
            inserted INTEGER NOT NULL,
            updated INTEGER NOT NULL,
            unchanged INTEGER NOT NULL,
            PRIMARY KEY (ingest_id, channel_id)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            day INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('holiday', 'sales', 'billing', 'custom')),
            channel TEXT NOT NULL DEFAULT '',
            lead_days INTEGER NOT NULL DEFAULT 0,
            lag_days INTEGER NOT NULL DEFAULT 0,
            UNIQUE (day, name, channel)
        );
        """),
        (2, "events: kind anomaly (days left out of fitting and scoring)", """
        CREATE TABLE events_v2 (
            id INTEGER PRIMARY KEY,
            day INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('holiday', 'sales', 'billing', 'custom', 'anomaly')),
            channel TEXT NOT NULL DEFAULT '',
            lead_days INTEGER NOT NULL DEFAULT 0,
            lag_days INTEGER NOT NULL DEFAULT 0,
            UNIQUE (day, name, channel)
        );
        INSERT INTO events_v2 SELECT id, day, name, kind, channel, lead_days, lag_days FROM events;
        DROP TABLE events;
        ALTER TABLE events_v2 RENAME TO events;
        """),
        (3, "forecast runs and values, backtest results", """
        CREATE TABLE forecast_runs (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            channel_id INTEGER NOT NULL REFERENCES channels(id),
            model TEXT NOT NULL,
            interval_minutes INTEGER NOT NULL,
            first_ts INTEGER NOT NULL,
            slots INTEGER NOT NULL
        );
        -- One row per forecast interval (UTC start). aht_seconds: forecast mean handle time (NULL if unknown).
        CREATE TABLE forecast_values (
            run_id INTEGER NOT NULL REFERENCES forecast_runs(id),
            ts INTEGER NOT NULL,
            mean REAL NOT NULL, lo80 REAL NOT NULL, hi80 REAL NOT NULL, lo95 REAL NOT NULL, hi95 REAL NOT NULL,
            aht_seconds REAL,
            PRIMARY KEY (run_id, ts)
        ) WITHOUT ROWID;
        CREATE TABLE backtest_results (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            channel TEXT NOT NULL,
            model TEXT NOT NULL,
            horizon TEXT NOT NULL,
            interval_minutes INTEGER NOT NULL,
            mase REAL, smape REAL, wape REAL, rmse REAL, pinball REAL, coverage80 REAL, coverage95 REAL,
            event_day_error REAL, peak_error_pct REAL, fit_seconds REAL, origins INTEGER NOT NULL
        );
        """),
        (4, "staffing runs and requirements per interval", """
        -- One run per channel of `peakplan staff`. source: 'forecast' (forecast_run_id set) or the input file.
        -- channel is the name (an --input file may name channels that have no history).
        CREATE TABLE staffing_runs (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            channel TEXT NOT NULL,
            kind TEXT NOT NULL,
            model TEXT NOT NULL CHECK (model IN ('erlang_c', 'erlang_a', 'chat', 'deadline')),
            quantile TEXT NOT NULL,
            source TEXT NOT NULL,
            forecast_run_id INTEGER REFERENCES forecast_runs(id),
            interval_minutes INTEGER NOT NULL,
            targets TEXT NOT NULL,
            first_ts INTEGER NOT NULL,
            slots INTEGER NOT NULL
        );
        CREATE INDEX staffing_runs_channel ON staffing_runs(channel, id);
        -- One row per interval (UTC start). agents: productive (on-queue) whole agents; scheduled: after
        -- shrinkage; needed: the requirement before max_agents. NULL metrics: not defined for the model.
        CREATE TABLE staffing_requirements (
            run_id INTEGER NOT NULL REFERENCES staffing_runs(id),
            ts INTEGER NOT NULL,
            volume REAL NOT NULL,
            aht_seconds REAL,
            agents INTEGER NOT NULL CHECK (agents >= 0),
            agents_fractional REAL NOT NULL,
            scheduled REAL NOT NULL,
            needed INTEGER NOT NULL,
            service_level REAL, asa_seconds REAL, occupancy REAL, prob_abandon REAL,
            PRIMARY KEY (run_id, ts)
        ) WITHOUT ROWID;
        """),
        (5, "fitted models as versioned JSON", """
        CREATE TABLE fitted_models (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            channel TEXT NOT NULL,
            model TEXT NOT NULL,
            interval_minutes INTEGER NOT NULL,
            history_end TEXT NOT NULL,
            json TEXT NOT NULL
        );
        CREATE INDEX fitted_models_by_channel ON fitted_models(channel, id);
        """),
        (6, "plan runs: input fingerprint and outputs, for reuse", """
        CREATE TABLE plan_runs (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            scenario TEXT NOT NULL DEFAULT '',
            fingerprint TEXT NOT NULL,
            output_dir TEXT NOT NULL,
            summary TEXT NOT NULL
        );
        """),
        (7, "schedules with coverage and routing weights; rosters with their shifts", """
        -- Periods count from local midnight of first_day (days since 1970-01-01) in interval_minutes steps.
        CREATE TABLE schedule_runs (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            interval_minutes INTEGER NOT NULL,
            first_day INTEGER NOT NULL,
            periods INTEGER NOT NULL,
            status TEXT NOT NULL,
            objective REAL NOT NULL,
            lower_bound REAL NOT NULL,
            gap REAL NOT NULL,
            paid_hours REAL NOT NULL,
            required_hours REAL NOT NULL,
            short_intervals INTEGER NOT NULL,
            shifts INTEGER NOT NULL,
            seconds REAL NOT NULL,
            soft INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE schedule_coverage (
            run_id INTEGER NOT NULL REFERENCES schedule_runs(id) ON DELETE CASCADE,
            queue TEXT NOT NULL,
            period INTEGER NOT NULL,
            required REAL NOT NULL,
            planned REAL NOT NULL,
            PRIMARY KEY (run_id, queue, period)
        ) WITHOUT ROWID;
        CREATE TABLE routing_weights (
            run_id INTEGER NOT NULL REFERENCES schedule_runs(id) ON DELETE CASCADE,
            period INTEGER NOT NULL,
            queue TEXT NOT NULL,
            agent_group TEXT NOT NULL,
            weight REAL NOT NULL,
            planned REAL NOT NULL,
            PRIMARY KEY (run_id, period, queue, agent_group)
        ) WITHOUT ROWID;
        CREATE TABLE roster_runs (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            start_day INTEGER NOT NULL,
            weeks INTEGER NOT NULL,
            agents INTEGER NOT NULL,
            shifts INTEGER NOT NULL,
            paid_hours REAL NOT NULL,
            shortfall_pct REAL NOT NULL,
            hard_violations INTEGER NOT NULL,
            fairness_spread INTEGER NOT NULL,
            preferences_met_pct REAL NOT NULL
        );
        -- One row per agent (template '' and no times when the agent has no shift in the horizon).
        CREATE TABLE roster_shifts (
            run_id INTEGER NOT NULL REFERENCES roster_runs(id) ON DELETE CASCADE,
            agent_id TEXT NOT NULL,
            agent_name TEXT NOT NULL,
            day INTEGER NOT NULL,
            template TEXT NOT NULL,
            start_minute INTEGER NOT NULL,
            end_minute INTEGER NOT NULL,
            channels TEXT NOT NULL,
            PRIMARY KEY (run_id, agent_id, day)
        );
        """),
        (8, "the solved schedule itself (shifts and allocation), so routing reads the schedule the user saw", """
        -- A peakplan-schedule/1 JSON document (problem, shifts with breaks, per-group allocation) per schedule run.
        CREATE TABLE schedule_documents (
            run_id INTEGER PRIMARY KEY REFERENCES schedule_runs(id) ON DELETE CASCADE,
            format TEXT NOT NULL,
            json TEXT NOT NULL
        );
        """),
        (9, "the solved roster itself (who works which queue in every interval), so routing follows the people", """
        -- A peakplan-roster/1 JSON document (agents with groups and skills, shifts with the queue per interval) per roster run.
        CREATE TABLE roster_documents (
            run_id INTEGER PRIMARY KEY REFERENCES roster_runs(id) ON DELETE CASCADE,
            format TEXT NOT NULL,
            json TEXT NOT NULL
        );
        """),
        (10, "events: expected change (the planner's prior for an event's total change against a normal day)", """
        -- A fraction (1.5 = +150%); NULL = not given.
        ALTER TABLE events ADD COLUMN expected_change REAL;
        """),
        (11, "planner overrides of the forecast (forecast adjust), and the statistical values they replaced", """
        -- A planner's override: on channel, from from_local to to_local (local wall-clock seconds since
        -- 1970-01-01, end exclusive), either set (value = contacts per day for unit 'day', per interval for
        -- unit 'interval') or scale (value = factor). The newest adjustment covering an interval is applied.
        CREATE TABLE forecast_adjustments (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            channel TEXT NOT NULL,
            unit TEXT NOT NULL CHECK (unit IN ('day', 'interval')),
            from_local INTEGER NOT NULL,
            to_local INTEGER NOT NULL CHECK (to_local > from_local),
            op TEXT NOT NULL CHECK (op IN ('set', 'scale')),
            value REAL NOT NULL CHECK (value >= 0),
            reason TEXT NOT NULL
        );
        -- The statistical forecast of every interval an adjustment changed in a stored forecast run
        -- (forecast_values holds the adjusted values staffing uses): both can be compared later.
        CREATE TABLE forecast_statistical_values (
            run_id INTEGER NOT NULL REFERENCES forecast_runs(id),
            ts INTEGER NOT NULL,
            adjustment_id INTEGER NOT NULL,
            mean REAL NOT NULL, lo80 REAL NOT NULL, hi80 REAL NOT NULL, lo95 REAL NOT NULL, hi95 REAL NOT NULL,
            PRIMARY KEY (run_id, ts)
        ) WITHOUT ROWID;
        """),
    ]
}
