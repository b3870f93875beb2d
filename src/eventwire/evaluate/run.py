"""Run `eventwire extract` on evaluation data: build article inputs, run the CLI, return the predictions.

Every evaluator scores a predictions file; these functions make one from the dev data by running the real
command line (`python -m eventwire extract INPUT --out P.jsonl --db W.db [--no-dedup]`), so what is
measured is what users run. Inputs are written to a work directory (a temporary one unless given).

An article that eventwire finds to be a near copy of another (eventwire.stories) is stored as a copy and not
extracted again: it reports the events of its original, so those events are credited to it too (a data set
may hold two snippets of one report, each with its own gold label).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventwire.evaluate.case import CaseSnippet
from eventwire.evaluate.common import load_predictions
from eventwire.evaluate.fakes import FakesArticle
from eventwire.evaluate.gold import GoldDocument
from eventwire.evaluate.places_check import load_re3d_documents
from eventwire.evaluate.plover import PloverRecord


class ExtractFailed(RuntimeError):
    pass


@dataclass(slots=True)
class ExtractRun:
    predictions: list[dict[str, Any]]
    seconds: float
    articles: int
    out: Path
    stderr_tail: str


def write_articles_jsonl(articles: Iterable[dict[str, Any]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for article in articles:
            fh.write(
                json.dumps({k: v for k, v in article.items() if v not in (None, "")}, ensure_ascii=False)
            )
            fh.write("\n")
            count += 1
    return count


def extract_command(
    inputs: Sequence[Path], out: Path, *, metadata: Path | None, dedup: bool, db: Path | None = None
) -> list[str]:
    command = [sys.executable, "-m", "eventwire", "extract", *map(str, inputs), "--out", str(out)]
    if db is not None:
        command += ["--db", str(db)]
    if metadata is not None:
        command += ["--metadata", str(metadata)]
    if not dedup:
        command.append("--no-dedup")
    return command


def run_extract(
    inputs: Sequence[Path],
    out: Path,
    *,
    articles: int,
    metadata: Path | None = None,
    dedup: bool = False,
    timeout: float | None = 3600,
) -> ExtractRun:
    """Run the extract CLI; exit status 1 (some inputs failed) still yields the others' events."""
    db = out.with_suffix(".db")
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)  # a fresh database: articles of an earlier run are not "known"
    command = extract_command(inputs, out, metadata=metadata, dedup=dedup, db=db)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    seconds = time.perf_counter() - started
    tail = "\n".join(done.stderr.strip().splitlines()[-5:])
    if done.returncode not in (0, 1) or not out.exists():
        raise ExtractFailed(f"`{' '.join(command[1:4])} ...` exited with {done.returncode}: {tail}")
    return ExtractRun(credit_copies(load_predictions(out), near_copies(db)), seconds, articles, out, tail)


def near_copies(db: Path) -> dict[str, str]:
    """Article id -> id of the article it is a near copy of, from the run's SQLite database."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, copy_of FROM articles WHERE copy_of IS NOT NULL").fetchall())


def credit_copies(predictions: list[dict[str, Any]], copies: dict[str, str]) -> list[dict[str, Any]]:
    """Name each near copy among the articles of its original's events."""
    by_original: dict[str, list[str]] = {}
    for copy, original in sorted(copies.items()):
        by_original.setdefault(original, []).append(copy)
    for pred in predictions:
        ids = pred.get("article_ids") or []
        extra = [c for a in ids for c in by_original.get(a, []) if c not in ids]
        if extra:
            pred["article_ids"] = [*ids, *extra]
    return predictions


def _workdir(workdir: Path | None) -> Path:
    path = workdir or Path(tempfile.mkdtemp(prefix="eventwire-eval-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _run_jsonl(name: str, articles: list[dict[str, Any]], workdir: Path | None, dedup: bool) -> ExtractRun:
    work = _workdir(workdir)
    source = work / f"{name}-articles.jsonl"
    count = write_articles_jsonl(articles, source)
    return run_extract([source], work / f"{name}-events.jsonl", articles=count, dedup=dedup)


# --------------------------------------------------------------------------- per data set


def case_articles(snippets: Iterable[CaseSnippet]) -> list[dict[str, Any]]:
    return [{"id": s.id, "text": s.text} for s in snippets]


def fakes_articles(articles: Iterable[FakesArticle]) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "title": a.title,
            "text": a.text,
            "source": a.source,
            "published": a.published.isoformat() if a.published else None,
        }
        for a in articles
    ]


def plover_articles(records: Iterable[PloverRecord]) -> list[dict[str, Any]]:
    # The file's dates (2000-01-01) are placeholders, so no publication date is passed.
    return [{"id": r.article_id, "text": r.text} for r in records]


def run_case(snippets: list[CaseSnippet], workdir: Path | None = None) -> ExtractRun:
    return _run_jsonl("case", case_articles(snippets), workdir, dedup=False)


def run_fakes(articles: list[FakesArticle], workdir: Path | None = None) -> ExtractRun:
    return _run_jsonl("fakes", fakes_articles(articles), workdir, dedup=False)


def run_plover(records: list[PloverRecord], workdir: Path | None = None) -> ExtractRun:
    return _run_jsonl("plover", plover_articles(records), workdir, dedup=False)


def gold_texts(gold_docs: list[GoldDocument], texts: Path | None) -> dict[str, str]:
    """The source text of each gold document, as the gold's evidence offsets count it (empty if unknown)."""
    if texts is None:
        return {}
    found: dict[str, str] = {}
    for doc in gold_docs:
        path = texts / f"{doc.doc_id}.txt"
        if path.is_file():
            found[doc.doc_id] = path.read_text(encoding="utf-8", errors="replace")
    if len(found) < len(gold_docs) and texts.is_dir():
        re3d = load_re3d_documents(texts)
        found.update({d.doc_id: re3d[d.doc_id].text for d in gold_docs if d.doc_id in re3d})
    return found


def run_gold_documents(
    gold_docs: list[GoldDocument], texts: Path, workdir: Path | None = None, dedup: bool = True
) -> ExtractRun:
    """Run the documents of a gold file from their source texts.

    texts: a folder of `<doc_id>.txt` files (the seeds, run as text files exactly as users would, with the
    gold's publication dates as --metadata), or the re3d root (documents.json files, run as JSONL articles
    with the gold's reconstructed publication dates). Cross-document dedup is on by default, since the gold
    has merge groups.
    """
    work = _workdir(workdir)
    name = gold_docs[0].dataset if gold_docs else "gold"
    text_files = [texts / f"{d.doc_id}.txt" for d in gold_docs]
    if text_files and all(p.is_file() for p in text_files):
        metadata = work / f"{name}-metadata.csv"
        with metadata.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "published"])
            for doc in gold_docs:
                writer.writerow([doc.doc_id, doc.published.isoformat() if doc.published else ""])
        out = work / f"{name}-events.jsonl"
        return run_extract(text_files, out, articles=len(text_files), metadata=metadata, dedup=dedup)
    re3d = load_re3d_documents(texts)
    missing = [d.doc_id for d in gold_docs if d.doc_id not in re3d]
    if missing:
        raise FileNotFoundError(f"{texts}: no text for gold documents {missing[:5]}")
    articles = [
        {
            "id": d.doc_id,
            "title": re3d[d.doc_id].title,
            "text": re3d[d.doc_id].text,
            "url": re3d[d.doc_id].url,
            "source": re3d[d.doc_id].source,
            "published": d.published.isoformat() if d.published else None,
        }
        for d in gold_docs
    ]
    return _run_jsonl(name, articles, work, dedup=dedup)
