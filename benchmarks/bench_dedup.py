"""Dedup benchmark: speed at scale and pairwise quality on the synthetic stress set.

Usage: .venv/bin/python benchmarks/bench_dedup.py [--events 100000] [--seeds 1,2,3,4,5] [--store 20000]

- scale: ``--events`` synthetic reports (eventwire.evaluate.dedup_stress, seed 1) deduplicated by the
  in-memory Deduplicator on one core (the process is pinned to one CPU where the OS allows it); CPU and
  wall time, comparisons per report, peak resident memory, and the pairwise precision/recall of that run;
- quality: 5,000-report stress sets for each of ``--seeds`` (the reporting variation only), and the same
  with extraction errors on top (a day off, a wrong actor), pairwise precision and recall per seed;
- store: ``--store`` reports run as ``eventwire extract`` runs them against a SQLite database (candidates
  queried from the event_blocks table, one transaction per report with its article); per-report time and
  the events held in memory (none beyond the current report's). 0 skips it.

Timings on a shared machine are noisy: run it twice and read the lower figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date

from eventwire.dedup import Deduplicator, StoreIndex
from eventwire.evaluate.dedup_stress import deduplicate, generate, pairwise, score_dedup
from eventwire.model import Article, Document


def _one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_scale(n: int) -> dict:
    started = time.perf_counter()
    stress = generate(n, seed=1)
    generated = time.perf_counter() - started
    merger = Deduplicator()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    assigned = deduplicate(stress.reports, merger)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    true_pairs, predicted, right = pairwise(assigned, stress.truth)
    return {
        "reports": len(stress.reports),
        "true_events": len(stress.events),
        "events_after_dedup": len(set(assigned.values())),
        "generate_s": round(generated, 1),
        "dedup_cpu_s": round(cpu, 1),
        "dedup_wall_s": round(wall, 1),
        "reports_per_s": round(len(stress.reports) / wall),
        "comparisons_per_report": round(merger.stats.comparisons / len(stress.reports), 1),
        "folded": merger.stats.folded,
        "precision": round(right / predicted, 4) if predicted else 1.0,
        "recall": round(right / true_pairs, 4) if true_pairs else 1.0,
        "peak_rss_mb": round(_rss_mb()),
    }


def bench_quality(seeds: list[int], errors: bool) -> dict:
    rows = []
    for seed in seeds:
        scores = score_dedup(generate(5000, seed=seed, errors=errors))
        rows.append(
            {"seed": seed, "precision": round(scores.precision, 4), "recall": round(scores.recall, 4)}
        )
    mean_p = sum(r["precision"] for r in rows) / len(rows)
    mean_r = sum(r["recall"] for r in rows) / len(rows)
    return {"errors": errors, "seeds": rows, "precision": round(mean_p, 4), "recall": round(mean_r, 4)}


def _document(report_id: str, text: str, published: date) -> Document:
    # the id as title: synthetic sentences repeat, and the store recognises articles by content
    article = Article(id=report_id, text=text, title=report_id, published=published, origin="bench")
    return Document(article=article, text=text, doc_date=published, words=len(text.split()))


def bench_store(n: int) -> dict:
    from eventwire.store import open_store

    stress = generate(n, seed=2)
    with tempfile.TemporaryDirectory() as tmp:
        st = open_store(os.path.join(tmp, "bench.db"))
        index = StoreIndex(st)
        merger = Deduplicator(index)
        started = time.perf_counter()
        for report in stress.reports:
            evidence = report.evidence[0]
            doc = _document(evidence.article_id, evidence.text, report.date_end)
            result = merger.merge([report])
            with st.transaction():
                st.add_article(doc)
                st.save_events(result.events)
                st.fold_events(result.folded)
            index.saved()
        seconds = time.perf_counter() - started
        live = st.count_events()
        st.close()
    return {
        "reports": n,
        "seconds": round(seconds, 1),
        "ms_per_report": round(1000 * seconds / n, 2),
        "live_events": live,
        "comparisons_per_report": round(merger.stats.comparisons / n, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--store", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",") if s]
    out = {"cpu": _one_core(), "python": sys.version.split()[0]}
    out["scale"] = bench_scale(args.events)
    out["quality"] = bench_quality(seeds, errors=False)
    out["quality_with_errors"] = bench_quality(seeds, errors=True)
    if args.store:
        out["store"] = bench_store(args.store)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    s = out["scale"]
    print(f"{out['cpu']}; Python {out['python']}")
    print(
        f"scale: {s['reports']} reports ({s['true_events']} true events) -> {s['events_after_dedup']} events "
        f"in {s['dedup_wall_s']} s wall / {s['dedup_cpu_s']} s CPU ({s['reports_per_s']} reports/s, "
        f"{s['comparisons_per_report']} comparisons per report, peak RSS {s['peak_rss_mb']} MB); "
        f"pairwise precision {s['precision']}, recall {s['recall']}"
    )
    for key in ("quality", "quality_with_errors"):
        q = out[key]
        per_seed = ", ".join(f"{r['seed']}: {r['precision']}/{r['recall']}" for r in q["seeds"])
        label = "stress set + extraction errors" if q["errors"] else "stress set"
        print(f"{label}: mean precision {q['precision']}, recall {q['recall']} (per seed P/R {per_seed})")
    if "store" in out:
        t = out["store"]
        print(
            f"store (SQLite, event_blocks queries): {t['reports']} reports in {t['seconds']} s "
            f"({t['ms_per_report']} ms per report incl. saving), {t['live_events']} live events"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
