"""Scorers behind `eventwire eval`: events against gold, CASE 2021, FA-KES, PLOVER and the re3d place check.

Each scorer is a pure function over loaded data; `eventwire.evaluate.run` makes predictions by running
`eventwire extract`; `eventwire.evaluate.report` writes docs/quality.md; `eventwire.evaluate.cli` holds
the `eval` subcommands.
"""

from eventwire.evaluate.case import CaseScores, load_case, score_case
from eventwire.evaluate.common import load_predictions, normalise_governorate
from eventwire.evaluate.events import EventScores, score_events
from eventwire.evaluate.fakes import FakesScores, load_fakes, score_fakes
from eventwire.evaluate.gold import GoldDocument, GoldEvent, load_gold
from eventwire.evaluate.places_check import PlaceCheckScores, score_places
from eventwire.evaluate.plover import PloverScores, load_plover, score_plover

__all__ = [
    "CaseScores",
    "EventScores",
    "FakesScores",
    "GoldDocument",
    "GoldEvent",
    "PlaceCheckScores",
    "PloverScores",
    "load_case",
    "load_fakes",
    "load_gold",
    "load_plover",
    "load_predictions",
    "normalise_governorate",
    "score_case",
    "score_events",
    "score_fakes",
    "score_places",
    "score_plover",
]
