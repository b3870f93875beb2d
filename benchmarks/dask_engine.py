"""The local engine against ``--engine dask`` on a LocalCluster, on one synthetic corpus.

Usage: .venv/bin/python benchmarks/dask_engine.py [--articles 600] [--repeat 2] [--json FILE]

The corpus is one .txt per synthetic report (``eventwire.synthetic``; copies of the demo corpus would be
found to be near copies and not extracted again). Each run is the real CLI in a fresh child process on a
fresh SQLite database; wall time covers everything, the cluster's start and the workers' loading of the
knowledge bases included. The settings alternate ``--repeat`` times and medians are reported. The machine
is shared with other work: expect noise.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eventwire import synthetic

SETTINGS = {
    "local, --workers 1": ["--workers", "1"],
    "local, --workers 2": ["--workers", "2"],
    "dask LocalCluster, --workers 2": ["--engine", "dask", "--workers", "2"],
}


def run(corpus: Path, metadata: Path, db: Path, extra: list[str]) -> float:
    cmd = [sys.executable, "-m", "eventwire", "extract", str(corpus), "--metadata", str(metadata)]
    started = time.perf_counter()
    subprocess.run([*cmd, "--db", str(db), "--no-progress", *extra], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="eventwire-dask-bench-") as tmp:
        corpus = Path(tmp) / "reports"
        synthetic.write_directory(synthetic.articles(args.articles, seed=11), corpus)
        metadata = Path(tmp) / "reports-metadata.csv"
        times: dict[str, list[float]] = {name: [] for name in SETTINGS}
        for i in range(args.repeat):
            for k, (name, extra) in enumerate(SETTINGS.items()):
                times[name].append(run(corpus, metadata, Path(tmp) / f"run-{i}-{k}.db", extra))  # fresh db
    base = statistics.median(times["local, --workers 1"])
    print(f"{args.articles} synthetic reports, median of {args.repeat} runs (wall seconds, whole command)")
    print("| setting | wall s | articles/s | vs local 1 |\n|---|---|---|---|")
    for name, values in times.items():
        wall = statistics.median(values)
        print(f"| {name} | {wall:.1f} | {args.articles / wall:.0f} | {base / wall:.2f}x |")
    if args.json:
        args.json.write_text(json.dumps({"articles": args.articles, "wall_s": times}, indent=2) + "\n")


if __name__ == "__main__":
    main()
