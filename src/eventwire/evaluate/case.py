"""CASE 2021 task 2: event-type classification of short snippets, scored over ACLED's 25 sub-event types.

Each snippet is run as one article whose id is the snippet id. Its predicted label is the sub_event_type of
its highest-confidence event, or no event. Gold codes map to ACLED names through
data/evaluation/case_codes.csv; the five codes outside ACLED (DIPLO, ATTRIB, ORG_CRIME, NATURAL_DISASTER,
MAN_MADE_DISASTER) should yield no event.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire.evaluate.common import (
    acled_sub_event_types,
    case_codes,
    f1,
    out_of_scope_case_codes,
    predictions_by_article,
    safe_ratio,
)

NO_EVENT = "(no event)"


@dataclass(slots=True, frozen=True)
class CaseSnippet:
    id: str
    text: str
    code: str


def load_case(path: str | Path) -> list[CaseSnippet]:
    """Rows of the CASE task 2 TSV (columns id, EventSnippet, SubType)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = [CaseSnippet(r["id"].strip(), r["EventSnippet"], r["SubType"].strip()) for r in reader]
    unknown = sorted({r.code for r in rows} - set(case_codes()))
    if unknown:
        raise ValueError(f"{path}: unknown CASE codes {unknown}")
    return rows


def predicted_labels(predictions: list[dict[str, Any]]) -> dict[str, str]:
    """Snippet id -> sub_event_type of its highest-confidence event (first one on ties)."""
    labels = {}
    for article_id, preds in predictions_by_article(predictions).items():
        best = max(preds, key=lambda p: float(p.get("confidence") or 0.0))  # max keeps the first on ties
        labels[article_id] = best.get("sub_event_type") or NO_EVENT
    return labels


@dataclass(slots=True)
class ClassScores:
    label: str
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(slots=True)
class CaseScores:
    snippets: int
    in_scope: int
    weighted_f1: float | None  # over snippets whose gold is one of the 25 ACLED types
    weighted_f1_all_rows: float | None  # the same 25 labels, out-of-scope snippets counted as "no event"
    macro_f1: float | None
    accuracy: float | None  # over in-scope snippets
    accuracy_all_rows: float | None  # out-of-scope snippets right when they yield no event
    out_of_scope: int
    out_of_scope_no_event: int
    per_class: list[ClassScores] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold code -> predicted label -> n

    @property
    def out_of_scope_share(self) -> float | None:
        return safe_ratio(self.out_of_scope_no_event, self.out_of_scope)

    def to_dict(self) -> dict[str, Any]:
        return {
            "snippets": self.snippets,
            "in_scope": self.in_scope,
            "weighted_f1": self.weighted_f1,
            "weighted_f1_all_rows": self.weighted_f1_all_rows,
            "macro_f1": self.macro_f1,
            "accuracy": self.accuracy,
            "accuracy_all_rows": self.accuracy_all_rows,
            "out_of_scope": self.out_of_scope,
            "out_of_scope_no_event": self.out_of_scope_no_event,
            "out_of_scope_share": self.out_of_scope_share,
            "per_class": [
                {
                    "label": c.label,
                    "support": c.support,
                    "precision": c.precision,
                    "recall": c.recall,
                    "f1": c.f1,
                }
                for c in self.per_class
            ],
            "confusion": self.confusion,
        }


def weighted_f1(
    gold: list[str], predicted: list[str], labels: list[str]
) -> tuple[float | None, float | None, list[ClassScores]]:
    """Support-weighted and macro F1 over `labels`, as scikit-learn's f1_score(labels=..., average=...).

    Labels without gold support are left out of both averages (scikit-learn would count them as 0 in the
    macro average and warn).
    """
    per_class = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        support = sum(1 for g in gold if g == label)
        n_predicted = sum(1 for p in predicted if p == label)
        precision = safe_ratio(tp, n_predicted) or 0.0
        recall = safe_ratio(tp, support) or 0.0
        per_class.append(ClassScores(label, support, precision, recall, f1(precision, recall) or 0.0))
    supported = [c for c in per_class if c.support]
    total = sum(c.support for c in supported)
    weighted = safe_ratio(sum(c.f1 * c.support for c in supported), total)
    macro = safe_ratio(sum(c.f1 for c in supported), len(supported))
    return weighted, macro, per_class


def score_case(snippets: list[CaseSnippet], predictions: list[dict[str, Any]]) -> CaseScores:
    codes = case_codes()
    labels = predicted_labels(predictions)
    acled_types = acled_sub_event_types()
    outside = set(out_of_scope_case_codes())

    gold_all = [codes[s.code].sub_event_type or NO_EVENT for s in snippets]
    pred_all = [labels.get(s.id, NO_EVENT) for s in snippets]
    in_scope = [i for i, s in enumerate(snippets) if s.code not in outside]
    gold_in = [gold_all[i] for i in in_scope]
    pred_in = [pred_all[i] for i in in_scope]

    weighted_in, macro_in, per_class = weighted_f1(gold_in, pred_in, acled_types)
    weighted_all, _, _ = weighted_f1(gold_all, pred_all, acled_types)
    confusion: dict[str, Counter[str]] = {}
    for snippet, pred in zip(snippets, pred_all, strict=True):
        confusion.setdefault(snippet.code, Counter())[pred] += 1
    oos = [p for s, p in zip(snippets, pred_all, strict=True) if s.code in outside]
    return CaseScores(
        snippets=len(snippets),
        in_scope=len(in_scope),
        weighted_f1=weighted_in,
        weighted_f1_all_rows=weighted_all,
        macro_f1=macro_in,
        accuracy=safe_ratio(sum(g == p for g, p in zip(gold_in, pred_in, strict=True)), len(gold_in)),
        accuracy_all_rows=safe_ratio(
            sum(g == p for g, p in zip(gold_all, pred_all, strict=True)), len(gold_all)
        ),
        out_of_scope=len(oos),
        out_of_scope_no_event=sum(p == NO_EVENT for p in oos),
        per_class=[c for c in per_class if c.support],
        confusion={code: dict(counter.most_common()) for code, counter in sorted(confusion.items())},
    )


def format_case_scores(scores: CaseScores) -> str:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"CASE 2021 task 2: {scores.snippets} snippets, {scores.in_scope} of ACLED's 25 types",
        f"  weighted F1 {pct(scores.weighted_f1)} (25 ACLED types)  macro F1 {pct(scores.macro_f1)}"
        f"  accuracy {pct(scores.accuracy)}",
        f"  weighted F1 with out-of-scope rows as 'no event' {pct(scores.weighted_f1_all_rows)};"
        f" accuracy on all rows {pct(scores.accuracy_all_rows)}",
        f"  out-of-scope snippets with no event: {scores.out_of_scope_no_event}/{scores.out_of_scope}"
        f" ({pct(scores.out_of_scope_share)})",
        "  per type (support, P, R, F1):",
    ]
    for c in sorted(scores.per_class, key=lambda c: -c.support):
        lines.append(f"    {c.label:38s} {c.support:4d}  {c.precision:.2f} {c.recall:.2f} {c.f1:.2f}")
    return "\n".join(lines)
