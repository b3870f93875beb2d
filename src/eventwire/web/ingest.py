"""POST /api/articles: one report extracted, merged across reports and stored as `eventwire extract` does.

The same steps as ``eventwire.run``: the content hash makes a repeated upload a no-op, an id that holds
other content is kept apart as ``id@hash``, ``pipeline.analyse`` extracts the events and
``dedup.Deduplicator`` merges them into stored events. One difference, for speed only: the deduplicator is
given the stored events within 100 days of the new ones (the widest gap that ``dedup.compatible`` can
accept is 93 days), not all of them, so an upload to a large database stays fast. Events whose date is
unknown are never merged.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta

from eventwire.dedup import Deduplicator
from eventwire.model import Article, Event
from eventwire.pipeline import analyse, warm_up
from eventwire.store import Store

_WINDOW = timedelta(days=100)


@dataclass(slots=True)
class IngestResult:
    article_id: str
    added: bool
    events: list[Event]
    merged: int = 0
    notes: list[str] = field(default_factory=list)


class _Nearby:
    """The stored events a new batch could merge with (the deduplicator's EventSource)."""

    def __init__(self, store: Store, batch: list[Event]) -> None:
        self._store = store
        self._batch = batch

    def all_events(self) -> list[Event]:
        starts = [e.date_start for e in self._batch if e.date_start is not None]
        ends = [e.date_end for e in self._batch if e.date_end is not None]
        if not starts or not ends:
            return []
        window = {"date_from": min(starts) - _WINDOW, "date_to": max(ends) + _WINDOW}
        codes = {e.iso3 for e in self._batch}
        if None not in codes:
            window["country"] = sorted(codes)
        return self._store.events(order="event_date", **window)


class Ingestor:
    """Adds reports one at a time (a lock), so two uploads never miss each other's events."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._warm = False

    def ingest(self, article: Article, *, who: str) -> IngestResult:
        with self._lock:
            if not self._warm:
                warm_up()
                self._warm = True
            return self._ingest(article, who)

    def _ingest(self, article: Article, who: str) -> IngestResult:
        st = self._store
        raw_hash = article.raw_hash
        known = st.article_ids_for_hashes([raw_hash]).get(raw_hash)
        if known is not None:
            return IngestResult(known, False, st.events(article_id=known), notes=["already stored"])
        notes: list[str] = []
        if st.article(article.id) is not None:
            renamed = f"{article.id}@{raw_hash[:8]}"
            notes.append(f"article id {article.id!r} already holds other content; stored as {renamed!r}")
            article.id = renamed
        result = analyse(article)
        dated: list[Event] = []
        undated: list[Event] = []
        for event in result.events:
            known_date = None not in (event.event_date, event.date_start, event.date_end)
            (dated if known_date else undated).append(event)
        to_store, merged = Deduplicator(_Nearby(st, dated)).merge(dated)
        to_store += undated
        run_id = st.start_run("api", [f"POST /api/articles {article.id}"])
        with st.transaction():
            st.add_article(result.document, run_id)
            st.save_events(to_store, run_id, who=who)
            st.record_write(
                who,
                "add_article",
                {"article_id": article.id, "title": article.title, "events": [e.event_id for e in to_store]},
            )
        st.finish_run(run_id, articles_read=1, articles_new=1, events_written=len(to_store))
        return IngestResult(article.id, True, st.events(article_id=article.id), merged, notes)
