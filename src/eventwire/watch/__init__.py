"""`eventwire watch`: poll folders and RSS/Atom feeds and ingest new reports as they arrive.

``watch(opts)`` is what the command runs: one poll round with ``once``, else rounds until SIGINT/SIGTERM
(the article being stored is finished first). State lives in the database (see ``runner``).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from eventwire import store
from eventwire.errors import UsageError
from eventwire.run import Reporter, RunSummary, read_metadata
from eventwire.watch.runner import RoundResult, Watcher, backoff_delay
from eventwire.watch.sources import FeedSource, PathSource, Source, SourceError, make_source

__all__ = [
    "FeedSource",
    "PathSource",
    "RoundResult",
    "Source",
    "SourceError",
    "WatchOptions",
    "Watcher",
    "backoff_delay",
    "make_source",
    "watch",
]


@dataclass(slots=True)
class WatchOptions:
    sources: list[str]
    db: str = "eventwire.db"
    interval: float = 300.0
    max_backoff: float = 3600.0
    timeout: float = 30.0
    once: bool = False
    metadata: str | None = None
    published: date | None = None
    dedup: bool = True
    command: str = "watch"


@dataclass(slots=True)
class WatchSummary:
    rounds: int = 0
    failed_sources: list[str] = field(default_factory=list)  # failures of the last round
    totals: RunSummary = field(default_factory=RunSummary)

    @property
    def exit_status(self) -> int:
        return 1 if self.failed_sources or self.totals.errors else 0


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def describe(result: RoundResult) -> str:
    s = result.summary
    failed = f"; {len(result.failed)} of {result.polled} sources failed" if result.failed else ""
    return (
        f"eventwire: watch: {s.articles_read} articles read, {s.articles_new} new, "
        f"{s.articles_known} already known; {s.events_new} new events, {s.events_merged} merged into "
        f"existing ones; {len(s.errors)} failed inputs{failed}"
    )


_COUNTS = (
    "articles_read",
    "articles_new",
    "articles_known",
    "articles_copies",
    "events_new",
    "events_merged",
    "events_folded",
    "words",
)


def _add(total: RunSummary, part: RunSummary) -> None:
    for name in _COUNTS:
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.errors.extend(part.errors)
    total.notes.extend(part.notes)


def watch(opts: WatchOptions, report: Reporter = _stderr) -> WatchSummary:
    if opts.interval <= 0:
        raise UsageError("--interval must be more than 0 seconds")
    if opts.max_backoff < opts.interval:
        raise UsageError("--max-backoff must be at least --interval")
    try:
        sources = [make_source(name, timeout=opts.timeout) for name in opts.sources]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    outcome = WatchSummary()
    st = store.open_store(opts.db)
    try:
        run_id = st.start_run(opts.command, list(opts.sources))
        outcome.totals.run_id = run_id
        meta = read_metadata(opts.metadata, outcome.totals, report)
        watcher = Watcher(
            st,
            sources,
            run_id=run_id,
            interval=opts.interval,
            max_backoff=opts.max_backoff,
            meta=meta,
            published=opts.published,
            merge=opts.dedup,
            report=report,
        )

        def on_round(result: RoundResult) -> None:
            outcome.rounds += 1
            outcome.failed_sources = result.failed
            _add(outcome.totals, result.summary)
            s = result.summary
            if opts.once or s.articles_read or s.errors or result.failed:
                report(describe(result))
            if not opts.once:  # the run row shows progress while the watcher lives
                _record(st, run_id, outcome.totals, status="running")

        if opts.once:
            on_round(watcher.poll_round(due_only=False))
        else:
            with _stop_on_signals(watcher.stopping, report):
                watcher.run(on_round)
        _record(st, run_id, outcome.totals)
    finally:
        st.close()
    return outcome


def _record(st: store.Store, run_id: int, totals: RunSummary, status: str | None = None) -> None:
    st.finish_run(
        run_id,
        status=status,
        articles_read=totals.articles_read,
        articles_new=totals.articles_new,
        errors=len(totals.errors),
    )


class _stop_on_signals:
    """SIGINT/SIGTERM set ``stop`` (the watcher finishes the article it is storing); a second SIGINT
    interrupts at once. Handlers only in the main thread (signal's rule); restored on exit."""

    def __init__(self, stop: threading.Event, report: Callable[[str], None]) -> None:
        self.stop = stop
        self.report = report
        self.previous: dict[int, object] = {}

    def _handle(self, signum: int, _frame: object) -> None:
        if self.stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.stop.set()
        self.report(f"eventwire: {signal.Signals(signum).name}: stopping after the current article")

    def __enter__(self) -> _stop_on_signals:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
