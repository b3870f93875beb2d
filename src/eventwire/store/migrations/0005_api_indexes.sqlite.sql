-- eventwire schema v5 (SQLite): nothing to add. The PostgreSQL step adds pg_trgm indexes for the text
-- and actor filters; SQLite has had their counterpart, the FTS5 trigram table events_fts, since 0002.
-- The step exists so that both dialects share version numbers.
SELECT 1;
