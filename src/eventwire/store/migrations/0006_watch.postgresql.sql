-- eventwire schema v6 (PostgreSQL): state of `eventwire watch` (issue 9), so that it survives restarts.
-- Keep in step with 0006_watch.sqlite.sql and store/schema.py.

-- One row per watched source (a folder or file: "path:/abs/path"; a feed: its URL): the validators the
-- server gave, the backoff state and when to poll it next.
CREATE TABLE watch_sources (
    source TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_polled_at TIMESTAMPTZ,
    last_ok_at TIMESTAMPTZ,
    next_poll_at TIMESTAMPTZ
);

-- What a source held when it was last read: a file's size and mtime, a feed entry's content hash. An item
-- whose stamp is unchanged is not read again.
CREATE TABLE watch_items (
    source TEXT NOT NULL REFERENCES watch_sources (source) ON DELETE CASCADE,
    item TEXT NOT NULL,
    stamp TEXT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, item)
);
