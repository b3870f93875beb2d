"""`eventwire eval events|case|fakes|plover|places`: argument parsing and dispatch.

The main CLI calls `add_eval_parser(subparsers)` and, for the `eval` command, `run_eval(args)`. The module
also runs on its own: `python -m eventwire.evaluate.cli case --gold dev.tsv --pred P.jsonl`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_LOCATIONS = Path("gold/re3d_locations.jsonl")


def _add_common(parser: argparse.ArgumentParser, *, pred_required: bool = False) -> None:
    parser.add_argument(
        "--pred",
        type=Path,
        required=pred_required,
        help="predictions: JSONL written by `eventwire extract --out P.jsonl`"
        + ("" if pred_required else " (default: run `eventwire extract` on the gold inputs now)"),
    )
    parser.add_argument("--workdir", type=Path, help="where to write the inputs and events of a run")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")


def add_eval_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `eval` with its five subcommands to the main CLI's subparsers."""
    parser = subparsers.add_parser("eval", help="score extracted events against gold data")
    sub = parser.add_subparsers(dest="eval_command", metavar="{events,case,fakes,plover,places}")
    sub.required = True

    events = sub.add_parser("events", help="event-level scores against a gold JSONL file (gold/README.md)")
    events.add_argument("--gold", type=Path, required=True, help="gold JSONL (e.g. gold/seeds.jsonl)")
    events.add_argument(
        "--texts",
        type=Path,
        help="source texts to run when --pred is not given: a folder of <doc_id>.txt files, or the re3d root",
    )
    events.add_argument("--dataset", help="score only the gold documents of this dataset")
    events.add_argument("--no-dedup", action="store_true", help="run without cross-document dedup")
    _add_common(events)

    case = sub.add_parser("case", help="CASE 2021 task 2 event-type classification")
    case.add_argument("--gold", type=Path, required=True, help="CASE task 2 TSV (id, EventSnippet, SubType)")
    _add_common(case)

    fakes = sub.add_parser("fakes", help="FA-KES: governorate of the main event and casualties (label 1)")
    fakes.add_argument("--gold", type=Path, required=True, help="FA-KES CSV")
    _add_common(fakes)

    plover = sub.add_parser("plover", help="PLOVER event, mode and actors on PLOVER_GSR_CAMEO.json")
    plover.add_argument("--gold", type=Path, required=True, help="PLOVER_GSR_CAMEO.json")
    _add_common(plover)

    places = sub.add_parser(
        "places", help="share of re3d Syria/Iraq Location entities the gazetteer resolves"
    )
    places.add_argument("--re3d", type=Path, required=True, help="re3d root (folders with documents.json)")
    places.add_argument(
        "--locations",
        type=Path,
        default=DEFAULT_LOCATIONS,
        help=f"which Location values are in Syria/Iraq (default {DEFAULT_LOCATIONS})",
    )
    places.add_argument("--json", action="store_true", help="print the scores as JSON")
    return parser


def _predictions(args: argparse.Namespace, run: Any) -> list[dict[str, Any]]:
    from eventwire.evaluate.common import load_predictions

    if args.pred is not None:
        return load_predictions(args.pred)
    result = run()
    print(
        f"ran eventwire extract on {result.articles} articles in {result.seconds:.1f} s -> {result.out}",
        file=sys.stderr,
    )
    return result.predictions


def _emit(args: argparse.Namespace, scores: Any, text: str) -> None:
    print(json.dumps(scores.to_dict(), indent=2, default=str) if args.json else text)


def _eval_events(args: argparse.Namespace) -> int:
    from eventwire.evaluate.events import format_event_scores, score_events
    from eventwire.evaluate.gold import load_gold
    from eventwire.evaluate.run import gold_texts, run_gold_documents

    gold = load_gold(args.gold)
    if args.pred is None and args.texts is None:
        raise UsageError("eval events needs --pred, or --texts to run the extraction")
    docs = [d for d in gold if args.dataset is None or d.dataset == args.dataset]
    preds = _predictions(args, lambda: run_gold_documents(docs, args.texts, args.workdir, not args.no_dedup))
    scores = score_events(gold, preds, dataset=args.dataset, texts=gold_texts(docs, args.texts))
    _emit(args, scores, format_event_scores(scores, title=args.dataset or args.gold.stem))
    return 0


def _eval_case(args: argparse.Namespace) -> int:
    from eventwire.evaluate.case import format_case_scores, load_case, score_case
    from eventwire.evaluate.run import run_case

    snippets = load_case(args.gold)
    scores = score_case(snippets, _predictions(args, lambda: run_case(snippets, args.workdir)))
    _emit(args, scores, format_case_scores(scores))
    return 0


def _eval_fakes(args: argparse.Namespace) -> int:
    from eventwire.evaluate.fakes import format_fakes_scores, load_fakes, score_fakes
    from eventwire.evaluate.run import run_fakes

    articles = load_fakes(args.gold)
    scores = score_fakes(articles, _predictions(args, lambda: run_fakes(articles, args.workdir)))
    _emit(args, scores, format_fakes_scores(scores))
    return 0


def _eval_plover(args: argparse.Namespace) -> int:
    from eventwire.evaluate.plover import format_plover_scores, load_plover, score_plover
    from eventwire.evaluate.run import run_plover

    records = load_plover(args.gold)
    scores = score_plover(records, _predictions(args, lambda: run_plover(records, args.workdir)))
    _emit(args, scores, format_plover_scores(scores))
    return 0


def _eval_places(args: argparse.Namespace) -> int:
    from eventwire.evaluate.places_check import (
        PlacesApiMissing,
        format_place_scores,
        load_location_gold,
        load_re3d_documents,
        load_re3d_locations,
        score_places,
    )

    gold = load_location_gold(args.locations)
    try:
        scores = score_places(load_re3d_documents(args.re3d), load_re3d_locations(args.re3d), gold)
    except PlacesApiMissing as exc:
        print(f"eval places: skipped: {exc}", file=sys.stderr)
        return 0
    _emit(args, scores, format_place_scores(scores))
    return 0


class UsageError(Exception):
    pass


_HANDLERS = {
    "events": _eval_events,
    "case": _eval_case,
    "fakes": _eval_fakes,
    "plover": _eval_plover,
    "places": _eval_places,
}


def run_eval(args: argparse.Namespace) -> int:
    """Run one `eval` subcommand. 0 scored, 1 the extraction failed, 2 bad arguments or unreadable gold."""
    from eventwire.evaluate.gold import GoldFormatError
    from eventwire.evaluate.run import ExtractFailed

    try:
        return _HANDLERS[args.eval_command](args)
    except (UsageError, GoldFormatError, FileNotFoundError, ValueError, KeyError) as exc:
        print(f"eventwire eval {args.eval_command}: {exc}", file=sys.stderr)
        return 2
    except ExtractFailed as exc:
        print(f"eventwire eval {args.eval_command}: {exc}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eventwire")
    add_eval_parser(parser.add_subparsers(dest="command", required=True))
    return run_eval(parser.parse_args(["eval", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    raise SystemExit(main())
