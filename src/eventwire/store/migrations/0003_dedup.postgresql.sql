-- eventwire schema v3 (PostgreSQL): cross-report dedup and same-story detection (issue 7).
-- Keep in step with 0003_dedup.sqlite.sql and store/schema.py. Blocks and fingerprints of rows that
-- exist before this step are filled in by the store when it applies the step (Store._backfill_dedup).

-- How many independent sources report each event (distinct outlets; an article without one counts alone).
ALTER TABLE events ADD COLUMN source_count INTEGER NOT NULL DEFAULT 1;
UPDATE events SET source_count = GREATEST(1, json_array_length(article_ids::json));

-- Blocking keys of events (eventwire.dedup.blocking): the candidates of a new event are the live events
-- filed under its neighbourhood's keys.
CREATE TABLE event_blocks (
    block TEXT NOT NULL,
    event_id TEXT NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    PRIMARY KEY (block, event_id)
);
CREATE INDEX ix_event_blocks_event_id ON event_blocks (event_id);

-- Same-story detection (eventwire.stories): a MinHash signature of each article's text, its LSH band
-- keys, and, for a near copy of a stored article, which article it copies (its events are not extracted).
ALTER TABLE articles ADD COLUMN fingerprint TEXT;
ALTER TABLE articles ADD COLUMN copy_of TEXT REFERENCES articles (id);
CREATE INDEX ix_articles_copy_of ON articles (copy_of);
CREATE TABLE article_bands (
    band TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
);
CREATE INDEX ix_article_bands_article_id ON article_bands (article_id);
