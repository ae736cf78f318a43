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
    ]
}
