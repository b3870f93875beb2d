"""A small linear model of what kind of event a sentence reports: ACLED's 25 sub-event types and five kinds
of news that are no ACLED event (diplomacy, claims and commentary, ordinary crime, natural and man-made
disasters).

It is trained by ``training/train_type_model.py`` on sentences the eventwire developers wrote themselves
(``training/sentences.jsonl``), never on an evaluation set, and shipped as weights in
``data/type_model.json``. At run time it is a dictionary look-up per word and word pair, so it costs little
more than reading the sentence; the event stage asks it only about sentences that hold a trigger, to choose
among the sub-event types the trigger allows and to recognise reports that are not events at all.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from functools import cache

from eventwire.resources import data_path

MODEL_FILE = "type_model.json"
OUT_OF_SCOPE = frozenset({"DIPLOMACY", "CLAIM", "CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER"})

_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+(?:[.,]\d+)*")


def features(text: str) -> list[str]:
    """Lower-cased words (numbers folded to "0") and adjacent word pairs."""
    words = ["0" if w[0].isdigit() else w for w in _TOKEN.findall(text.lower())]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True, slots=True)
class TypeModel:
    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, dict[int, float]]  # feature -> {label index: weight}

    def scores(self, text: str) -> dict[str, float]:
        """Probability of each label for ``text`` (softmax over the linear scores)."""
        totals = list(self.bias)
        for feat in set(features(text)):
            for index, weight in self.weights.get(feat, {}).items():
                totals[index] += weight
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        norm = sum(exps)
        return {label: e / norm for label, e in zip(self.labels, exps, strict=True)}

    def best(self, text: str, allowed: frozenset[str] | None = None) -> tuple[str, float]:
        """The most probable label (among ``allowed`` when given) and its probability."""
        scored = self.scores(text)
        pool = {k: v for k, v in scored.items() if allowed is None or k in allowed} or scored
        label = max(pool, key=pool.__getitem__)
        return label, scored[label]


@cache
def get_type_model() -> TypeModel:
    with data_path(MODEL_FILE).open(encoding="utf-8") as fh:
        raw = json.load(fh)
    weights = {feat: {int(i): w for i, w in per.items()} for feat, per in raw["weights"].items()}
    return TypeModel(tuple(raw["labels"]), tuple(raw["bias"]), weights)
