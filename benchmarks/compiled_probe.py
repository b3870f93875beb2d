"""Would compiling the hot modules reach the speed goals? Cython-compiles a copy of the package and times it
against the same copy left as Python, on the texts of benchmarks/throughput.py.

Usage: .venv/bin/python benchmarks/compiled_probe.py [--articles 2000] [--shared DIR] [--rounds 2]
       (needs Cython and a C compiler with Python's headers: pip install -e ".[bench]")

Every module the per-article pipeline runs (clean, nlp, dates, stories, places, quantities, actors, events)
is compiled as it is, with no type declarations: Cython turns the bytecode loop into C calls on the same
Python objects. Both copies are timed by throughput.py's eventwire child (CPU time of ``pipeline.analyse``
after a warm-up pass), alternately, ``--rounds`` times each; the events of the two must be identical.
The package in the source tree is never touched: compiling happens in a temporary copy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import throughput  # noqa: E402  (the texts and the measuring child are the throughput benchmark's)

HOT_MODULES = (
    "clean.py",
    "nlp.py",
    "caseless.py",
    "dates.py",
    "stories.py",
    "quantities.py",
    "actors.py",
    "places/normalize.py",
    "places/matcher.py",
    "places/resolve.py",
    "places/locate.py",
    "events/__init__.py",
    "events/candidates.py",
    "events/classifier.py",
    "events/coding.py",
    "events/lexicon.py",
    "events/merge.py",
    "events/modality.py",
)

_SETUP = """
import sys
from Cython.Build import cythonize
from setuptools import setup

sys.argv = [sys.argv[0], "build_ext", "--inplace"]
setup(ext_modules=cythonize({modules!r}, compiler_directives={{"language_level": 3}}, nthreads=2, quiet=True))
"""


def compile_copy(root: Path) -> None:
    """Cython-compile HOT_MODULES of the package copy under ``root`` (extension modules next to the .py)."""
    modules = [f"eventwire/{m}" for m in HOT_MODULES]
    setup = root / "setup_probe.py"
    setup.write_text(_SETUP.format(modules=modules), encoding="utf-8")
    done = subprocess.run([sys.executable, str(setup)], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise SystemExit(f"compile_probe: compiling failed: {tail}")
    built = sorted(p.name for p in (root / "eventwire").rglob("*.so"))
    if len(built) != len(HOT_MODULES):
        raise SystemExit(f"compile_probe: {len(built)} extension modules built, {len(HOT_MODULES)} expected")


def measure(root: Path, corpus: Path) -> dict:
    """throughput.py's eventwire child, importing eventwire from ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, throughput.__file__, "--child", "eventwire", "--corpus", str(corpus)]
    probe = [sys.executable, "-c", "import eventwire.events.candidates as m; print(m.__file__)"]
    where = subprocess.run(probe, env=env, capture_output=True, text=True, check=True).stdout.strip()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["module"] = where
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000, help="synthetic reports (default 2000)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="development data, optional")
    ap.add_argument("--rounds", type=int, default=2, help="timed runs of each copy, alternating")
    args = ap.parse_args()
    try:
        import Cython  # noqa: F401
    except ImportError:
        raise SystemExit('compile_probe: Cython is missing: pip install -e ".[bench]"') from None

    records = throughput.synthetic_records(args.articles)
    if args.shared.is_dir():
        records += throughput.shared_records(args.shared)
    with tempfile.TemporaryDirectory(prefix="eventwire-compiled-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        copies = {"python": Path(tmp) / "python", "compiled": Path(tmp) / "compiled"}
        for root in copies.values():
            shutil.copytree(REPO / "src" / "eventwire", root / "eventwire")
        compile_copy(copies["compiled"])
        runs: dict[str, list[dict]] = {name: [] for name in copies}
        for _ in range(args.rounds):
            for name, root in copies.items():
                runs[name].append(measure(root, corpus))
    print(f"machine: {throughput.machine()}")
    for name, results in runs.items():
        seconds = [r["end_to_end_cpu_s"] for r in results]
        print(
            f"{name:<9} CPU s per run: {', '.join(f'{s:.2f}' for s in seconds)}; "
            f"{results[0]['words'] / min(seconds):,.0f} words/s at best; "
            f"{results[0]['events']} events ({results[0]['module']})"
        )
    same = {r["events_sha256"] for rs in runs.values() for r in rs}
    best = {name: min(r["end_to_end_cpu_s"] for r in rs) for name, rs in runs.items()}
    print(f"compiled / python: {best['python'] / best['compiled']:.2f}x faster (best runs)")
    print("events identical in every run" if len(same) == 1 else "EVENTS DIFFER between runs")


if __name__ == "__main__":
    main()
