"""One extraction run: read inputs, analyse each article, merge events across reports, store, export.

This is the orchestration behind ``eventwire extract``. Per-article work lives in ``pipeline``; here we
handle what spans articles: the content-hash check that makes re-runs idempotent, worker processes,
cross-report dedup, the database and the output file. Bad input never stops a run: each failure is
reported as one line and everything else is processed and written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult
from pathlib import Path

from eventwire import dedup, ingest, store
from eventwire.errors import UsageError
from eventwire.model import Article, Event, ReadError
from eventwire.pipeline import ArticleResult, analyse, warm_up


@dataclass(slots=True)
class RunOptions:
    inputs: list[str]
    metadata: str | None = None
    published: date | None = None
    out: str | None = None
    db: str | None = None
    dedup: bool = True
    workers: int = 1
    progress: bool | None = None  # None: only when stderr is a terminal
    command: str = "extract"


@dataclass(slots=True)
class RunSummary:
    run_id: int | None = None
    db: str | None = None
    out: str | None = None
    articles_read: int = 0
    articles_new: int = 0
    articles_known: int = 0
    events_new: int = 0
    events_merged: int = 0
    events_written: int = 0
    errors: list[ReadError] = field(default_factory=list)
    notes: list[ReadError] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        return 1 if self.errors else 0


Reporter = Callable[[str], None]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _is_note(error: ReadError) -> bool:
    """Skipped files (unknown extensions) and warnings about a dropped field are notes, not failures."""
    return error.reason.startswith((ingest.SKIPPED_PREFIX, ingest.WARNING_PREFIX))


def _articles(opts: RunOptions, summary: RunSummary, report: Reporter) -> Iterator[Article]:
    meta: dict[str, dict] = {}
    if opts.metadata:
        if not Path(opts.metadata).is_file():
            raise UsageError(f"--metadata {opts.metadata}: no such file")
        meta, meta_errors = ingest.load_metadata(opts.metadata)
        for err in meta_errors:
            summary.errors.append(err)
            report(f"eventwire: {err}")
    for item in ingest.read_inputs(opts.inputs):
        if isinstance(item, ReadError):
            if _is_note(item):
                summary.notes.append(item)
                report(f"eventwire: note: {item}")
            else:
                summary.errors.append(item)
                report(f"eventwire: error: {item}")
            continue
        summary.articles_read += 1
        yield ingest.apply_metadata(item, meta, opts.published)


def _analysed(
    articles: Iterable[Article], workers: int, summary: RunSummary, report: Reporter
) -> Iterator[tuple[Article, ArticleResult | None]]:
    """Analyse articles, in worker processes when asked; results come back in input order."""
    if workers <= 1:
        warm_up()
        for article in articles:
            yield article, _safe_analyse(article, summary, report)
        return
    ctx = get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if ctx.get_start_method() == "fork":
        warm_up()  # loaded once here; forked workers share the knowledge bases' pages
    with ctx.Pool(workers, initializer=warm_up) as pool:
        # A bounded window of articles in flight, results taken in input order: the workers keep analysing
        # while this process stores what came back (a batch-and-wait loop would leave them idle meanwhile),
        # and memory stays bounded however long the input is.
        pending: deque[tuple[Article, AsyncResult]] = deque()
        for article in articles:
            pending.append((article, pool.apply_async(_analyse_or_error, (article,))))
            if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                yield _result(*pending.popleft(), summary, report)
        while pending:
            yield _result(*pending.popleft(), summary, report)


_IN_FLIGHT_PER_WORKER = 8


def _result(
    article: Article, future: AsyncResult, summary: RunSummary, report: Reporter
) -> tuple[Article, ArticleResult | None]:
    result = future.get()
    if isinstance(result, str):
        _fail(article, result, summary, report)
        return article, None
    return article, result


def _analyse_or_error(article: Article) -> ArticleResult | str:
    try:
        return analyse(article)
    except Exception as exc:  # a bug on odd text must not lose the rest of the run
        return f"{type(exc).__name__}: {exc}"


def _safe_analyse(article: Article, summary: RunSummary, report: Reporter) -> ArticleResult | None:
    result = _analyse_or_error(article)
    if isinstance(result, str):
        _fail(article, result, summary, report)
        return None
    return result


def _fail(article: Article, reason: str, summary: RunSummary, report: Reporter) -> None:
    err = ReadError(article.origin or article.id, f"could not be analysed ({reason})")
    summary.errors.append(err)
    report(f"eventwire: error: {err}")


def _progress(items: Iterable, enabled: bool | None):
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, unit="article", file=sys.stderr, dynamic_ncols=True, leave=False)


def extract(opts: RunOptions, report: Reporter = _stderr) -> RunSummary:
    """Run an extraction; returns what happened. Raises UsageError for bad arguments only."""
    import time

    if opts.out:
        try:
            store.check_output_path(opts.out)
        except ValueError as exc:
            raise UsageError(f"--out {opts.out}: {exc}") from None
    if opts.workers < 1:
        raise UsageError("--workers must be at least 1")
    db = opts.db
    tmpdir = None
    if db is None:
        if opts.out:
            tmpdir = tempfile.TemporaryDirectory(prefix="eventwire-")
            db = os.path.join(tmpdir.name, "run.db")
        else:
            db = "eventwire.db"
    summary = RunSummary(db=None if tmpdir else db, out=opts.out)
    started = time.perf_counter()
    st = store.open_store(db)
    try:
        summary.run_id = st.start_run(opts.command, list(opts.inputs))
        merger = dedup.Deduplicator(st) if opts.dedup else None
        touched_articles: list[str] = []

        def unseen(articles: Iterable[Article]) -> Iterator[Article]:
            seen_hashes: set[str] = set()
            seen_ids: set[str] = set()
            for article in articles:
                h = article.raw_hash
                known = st.article_ids_for_hashes([h]).get(h)
                if known is not None or h in seen_hashes:
                    summary.articles_known += 1
                    if known is not None:
                        touched_articles.append(known)
                    continue
                seen_hashes.add(h)
                if article.id in seen_ids or st.article(article.id) is not None:
                    # Same id, new content (an updated page): keep both; the old evidence offsets stay valid.
                    renamed = f"{article.id}@{h[:8]}"
                    note = ReadError(
                        article.origin or article.id,
                        f"article id {article.id!r} already holds "
                        f"other content; stored this version as {renamed!r}",
                    )
                    summary.notes.append(note)
                    report(f"eventwire: note: {note}")
                    article.id = renamed
                seen_ids.add(article.id)
                yield article

        stream = unseen(_articles(opts, summary, report))
        for article, result in _progress(_analysed(stream, opts.workers, summary, report), opts.progress):
            if result is None:
                continue
            summary.articles_new += 1
            summary.words += result.document.words
            touched_articles.append(article.id)
            events: list[Event] = result.events
            if merger is not None:
                events, merged = merger.merge(events)
                summary.events_merged += merged
            summary.events_new += sum(1 for e in events if e.article_ids == [article.id])
            with st.transaction():
                st.add_article(result.document, summary.run_id)
                st.save_events(events, summary.run_id)
        summary.seconds = time.perf_counter() - started
        if opts.out:
            summary.events_written = st.export(opts.out, article_id=touched_articles)
        st.finish_run(
            summary.run_id,
            articles_read=summary.articles_read,
            articles_new=summary.articles_new,
            events_written=summary.events_written,
            errors=len(summary.errors),
        )
    finally:
        st.close()
        if tmpdir is not None:
            tmpdir.cleanup()
    return summary
