-- eventwire schema v1 (SQLite). Keep in step with 0001_initial.postgresql.sql and store/schema.py.
-- Dates are ISO strings (YYYY-MM-DD), timestamps ISO 8601 in UTC; lists and objects are JSON text.

CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    command TEXT NOT NULL,
    inputs TEXT NOT NULL DEFAULT '[]',
    articles_read INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    events_written INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running',
    version TEXT NOT NULL
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT,
    url TEXT,
    source TEXT,
    published DATE,
    published_from TEXT,
    doc_date DATE,
    language TEXT NOT NULL DEFAULT 'en',
    origin TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    title_end INTEGER NOT NULL DEFAULT 0,
    words INTEGER NOT NULL DEFAULT 0,
    raw_hash TEXT NOT NULL UNIQUE,
    run_id INTEGER REFERENCES runs (id),
    added_at TEXT NOT NULL
);
CREATE INDEX ix_articles_published ON articles (published);

CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    event_date DATE,
    date_start DATE,
    date_end DATE,
    time_precision INTEGER,
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    actor1 TEXT,
    assoc_actor_1 TEXT NOT NULL DEFAULT '[]',
    inter1 INTEGER,
    actor2 TEXT,
    assoc_actor_2 TEXT NOT NULL DEFAULT '[]',
    inter2 INTEGER,
    civilian_targeting BOOLEAN NOT NULL DEFAULT 0,
    country TEXT,
    iso3 TEXT,
    admin1 TEXT,
    location TEXT,
    latitude REAL,
    longitude REAL,
    geonameid INTEGER,
    geo_precision INTEGER,
    fatalities INTEGER NOT NULL DEFAULT 0,
    fatalities_low INTEGER NOT NULL DEFAULT 0,
    fatalities_high INTEGER NOT NULL DEFAULT 0,
    quantities TEXT NOT NULL DEFAULT '{}',
    cameo TEXT,
    plover_event TEXT,
    plover_mode TEXT,
    claimed_by TEXT NOT NULL DEFAULT '[]',
    article_ids TEXT NOT NULL DEFAULT '[]',
    sources TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '[]',
    confidence REAL NOT NULL DEFAULT 0.5,
    review_status TEXT NOT NULL DEFAULT 'machine',
    flags TEXT NOT NULL DEFAULT '[]',
    conflicts TEXT NOT NULL DEFAULT '{}',
    merged_into TEXT REFERENCES events (event_id) ON DELETE SET NULL,
    first_run_id INTEGER REFERENCES runs (id),
    last_run_id INTEGER REFERENCES runs (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_events_event_date ON events (event_date);
CREATE INDEX ix_events_country ON events (lower(country));
CREATE INDEX ix_events_admin1 ON events (lower(admin1));
CREATE INDEX ix_events_sub_event_type ON events (sub_event_type);
CREATE INDEX ix_events_review_status ON events (review_status);
CREATE INDEX ix_events_updated_at ON events (updated_at);
CREATE INDEX ix_events_merged_into ON events (merged_into);

CREATE TABLE event_articles (
    event_id TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id),
    PRIMARY KEY (event_id, article_id)
);
CREATE INDEX ix_event_articles_article_id ON event_articles (article_id);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id),
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '[]',
    UNIQUE (event_id, article_id, "start", "end")
);
CREATE INDEX ix_evidence_article_id ON evidence (article_id);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    event_id TEXT,
    "before" TEXT,
    "after" TEXT
);
CREATE INDEX ix_audit_event_id ON audit (event_id);
