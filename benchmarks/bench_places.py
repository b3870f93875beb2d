"""Places benchmark: gazetteer build and load, memory, matching speed, and re3d Location resolution.

Usage: .venv/bin/python benchmarks/bench_places.py [--shared ../shared] [--skip-build]

- build: a full build into a fresh temporary cache directory (what a user's first run pays);
- load: a fresh process loading that cache, with its resident memory after the load;
- matching speed: one core, over text made by repeating the seed reports (../shared/corpus/seeds) to about
  300k words; both the one-pass matcher alone and the full resolution (find_places) are timed;
- re3d: every Location entity span in re3d/*/entities.json is looked up among the places found in its
  document. Which entities are "in Syria/Iraq" is decided by resolution itself (we have no independent
  gold coordinates), so two figures are printed: (a) resolved into SYR/IRQ over (resolved into SYR/IRQ +
  unresolved capitalised names), which counts every unresolved proper name as a Syria/Iraq miss
  (conservative); (b) the same restricted to entities whose text is a capitalised proper name that a
  gazetteer could know (generic phrases such as "the city" or "a hospital" are excluded from both).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def bench_build_and_load() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, EVENTWIRE_CACHE_DIR=tmp)
        code_build = (
            "import time; t=time.perf_counter(); from eventwire.places.gazetteer import load_or_build;"
            "g=load_or_build(); print(time.perf_counter()-t, len(g))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code_build], env=env, capture_output=True, text=True, check=True
        )
        build_s, n_places = out.stdout.split()
        code_load = (
            "import time, resource; t=time.perf_counter();"
            "from eventwire.places.gazetteer import load_or_build;"
            "g=load_or_build(); d=time.perf_counter()-t;"
            "print(d, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code_load], env=env, capture_output=True, text=True, check=True
        )
        load_s, rss_mb = out.stdout.split()
        size = sum(p.stat().st_size for p in Path(tmp).glob("gazetteer-*.pkl"))
    return {
        "build_s": round(float(build_s), 2),
        "places": int(n_places),
        "load_s": round(float(load_s), 3),
        "rss_after_load_mb": round(float(rss_mb), 1),
        "cache_file_mb": round(size / 1e6, 1),
    }


def bench_matching(shared: Path) -> dict:
    from eventwire.nlp import count_words
    from eventwire.places import get_gazetteer
    from eventwire.places.matcher import find_raw
    from eventwire.places.resolve import resolve_text

    g = get_gazetteer()
    seeds = [p.read_text(encoding="utf-8") for p in sorted((shared / "corpus" / "seeds").glob("*.txt"))]
    docs = seeds * 100  # ~300k words in 500 documents
    words = sum(count_words(d) for d in docs)
    t = time.perf_counter()
    for d in docs:
        find_raw(g, d)
    match_s = time.perf_counter() - t
    t = time.perf_counter()
    for d in docs:
        resolve_text(g, d)
    resolve_s = time.perf_counter() - t
    return {
        "words": words,
        "match_words_per_s": int(words / match_s),
        "find_places_words_per_s": int(words / resolve_s),
    }


def _load_jsonl(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8").strip()
    if text.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def bench_re3d(shared: Path) -> dict:
    from eventwire.places import get_gazetteer
    from eventwire.places.resolve import resolve_text

    g = get_gazetteer()
    counts = {"entities": 0, "proper": 0, "in_scope_resolved": 0, "unresolved": 0, "elsewhere": 0}
    misses: list[str] = []
    for folder in sorted((shared / "eval" / "re3d").iterdir()):
        if not (folder / "entities.json").exists():
            continue
        docs = {d["_id"]: d["text"] for d in _load_jsonl(folder / "documents.json")}
        found = {doc_id: resolve_text(g, text) for doc_id, text in docs.items()}
        for e in _load_jsonl(folder / "entities.json"):
            if e["type"] != "Location" or e["documentId"] not in docs:
                continue
            counts["entities"] += 1
            value = e["value"]
            words = value.replace("-", " ").split()
            # A proper name a gazetteer could know: some capitalised word that is not a leading article.
            if not any(w[:1].isupper() for w in words if w.lower() not in ("the", "a", "an")):
                continue
            if any(ch.isdigit() for ch in value):  # coordinates, "30% of territory", "30km south of ..."
                continue
            counts["proper"] += 1
            hits = [
                m for m in found[e["documentId"]] if m.place and m.start < e["end"] and e["begin"] < m.end
            ]
            if not hits:
                counts["unresolved"] += 1
                misses.append(value)
            elif any(m.place.iso3 in ("SYR", "IRQ") for m in hits):
                counts["in_scope_resolved"] += 1
            else:
                counts["elsewhere"] += 1
    denominator = counts["in_scope_resolved"] + counts["unresolved"]
    counts["share_resolved_conservative"] = round(counts["in_scope_resolved"] / max(1, denominator), 3)
    counts["unresolved_examples"] = sorted(set(misses))[:60]
    return counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    results: dict = {}
    if not args.skip_build:
        results["gazetteer"] = bench_build_and_load()
    results["matching"] = bench_matching(args.shared)
    results["re3d"] = bench_re3d(args.shared)
    results["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
