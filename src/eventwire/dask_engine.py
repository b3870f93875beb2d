"""``eventwire extract --engine dask``: reading and per-article analysis on a Dask cluster.

What runs where. The client lists the input files (``ingest.iter_input_files``) and cuts the list into
contiguous partitions of about equal size in bytes. Each task reads the files of one partition, completes
the articles from the metadata and runs on each the steps the local worker processes run
(``run._speculate``: prepare, then extract); the knowledge bases load once per worker process (module
caches), on its first task. The client takes the results partition by partition, in input order, and from
there goes the local run's way (``run.extract``): the content-hash check, same-story copies, cross-article
dedup against the database and storing, one article at a time. The events are therefore those of a local
run over the same inputs: two reports of one event in different partitions end as one event.

With ``--parquet-dir`` the client then writes the events of the run as one Parquet file per partition
(the columns of ``eventwire export --out x.parquet``), each event once, in the partition of its first
report in input order.
"""

from __future__ import annotations

import logging
import os
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire import ingest
from eventwire.errors import UsageError
from eventwire.model import Article, Mentions, ReadError

if TYPE_CHECKING:
    from eventwire.run import Outcome, Reporter, RunOptions, RunSummary
    from eventwire.store import Store
    from eventwire.stories import StoryIndex

NEEDS_EXTRA = "the dask engine needs the dask extra: pip install 'eventwire[dask]'"
PARTITIONS_PER_WORKER = 4  # default: enough tasks for the scheduler to even out slow and fast partitions
_AHEAD = 2  # partitions in flight per worker thread, so that no worker waits while the client stores
_CONNECT_SECONDS = 30

# One file of a partition: the path as given (for messages and origins) and as the workers open it.
PartFile = tuple[str, str]
Speculated = tuple[Any, Any]  # run._speculate's (Prepared | str, ArticleResult | str | None)


@dataclass(slots=True)
class DaskOptions:
    scheduler: str | None = None  # tcp://host:8786; None: a LocalCluster of --workers processes
    partitions: int | None = None  # None: PARTITIONS_PER_WORKER per worker thread
    parquet_dir: str | None = None
    processes: bool = True  # LocalCluster only: False runs the workers as threads (tests)


def add_arguments(parser: Any, positive_int: Callable[[str], int]) -> None:
    """The ``extract`` options of this engine."""
    parser.add_argument(
        "--engine", choices=("local", "dask"), default="local", help="where to analyse (default local)"
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="dask: a scheduler (tcp://host:8786); default a local cluster"
    )
    parser.add_argument(
        "--partitions", type=positive_int, metavar="N", help="dask: tasks to cut the input files into"
    )
    parser.add_argument(
        "--parquet-dir", metavar="DIR", help="dask: write the events as one file per partition"
    )


def options(args: Any) -> DaskOptions | None:
    """The engine's options from parsed arguments; None for the local engine."""
    if args.engine != "dask":
        given = [
            f"--{n.replace('_', '-')}" for n in ("scheduler", "partitions", "parquet_dir") if getattr(args, n)
        ]
        if given:
            raise UsageError(f"{', '.join(given)}: only with --engine dask")
        return None
    return DaskOptions(scheduler=args.scheduler, partitions=args.partitions, parquet_dir=args.parquet_dir)


def split(sizes: list[int], n: int) -> list[range]:
    """Cut items of these sizes, in order, into min(n, items) contiguous non-empty runs of about equal
    total size: each cut at the item boundary nearest its share (a file of zero bytes weighs one)."""
    if not sizes:
        return []
    n = max(1, min(n, len(sizes)))
    prefix = list(accumulate((max(1, s) for s in sizes), initial=0))
    bounds = [0]
    for k in range(1, n):
        target = prefix[-1] * k / n
        # room for the cuts still to come: boundaries bounds[-1] + 1 .. len(sizes) - (n - k)
        lo, hi = bounds[-1] + 1, len(sizes) - (n - k)
        j = min(max(bisect_left(prefix, target), lo), hi)
        if j > lo and target - prefix[j - 1] <= prefix[j] - target:
            j -= 1
        bounds.append(j)
    bounds.append(len(sizes))
    return [range(a, b) for a, b in pairwise(bounds)]


def analyse_partition(
    files: list[PartFile], meta: dict[str, dict], published: date | None
) -> list[ReadError | tuple[Article, Speculated]]:
    """A task: read the files of one partition and analyse every article (errors come back as values)."""
    from eventwire.pipeline import warm_up
    from eventwire.run import _speculate

    warm_up()  # a no-op after the first task of this worker process
    out: list[ReadError | tuple[Article, Speculated]] = []
    for given, opened in files:
        for item in ingest.read_path(Path(opened)):
            item = _as_given(item, given, opened)
            if isinstance(item, ReadError):
                out.append(item)
                continue
            article = ingest.apply_metadata(item, meta, published)
            ((prepared, result),) = _speculate([article])
            if not isinstance(result, str | None):
                result.mentions = Mentions()  # the client never reads them: not worth the transfer
            out.append((article, (prepared, result)))
    return out


def _as_given(item: Article | ReadError, given: str, opened: str) -> Article | ReadError:
    """Name the file as the user gave it (the workers open it by its absolute path)."""
    if given == opened or not item.origin.startswith(opened):
        return item
    return replace(item, origin=given + item.origin[len(opened) :])


def _eventwire_version() -> str:
    from eventwire import __version__

    return __version__


class DaskRun:
    """One ``extract`` run's use of a Dask cluster: the analysed articles in, the Parquet partitions out."""

    def __init__(self, opts: RunOptions, summary: RunSummary, report: Reporter) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UsageError(NEEDS_EXTRA) from None
        from eventwire.run import read_metadata

        if "-" in opts.inputs:
            raise UsageError("--engine dask reads files: standard input (-) is not supported")
        self.dask = opts.dask or DaskOptions()
        parquet_dir = self.dask.parquet_dir
        if parquet_dir and Path(parquet_dir).exists() and not Path(parquet_dir).is_dir():
            raise UsageError(f"--parquet-dir {parquet_dir}: not a directory")
        self.opts, self.summary, self.report = opts, summary, report
        self.meta = read_metadata(opts.metadata, summary, report)
        self.partitions: list[list[PartFile]] = []
        self.partition_of: dict[str, int] = {}  # article id (and content hash) -> its partition
        self.hash_partition: dict[str, int] = {}

    # ----------------------------------------------------------------- the cluster

    def _connect(self) -> tuple[Any, Any]:
        """A client, and the LocalCluster it runs on when no scheduler is given (None otherwise)."""
        from distributed import Client, LocalCluster

        if self.dask.scheduler is None:
            cluster = LocalCluster(
                n_workers=self.opts.workers,
                threads_per_worker=1,
                processes=self.dask.processes,
                dashboard_address=":0",  # a free port: the scheduler serves HTTP even without a dashboard
                silence_logs=logging.ERROR,
            )
            return Client(cluster, set_as_default=False), cluster
        try:
            client = Client(self.dask.scheduler, timeout=_CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"--scheduler {self.dask.scheduler}: cannot connect ({exc})") from None
        try:
            client.wait_for_workers(1, timeout=_CONNECT_SECONDS)
        except TimeoutError:
            client.close()
            raise UsageError(
                f"--scheduler {self.dask.scheduler}: no worker joined within {_CONNECT_SECONDS} s"
            ) from None
        return client, None

    def _check_versions(self, client: Any) -> None:
        """Every worker must run this eventwire, or its events would differ from a local run's."""
        mine = _eventwire_version()
        try:
            theirs = client.run(_eventwire_version)
        except Exception as exc:  # a worker without eventwire cannot unpickle the function
            raise UsageError(f"a Dask worker cannot run eventwire ({type(exc).__name__}: {exc})") from None
        other = {w: v for w, v in theirs.items() if v != mine}
        if other:
            worker, version = next(iter(other.items()))
            raise UsageError(f"Dask worker {worker} runs eventwire {version}, this client {mine}")

    # ----------------------------------------------------------------- analysis

    def _files(self) -> Iterator[ReadError]:
        """List the input files into self.partitions; listing errors and notes come out."""
        files: list[Path] = []
        for item in ingest.iter_input_files(self.opts.inputs):
            if isinstance(item, ReadError):
                yield item
            else:
                files.append(item)
        sizes = [_size(f) for f in files]
        n = self.dask.partitions or PARTITIONS_PER_WORKER * max(1, self.opts.workers)
        self.partitions = [
            [(str(files[i]), os.path.abspath(files[i])) for i in part] for part in split(sizes, n)
        ]

    def _items(self, client: Any) -> Iterator[tuple[int, ReadError | tuple[Article, Speculated]]]:
        """Each partition's items, in input order, from a window of tasks in flight."""
        meta = client.scatter(self.meta, broadcast=True) if self.meta else {}
        threads = sum(client.nthreads().values()) or 1
        todo = iter(enumerate(self.partitions))
        window: deque[tuple[int, Any]] = deque()

        def submit() -> None:
            for index, files in todo:
                future = client.submit(
                    analyse_partition, files, meta, self.opts.published, pure=False, priority=-index
                )
                window.append((index, future))
                return

        for _ in range(threads * _AHEAD):
            submit()
        while window:
            index, future = window.popleft()
            try:
                items = future.result()
            except Exception as exc:  # the task itself failed (e.g. its worker died): name its files
                items = [
                    ReadError(given, f"could not be analysed (Dask task failed: {type(exc).__name__}: {exc})")
                    for given, _ in self.partitions[index]
                ]
            future.release()
            submit()
            for item in items:
                yield index, item

    def analysed(
        self, unseen: Callable[[Iterable[Article]], Iterator[Article]], stories: StoryIndex
    ) -> Iterator[tuple[Article, Outcome]]:
        """What ``run._analysed`` gives, from the cluster: (article, outcome) in input order, the articles
        passed through ``unseen`` (the content-hash check) as in a local run."""
        from eventwire.run import _settle, _speculate, accepted

        listing = list(self._files())
        client, cluster = self._connect()
        try:
            self._check_versions(client)
            # One article at a time flows from _items through _tally and unseen: the slot holds the
            # current one's speculative outcome (unseen may drop the article, or rename it). The metadata
            # was applied in the task: ``accepted`` gets none, it only counts and reports.
            slot: list[tuple[Article, str, Speculated]] = []

            def articles() -> Iterator[Article | ReadError]:
                yield from listing
                for index, item in self._items(client):
                    if isinstance(item, ReadError):
                        yield item
                        continue
                    article, speculated = item
                    self.partition_of.setdefault(article.id, index)
                    self.hash_partition.setdefault(article.raw_hash, index)
                    slot[:] = [(article, article.id, speculated)]
                    yield article

            for article in unseen(accepted(articles(), {}, None, self.summary, self.report)):
                held, read_as, (prepared, result) = slot[0]
                assert held.raw_hash == article.raw_hash
                if article.id != read_as:  # renamed (its id holds other content): analysed under the old id
                    ((prepared, result),) = _speculate([article])
                    self.partition_of.setdefault(article.id, self.partition_of[read_as])
                outcome = _settle(article, prepared, result, self.summary, self.report, stories)
                yield article, outcome
        finally:
            _close(client, cluster)

    # ----------------------------------------------------------------- Parquet partitions

    def write_parquet(self, st: Store) -> list[tuple[str, int]]:
        """One Parquet file per partition of the events of this run, each event in the partition of its
        earliest report (articles already stored count where their content was read this time)."""
        if not self.dask.parquet_dir:
            return []
        from eventwire.store import write_events

        where = Path(self.dask.parquet_dir)
        where.mkdir(parents=True, exist_ok=True)
        partition_of = dict(self.partition_of)
        for h, stored_id in st.article_ids_for_hashes(list(self.hash_partition)).items():
            partition_of.setdefault(stored_id, self.hash_partition[h])
        parts: list[list] = [[] for _ in self.partitions]
        if partition_of:
            for event in st.events(article_id=list(partition_of)):
                own = [partition_of[a] for a in event.article_ids if a in partition_of]
                parts[min(own)].append(event)
        names = [f"part-{i:05d}.parquet" for i in range(len(parts))]
        for stale in where.glob("part-*.parquet"):  # from an earlier run with more partitions
            if stale.name not in names:
                stale.unlink()
        return [
            (str(where / name), write_events(events, where / name))
            for name, events in zip(names, parts, strict=True)
        ]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_path reports it


def _close(client: Any, cluster: Any) -> None:
    client.close()
    if cluster is not None:
        cluster.close()
