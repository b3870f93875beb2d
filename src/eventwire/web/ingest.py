"""POST /api/articles: one report extracted, merged across reports and stored as `eventwire extract` does.

The same steps as ``eventwire.run``: the content hash makes a repeated upload a no-op, an id that holds
other content is kept apart as ``id@hash``, ``pipeline.analyse`` extracts the events and
``dedup.Deduplicator`` merges them into stored events, finding its candidates through the store's blocking
keys (``dedup.StoreIndex``), so an upload to a large database stays fast. Events whose date is unknown are
never merged.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from eventwire.dedup import Deduplicator, StoreIndex
from eventwire.model import Article, Event
from eventwire.pipeline import analyse, warm_up
from eventwire.store import Store


@dataclass(slots=True)
class IngestResult:
    article_id: str
    added: bool
    events: list[Event]
    merged: int = 0
    notes: list[str] = field(default_factory=list)


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
        index = StoreIndex(st)
        merged = Deduplicator(index).merge(result.events)
        to_store = merged.events
        fp = result.fingerprint
        run_id = st.start_run("api", [f"POST /api/articles {article.id}"])
        with st.transaction():
            st.add_article(
                result.document,
                run_id,
                fingerprint=fp.encoded() if fp else None,
                bands=fp.bands if fp else (),
            )
            st.save_events(to_store, run_id, who=who)
            st.fold_events(merged.folded, run_id)
            st.record_write(
                who,
                "add_article",
                {"article_id": article.id, "title": article.title, "events": [e.event_id for e in to_store]},
            )
        index.saved()
        st.finish_run(run_id, articles_read=1, articles_new=1, events_written=len(to_store))
        return IngestResult(article.id, True, st.events(article_id=article.id), merged.merged, notes)
