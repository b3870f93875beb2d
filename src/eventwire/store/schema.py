"""The tables as SQLAlchemy Core objects, used to build queries.

The DDL that creates them lives in the numbered migration files (``migrations/NNNN_name.<dialect>.sql``);
a test checks that every column declared here exists in a freshly migrated database on both dialects.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class Timestamp(sa.types.TypeDecorator[datetime]):
    """A UTC timestamp: TIMESTAMPTZ on PostgreSQL, an ISO 8601 string on SQLite (readable in Datasette)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.Text())
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat() if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("started_at", Timestamp, nullable=False),
    sa.Column("finished_at", Timestamp),
    sa.Column("command", sa.Text, nullable=False),
    sa.Column("inputs", sa.Text, nullable=False),  # JSON list
    sa.Column("articles_read", sa.Integer, nullable=False),
    sa.Column("articles_new", sa.Integer, nullable=False),
    sa.Column("events_written", sa.Integer, nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("version", sa.Text, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("published_from", sa.Text),
    sa.Column("doc_date", sa.Date),
    sa.Column("language", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # the cleaned text; evidence offsets point into it
    sa.Column("title_end", sa.Integer, nullable=False),
    sa.Column("words", sa.Integer, nullable=False),
    sa.Column("raw_hash", sa.Text, nullable=False, unique=True),
    sa.Column("run_id", sa.BigInteger, sa.ForeignKey("runs.id")),
    sa.Column("added_at", Timestamp, nullable=False),
    # Same-story detection (eventwire.stories): MinHash signature; the stored article this one copies.
    sa.Column("fingerprint", sa.Text),
    sa.Column("copy_of", sa.Text, sa.ForeignKey("articles.id")),
)

article_bands = sa.Table(
    "article_bands",
    metadata,
    sa.Column("band", sa.Text, primary_key=True),
    sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
)

# JSON-text columns of `events`, with the empty value of each.
EVENT_JSON_COLUMNS: dict[str, str] = {
    "assoc_actor_1": "[]",
    "assoc_actor_2": "[]",
    "quantities": "{}",
    "claimed_by": "[]",
    "article_ids": "[]",
    "sources": "[]",
    "evidence": "[]",
    "flags": "[]",
    "conflicts": "{}",
}

events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("event_date", sa.Date),
    sa.Column("date_start", sa.Date),
    sa.Column("date_end", sa.Date),
    sa.Column("time_precision", sa.Integer),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("sub_event_type", sa.Text, nullable=False),
    sa.Column("actor1", sa.Text),
    sa.Column("assoc_actor_1", sa.Text, nullable=False),
    sa.Column("inter1", sa.Integer),
    sa.Column("actor2", sa.Text),
    sa.Column("assoc_actor_2", sa.Text, nullable=False),
    sa.Column("inter2", sa.Integer),
    sa.Column("civilian_targeting", sa.Boolean, nullable=False),
    sa.Column("country", sa.Text),
    sa.Column("iso3", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("fatalities", sa.Integer, nullable=False),
    sa.Column("fatalities_low", sa.Integer, nullable=False),
    sa.Column("fatalities_high", sa.Integer, nullable=False),
    sa.Column("quantities", sa.Text, nullable=False),
    sa.Column("cameo", sa.Text),
    sa.Column("plover_event", sa.Text),
    sa.Column("plover_mode", sa.Text),
    sa.Column("claimed_by", sa.Text, nullable=False),
    sa.Column("article_ids", sa.Text, nullable=False),
    sa.Column("sources", sa.Text, nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("review_status", sa.Text, nullable=False),
    sa.Column("flags", sa.Text, nullable=False),
    sa.Column("conflicts", sa.Text, nullable=False),
    sa.Column("source_count", sa.Integer, nullable=False),
    # Set when a merge (issue 7) or a reviewer folds this event into another; the old id keeps resolving.
    sa.Column("merged_into", sa.Text, sa.ForeignKey("events.event_id", ondelete="SET NULL")),
    # Lowercased text the free-text and actor filters match (written with the event; see db._search_texts).
    sa.Column("search_text", sa.Text, nullable=False, server_default=""),
    sa.Column("actor_text", sa.Text, nullable=False, server_default=""),
    sa.Column("first_run_id", sa.BigInteger, sa.ForeignKey("runs.id")),
    sa.Column("last_run_id", sa.BigInteger, sa.ForeignKey("runs.id")),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

event_articles = sa.Table(
    "event_articles",
    metadata,
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id"), primary_key=True),
)

# Blocking keys of live events (eventwire.dedup.blocking), written with every event.
event_blocks = sa.Table(
    "event_blocks",
    metadata,
    sa.Column("block", sa.Text, primary_key=True),
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
)

evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False),
    sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("fields", sa.Text, nullable=False),  # JSON list of the fields the span supports
    sa.UniqueConstraint("event_id", "article_id", "start", "end"),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("event_id", sa.Text),  # no foreign key: the trail outlives merged or deleted events
    sa.Column("before", sa.Text),  # JSON event record, or null for a creation
    sa.Column("after", sa.Text),  # JSON event record, or null for a deletion
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),  # who the audit trail names for this token's writes
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),  # SHA-256 hex; the token is never stored
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("revoked_at", Timestamp),
)

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", Timestamp, nullable=False),
)

# State of `eventwire watch` (eventwire.watch): one row per source, and the items last seen in each.
watch_sources = sa.Table(
    "watch_sources",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("last_polled_at", Timestamp),
    sa.Column("last_ok_at", Timestamp),
    sa.Column("next_poll_at", Timestamp),
)

watch_items = sa.Table(
    "watch_items",
    metadata,
    sa.Column("source", sa.Text, sa.ForeignKey("watch_sources.source", ondelete="CASCADE"), primary_key=True),
    sa.Column("item", sa.Text, primary_key=True),
    sa.Column("stamp", sa.Text, nullable=False),
    sa.Column("seen_at", Timestamp, nullable=False),
)
