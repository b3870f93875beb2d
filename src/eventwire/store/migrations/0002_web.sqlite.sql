-- eventwire schema v2 (SQLite): API tokens for the web app's writes, and indexes for its queries.
-- Keep in step with 0002_web.postgresql.sql and store/schema.py.

-- Only a SHA-256 of each token is kept: the token itself is shown once, by `eventwire token create`.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX ix_api_tokens_name ON api_tokens (name);

CREATE INDEX ix_audit_at ON audit (at);

-- Search columns: what the free-text and actor filters match, lowercased once when an event is written
-- (store/db.py _search_texts) instead of lower() over several columns of every row at query time.
ALTER TABLE events ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor_text TEXT NOT NULL DEFAULT '';
UPDATE events SET
    search_text = lower(coalesce(notes, '') || ' ' || coalesce(location, '') || ' ' || coalesce(admin1, '') || ' ' || coalesce(actor1, '') || ' ' || coalesce(actor2, '') || ' ' || coalesce(evidence, '')),
    actor_text = lower(coalesce(actor1, '') || ' ' || coalesce(actor2, '') || ' ' || coalesce(assoc_actor_1, '') || ' ' || coalesce(assoc_actor_2, ''));

-- Pages of live events in each sort order come from these indexes alone (the web table's queries).
CREATE INDEX ix_events_live_date ON events (event_date, event_id) WHERE merged_into IS NULL;
CREATE INDEX ix_events_live_fatalities ON events (fatalities, event_id) WHERE merged_into IS NULL;
CREATE INDEX ix_events_live_updated ON events (updated_at, event_id) WHERE merged_into IS NULL;
-- The map's clusters and box filter read points (and what a cluster shows) from this index.
CREATE INDEX ix_events_live_point ON events (latitude, longitude, event_type, fatalities, event_id) WHERE merged_into IS NULL;
-- Country filters match the name or the ISO3 code: both sides of the OR need an index, over live events
-- so that counting a country's events reads the indexes alone.
CREATE INDEX ix_events_live_country ON events (lower(country)) WHERE merged_into IS NULL;
CREATE INDEX ix_events_live_iso3 ON events (lower(iso3)) WHERE merged_into IS NULL;
-- 0001's index on merged_into made SQLite's planner (without statistics) take "merged_into IS NULL" as
-- selective and sort every live event; merged events are few, so index only those (merged_into = ? lookups).
DROP INDEX ix_events_merged_into;
CREATE INDEX ix_events_merged_into ON events (merged_into) WHERE merged_into IS NOT NULL;

-- A trigram full-text index over the search columns answers substring filters (3+ characters) without
-- scanning every event. It mirrors the events table through these triggers.
CREATE VIRTUAL TABLE events_fts USING fts5(search_text, actor_text, content='events', content_rowid='rowid', tokenize='trigram');
INSERT INTO events_fts (events_fts) VALUES ('rebuild');
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN INSERT INTO events_fts (rowid, search_text, actor_text) VALUES (new.rowid, new.search_text, new.actor_text); END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN INSERT INTO events_fts (events_fts, rowid, search_text, actor_text) VALUES ('delete', old.rowid, old.search_text, old.actor_text); END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF search_text, actor_text ON events BEGIN INSERT INTO events_fts (events_fts, rowid, search_text, actor_text) VALUES ('delete', old.rowid, old.search_text, old.actor_text); INSERT INTO events_fts (rowid, search_text, actor_text) VALUES (new.rowid, new.search_text, new.actor_text); END;
