"""A small linear model of what kind of event a sentence reports: ACLED's 25 sub-event types and five kinds
of news that are no ACLED event (diplomacy, claims and commentary, ordinary crime, natural and man-made
disasters).

It is trained by ``training/train_type_model.py`` on sentences the eventwire developers wrote themselves
(``training/*.jsonl``), never on an evaluation set, and shipped as weights in ``data/type_model.json``.
At run time it is a dictionary look-up per word and word pair (TF-IDF with sublinear term frequency and
L2 normalisation, then a multinomial logistic regression), so it costs little more than reading the sentence.

The event stage (``events.candidates``) uses it where the trigger lexicon is least sure: to veto what reads
as no ACLED event at all, to re-type a generic trigger among the sub-event types the model strongly prefers,
and to propose an event for a sentence that tells one in words the lexicon lacks. How far it is trusted
(``thresholds`` in the model file) was chosen by cross-validation on the training sentences, never on an
evaluation set.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from eventwire.resources import data_path

MODEL_FILE = "type_model.json"
OUT_OF_SCOPE = frozenset({"DIPLOMACY", "CLAIM", "CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER"})

_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+(?:[.,]\d+)*")
# A crude suffix stripper: "attacked", "attacks", "attackers" and "attacking" share "attack", so a word seen
# in training in one form counts in another (the training sentences are few).
_SUFFIX = re.compile(r"(?:ments?|ions?|ers?|ing|ed|es|s)$")

# Words that may tip the model but name no event: never a proposed event's trigger.
_FUNCTION_WORDS = frozenset(
    {
        "about",
        "above",
        "across",
        "after",
        "against",
        "along",
        "also",
        "among",
        "around",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "during",
        "each",
        "from",
        "have",
        "having",
        "here",
        "into",
        "more",
        "most",
        "near",
        "other",
        "over",
        "since",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "upon",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "with",
        "within",
        "without",
        "would",
        "could",
        "should",
        "said",
        "says",
        "told",
        "according",
        "reported",
    }
)


@lru_cache(maxsize=200_000)  # words repeat: one regex substitution per distinct word
def _stem(word: str) -> str:
    if len(word) > 4:
        stem = _SUFFIX.sub("", word)
        if len(stem) >= 3:
            return stem
    return word


def features(text: str) -> list[str]:
    """Lower-cased words (numbers folded to "0"), their stems ("~attack") and adjacent stem pairs."""
    words = ["0" if w[0].isdigit() else w for w in _TOKEN.findall(text.lower())]
    stems = list(map(_stem, words))
    return words + ["~" + s for s in stems] + list(map(" ".join, itertools.pairwise(stems)))


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How far the event stage trusts the model (probabilities of the top label)."""

    veto: float = 1.1  # an out-of-scope label at least this probable drops a generic trigger's event
    retype: float = 1.1  # another ACLED type at least this probable replaces the trigger's type ...
    keep: float = 0.0  # ... when the trigger's own type is less probable than this
    propose: float = 1.1  # an ACLED type at least this probable makes an event without a trigger
    support: float = 1.1  # a candidate's type at least this probable anchors it as a date or place would
    rank: float = 0.0  # share of the type's probability in an event's confidence (which event leads)


class TypeModel:
    """Labels, biases, the vocabulary's idf and the weights, held as arrays for a fast dot product."""

    def __init__(
        self,
        labels: tuple[str, ...],
        bias: tuple[float, ...],
        idf: dict[str, float],
        weights: dict[str, dict[int, float]],
        thresholds: Thresholds = Thresholds(),
    ) -> None:
        self.labels = labels
        self.thresholds = thresholds
        self._bias = np.asarray(bias, dtype=np.float64)
        self._index = {feat: i for i, feat in enumerate(idf)}  # feature -> row
        self._idf = np.asarray(list(idf.values()), dtype=np.float64)
        self._weights = np.zeros((len(idf), len(labels)), dtype=np.float64)
        for feat, per in weights.items():
            row = self._index.get(feat)
            if row is not None:
                for label, weight in per.items():
                    self._weights[row, label] = weight

    def with_thresholds(self, thresholds: Thresholds) -> TypeModel:
        twin = copy.copy(self)
        twin.thresholds = thresholds
        return twin

    def _logits(self, text: str) -> np.ndarray:
        # Rows counted in C, in order of first occurrence (the sums below must add up in the same order);
        # unknown features all count under None.
        counts = Counter(map(self._index.get, features(text)))
        counts.pop(None, None)
        if not counts:
            return self._bias
        rows = np.fromiter(counts, dtype=np.intp, count=len(counts))
        values = (
            1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        ) * self._idf[rows]
        values /= np.sqrt(values @ values)
        return self._bias + values @ self._weights[rows]

    def scores(self, text: str) -> dict[str, float]:
        """Probability of each label for ``text`` (softmax over the linear scores)."""
        logits = self._logits(text)
        exps = np.exp(logits - logits.max())
        probs = exps / exps.sum()
        return dict(zip(self.labels, probs.tolist(), strict=True))

    def best(self, text: str, allowed: frozenset[str] | None = None) -> tuple[str, float]:
        """The most probable label (among ``allowed`` when given) and its probability."""
        scored = self.scores(text)
        pool = {k: v for k, v in scored.items() if allowed is None or k in allowed} or scored
        label = max(pool, key=pool.__getitem__)
        return label, scored[label]

    def weight(self, feature: str, label: str) -> float:
        row = self._index.get(feature)
        return 0.0 if row is None else float(self._weights[row, self.labels.index(label)])

    def cue(self, text: str, label: str) -> str | None:
        """The word of ``text`` that speaks most for ``label`` (what a proposed event's trigger is)."""
        best, best_weight = None, 0.0
        for word in _TOKEN.findall(text.lower()):
            if len(word) < 4 or word in _FUNCTION_WORDS or word[0].isdigit():
                continue
            weight = self.weight(word, label) + self.weight("~" + _stem(word), label)
            if weight > best_weight:
                best, best_weight = word, weight
        return best


def model_from_json(raw: dict) -> TypeModel:
    weights = {feat: {int(i): w for i, w in per.items()} for feat, per in raw["weights"].items()}
    thresholds = Thresholds(**raw.get("thresholds", {}))
    return TypeModel(tuple(raw["labels"]), tuple(raw["bias"]), dict(raw["idf"]), weights, thresholds)


_override: list[TypeModel] = []


@cache
def _shipped_model() -> TypeModel:
    with data_path(MODEL_FILE).open(encoding="utf-8") as fh:
        return model_from_json(json.load(fh))


def get_type_model() -> TypeModel:
    """The shipped model, or the one ``use_type_model`` set (training tries candidates this way)."""
    return _override[-1] if _override else _shipped_model()


def use_type_model(model: TypeModel | None) -> None:
    """Make ``model`` the one the event stage uses (None: back to the shipped one). For training only."""
    _override.clear()
    if model is not None:
        _override.append(model)
