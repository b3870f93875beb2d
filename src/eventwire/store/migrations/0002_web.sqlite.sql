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
