"""One extraction run: read inputs, analyse each article, merge events across reports, store, export.

This is the orchestration behind ``eventwire extract``. Per-article work lives in ``pipeline``; here we
handle what spans articles: the content-hash check that makes re-runs idempotent, same-story detection
between preparing and extracting an article (a near copy of a stored article is stored as a copy and not
extracted), worker processes, cross-report dedup against the database, the database and the output file.
Bad input never stops a run: each failure is reported as one line and everything else is processed and
written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TYPE_CHECKING

from eventwire import dedup, ingest, store
from eventwire.errors import UsageError
from eventwire.model import Article, Event, ReadError
from eventwire.pipeline import ArticleResult, Prepared, prepare, warm_up
from eventwire.pipeline import extract as extract_prepared
from eventwire.stories import StoryIndex

if TYPE_CHECKING:
    from eventwire.dask_engine import DaskOptions, DaskRun


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
    dask: DaskOptions | None = None  # set: analyse on a Dask cluster (eventwire.dask_engine)


@dataclass(slots=True)
class RunSummary:
    run_id: int | None = None
    db: str | None = None
    out: str | None = None
    articles_read: int = 0
    articles_new: int = 0
    articles_known: int = 0
    articles_copies: int = 0  # near copies of stored articles: stored, not extracted
    events_new: int = 0
    events_merged: int = 0
    events_folded: int = 0  # stored events found to be one event with another (merged_into it)
    events_written: int = 0
    errors: list[ReadError] = field(default_factory=list)
    notes: list[ReadError] = field(default_factory=list)
    parquet: list[tuple[str, int]] = field(default_factory=list)  # --parquet-dir: (file, events) each
    words: int = 0
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        return 1 if self.errors else 0


Reporter = Callable[[str], None]


@dataclass(slots=True)
class Copy:
    """A prepared article found to be a near copy of the stored (or earlier) article ``of``."""

    prepared: Prepared
    of: str


Outcome = ArticleResult | Copy | None


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _is_note(error: ReadError) -> bool:
    """Skipped files (unknown extensions) and warnings about a dropped field are notes, not failures."""
    return error.reason.startswith((ingest.SKIPPED_PREFIX, ingest.WARNING_PREFIX))


def _articles(opts: RunOptions, summary: RunSummary, report: Reporter) -> Iterator[Article]:
    meta = read_metadata(opts.metadata, summary, report)
    return accepted(ingest.read_inputs(opts.inputs), meta, opts.published, summary, report)


def read_metadata(path: str | None, summary: RunSummary, report: Reporter) -> dict[str, dict]:
    """The --metadata CSV by article id ({} without one); its bad rows are counted as errors."""
    if not path:
        return {}
    if not Path(path).is_file():
        raise UsageError(f"--metadata {path}: no such file")
    meta, meta_errors = ingest.load_metadata(path)
    for err in meta_errors:
        summary.errors.append(err)
        report(f"eventwire: {err}")
    return meta


def accepted(
    items: Iterable[Article | ReadError],
    meta: dict[str, dict],
    published: date | None,
    summary: RunSummary,
    report: Reporter,
) -> Iterator[Article]:
    """The articles among reader output, with metadata applied; read errors and notes reported."""
    for item in items:
        if isinstance(item, ReadError):
            if _is_note(item):
                summary.notes.append(item)
                report(f"eventwire: note: {item}")
            else:
                summary.errors.append(item)
                report(f"eventwire: error: {item}")
            continue
        summary.articles_read += 1
        yield ingest.apply_metadata(item, meta, published)


def _analysed(
    articles: Iterable[Article], workers: int, summary: RunSummary, report: Reporter, stories: StoryIndex
) -> Iterator[tuple[Article, Outcome]]:
    """Prepare each article, set near copies aside, extract the others (in worker processes when asked);
    outcomes come back in input order. None: the article failed (already reported)."""
    if workers <= 1:
        for n, article in enumerate(articles):
            if n == 0:
                warm_up()  # at the first article: a poll that finds nothing new loads nothing
            prepared = _run_step(prepare, article, article, summary, report)
            if prepared is None:
                yield article, None
                continue
            original = stories.find_copy(prepared.fingerprint)
            if original is not None:
                yield article, Copy(prepared, original)
                continue
            stories.remember(article.id, prepared.fingerprint)
            result = _run_step(extract_prepared, prepared, article, summary, report)
            if result is None:
                stories.forget(article.id)
            yield article, result
        return
    ctx = get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if ctx.get_start_method() == "fork":
        warm_up()  # loaded once here; forked workers share the knowledge bases' pages
    with ctx.Pool(workers, initializer=warm_up) as pool:
        # A window of tasks in flight, each a few articles: the workers analyse ahead while this process
        # looks for copies and stores (it takes the outcomes in input order, as the loop above does).
        source = iter(articles)
        window: deque[tuple[list[Article], AsyncResult]] = deque()

        def submit() -> None:
            chunk = list(islice(source, _CHUNK))
            if chunk:
                window.append((chunk, pool.apply_async(_speculate, (chunk,))))

        for _ in range(workers * _AHEAD):
            submit()
        while window:
            chunk, job = window.popleft()
            outcomes = job.get()
            submit()
            for article, (prepared, result) in zip(chunk, outcomes, strict=True):
                yield article, _settle(article, prepared, result, summary, report, stories)


def _settle(
    article: Article,
    prepared: Prepared | str,
    result: ArticleResult | str | None,
    summary: RunSummary,
    report: Reporter,
    stories: StoryIndex,
) -> Outcome:
    """The outcome of an article prepared and extracted elsewhere (``_speculate``): a near copy of an
    earlier article drops its speculative extraction; errors (as text) are reported."""
    if isinstance(prepared, str):
        _fail(article, prepared, summary, report)
        return None
    original = stories.find_copy(prepared.fingerprint)
    if original is not None:
        return Copy(prepared, original)
    stories.remember(article.id, prepared.fingerprint)
    if isinstance(result, str):
        _fail(article, result, summary, report)
        stories.forget(article.id)
        return None
    return result


_CHUNK = 4  # articles per task: fewer, larger messages between the processes
_AHEAD = 4  # tasks in flight per worker, so that no worker waits while this process stores


def _speculate(articles: list[Article]) -> list[tuple[Prepared | str, ArticleResult | str | None]]:
    """In a worker: prepare and extract each article (errors as text). The extraction is speculative: the
    main process drops it when it finds the article to be a near copy (rare), which costs less than
    sending every prepared article back and forth between the two steps."""
    out: list[tuple[Prepared | str, ArticleResult | str | None]] = []
    for article in articles:
        prepared = _or_error(prepare)(article)
        if isinstance(prepared, str):
            out.append((prepared, None))
        else:
            out.append((prepared, _or_error(extract_prepared)(prepared)))
    return out


class _or_error:
    """A pipeline step that returns its error as text instead of raising: a bug on odd text must not lose
    the rest of the run. A class, not a closure, so that worker processes can unpickle it."""

    def __init__(self, step: Callable) -> None:
        self.step = step

    def __call__(self, value):
        try:
            return self.step(value)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"


def _run_step(step: Callable, value, article: Article, summary: RunSummary, report: Reporter):
    result = _or_error(step)(value)
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


def _store_copy(st: store.Store, copy: Copy, summary: RunSummary) -> None:
    fp = copy.prepared.fingerprint
    with st.transaction():
        st.add_article(
            copy.prepared.document, summary.run_id, fingerprint=fp.encoded() if fp else None, copy_of=copy.of
        )
    summary.articles_new += 1
    summary.articles_copies += 1


class Ingester:
    """Stores articles through the pipeline: skips known content, sets near copies aside, extracts the
    others, merges their events with the stored ones and writes each article with its events in one
    transaction. ``extract`` uses one per run; ``watch`` one per process, fed again at every poll."""

    def __init__(
        self, st: store.Store, run_id: int | None, *, merge: bool = True, report: Reporter = _stderr
    ) -> None:
        self.store = st
        self.run_id = run_id
        self.report = report
        self.index = dedup.StoreIndex(st)
        self.merger = dedup.Deduplicator(self.index) if merge else None
        self.stories = StoryIndex(st)

    def ingest(
        self,
        articles: Iterable[Article],
        summary: RunSummary,
        *,
        workers: int = 1,
        progress: bool | None = None,
        dask_run: DaskRun | None = None,
    ) -> list[str]:
        """Ingest ``articles``, counting into ``summary``; returns the ids of the stored articles they
        are, or are copies of (known ones included): what an export of this input covers. With
        ``dask_run`` the articles are read and analysed on its cluster instead (``articles`` unused)."""
        st, report, stories = self.store, self.report, self.stories
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

        if dask_run is not None:
            analysed = dask_run.analysed(unseen, stories)
        else:
            analysed = _analysed(unseen(articles), workers, summary, report, stories)
        for article, outcome in _progress(analysed, progress):
            if isinstance(outcome, Copy):
                if st.article(outcome.of) is not None:
                    _store_copy(st, outcome, summary)
                    touched_articles.append(outcome.of)
                    continue
                # its original failed after the copy was set aside: this one is the original now
                outcome = _run_step(extract_prepared, outcome.prepared, article, summary, report)
            if outcome is None:
                continue
            summary.articles_new += 1
            summary.words += outcome.document.words
            touched_articles.append(article.id)
            events: list[Event] = outcome.events
            folded: dict[str, str] = {}
            if self.merger is not None:
                result = self.merger.merge(events)
                events, folded = result.events, result.folded
                summary.events_merged += result.merged
                summary.events_folded += len(folded)
            summary.events_new += sum(1 for e in events if e.article_ids == [article.id])
            fp = outcome.fingerprint
            with st.transaction():
                st.add_article(
                    outcome.document,
                    self.run_id,
                    fingerprint=fp.encoded() if fp else None,
                    bands=fp.bands if fp else (),
                )
                st.save_events(events, self.run_id)
                st.fold_events(folded, self.run_id)
            self.index.saved()
            stories.saved(article.id)
        return touched_articles


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
        if opts.out or (opts.dask and opts.dask.parquet_dir):
            tmpdir = tempfile.TemporaryDirectory(prefix="eventwire-")
            db = os.path.join(tmpdir.name, "run.db")
        else:
            db = "eventwire.db"
    summary = RunSummary(db=None if tmpdir else db, out=opts.out)
    started = time.perf_counter()
    dask_run = None
    if opts.dask is not None:
        from eventwire.dask_engine import DaskRun

        dask_run = DaskRun(opts, summary, report)  # checks its arguments before the store is opened
    st = store.open_store(db)
    try:
        summary.run_id = st.start_run(opts.command, list(opts.inputs))
        ingester = Ingester(st, summary.run_id, merge=opts.dedup, report=report)
        articles = _articles(opts, summary, report) if dask_run is None else iter(())
        touched_articles = ingester.ingest(
            articles, summary, workers=opts.workers, progress=opts.progress, dask_run=dask_run
        )
        summary.seconds = time.perf_counter() - started
        if opts.out:
            summary.events_written = st.export(opts.out, article_id=touched_articles)
        if dask_run is not None:
            summary.parquet = dask_run.write_parquet(st)
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
