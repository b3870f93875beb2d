"""Run every evaluator on the development data and write docs/quality.md.

    python -m eventwire.evaluate.report [--shared ../shared] [--gold gold] [--out docs/quality.md]

Each data set is run through the real `eventwire extract` command line (eventwire.evaluate.run). An
evaluator that cannot run (missing data, extraction failure, an API not written yet) gets a line saying so
instead of figures; nothing is made up.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventwire import __version__
from eventwire.evaluate.case import CaseScores, load_case, score_case
from eventwire.evaluate.events import LOCATION_KM, EventScores, score_events
from eventwire.evaluate.fakes import FakesScores, load_fakes, score_fakes
from eventwire.evaluate.gold import load_gold
from eventwire.evaluate.places_check import (
    PlaceCheckScores,
    PlacesApiMissing,
    load_location_gold,
    load_re3d_documents,
    load_re3d_locations,
    score_places,
)
from eventwire.evaluate.plover import FOCUS_EVENTS, PloverScores, load_plover, score_plover
from eventwire.evaluate.run import (
    ExtractFailed,
    gold_texts,
    run_case,
    run_fakes,
    run_gold_documents,
    run_plover,
)

REPO = Path(__file__).resolve().parents[3]


@dataclass(slots=True)
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    summary: list[tuple[str, str, str]] = field(default_factory=list)  # (figure, value, target)
    size: str = ""
    seconds: float | None = None
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # (right, total), for pooling


def pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}%}"


def ratio(pair: tuple[int, int]) -> str:
    right, total = pair
    return f"{right}/{total} ({right / total:.1%})" if total else "0/0"


def _timed(section: Section, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        return work()
    finally:
        section.seconds = time.perf_counter() - started


# --------------------------------------------------------------------------- sections


def events_section(name: str, gold_path: Path, texts: Path, workdir: Path) -> Section:
    section = Section(f"Events: {name} gold ({gold_path.name})")
    gold = load_gold(gold_path)
    run = _timed(section, lambda: run_gold_documents(gold, texts, workdir / name, dedup=True))
    scores = score_events(gold, run.predictions, texts=gold_texts(gold, texts))
    section.size = (
        f"{len(gold)} documents, {scores.gold_required} required + {scores.gold_optional} optional events"
    )
    section.summary = [
        (f"{name}: event F1", f"{scores.f1:.3f}" if scores.f1 is not None else "n/a", ">= 0.85"),
        (f"{name}: event recall / precision", f"{pct(scores.recall)} / {pct(scores.precision)}", ""),
        (f"{name}: located within {LOCATION_KM:.0f} km", ratio(scores.location_within_km), ">= 95 %"),
        (f"{name}: fatalities right", ratio(scores.fatalities), "every seed figure"),
        (f"{name}: dates inside the predicted interval, right precision", ratio(scores.dated), ">= 95 %"),
    ]
    if scores.merge_groups:
        section.summary.append(
            (
                f"{name}: merge groups merged / wrong merges",
                f"{len(scores.merged_groups)}/{scores.merge_groups} / {len(scores.wrong_merges)}",
                "all / 0",
            )
        )
    section.lines = _event_lines(scores)
    section.counts = {"located": scores.location_within_km, "dated": scores.dated}
    return section


def pooled_section(parts: list[Section]) -> Section:
    """The located and dated figures over both gold sets together (the issues' targets are on "your
    gold, seeds and re3d"); each set's own figure stays in its row."""
    section = Section("Events: seeds and re3d pooled")
    names = " + ".join(p.title.removeprefix("Events: ").split(" ")[0] for p in parts if p.counts)
    for key, label in (
        ("located", "located within 25 km"),
        ("dated", "dates inside the interval, right precision"),
    ):
        right = sum(p.counts.get(key, (0, 0))[0] for p in parts)
        total = sum(p.counts.get(key, (0, 0))[1] for p in parts)
        section.summary.append((f"{names}: {label}", ratio((right, total)), ">= 95 %"))
    section.lines = ["The summary rows above add the two gold sets' counts."]
    return section


def _event_lines(s: EventScores) -> list[str]:
    lines = [
        "| figure | value |",
        "|---|---|",
        f"| recall (required gold events matched) | {s.matched_required}/{s.gold_required} "
        f"({pct(s.recall)}) |",
        f"| precision (violent/territorial predictions) | {s.true_positives}/"
        f"{s.true_positives + s.false_positives} ({pct(s.precision)}) |",
        f"| F1 | {'n/a' if s.f1 is None else f'{s.f1:.3f}'} |",
        f"| predictions in these documents (violent/territorial) | {s.predicted} ({s.predicted_violent}) |",
        f"| predictions matched to optional gold events (not counted) | {s.matched_optional_only} |",
        f"| fatalities right on matched events | {ratio(s.fatalities)} |",
        f"| time precision right on matched events | {ratio(s.time_precision)} |",
        "| gold date inside the predicted interval, right precision (events coded: type, actors, "
        f"evidence) | {ratio(s.dated)} |",
        f"| located within {LOCATION_KM:.0f} km (gold precision 1-2, found on type/date/actors) | "
        f"{ratio(s.location_within_km)} |",
    ]
    lines += [f"| quantity `{k}` right | {ratio(v)} |" for k, v in s.quantities.items()]
    if s.merge_groups:
        lines.append(f"| merge groups merged | {len(s.merged_groups)}/{s.merge_groups} |")
        lines.append(f"| wrong merges | {len(s.wrong_merges)} |")
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(s.miss_reasons.items())) or "none"
    lines += ["", f"Missed required events by the one check that failed: {reasons}."]
    if s.missed:
        lines += ["", "| document | gold event | why missed |", "|---|---|---|"]
        lines += [f"| {m.doc_id} | {m.gold_id} | {m.reason} |" for m in s.missed]
    if s.false_positive_events:
        lines += ["", "| false positive | article | type | date | location |", "|---|---|---|---|---|"]
        lines += [
            f"| {fp.pred_id} | {', '.join(fp.article_ids)} | {fp.sub_event_type} | {fp.event_date} | "
            f"{fp.location} |"
            for fp in s.false_positive_events
        ]
    for pred_id, golds in s.wrong_merges:
        lines.append(f"- wrong merge: {pred_id} matched {', '.join(golds)}")
    return lines


def case_section(path: Path, workdir: Path) -> Section:
    section = Section("CASE 2021 task 2 (dev)")
    snippets = load_case(path)
    run = _timed(section, lambda: run_case(snippets, workdir / "case"))
    scores = score_case(snippets, run.predictions)
    section.size = (
        f"{scores.snippets} snippets ({scores.in_scope} of ACLED types, {scores.out_of_scope} outside)"
    )
    section.summary = [
        (
            "CASE: weighted F1, 25 ACLED types",
            f"{scores.weighted_f1:.3f}" if scores.weighted_f1 else "n/a",
            ">= 0.80 (best shared-task system 0.839)",
        ),
        ("CASE: out-of-scope snippets with no event", pct(scores.out_of_scope_share), ">= 80 %"),
    ]
    section.lines = _case_lines(scores)
    return section


def _case_lines(s: CaseScores) -> list[str]:
    lines = [
        "| figure | value |",
        "|---|---|",
        f"| weighted F1 over the 25 ACLED types (snippets of those types) | {s.weighted_f1:.3f} |"
        if s.weighted_f1 is not None
        else "| weighted F1 | n/a |",
        f"| macro F1 (types with support) | {'n/a' if s.macro_f1 is None else f'{s.macro_f1:.3f}'} |",
        f"| accuracy (snippets of ACLED types) | {pct(s.accuracy)} |",
        f"| weighted F1, all rows (out-of-scope gold = no event) | "
        f"{'n/a' if s.weighted_f1_all_rows is None else f'{s.weighted_f1_all_rows:.3f}'} |",
        f"| accuracy, all rows | {pct(s.accuracy_all_rows)} |",
        f"| out-of-scope snippets yielding no event | {s.out_of_scope_no_event}/{s.out_of_scope} "
        f"({pct(s.out_of_scope_share)}) |",
        "",
        "| type | support | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    for c in sorted(s.per_class, key=lambda c: -c.support):
        lines.append(f"| {c.label} | {c.support} | {c.precision:.2f} | {c.recall:.2f} | {c.f1:.2f} |")
    lines += ["", "<details><summary>Confusion (gold code: predicted label counts)</summary>", ""]
    for code, row in s.confusion.items():
        cells = ", ".join(f"{label} {n}" for label, n in row.items())
        lines.append(f"- {code}: {cells}")
    lines += ["", "</details>"]
    return lines


def fakes_section(path: Path, workdir: Path) -> Section:
    section = Section("FA-KES (dev, label 1)")
    articles = load_fakes(path)
    run = _timed(section, lambda: run_fakes(articles, workdir / "fakes"))
    s: FakesScores = score_fakes(articles, run.predictions)
    section.size = f"{s.articles} credible articles ({s.with_deaths} with deaths)"
    section.summary = [
        ("FA-KES: governorate of the main event", pct(s.governorate_accuracy), ">= 85 %"),
        ("FA-KES: deaths within 10 % (main event)", pct(s.deaths_agreement), ">= 70 %"),
    ]
    section.lines = [
        "| figure | value |",
        "|---|---|",
        f"| articles with at least one event | {s.with_event}/{s.articles} |",
        f"| governorate of the main event right | {s.governorate_right}/{s.articles} "
        f"({pct(s.governorate_accuracy)}) |",
        f"| the same, Rural Damascus not counted as Damascus | {s.governorate_right_strict}/{s.articles} |",
        f"| governorate of the most fatal event instead (the rule before 2026-12) | "
        f"{s.governorate_right_most_fatal}/{s.articles} |",
        f"| deaths within 10 %: main event | {s.main_event_deaths_within}/{s.with_deaths} "
        f"({pct(s.deaths_agreement)}) |",
        f"| deaths within 10 %: sum over the article's events | {s.summed_deaths_within}/{s.with_deaths} "
        f"({pct(s.summed_deaths_agreement)}) |",
        "",
        "Total deaths compared: nb_civilians + nb_noncivilians (nb_children and nb_women are subsets of the "
        "civilians in this file). The main event is the first event the article tells that has a toll (the "
        "first told when none has one), background events passed over.",
    ]
    return section


def plover_section(path: Path, workdir: Path) -> Section:
    section = Section("PLOVER gold standard records")
    records = load_plover(path)
    run = _timed(section, lambda: run_plover(records, workdir / "plover"))
    s: PloverScores = score_plover(records, run.predictions)
    section.size = f"{s.records} records ({s.focus_records} {'/'.join(FOCUS_EVENTS)})"
    section.summary = [
        (f"PLOVER: event accuracy on {'/'.join(FOCUS_EVENTS)}", pct(s.focus_accuracy), ">= 80 %"),
        ("PLOVER: event accuracy, all records", pct(s.event_accuracy), ""),
    ]
    section.lines = [
        "| figure | value |",
        "|---|---|",
        f"| event right (any event of the sentence) | {ratio((s.event_right_any, s.records))} |",
        f"| event right (top-confidence event only) | {ratio((s.event_right_top, s.records))} |",
        f"| {'/'.join(FOCUS_EVENTS)} right (any / top) | {ratio((s.focus_right_any, s.focus_records))} / "
        f"{ratio((s.focus_right_top, s.focus_records))} |",
        f"| mode right | {ratio((s.mode_right, s.with_mode))} |",
        f"| source actor agrees | {ratio((s.source_agrees, s.with_source))} |",
        f"| target actor agrees | {ratio((s.target_agrees, s.with_target))} |",
        "",
        "| PLOVER event | right |",
        "|---|---|",
    ]
    section.lines += [f"| {event} | {ratio(pair)} |" for event, pair in s.per_event.items()]
    return section


def places_section(root: Path, locations: Path) -> Section:
    section = Section("re3d place check")
    gold = load_location_gold(locations)
    entities = load_re3d_locations(root)
    wanted = [e for e in entities if e.value in gold]
    section.size = f"{len(wanted)} Syria/Iraq Location mentions of {len(entities)} Location entities"
    try:
        s: PlaceCheckScores = _timed(section, lambda: score_places(load_re3d_documents(root), entities, gold))
    except PlacesApiMissing as exc:
        section.lines = [f"Not run: {exc}."]
        section.summary = [("re3d: Syria/Iraq locations resolved", "not run", ">= 95 %")]
        return section
    section.summary = [("re3d: Syria/Iraq locations resolved", pct(s.share), ">= 95 %")]
    section.lines = [
        f"Resolved {s.resolved}/{s.mentions} ({pct(s.share)}); leaving out the country names "
        f"{ratio(s.without_countries)}; "
        + ", ".join(f"{iso3} {ratio(pair)}" for iso3, pair in s.by_country.items())
        + ".",
    ]
    if s.unresolved:
        section.lines.append("Unresolved: " + ", ".join(f"{v} ({n})" for v, n in s.unresolved.items()) + ".")
    return section


# --------------------------------------------------------------------------- report


def _guard(title: str, build: Callable[[], Section]) -> Section:
    try:
        return build()
    except (ExtractFailed, FileNotFoundError, OSError, ValueError) as exc:
        return Section(title, [f"Not run: {exc}"], [(title, "not run", "")])
    except Exception as exc:  # one broken stage must not stop the report on the others
        return Section(title, [f"Failed: {type(exc).__name__}: {exc}"], [(title, "failed", "")])


def build_sections(shared: Path, gold_dir: Path, workdir: Path) -> list[Section]:
    ev = shared / "eval"
    events = [
        _guard(
            "Events: seeds",
            lambda: events_section("seeds", gold_dir / "seeds.jsonl", shared / "corpus" / "seeds", workdir),
        ),
        _guard("Events: re3d", lambda: events_section("re3d", gold_dir / "re3d.jsonl", ev / "re3d", workdir)),
    ]
    return [
        *events,
        pooled_section(events),
        _guard("CASE 2021", lambda: case_section(ev / "case2021-task2" / "dev.tsv", workdir)),
        _guard("FA-KES", lambda: fakes_section(ev / "fa-kes" / "dev.csv", workdir)),
        _guard("PLOVER", lambda: plover_section(ev / "plover" / "PLOVER_GSR_CAMEO.json", workdir)),
        _guard("re3d places", lambda: places_section(ev / "re3d", gold_dir / "re3d_locations.jsonl")),
    ]


def render(sections: list[Section], command: str) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Quality",
        "",
        f"Generated by `{command}` on {now} (eventwire {__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs). Do not edit by hand: re-run `make eval`.",
        "",
        "Every data set is run through the real `eventwire extract` command; the gold formats and the "
        "scoring rules are described in gold/README.md and in the docstrings of `eventwire.evaluate`.",
        "",
        "## Summary",
        "",
        "| figure | value | target |",
        "|---|---|---|",
    ]
    for section in sections:
        lines += [f"| {figure} | {value} | {target} |" for figure, value, target in section.summary]
    lines += ["", "## Data sets and run times", "", "| data set | size | run time |", "|---|---|---|"]
    for section in sections:
        seconds = "n/a" if section.seconds is None else f"{section.seconds:.1f} s"
        lines.append(f"| {section.title} | {section.size or 'n/a'} | {seconds} |")
    for section in sections:
        lines += ["", f"## {section.title}", "", *section.lines]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eventwire.evaluate.report", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("EVENTWIRE_SHARED", REPO.parent / "shared"))
    )
    parser.add_argument("--gold", type=Path, default=REPO / "gold", help="folder with the gold files")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "quality.md")
    parser.add_argument("--workdir", type=Path, help="keep the runs' inputs and events here")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(
            f"report: {args.shared} (development data) not found; set --shared or EVENTWIRE_SHARED",
            file=sys.stderr,
        )
        return 2
    import tempfile

    with tempfile.TemporaryDirectory(prefix="eventwire-eval-") as tmp:
        workdir = args.workdir or Path(tmp)
        sections = build_sections(args.shared, args.gold, workdir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(sections, "python -m eventwire.evaluate.report"), encoding="utf-8")
    for section in sections:
        for figure, value, target in section.summary:
            print(f"{figure}: {value}" + (f" (target {target})" if target else ""))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
