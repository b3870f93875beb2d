"""The watch loop: poll due sources, ingest what changed, keep the state in the database, back off.

Each source's state (validators, consecutive errors, next poll time, stamps of the items read) lives in
the watch_sources / watch_items tables, so a restarted watcher carries on where the last one stopped. An
item's stamp is recorded only after all its articles were stored, and a feed's validators only after the
whole poll was ingested: a crash or stop mid-poll makes the next poll read those items again, and the
content-hash check of the ingestion skips what was already stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from eventwire import store
from eventwire.model import Article
from eventwire.run import Ingester, Reporter, RunSummary, accepted
from eventwire.watch.sources import Change, Source, SourceError

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def backoff_delay(errors: int, interval: float, max_backoff: float) -> float:
    """Seconds to wait after ``errors`` consecutive failures: the interval doubled per failure, capped."""
    return min(interval * 2.0**errors, max_backoff) if errors else interval


@dataclass(slots=True)
class RoundResult:
    polled: int = 0
    failed: list[str] = field(default_factory=list)  # keys of sources that failed
    summary: RunSummary = field(default_factory=RunSummary)


class Watcher:
    """Polls ``sources`` into ``st``; one Ingester (and run) for the watcher's whole life."""

    def __init__(
        self,
        st: store.Store,
        sources: Sequence[Source],
        *,
        run_id: int | None,
        interval: float,
        max_backoff: float,
        meta: dict[str, dict] | None = None,
        published: date | None = None,
        merge: bool = True,
        report: Reporter,
        clock: Clock = _utc_now,
    ) -> None:
        self.store = st
        self.sources = list(sources)
        self.interval = interval
        self.max_backoff = max(max_backoff, interval)
        self.meta = meta or {}
        self.published = published
        self.report = report
        self.clock = clock
        self.stopping = threading.Event()  # set by a signal: finish the current article, then stop
        self.ingester = Ingester(st, run_id, merge=merge, report=report)

    # ----------------------------------------------------------------- one round

    def poll_round(self, *, due_only: bool = True) -> RoundResult:
        """Poll every source (or only those due now) once."""
        result = RoundResult()
        now = self.clock()
        for source in self.sources:
            if self.stopping.is_set():
                break
            if due_only and not self._due(source, now):
                continue
            result.polled += 1
            if not self.poll(source, result.summary):
                result.failed.append(source.key)
        return result

    def _due(self, source: Source, now: datetime) -> bool:
        state = self.store.watch_source(source.key)
        return state is None or state["next_poll_at"] is None or state["next_poll_at"] <= now

    def poll(self, source: Source, summary: RunSummary) -> bool:
        """Poll one source and ingest its changes; False when the source failed (and was backed off)."""
        state = self.store.watch_source(source.key) or {}
        started = self.clock()
        try:
            got = source.poll(state, self.store.watch_items(source.key))
        except SourceError as exc:
            self._failed(source, state, started, str(exc))
            return False
        self.store.save_watch_source(source.key, last_polled_at=started)  # the row the item stamps need
        done: dict[str, str | None] = {}
        self.ingester.ingest(self._articles(got.changes, done, summary), summary)
        self.store.save_watch_items(source.key, {k: v for k, v in done.items() if v is not None})
        finished = len(done) == len(got.changes)
        values: dict = {"errors": 0, "last_error": None, "last_ok_at": started}
        values["next_poll_at"] = self.clock() + timedelta(seconds=self.interval)
        if finished:  # else the next poll must fetch the whole feed again to get the rest
            values.update(etag=got.etag, last_modified=got.last_modified)
        self.store.save_watch_source(source.key, **values)
        return True

    def _articles(
        self, changes: list[Change], done: dict[str, str | None], summary: RunSummary
    ) -> Iterator[Article]:
        """The articles of each change; a change counts as done once the ingestion asked for the article
        after its last one (the Ingester stores each article before it asks for the next)."""
        for change in changes:
            if self.stopping.is_set():
                return
            for n, article in enumerate(
                accepted(change.read(), self.meta, self.published, summary, self.report)
            ):
                if n and self.stopping.is_set():
                    return
                yield article
            done[change.key] = change.stamp

    def _failed(self, source: Source, state: dict, started: datetime, reason: str) -> None:
        errors = int(state.get("errors") or 0) + 1
        delay = backoff_delay(errors, self.interval, self.max_backoff)
        self.store.save_watch_source(
            source.key,
            errors=errors,
            last_error=reason,
            last_polled_at=started,
            next_poll_at=started + timedelta(seconds=delay),
        )
        self.report(f"eventwire: error: {source.key}: {reason} (failure {errors}; next try in {delay:g} s)")

    # ----------------------------------------------------------------- the loop

    def next_due(self) -> datetime:
        """When the earliest source is due (now for a source never polled)."""
        now = self.clock()
        times = []
        for source in self.sources:
            state = self.store.watch_source(source.key)
            times.append(now if state is None or state["next_poll_at"] is None else state["next_poll_at"])
        return min(times, default=now + timedelta(seconds=self.interval))

    def run(self, on_round: Callable[[RoundResult], None] | None = None) -> None:
        """Poll due sources until ``stopping`` is set; sleeps between rounds."""
        while not self.stopping.is_set():
            result = self.poll_round()
            if on_round is not None:
                on_round(result)
            wait = (self.next_due() - self.clock()).total_seconds()
            # Event.wait wakes as soon as a signal handler sets ``stopping``.
            self.stopping.wait(max(wait, 0.05))
