"""The Store: articles, events, evidence, runs and the audit trail in SQLite or PostgreSQL.

SQLAlchemy Core only; one code path for both dialects. SQLite runs in WAL mode with foreign keys on and a
busy timeout, and write transactions start with ``BEGIN IMMEDIATE`` so that concurrent writers (a CLI run
and the web app) wait for each other instead of failing on a lock upgrade.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from eventwire import __version__
from eventwire.dedup.blocking import index_keys
from eventwire.model import EVENT_FIELDS, Document, Event, Evidence
from eventwire.store import migrate
from eventwire.store.errors import ArticleConflict, EventNotFound, ReviewConflict, StoreError
from eventwire.store.export import write_events
from eventwire.store.schema import (
    EVENT_JSON_COLUMNS,
    api_tokens,
    article_bands,
    articles,
    audit,
    event_articles,
    event_blocks,
    events,
    evidence,
    runs,
    watch_items,
    watch_sources,
)

RUN_COUNTS = ("articles_read", "articles_new", "events_written", "errors")
ORDERS = ("event_date", "-event_date", "fatalities", "-fatalities", "updated_at", "-updated_at")
TOKEN_PREFIX = "ew_"
_CHUNK = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit
_MAX_MERGE_HOPS = 32
_EXTRA_EVENT_COLUMNS = ("flags", "conflicts", "source_count")  # stored beyond the JSONL contract
_DEDUP_SCHEMA_VERSION = 3  # the migration that added event blocks and article fingerprints (0003_dedup)


@dataclass(slots=True)
class StoredArticle:
    """An article as stored: ``text`` is the cleaned text that evidence offsets point into."""

    id: str
    title: str | None
    url: str | None
    source: str | None
    published: date | None
    published_from: str | None
    doc_date: date | None
    language: str
    origin: str
    text: str
    title_end: int
    words: int
    raw_hash: str
    run_id: int | None
    added_at: datetime
    fingerprint: str | None = None
    copy_of: str | None = None  # the stored article this one is a near copy of


@dataclass(slots=True)
class SaveCounts:
    """What ``save_events`` did: new events, machine events rewritten, unchanged ones, and reviewed events
    that only gained new articles/evidence (flagged ``new_evidence``)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    attached: int = 0

    @property
    def written(self) -> int:
        return self.inserted + self.updated + self.attached


# --------------------------------------------------------------------------- opening


def normalize_url(url_or_path: str) -> str:
    """A SQLAlchemy URL: ``postgresql://`` goes to psycopg 3; anything without ``://`` is a SQLite path."""
    if "://" not in url_or_path:
        if url_or_path == ":memory:":
            return "sqlite://"
        path = Path(url_or_path).expanduser()
        if path.is_dir():
            raise StoreError(f"{url_or_path} is a directory, not a database file")
        if not path.parent.is_dir():
            raise StoreError(f"cannot create database {url_or_path}: directory {path.parent} does not exist")
        return f"sqlite:///{path}"
    scheme, rest = url_or_path.split("://", 1)
    scheme = scheme.lower()
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    if scheme.startswith(("postgresql+", "sqlite")):
        return url_or_path
    raise StoreError(f"unsupported database URL {scheme}://...: use a SQLite path or a postgresql:// URL")


def _sqlite_engine(url: str) -> sa.Engine:
    memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if memory else None,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so DDL is transactional and BEGIN is ours.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")  # first: switching to WAL may have to wait for a lock
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")  # durable across application crashes in WAL mode
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("eventwire_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


_OPEN_ATTEMPTS = 6


def _upgrade(engine: sa.Engine) -> list[int]:
    """migrate.upgrade, tried again when SQLite answers "database is locked" at once: processes that open
    a new file together race to switch it to WAL, and SQLite does not always wait its busy timeout there."""
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            return migrate.upgrade(engine)
        except sa.exc.OperationalError as exc:
            locked = engine.dialect.name == "sqlite" and "locked" in str(exc.orig)
            if not locked or attempt == _OPEN_ATTEMPTS - 1:
                raise
            engine.dispose()  # a fresh connection runs the connect pragmas again
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def open_store(url_or_path: str) -> Store:
    """Open (creating and migrating as needed) a store at a SQLite path or a PostgreSQL URL."""
    url = normalize_url(url_or_path)
    engine = _sqlite_engine(url) if url.startswith("sqlite") else sa.create_engine(url, pool_pre_ping=True)
    shown = sa.make_url(url).render_as_string(hide_password=True)
    try:
        applied = _upgrade(engine)
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open database {shown}: {reason}") from exc
    except StoreError:
        engine.dispose()
        raise
    opened = Store(engine, shown)
    if _DEDUP_SCHEMA_VERSION in applied:
        opened.backfill_dedup()
    return opened


# --------------------------------------------------------------------------- row <-> record


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _evidence_record(ev: Evidence) -> dict[str, Any]:
    return {**ev.to_record(), "fields": list(ev.fields)}


def _event_values(event: Event) -> dict[str, Any]:
    """The events-table columns of one event (without bookkeeping columns)."""
    values: dict[str, Any] = {name: getattr(event, name) for name in (*EVENT_FIELDS, *_EXTRA_EVENT_COLUMNS)}
    values["evidence"] = [_evidence_record(e) for e in event.evidence]
    for name in EVENT_JSON_COLUMNS:
        values[name] = _dumps(values[name])
    values["civilian_targeting"] = bool(values["civilian_targeting"])
    values["search_text"], values["actor_text"] = _search_texts(values)
    return values


def _search_texts(values: dict[str, Any]) -> tuple[str, str]:
    """What the text filter (notes, place, actors, evidence) and the actor filter match, lowercased.
    Migration 0002 fills the same from SQL for events stored before it."""
    text_parts = [values[n] or "" for n in ("notes", "location", "admin1", "actor1", "actor2", "evidence")]
    actor_parts = [values[n] or "" for n in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")]
    return " ".join(text_parts).lower(), " ".join(actor_parts).lower()


def _event_from_row(row: sa.RowMapping) -> Event:
    data: dict[str, Any] = {name: row[name] for name in (*EVENT_FIELDS, *_EXTRA_EVENT_COLUMNS)}
    for name, empty in EVENT_JSON_COLUMNS.items():
        data[name] = json.loads(row[name] or empty)
    data["evidence"] = [
        Evidence(e["article_id"], e["start"], e["end"], e["text"], list(e.get("fields") or []))
        for e in data["evidence"]
    ]
    data["civilian_targeting"] = bool(data["civilian_targeting"])
    return Event(**data)


def _event_links(event: Event) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for event_articles and evidence (duplicates removed, evidence articles included)."""
    article_ids = dict.fromkeys([*event.article_ids, *(e.article_id for e in event.evidence)])
    links = [{"event_id": event.event_id, "article_id": a} for a in article_ids]
    spans: dict[tuple[str, int, int], dict[str, Any]] = {}
    for e in event.evidence:
        key = (e.article_id, e.start, e.end)
        if key not in spans:
            spans[key] = {
                "event_id": event.event_id,
                "article_id": e.article_id,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "fields": _dumps(list(e.fields)),
            }
    return links, list(spans.values())


def _audit_record(event: Event | None) -> str | None:
    if event is None:
        return None
    rec = event.to_record()
    rec["evidence"] = [_evidence_record(e) for e in event.evidence]
    return _dumps(rec)


def _attach_new(old: Event, new: Event) -> Event | None:
    """A reviewed event with the new event's extra articles, sources and evidence, flagged; None if the
    new event brings nothing new. Reviewed fields themselves are never changed."""
    spans = {(e.article_id, e.start, e.end) for e in old.evidence}
    new_evidence = [e for e in new.evidence if (e.article_id, e.start, e.end) not in spans]
    new_articles = [a for a in new.article_ids if a not in old.article_ids]
    new_sources = [s for s in new.sources if s not in old.sources]
    if not (new_evidence or new_articles or new_sources):
        return None
    merged = Event.from_record(old.to_record())
    merged.evidence = [*old.evidence, *new_evidence]
    merged.article_ids = [*old.article_ids, *new_articles]
    merged.sources = [*old.sources, *new_sources]
    merged.flags = [*old.flags, *([] if "new_evidence" in old.flags else ["new_evidence"])]
    merged.conflicts = dict(old.conflicts)
    merged.source_count = max(old.source_count, new.source_count)
    return merged


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _as_list(value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _now() -> datetime:
    return datetime.now(UTC)


def hash_token(token: str) -> str:
    """What the database keeps of an API token. Tokens are 256 random bits, so a plain SHA-256 is enough
    (no password-style slow hash is needed to resist guessing)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _split_id(event_id: str, article_ids: Sequence[str]) -> str:
    """A stable id for the part of an event split off with these articles."""
    key = "\x00".join([event_id, "split", *sorted(article_ids)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


# Live events filed under any of a list of blocking keys: built once (SQLAlchemy caches its compilation).
_BLOCK_QUERY = sa.select(events).where(
    events.c.event_id.in_(
        sa.select(event_blocks.c.event_id).where(
            event_blocks.c.block.in_(sa.bindparam("keys", expanding=True))
        )
    ),
    events.c.merged_into.is_(None),
)


# --------------------------------------------------------------------------- the store


class Store:
    """A connection to one eventwire database. Thread-safe; use as a context manager or call close()."""

    def __init__(self, engine: sa.Engine, url: str) -> None:
        self._engine = engine
        self.url = url  # password hidden
        self.dialect = engine.dialect.name
        self._local = threading.local()
        self._trigrams: bool | None = None  # PostgreSQL: whether the pg_trgm indexes exist

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    # ----------------------------------------------------------------- transactions

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One write transaction; store calls made inside it join it (e.g. one article and its events)."""
        current: sa.Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._engine.connect() as conn:
            conn.execution_options(eventwire_write=True)
            with conn.begin():
                self._local.conn = conn
                try:
                    yield conn
                finally:
                    self._local.conn = None

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        current: sa.Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _filtered_read(self, filters: Mapping[str, Any]) -> Iterator[sa.Connection]:
        """A read of events through ``filters``. On PostgreSQL with a text or actor needle the trigram
        index can serve, sequential scans are off for its queries: the planner costs LIKE on a long
        search_text like any comparison, so it rates a seq scan about as cheap as the bitmap index scan
        (ties within 1% go to the seq scan) when the needle's trigrams are common ("islamic state": seq
        scan 156 ms, index 45 ms on 100k events)."""
        with self._read() as conn:
            needles = [filters.get("text") or "", filters.get("actor") or ""]
            if self.dialect != "postgresql" or max(map(len, needles)) < 3 or not self._has_trigrams(conn):
                yield conn
                return
            previous = conn.exec_driver_sql(
                "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
            ).first()[0]
            try:
                yield conn
            finally:  # transaction-local: restored for the rest of a write transaction this read joined
                with suppress(sa.exc.DBAPIError):  # a failed transaction is rolled back anyway
                    conn.execute(sa.text("SELECT set_config('enable_seqscan', :v, true)"), {"v": previous})

    def _has_trigrams(self, conn: sa.Connection) -> bool:
        """Whether migration 0005 could create the pg_trgm indexes (not when the extension is missing)."""
        if self._trigrams is None:
            found = conn.exec_driver_sql("SELECT to_regclass('ix_events_live_search_trgm')").scalar()
            self._trigrams = found is not None
        return self._trigrams

    def schema_version(self) -> int:
        with self._read() as conn:
            return migrate.current_version(conn)

    # ----------------------------------------------------------------- runs

    def start_run(self, command: str, inputs: Sequence[str] = ()) -> int:
        values = {
            "started_at": _now(),
            "command": command,
            "inputs": _dumps([str(i) for i in inputs]),
            "status": "running",
            "version": __version__,
            **dict.fromkeys(RUN_COUNTS, 0),
        }
        with self.transaction() as conn:
            return int(conn.execute(runs.insert().values(**values)).inserted_primary_key[0])

    def finish_run(self, run_id: int, *, status: str | None = None, **counts: int) -> None:
        """Close a run with its counts (articles_read, articles_new, events_written, errors).
        The status defaults to "ok", or "partial" when errors were counted."""
        unknown = set(counts) - set(RUN_COUNTS)
        if unknown:
            raise TypeError(f"finish_run: unknown counts {sorted(unknown)}; known: {list(RUN_COUNTS)}")
        status = status or ("partial" if counts.get("errors") else "ok")
        with self.transaction() as conn:
            conn.execute(
                runs.update()
                .where(runs.c.id == run_id)
                .values(finished_at=_now(), status=status, **{k: int(v) for k, v in counts.items()})
            )

    def get_run(self, run_id: int) -> dict[str, Any] | None:
        with self._read() as conn:
            row = conn.execute(sa.select(runs).where(runs.c.id == run_id)).mappings().first()
        if row is None:
            return None
        return {**row, "inputs": json.loads(row["inputs"])}

    # ----------------------------------------------------------------- articles

    def has_article_hash(self, raw_hash: str) -> bool:
        with self._read() as conn:
            return self._hash_exists(conn, raw_hash)

    @staticmethod
    def _hash_exists(conn: sa.Connection, raw_hash: str) -> bool:
        found = conn.execute(sa.select(articles.c.id).where(articles.c.raw_hash == raw_hash)).first()
        return found is not None

    def article_ids_for_hashes(self, raw_hashes: Iterable[str]) -> dict[str, str]:
        """Stored article id per raw hash, for the hashes that are stored."""
        wanted = list(dict.fromkeys(raw_hashes))
        out: dict[str, str] = {}
        with self._read() as conn:
            for chunk in _chunks(wanted):
                query = sa.select(articles.c.raw_hash, articles.c.id).where(articles.c.raw_hash.in_(chunk))
                out.update({h: i for h, i in conn.execute(query)})
        return out

    def add_article(
        self,
        doc: Document,
        run_id: int | None = None,
        *,
        fingerprint: str | None = None,
        bands: Sequence[str] = (),
        copy_of: str | None = None,
    ) -> bool:
        """Store a cleaned article. False when its raw hash is already stored (nothing written);
        ArticleConflict when its id is taken by an article with different content.

        ``fingerprint`` and ``bands`` come from eventwire.stories; ``copy_of`` names the stored article this
        one is a near copy of (a copy's bands are not filed: later copies are matched to the original)."""
        art = doc.article
        values = {
            "id": art.id,
            "title": art.title,
            "url": art.url,
            "source": art.source,
            "published": art.published,
            "published_from": art.published_from,
            "doc_date": doc.doc_date,
            "language": art.language,
            "origin": art.origin,
            "text": doc.text,
            "title_end": doc.title_end,
            "words": doc.words,
            "raw_hash": art.raw_hash,
            "run_id": run_id,
            "added_at": _now(),
            "fingerprint": fingerprint,
            "copy_of": copy_of,
        }
        with self.transaction() as conn:
            insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
            # RETURNING tells whether the row went in (rowcount is not reliable for this on psycopg).
            stmt = insert(articles).values(**values).on_conflict_do_nothing().returning(articles.c.id)
            if conn.execute(stmt).first() is not None:
                if bands and copy_of is None:
                    rows = [{"band": b, "article_id": art.id} for b in dict.fromkeys(bands)]
                    conn.execute(article_bands.insert(), rows)
                return True
            if self._hash_exists(conn, art.raw_hash):
                return False
        raise ArticleConflict(
            f"article id {art.id!r} ({art.origin or 'input'}) is already stored with different content"
        )

    def article(self, article_id: str) -> StoredArticle | None:
        with self._read() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).mappings().first()
        return StoredArticle(**row) if row is not None else None

    def articles_sharing_bands(self, bands: Sequence[str]) -> list[str]:
        """Ids of stored articles (originals, not copies) filed under any of these LSH band keys."""
        found: set[str] = set()
        with self._read() as conn:
            for chunk in _chunks(list(dict.fromkeys(bands))):
                query = sa.select(article_bands.c.article_id).where(article_bands.c.band.in_(chunk))
                found.update(conn.execute(query).scalars())
        return sorted(found)

    def article_bodies(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The stored text of each article without its title line (what eventwire.stories compares)."""
        out: dict[str, str] = {}
        with self._read() as conn:
            for chunk in _chunks(list(article_ids)):
                query = sa.select(articles.c.id, articles.c.text, articles.c.title_end).where(
                    articles.c.id.in_(chunk)
                )
                out.update({i: text[title_end:] for i, text, title_end in conn.execute(query)})
        return out

    def copies_of(self, article_id: str) -> list[str]:
        """Ids of the articles stored as near copies of this one."""
        with self._read() as conn:
            query = sa.select(articles.c.id).where(articles.c.copy_of == article_id).order_by(articles.c.id)
            return list(conn.execute(query).scalars())

    def backfill_dedup(self) -> None:
        """Blocking keys for stored events and fingerprints for stored articles that have none (databases
        made before schema version 3). Copies are not looked for among old articles."""
        from eventwire.stories import fingerprint as story_fingerprint

        with self.transaction() as conn:
            filed = sa.select(event_blocks.c.event_id)
            query = sa.select(events).where(events.c.merged_into.is_(None), events.c.event_id.not_in(filed))
            rows = [_event_from_row(r) for r in conn.execute(query).mappings()]
            self._insert_blocks(conn, rows)
            query = sa.select(articles.c.id, articles.c.text, articles.c.title_end).where(
                articles.c.fingerprint.is_(None)
            )
            for article_id, text, title_end in conn.execute(query).all():
                fp = story_fingerprint(text[title_end:])
                if fp is None:
                    continue
                conn.execute(
                    articles.update().where(articles.c.id == article_id).values(fingerprint=fp.encoded())
                )
                rows = [{"band": b, "article_id": article_id} for b in fp.bands]
                conn.execute(article_bands.insert(), rows)

    # ----------------------------------------------------------------- events: writing

    def save_events(
        self, new_events: Iterable[Event], run_id: int | None = None, *, who: str | None = None
    ) -> SaveCounts:
        """Insert or update events by event_id, in one transaction.

        A machine event is replaced by the new version (unchanged ones are left untouched, so re-running
        the same input changes nothing). An event whose review_status is not "machine" keeps every field:
        only new article ids, sources and evidence are attached, the flag "new_evidence" is added and the
        change is written to the audit table. With ``who`` (a write through the web API), every insert and
        update is audited in that name."""
        batch = {e.event_id: e for e in new_events}
        counts = SaveCounts()
        if not batch:
            return counts
        with self.transaction() as conn:
            self._check_articles(conn, batch.values())
            stored = self._load(conn, list(batch))
            now = _now()
            fresh = [e for e in batch.values() if e.event_id not in stored]
            self._insert(conn, fresh, run_id, now)
            counts.inserted = len(fresh)
            if who is not None:
                for event in fresh:
                    self._audit(conn, who, "ingest", None, event, now)
            for event in batch.values():
                old = stored.get(event.event_id)
                if old is None:
                    continue
                if old.review_status == "machine":
                    if _event_values(old) == _event_values(event):
                        counts.unchanged += 1
                    else:
                        self._replace(conn, event, run_id, now)
                        counts.updated += 1
                        if who is not None:
                            self._audit(conn, who, "ingest", old, event, now)
                    continue
                merged = _attach_new(old, event)
                if merged is None:
                    counts.unchanged += 1
                    continue
                self._replace(conn, merged, run_id, now)
                self._audit(conn, who or "eventwire", "attach_evidence", old, merged, now)
                counts.attached += 1
        return counts

    def fold_events(self, folded: Mapping[str, str], run_id: int | None = None) -> int:
        """Mark events as merged into others (absorbed id -> kept id), as cross-report dedup decides when a
        report shows two stored events to be one: the absorbed event stops being live, its id keeps
        resolving to the kept one (``get_event``), and the audit trail records it. Save the kept events
        first. Events a person has reviewed are never folded. Returns how many were folded."""
        if not folded:
            return 0
        done = 0
        with self.transaction() as conn:
            stored = self._load(conn, list(folded))
            now = _now()
            for absorbed, kept in folded.items():
                old = stored.get(absorbed)
                if old is None or old.review_status != "machine":
                    continue  # never saved (it came and went in this run), or reviewed
                values: dict[str, Any] = {"merged_into": kept, "updated_at": now}
                if run_id is not None:
                    values["last_run_id"] = run_id
                conn.execute(events.update().where(events.c.event_id == absorbed).values(**values))
                conn.execute(event_blocks.delete().where(event_blocks.c.event_id == absorbed))
                self._audit(conn, "eventwire", f"merged_into {kept}", old, None, now)
                done += 1
        return done

    def record_review(self, event: Event, *, who: str, action: str) -> None:
        """Write a person's change to an event (whatever its review status) with an audit entry."""
        with self.transaction() as conn:
            old = self._load(conn, [event.event_id]).get(event.event_id)
            self._check_articles(conn, [event])
            now = _now()
            if old is None:
                self._insert(conn, [event], None, now)
            else:
                self._replace(conn, event, None, now)
            self._audit(conn, who, action, old, event, now)

    def audit_entries(self, event_id: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(audit).order_by(audit.c.id)
        if event_id is not None:
            query = query.where(audit.c.event_id == event_id)
        with self._read() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            {**r, "before": json.loads(r["before"] or "null"), "after": json.loads(r["after"] or "null")}
            for r in rows
        ]

    # ----------------------------------------------------------------- events: a person's changes

    def update_event(
        self, event_id: str, change: Callable[[Event], Event], *, who: str, action: str
    ) -> Event:
        """Apply ``change`` to a copy of one live event and store the result, with an audit entry. The row
        is locked for the read-modify-write, so two reviewers' changes never overwrite each other."""
        with self.transaction() as conn:
            old = self._load_live(conn, event_id)
            new = change(copy.deepcopy(old))
            if new.event_id != old.event_id:
                raise ReviewConflict("a change may not alter an event's id")
            self._check_articles(conn, [new])
            now = _now()
            self._replace(conn, new, None, now)
            self._audit(conn, who, action, old, new, now)
        return new

    def merge_events(self, event_ids: Sequence[str], *, into: str | None = None, who: str) -> Event:
        """Fold several live events into one (``into``, else the first id) as the cross-report dedup does:
        the survivor gains the others' articles, sources and evidence and becomes "edited"; the others are
        marked merged into it (status "merged") and their ids keep resolving to it."""
        ids = list(dict.fromkeys(event_ids))
        if len(ids) < 2:
            raise ReviewConflict("a merge needs at least two different events")
        target_id = into if into is not None else ids[0]
        if target_id not in ids:
            raise ReviewConflict(f"the event to merge into ({target_id}) is not one of the events merged")
        from eventwire.dedup import absorb  # the store stays importable without the pipeline loaded

        with self.transaction() as conn:
            loaded = {i: self._load_live(conn, i) for i in ids}
            target = loaded[target_id]
            merged = copy.deepcopy(target)
            flags = list(target.flags)
            for other_id in ids:
                if other_id == target_id:
                    continue
                other = loaded[other_id]
                absorb(merged, other)
                flags += [f for f in other.flags if f not in flags]
            merged.flags = [f for f in flags if f != "new_evidence" or f in target.flags]
            merged.review_status = "edited"
            now = _now()
            self._replace(conn, merged, None, now)
            self._audit(conn, who, "merge", target, merged, now)
            for other_id in ids:
                if other_id == target_id:
                    continue
                other = loaded[other_id]
                gone = copy.deepcopy(other)
                gone.review_status = "merged"
                conn.execute(
                    events.update()
                    .where(events.c.event_id == other_id)
                    .values(merged_into=target_id, review_status="merged", updated_at=now)
                )
                self._audit(conn, who, "merge", other, gone, now, extra={"merged_into": target_id})
        return merged

    def split_event(self, event_id: str, article_ids: Sequence[str], *, who: str) -> tuple[Event, Event]:
        """Take the reports of some articles out of an event into an event of their own; return (what
        remains, the part split off), both "edited" and flagged "split".

        When an event merged into this one by a reviewer had exactly these articles, it is revived with its
        own fields (an undone merge). Otherwise the new event starts as a copy of the coded fields with only
        the chosen articles, sources and evidence, for the reviewer to correct."""
        chosen = list(dict.fromkeys(article_ids))
        if not chosen:
            raise ReviewConflict("a split needs at least one article id")
        with self.transaction() as conn:
            old = self._load_live(conn, event_id)
            own = list(dict.fromkeys([*old.article_ids, *(e.article_id for e in old.evidence)]))
            strangers = [a for a in chosen if a not in own]
            if strangers:
                raise ReviewConflict(f"article {strangers[0]} is not one of event {event_id}'s articles")
            kept_ids = [a for a in own if a not in chosen]
            if not kept_ids:
                raise ReviewConflict("a split must leave at least one article with the event")
            outlets = self._article_sources(conn, own)
            now = _now()
            remaining = copy.deepcopy(old)
            self._restrict(remaining, kept_ids, outlets)
            revived = self._revivable(conn, event_id, set(chosen))
            if revived is not None:
                part = copy.deepcopy(revived)
                before_part: Event | None = revived
                conn.execute(
                    events.update().where(events.c.event_id == part.event_id).values(merged_into=None)
                )
            else:
                part = copy.deepcopy(old)
                part.event_id = _split_id(event_id, chosen)
                part.conflicts = {}
                before_part = None
                if self._load(conn, [part.event_id]):
                    raise ReviewConflict(f"event {event_id} was already split this way ({part.event_id})")
            self._restrict(part, chosen, outlets)
            for event in (remaining, part):
                event.review_status = "edited"
                if "split" not in event.flags:
                    event.flags.append("split")
            self._replace(conn, remaining, None, now)
            if before_part is None:
                self._insert(conn, [part], None, now)
            else:
                self._replace(conn, part, None, now)
            self._audit(conn, who, "split", old, remaining, now, extra={"split_into": part.event_id})
            self._audit(conn, who, "split", before_part, part, now, extra={"split_from": event_id})
        return remaining, part

    def _load_live(self, conn: sa.Connection, event_id: str) -> Event:
        """One event for a change, row-locked on PostgreSQL (SQLite's BEGIN IMMEDIATE locks the file)."""
        query = sa.select(events).where(events.c.event_id == event_id).with_for_update()
        row = conn.execute(query).mappings().first()
        if row is None:
            raise EventNotFound(f"no event {event_id}")
        if row["merged_into"] is not None:
            raise ReviewConflict(f"event {event_id} was merged into {row['merged_into']}; change that one")
        return _event_from_row(row)

    def _revivable(self, conn: sa.Connection, event_id: str, article_ids: set[str]) -> Event | None:
        query = sa.select(events).where(events.c.merged_into == event_id).order_by(events.c.event_id)
        for row in conn.execute(query).mappings():
            event = _event_from_row(row)
            if set(event.article_ids) == article_ids:
                return event
        return None

    @staticmethod
    def _article_sources(conn: sa.Connection, article_ids: Sequence[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for chunk in _chunks(article_ids):
            query = sa.select(articles.c.id, articles.c.source).where(articles.c.id.in_(chunk))
            out.update({i: source for i, source in conn.execute(query)})
        return out

    @staticmethod
    def _restrict(event: Event, article_ids: Sequence[str], outlets: dict[str, str | None]) -> None:
        """Keep only these articles' ids, evidence and outlets in ``event``."""
        keep = set(article_ids)
        event.article_ids = [a for a in article_ids]
        event.evidence = [e for e in event.evidence if e.article_id in keep]
        named = [outlets.get(a) for a in article_ids]
        event.sources = list(dict.fromkeys(s for s in named if s))

    # ----------------------------------------------------------------- API tokens

    def create_token(self, name: str) -> str:
        """A new API token for ``name`` (who the audit trail names); only its hash is stored."""
        name = name.strip()
        if not name:
            raise StoreError("a token needs a name (who its writes are recorded as)")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.transaction() as conn:
            conn.execute(
                api_tokens.insert().values(name=name, token_hash=hash_token(token), created_at=_now())
            )
        return token

    def token_owner(self, token: str) -> str | None:
        """The name of an active (not revoked) token, None for an unknown one."""
        query = sa.select(api_tokens.c.name).where(
            api_tokens.c.token_hash == hash_token(token), api_tokens.c.revoked_at.is_(None)
        )
        with self._read() as conn:
            return conn.execute(query).scalar()

    def tokens(self) -> list[dict[str, Any]]:
        """Every token's name and dates (never the token)."""
        query = sa.select(
            api_tokens.c.id, api_tokens.c.name, api_tokens.c.created_at, api_tokens.c.revoked_at
        )
        with self._read() as conn:
            return [dict(r) for r in conn.execute(query.order_by(api_tokens.c.id)).mappings()]

    def revoke_tokens(self, name: str) -> int:
        """Revoke every active token of ``name``; how many were revoked."""
        with self.transaction() as conn:
            result = conn.execute(
                api_tokens.update()
                .where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            )
            return int(result.rowcount or 0)

    def _check_articles(self, conn: sa.Connection, batch: Iterable[Event]) -> None:
        needed: dict[str, str] = {}
        for event in batch:
            for article_id in [*event.article_ids, *(e.article_id for e in event.evidence)]:
                needed.setdefault(article_id, event.event_id)
        ids = list(needed)
        present: set[str] = set()
        for chunk in _chunks(ids):
            present.update(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
        missing = [a for a in ids if a not in present]
        if missing:
            raise StoreError(
                f"event {needed[missing[0]]} refers to article(s) not in the store: {', '.join(missing[:5])}"
            )

    def _load(self, conn: sa.Connection, event_ids: Sequence[str]) -> dict[str, Event]:
        out: dict[str, Event] = {}
        for chunk in _chunks(event_ids):
            for row in conn.execute(sa.select(events).where(events.c.event_id.in_(chunk))).mappings():
                out[row["event_id"]] = _event_from_row(row)
        return out

    def _insert(self, conn: sa.Connection, batch: Sequence[Event], run_id: int | None, now: datetime) -> None:
        if not batch:
            return
        extra = {"first_run_id": run_id, "last_run_id": run_id, "created_at": now, "updated_at": now}
        conn.execute(events.insert(), [{**_event_values(e), **extra} for e in batch])
        self._insert_links(conn, batch)

    def _replace(self, conn: sa.Connection, event: Event, run_id: int | None, now: datetime) -> None:
        values = {**_event_values(event), "updated_at": now}
        if run_id is not None:
            values["last_run_id"] = run_id
        conn.execute(events.update().where(events.c.event_id == event.event_id).values(**values))
        conn.execute(event_articles.delete().where(event_articles.c.event_id == event.event_id))
        conn.execute(evidence.delete().where(evidence.c.event_id == event.event_id))
        conn.execute(event_blocks.delete().where(event_blocks.c.event_id == event.event_id))
        self._insert_links(conn, [event])

    @staticmethod
    def _insert_links(conn: sa.Connection, batch: Sequence[Event]) -> None:
        links: list[dict[str, Any]] = []
        spans: list[dict[str, Any]] = []
        for event in batch:
            event_links, event_spans = _event_links(event)
            links += event_links
            spans += event_spans
        if links:
            conn.execute(event_articles.insert(), links)
        if spans:
            conn.execute(evidence.insert(), spans)
        Store._insert_blocks(conn, batch)

    @staticmethod
    def _insert_blocks(conn: sa.Connection, batch: Sequence[Event]) -> None:
        rows = [
            {"block": key, "event_id": event.event_id}
            for event in batch
            for key in dict.fromkeys(index_keys(event))
        ]
        if rows:
            conn.execute(event_blocks.insert(), rows)

    @staticmethod
    def _audit(
        conn: sa.Connection,
        who: str,
        action: str,
        before: Event | None,
        after: Event | None,
        now: datetime,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """One audit row; ``extra`` (e.g. merged_into) is added to the ``after`` record."""
        subject = after or before
        event_id = subject.event_id if subject is not None else None
        after_record = _audit_record(after)
        if extra and after_record is not None:
            after_record = _dumps({**json.loads(after_record), **extra})
        conn.execute(
            audit.insert().values(
                at=now,
                who=who,
                action=action,
                event_id=event_id,
                before=_audit_record(before),
                after=after_record,
            )
        )

    def record_write(self, who: str, action: str, after: dict[str, Any]) -> None:
        """An audit row for a write that is not an event change (e.g. an article added through the API)."""
        with self.transaction() as conn:
            conn.execute(audit.insert().values(at=_now(), who=who, action=action, after=_dumps(after)))

    # ----------------------------------------------------------------- events: reading

    def get_event(self, event_id: str) -> Event | None:
        """One event; an id that was merged into another event resolves to that event."""
        with self._read() as conn:
            for _ in range(_MAX_MERGE_HOPS):
                row = conn.execute(sa.select(events).where(events.c.event_id == event_id)).mappings().first()
                if row is None:
                    return None
                if row["merged_into"] is None:
                    return _event_from_row(row)
                event_id = row["merged_into"]
        raise StoreError(f"merge chain from event {event_id} is too long or circular")

    def merged_into(self, event_id: str) -> list[str]:
        """Ids of the events that were merged into this one."""
        query = (
            sa.select(events.c.event_id).where(events.c.merged_into == event_id).order_by(events.c.event_id)
        )
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def events(self, **filters: Any) -> list[Event]:
        """Events matching every given filter, in order (the keyword arguments of ``event_query``)."""
        query = self.event_query(**filters)
        with self._filtered_read(filters) as conn:
            limit = filters.get("limit")
            if limit is None or limit > _CHUNK:
                return [_event_from_row(row) for row in conn.execute(query).mappings()]
            # A page: find its ids from the sort indexes first, then read only those rows (a deep OFFSET
            # then skips index entries, not whole rows).
            ids = list(conn.execute(query.with_only_columns(events.c.event_id)).scalars())
            rows = {
                r["event_id"]: r
                for r in conn.execute(sa.select(events).where(events.c.event_id.in_(ids))).mappings()
            }
            return [_event_from_row(rows[i]) for i in ids if i in rows]

    def events_in_blocks(self, keys: Sequence[str]) -> list[Event]:
        """Live events filed under any of these blocking keys (eventwire.dedup.blocking), by event id."""
        found: dict[str, Event] = {}
        with self._read() as conn:
            for chunk in _chunks(list(dict.fromkeys(keys))):
                for row in conn.execute(_BLOCK_QUERY, {"keys": list(chunk)}).mappings():
                    found.setdefault(row["event_id"], _event_from_row(row))
        return [found[k] for k in sorted(found)]

    def all_events(self) -> list[Event]:
        """Every live event (not merged into another), for the cross-report dedup index."""
        return self.events(order="event_date")

    def count_events(self, **filters: Any) -> int:
        """How many events match the filters of ``events`` (limit, offset and order ignored)."""
        with self._filtered_read(filters) as conn:
            return int(conn.execute(self.count_query(**filters)).scalar_one())

    def count_events_capped(self, cap: int | None, **filters: Any) -> tuple[int, bool]:
        """``count_events`` that stops counting past ``cap`` matches (None: count them all). Returns the
        count and whether it is an estimate: past the cap, PostgreSQL's planner estimate (never below
        cap + 1), on SQLite (which has none) cap + 1, a lower bound. Counting every match of a large
        result set is what a page request spends most on; a count past the cap reads cap + 1 rows only."""
        if cap is None:
            return self.count_events(**filters), False
        rows = self.count_query(**filters).with_only_columns(sa.literal(1))
        hits = rows.limit(cap + 1).subquery()
        with self._filtered_read(filters) as conn:
            found = int(conn.execute(sa.select(sa.func.count()).select_from(hits)).scalar_one())
            if found <= cap:
                return found, False
            estimate = self._planner_rows(conn, rows)
        return max(cap + 1, estimate or 0), True

    def _planner_rows(self, conn: sa.Connection, query: sa.Select[Any]) -> int | None:
        """PostgreSQL's estimate of the rows a query returns (from EXPLAIN, without running it)."""
        if self.dialect != "postgresql":
            return None
        compiled = query.compile(conn, compile_kwargs={"render_postcompile": True})
        plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + compiled.string, compiled.params).scalar_one()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])

    def count_query(self, **filters: Any) -> sa.Select[Any]:
        """The SELECT count(*) behind ``count_events``."""
        for name in ("limit", "offset", "order"):
            filters.pop(name, None)
        where = self.event_query(**filters).whereclause
        return sa.select(sa.func.count()).select_from(events).where(where)

    def events_with_timestamps(self, **filters: Any) -> list[tuple[Event, datetime]]:
        """Like ``events``, each with the time of its last update (for exports)."""
        query = self.event_query(**filters)
        with self._filtered_read(filters) as conn:
            return [(_event_from_row(r), r["updated_at"]) for r in conn.execute(query).mappings()]

    def event_query(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        country: str | Sequence[str] | None = None,
        admin1: str | Sequence[str] | None = None,
        event_type: str | Sequence[str] | None = None,
        sub_event_type: str | Sequence[str] | None = None,
        actor: str | None = None,
        text: str | None = None,
        review_status: str | Sequence[str] | None = None,
        article_id: str | Sequence[str] | None = None,
        event_id: str | Sequence[str] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        order: str = "event_date",
        limit: int | None = None,
        offset: int = 0,
    ) -> sa.Select[Any]:
        """The SELECT behind ``events``. Dates bound event_date (inclusive); country matches the name or
        ISO3 code and admin1 the name, both case-insensitively; types and review status match exactly;
        actor is a case-insensitive substring of actor1, actor2 or an associated actor; text a substring
        of notes, location, actors or evidence; bbox (west, south, east, north in degrees; west > east
        crosses the antimeridian) keeps events with a point inside. Events merged into another are left
        out."""
        c = events.c
        where: list[sa.ColumnElement[bool]] = [c.merged_into.is_(None)]
        if date_from is not None:
            where.append(c.event_date >= date_from)
        if date_to is not None:
            where.append(c.event_date <= date_to)
        if (countries := _as_list(country)) is not None:
            lowered = [v.lower() for v in countries]
            by_name, by_code = sa.func.lower(c.country).in_(lowered), sa.func.lower(c.iso3).in_(lowered)
            if self.dialect == "sqlite":
                # A union of rowids from two index-only lookups: given the OR, SQLite's planner reads
                # every event.
                rowid = sa.literal_column("events.rowid")
                live = c.merged_into.is_(None)
                union = sa.union(sa.select(rowid).where(by_name, live), sa.select(rowid).where(by_code, live))
                where.append(rowid.in_(union))
            else:
                where.append(sa.or_(by_name, by_code))
        if (admins := _as_list(admin1)) is not None:
            where.append(sa.func.lower(c.admin1).in_([v.lower() for v in admins]))
        if (types := _as_list(event_type)) is not None:
            where.append(c.event_type.in_(types))
        if (sub_types := _as_list(sub_event_type)) is not None:
            where.append(c.sub_event_type.in_(sub_types))
        if (statuses := _as_list(review_status)) is not None:
            where.append(c.review_status.in_(statuses))
        if actor:
            where.append(self._contains("actor_text", actor))
        if text:
            where.append(self._contains("search_text", text))
        if (article_ids := _as_list(article_id)) is not None:
            linked = sa.select(event_articles.c.event_id).where(event_articles.c.article_id.in_(article_ids))
            where.append(c.event_id.in_(linked))
        if (event_ids := _as_list(event_id)) is not None:
            where.append(c.event_id.in_(event_ids))
        if bbox is not None:
            west, south, east, north = bbox
            lon = (
                c.longitude.between(west, east)
                if west <= east
                else sa.or_(c.longitude >= west, c.longitude <= east)
            )
            where += [c.latitude.between(south, north), lon]
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
        column = c[order.lstrip("-")]
        ordering = [column.desc(), c.event_id.desc()] if order.startswith("-") else [column, c.event_id]
        query = sa.select(events).where(*where).order_by(*ordering)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return query

    def article_evidence(self, article_id: str, event_id: str | None = None) -> list[dict[str, Any]]:
        """The evidence spans that live events have in one article (of one event when given), by offset."""
        ev, c = evidence.c, events.c
        query = (
            sa.select(ev.event_id, ev.start, ev.end, ev.text, ev.fields)
            .join(events, events.c.event_id == ev.event_id)
            .where(ev.article_id == article_id, c.merged_into.is_(None))
            .order_by(ev.start, ev.end, ev.event_id)
        )
        if event_id is not None:
            query = query.where(ev.event_id == event_id)
        with self._read() as conn:
            return [{**r, "fields": json.loads(r["fields"] or "[]")} for r in conn.execute(query).mappings()]

    def day_counts(self, **filters: Any) -> tuple[list[tuple[date, int]], int]:
        """Events per event_date for the filters of ``events``, and how many have no date."""
        for name in ("limit", "offset", "order"):
            filters.pop(name, None)
        where = self.event_query(**filters).whereclause
        day = events.c.event_date
        query = sa.select(day, sa.func.count()).where(where).group_by(day)
        with self._filtered_read(filters) as conn:
            rows = conn.execute(query).all()
        dated = sorted((d, int(n)) for d, n in rows if d is not None)
        return dated, sum(int(n) for d, n in rows if d is None)

    def map_cells(self, cell_deg: float, **filters: Any) -> list[dict[str, Any]]:
        """Events with a point, grouped in a grid of ``cell_deg``-degree cells (the map's clusters): per
        cell and event type the count, fatalities, mean point and bounds, and an event id (the event
        itself when the count is 1). Filters as for ``events``."""
        for name in ("limit", "offset", "order"):
            filters.pop(name, None)
        c = events.c
        where = [self.event_query(**filters).whereclause, c.latitude.is_not(None), c.longitude.is_not(None)]
        if self.dialect == "sqlite":  # both operands are >= 0, so truncation is floor
            gx = sa.cast((c.longitude + 180.0) / cell_deg, sa.Integer)
            gy = sa.cast((c.latitude + 90.0) / cell_deg, sa.Integer)
        else:
            gx = sa.func.floor((c.longitude + 180.0) / cell_deg)
            gy = sa.func.floor((c.latitude + 90.0) / cell_deg)
        query = (
            sa.select(
                gx.label("gx"),
                gy.label("gy"),
                c.event_type,
                sa.func.count().label("count"),
                sa.func.sum(c.fatalities).label("fatalities"),
                sa.func.avg(c.latitude).label("lat"),
                sa.func.avg(c.longitude).label("lon"),
                sa.func.min(c.latitude).label("south"),
                sa.func.max(c.latitude).label("north"),
                sa.func.min(c.longitude).label("west"),
                sa.func.max(c.longitude).label("east"),
                sa.func.min(c.event_id).label("event_id"),
            )
            .where(*where)
            .group_by(gx, gy, c.event_type)
        )
        with self._filtered_read(filters) as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def _contains(self, column: str, value: str) -> sa.ColumnElement[bool]:
        """A case-insensitive substring test on a search column: through the trigram index on SQLite
        (3+ characters), else LIKE over the lowercased column."""
        needle = value.lower()
        if self.dialect == "sqlite" and len(needle) >= 3:
            phrase = '"' + needle.replace('"', '""') + '"'
            matches = sa.text(f"SELECT rowid FROM events_fts WHERE events_fts MATCH :{column}_q").bindparams(
                **{f"{column}_q": f"{column} : {phrase}"}
            )
            return sa.literal_column("events.rowid").in_(matches)
        return events.c[column].like(_like(needle), escape="\\")

    # ----------------------------------------------------------------- summaries

    def data_stamp(self) -> tuple[Any, ...]:
        """Changes whenever events, articles or runs are written (by this process or any other): lets a
        caller keep summaries such as ``stats`` until the data changes. Index lookups only."""
        with self._read() as conn:
            return tuple(
                conn.execute(
                    sa.select(
                        sa.select(sa.func.max(events.c.updated_at)).scalar_subquery(),
                        sa.select(sa.func.count()).select_from(events).scalar_subquery(),
                        sa.select(sa.func.count()).select_from(articles).scalar_subquery(),
                        sa.select(sa.func.max(runs.c.id)).scalar_subquery(),
                    )
                ).one()
            )

    def stats(self) -> dict[str, Any]:
        """Totals and event counts by type, sub-event type, country, month and review status."""
        c = events.c
        live = c.merged_into.is_(None)

        def grouped(conn: sa.Connection, column: sa.ColumnElement[Any]) -> dict[str, int]:
            query = sa.select(column, sa.func.count()).where(live).group_by(column)
            rows = sorted(conn.execute(query), key=lambda r: (-r[1], str(r[0])))
            return {(str(key) if key is not None else "(unknown)"): n for key, n in rows}

        with self._read() as conn:
            total, fatalities, first, last = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.coalesce(sa.func.sum(c.fatalities), 0),
                    sa.func.min(c.event_date),
                    sa.func.max(c.event_date),
                ).where(live)
            ).one()
            by_month: dict[str, int] = {}
            per_day = sa.select(c.event_date, sa.func.count()).where(live).group_by(c.event_date)
            for day, n in conn.execute(per_day):
                month = f"{day.year:04d}-{day.month:02d}" if day is not None else "(date unknown)"
                by_month[month] = by_month.get(month, 0) + n
            return {
                "events": int(total),
                "articles": int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()),
                "article_copies": int(
                    conn.execute(
                        sa.select(sa.func.count())
                        .select_from(articles)
                        .where(articles.c.copy_of.is_not(None))
                    ).scalar_one()
                ),
                "runs": int(conn.execute(sa.select(sa.func.count()).select_from(runs)).scalar_one()),
                "fatalities": int(fatalities),
                "first_event_date": first.isoformat() if first else None,
                "last_event_date": last.isoformat() if last else None,
                "by_event_type": grouped(conn, c.event_type),
                "by_sub_event_type": grouped(conn, c.sub_event_type),
                "by_country": grouped(conn, c.country),
                "by_month": dict(sorted(by_month.items())),
                "by_review_status": grouped(conn, c.review_status),
            }

    # ----------------------------------------------------------------- watch state

    def watch_source(self, source: str) -> dict[str, Any] | None:
        """The stored state of one `eventwire watch` source (None for a source never polled)."""
        with self._read() as conn:
            row = conn.execute(sa.select(watch_sources).where(watch_sources.c.source == source)).mappings()
            found = row.first()
        return dict(found) if found is not None else None

    def save_watch_source(self, source: str, **values: Any) -> None:
        """Insert or update a source's state (columns of watch_sources other than ``source``)."""
        unknown = set(values) - set(watch_sources.c.keys())
        if unknown:
            raise TypeError(f"save_watch_source: unknown columns {sorted(unknown)}")
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        stmt = insert(watch_sources).values(source=source, **values)
        if values:
            stmt = stmt.on_conflict_do_update(index_elements=["source"], set_=values)
        else:
            stmt = stmt.on_conflict_do_nothing()
        with self.transaction() as conn:
            conn.execute(stmt)

    def watch_items(self, source: str) -> dict[str, str]:
        """Item -> stamp of what ``source`` held when it was last read."""
        c = watch_items.c
        with self._read() as conn:
            return dict(conn.execute(sa.select(c.item, c.stamp).where(c.source == source)).all())

    def save_watch_items(self, source: str, stamps: Mapping[str, str]) -> None:
        """Record items of ``source`` as read with these stamps (the source's row must exist)."""
        if not stamps:
            return
        now = _now()
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        rows = [
            {"source": source, "item": item, "stamp": stamp, "seen_at": now} for item, stamp in stamps.items()
        ]
        stmt = insert(watch_items)
        stmt = stmt.on_conflict_do_update(
            index_elements=["source", "item"],
            set_={"stamp": stmt.excluded.stamp, "seen_at": stmt.excluded.seen_at},
        )
        with self.transaction() as conn:
            conn.execute(stmt, rows)

    # ----------------------------------------------------------------- export

    def export(self, path: str | Path, **filters: Any) -> int:
        """Write the events matching ``filters`` to ``path`` (format by extension); the number written."""
        pairs = self.events_with_timestamps(**filters)
        return write_events((e for e, _ in pairs), path, updated_at={e.event_id: t for e, t in pairs})
