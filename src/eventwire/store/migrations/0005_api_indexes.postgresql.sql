-- eventwire schema v5 (PostgreSQL): indexes for GET /api/events (issue 8).
-- Keep in step with 0005_api_indexes.sqlite.sql. Independent of 0004: the runner applies every missing
-- version in order, so a database that has 0005 before 0004 exists gets 0004 later.

-- Filter and sort together, over live events: a page filtered by sub-event type or review status is read
-- in date order from the index alone, and its count is an index-only scan (counting 85k "machine"
-- events: 85 ms by a seq scan, 12 ms from this index).
CREATE INDEX ix_events_live_sub_type ON events (sub_event_type, event_date, event_id) WHERE merged_into IS NULL;
CREATE INDEX ix_events_live_review ON events (review_status, event_date, event_id) WHERE merged_into IS NULL;

-- The free-text and actor filters are LIKE '%needle%' over the lowercased search columns (store/db.py
-- Store._contains). Without an index every such request reads all events (~150 ms on 100k events). A
-- pg_trgm GIN index answers LIKE with a substring of 3+ characters, as SQLite's FTS5 trigram table does.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. It goes into
-- schema public, shared by every schema of the database, so that dropping one eventwire schema never
-- drops the extension (and the indexes of other schemas with it). Where it cannot be created (no
-- contrib package, no privilege, no public schema) the step still succeeds without these indexes: the
-- filters then give the same rows, only by scanning. Running the CREATE EXTENSION as a superuser and
-- then the two CREATE INDEX statements below by hand adds them later.
DO $$
DECLARE
    trgm TEXT;
BEGIN
    SELECT n.nspname INTO trgm FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm';
    IF trgm IS NULL THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
            trgm := 'public';
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'eventwire: pg_trgm is not available (%): text and actor filters will scan events', SQLERRM;
            RETURN;
        END;
    END IF;
    EXECUTE format('CREATE INDEX ix_events_live_search_trgm ON events USING gin (search_text %I.gin_trgm_ops) WHERE merged_into IS NULL', trgm);
    EXECUTE format('CREATE INDEX ix_events_live_actor_trgm ON events USING gin (actor_text %I.gin_trgm_ops) WHERE merged_into IS NULL', trgm);
END
$$;
