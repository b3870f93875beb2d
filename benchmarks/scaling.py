"""Scaling benchmark: the real ``eventwire extract`` on 1x, 4x and 16x a synthetic corpus (time and memory
should grow about linearly), and with --workers 1 and 2 on the same corpus (speed-up from more cores).

Usage: .venv/bin/python benchmarks/scaling.py [--base 250] [--workers-articles 1000] [--repeat 3]
       [--workers-only] [--no-dedup] [--json FILE]

Each run is a fresh child process that calls the CLI in-process on a fresh SQLite database, so its peak
RSS is its own (worker processes are reported separately, as the largest child). Wall and CPU time cover
the whole command: loading, reading, analysis, dedup, storing. The machine is shared: expect noise; the
workers runs alternate 1, 2, 1, 2, ... ``--repeat`` times and the speed-up is given from the medians.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(corpus: str, db: str, workers: int, dedup: bool) -> dict:
    from eventwire.cli import main

    started, cpu = time.perf_counter(), time.process_time()
    extra = [] if dedup else ["--no-dedup"]
    status = main(["extract", corpus, "--db", db, "--workers", str(workers), "--no-progress", *extra])
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "status": status,
        "wall_s": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu + kids.ru_utime + kids.ru_stime,
        "peak_rss_mb": own.ru_maxrss / 1024,
        "worker_peak_rss_mb": kids.ru_maxrss / 1024,
    }


def measure(corpus: Path, workers: int, tmp: Path, dedup: bool) -> dict:
    db = tmp / f"run-{time.monotonic_ns()}.db"
    cmd = [sys.executable, __file__, "--child", str(corpus), str(db), str(workers), str(int(dedup))]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", type=int, default=250, help="articles in the 1x corpus (default 250)")
    ap.add_argument("--workers-articles", type=int, default=1000, help="corpus for the workers runs")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-dedup", action="store_true", help="measure without cross-report dedup")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each workers setting (default 3)")
    ap.add_argument("--workers-only", action="store_true", help="skip the 1x/4x/16x corpus runs")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        corpus, db, workers, dedup = args.child
        print(json.dumps(child(corpus, db, int(workers), dedup == "1")))
        return

    from eventwire import synthetic
    from eventwire.nlp import count_words

    # Build the gazetteer cache first if it is stale, so that no measured run pays for (or swells with) it.
    subprocess.run([sys.executable, "-m", "eventwire", "gazetteer", "build"], check=True, capture_output=True)
    results: dict = {"corpus": [], "workers": []}
    with tempfile.TemporaryDirectory(prefix="eventwire-scaling-") as tmp_name:
        tmp = Path(tmp_name)
        biggest = max(16 * args.base, args.workers_articles)
        reports = synthetic.articles(biggest)
        for factor in () if args.workers_only else (1, 4, 16):
            part = reports[: factor * args.base]
            corpus = tmp / f"x{factor}.jsonl"
            synthetic.write_jsonl(part, corpus)
            words = sum(count_words(f"{r.title}\n\n{r.text}") for r in part)
            row = {
                "factor": factor,
                "articles": len(part),
                "words": words,
                **measure(corpus, 1, tmp, not args.no_dedup),
            }
            results["corpus"].append(row)
            print(
                f"{factor:>2}x: {row['articles']:>5} articles {words:>9,} words  "
                f"wall {row['wall_s']:7.2f} s  "
                f"CPU {row['cpu_s']:7.2f} s  {words / row['wall_s']:8,.0f} words/s  "
                f"peak RSS {row['peak_rss_mb']:5.0f} MB",
                flush=True,
            )
        corpus = tmp / "workers.jsonl"
        synthetic.write_jsonl(reports[: args.workers_articles], corpus)
        for _ in range(args.repeat):
            for workers in (1, 2):
                row = {
                    "workers": workers,
                    "articles": args.workers_articles,
                    **measure(corpus, workers, tmp, not args.no_dedup),
                }
                results["workers"].append(row)
                print(
                    f"--workers {workers}: {row['articles']} articles  wall {row['wall_s']:7.2f} s  "
                    f"CPU {row['cpu_s']:7.2f} s  peak RSS {row['peak_rss_mb']:.0f} MB "
                    f"(largest worker {row['worker_peak_rss_mb']:.0f} MB)",
                    flush=True,
                )
    walls = {w: [r["wall_s"] for r in results["workers"] if r["workers"] == w] for w in (1, 2)}
    one, two = statistics.median(walls[1]), statistics.median(walls[2])
    results["speed_up_median_wall"] = one / two
    print(
        f"median wall: 1 worker {one:.2f} s, 2 workers {two:.2f} s; speed-up 1 -> 2 workers {one / two:.2f}x "
        f"(runs: {', '.join(f'{a:.1f}/{b:.1f}' for a, b in zip(walls[1], walls[2], strict=True))} s)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
