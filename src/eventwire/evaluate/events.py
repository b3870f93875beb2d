"""Event-level scoring of predictions against gold events (see gold/README.md for the gold format).

Per document, gold events and predicted events are matched one to one (Hungarian assignment). A pair can
match only when all four checks pass: type, date, place and actors. Recall is over required gold events;
precision over predicted events of violent and territorial types; a prediction matched to an optional gold
event counts neither way.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from eventwire.evaluate.common import (
    f1,
    fold_name,
    haversine_km,
    is_violent,
    max_weight_assignment,
    normalise_governorate,
    prediction_interval,
    predictions_by_article,
    safe_ratio,
)
from eventwire.evaluate.gold import GoldDocument, GoldEvent, GoldPlace

CHECKS: tuple[str, ...] = ("type", "date", "place", "actors")
LOCATION_KM = 25.0  # issue 4: precision-1/2 event locations within 25 km of the gold place
SYMMETRIC_SUB_TYPES = frozenset({"Armed clash"})  # ACLED does not order the two sides of a clash


# --------------------------------------------------------------------------- checks


def check_type(gold: GoldEvent, pred: dict[str, Any]) -> bool:
    return pred.get("sub_event_type") in gold.sub_event_types


def check_date(gold: GoldEvent, pred: dict[str, Any]) -> bool:
    interval = prediction_interval(pred)
    if interval is None:
        return False
    start, end = interval
    return start <= gold.date_end and gold.date_start <= end


def _strip_admin_words(name: str) -> str:
    folded = re.sub(r"\b(governorate|province|muhafazat|region)\b", "", fold_name(name)).strip()
    return re.sub(r"^(al|ar|as|ad|ash|el|an|at|az) ", "", folded)


def same_admin1(gold_name: str, pred_name: str | None) -> bool:
    if not pred_name:
        return False
    gold_key = normalise_governorate(gold_name)
    if gold_key is not None:
        return normalise_governorate(pred_name) == gold_key
    return _strip_admin_words(gold_name) == _strip_admin_words(pred_name)


def place_distance_km(place: GoldPlace, pred: dict[str, Any]) -> float | None:
    lat, lon = pred.get("latitude"), pred.get("longitude")
    if not place.has_point or lat is None or lon is None:
        return None
    return haversine_km(place.lat, place.lon, float(lat), float(lon))  # type: ignore[arg-type]


def check_place(gold: GoldEvent, pred: dict[str, Any]) -> bool:
    place = gold.place
    if place.has_point:
        distance = place_distance_km(place, pred)
        return distance is not None and distance <= place.tolerance_km
    if place.admin1:
        return same_admin1(place.admin1, pred.get("admin1"))
    country = pred.get("country")
    return bool(country) and fold_name(country) == fold_name(place.country or "")


def _side_matches(patterns: list[re.Pattern[str]], names: list[str]) -> bool:
    if not patterns:
        return True
    return any(p.search(name) for p in patterns for name in names)


def _names(pred: dict[str, Any], side: int) -> list[str]:
    main = pred.get(f"actor{side}") or ""
    return [main, *(pred.get(f"assoc_actor_{side}") or [])]


def check_actors(gold: GoldEvent, pred: dict[str, Any]) -> bool:
    side1, side2 = _names(pred, 1), _names(pred, 2)
    if _side_matches(gold.actor1, side1) and _side_matches(gold.actor2, side2):
        return True
    if pred.get("sub_event_type") in SYMMETRIC_SUB_TYPES:
        return _side_matches(gold.actor1, side2) and _side_matches(gold.actor2, side1)
    return False


_CHECK_FUNCTIONS = {"type": check_type, "date": check_date, "place": check_place, "actors": check_actors}


def run_checks(gold: GoldEvent, pred: dict[str, Any]) -> dict[str, bool]:
    return {name: _CHECK_FUNCTIONS[name](gold, pred) for name in CHECKS}


def _pair_weight(gold: GoldEvent, pred: dict[str, Any]) -> float:
    """Weight of a full match (0 when any check fails): required events first, then the closest pair."""
    if not all(run_checks(gold, pred).values()):
        return 0.0
    weight = 1000.0 + (100.0 if gold.required else 0.0)
    distance = place_distance_km(gold.place, pred)
    if distance is not None and gold.place.tolerance_km > 0:
        weight += 10.0 * (1.0 - distance / gold.place.tolerance_km)
    point = pred.get("event_date")
    if point and gold.date_start.isoformat() <= str(point)[:10] <= gold.date_end.isoformat():
        weight += 5.0
    return weight


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class Match:
    doc_id: str
    gold_id: str
    pred_id: str
    required: bool


@dataclass(slots=True)
class Miss:
    doc_id: str
    gold_id: str
    reason: str  # "type", "date", "place", "actors" (that check alone failed), "several", "no prediction"


@dataclass(slots=True)
class FalsePositive:
    pred_id: str
    article_ids: list[str]
    sub_event_type: str | None
    event_date: str | None
    location: str | None


@dataclass(slots=True)
class EventScores:
    documents: int = 0
    gold_required: int = 0
    gold_optional: int = 0
    predicted: int = 0  # distinct predicted events citing a gold document
    predicted_violent: int = 0
    true_positives: int = 0
    false_positives: int = 0
    matched_optional_only: int = 0
    matched_required: int = 0
    matches: list[Match] = field(default_factory=list)
    missed: list[Miss] = field(default_factory=list)
    false_positive_events: list[FalsePositive] = field(default_factory=list)
    fatalities: tuple[int, int] = (0, 0)  # (right, scored)
    quantities: dict[str, tuple[int, int]] = field(default_factory=dict)
    time_precision: tuple[int, int] = (0, 0)
    dated: tuple[int, int] = (0, 0)  # gold coded by some prediction: date inside, precision right
    location_within_km: tuple[int, int] = (0, 0)
    merge_groups: int = 0
    merged_groups: list[str] = field(default_factory=list)
    unmerged_groups: list[str] = field(default_factory=list)
    wrong_merges: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return safe_ratio(self.matched_required, self.gold_required)

    @property
    def precision(self) -> float | None:
        return safe_ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def f1(self) -> float | None:
        return f1(self.precision, self.recall)

    @property
    def miss_reasons(self) -> dict[str, int]:
        return dict(Counter(m.reason for m in self.missed))

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "gold_required": self.gold_required,
            "gold_optional": self.gold_optional,
            "predicted": self.predicted,
            "predicted_violent": self.predicted_violent,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "matched_optional_only": self.matched_optional_only,
            "matched_required": self.matched_required,
            "recall": self.recall,
            "precision": self.precision,
            "f1": self.f1,
            "miss_reasons": self.miss_reasons,
            "missed": [vars_of(m) for m in self.missed],
            "false_positive_events": [vars_of(fp) for fp in self.false_positive_events],
            "fatalities": list(self.fatalities),
            "quantities": {k: list(v) for k, v in self.quantities.items()},
            "time_precision": list(self.time_precision),
            "dated": list(self.dated),
            "location_within_km": list(self.location_within_km),
            "merge_groups": self.merge_groups,
            "merged_groups": self.merged_groups,
            "unmerged_groups": self.unmerged_groups,
            "wrong_merges": [{"pred_id": p, "gold": g} for p, g in self.wrong_merges],
        }


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


# --------------------------------------------------------------------------- scoring


def _pred_id(pred: dict[str, Any], index: int) -> str:
    return str(pred.get("event_id") or f"pred-{index}")


def _diagnose(gold: GoldEvent, candidates: list[dict[str, Any]]) -> str:
    """Why a required gold event was missed: the one check that alone failed for some prediction."""
    if not candidates:
        return "no prediction"
    alone = Counter()
    for pred in candidates:
        failed = [name for name, ok in run_checks(gold, pred).items() if not ok]
        if len(failed) == 1:
            alone[failed[0]] += 1
    if not alone:
        return "several"
    return min(alone, key=lambda name: (-alone[name], CHECKS.index(name)))


def _located(gold: GoldEvent, candidates: list[dict[str, Any]]) -> bool | None:
    """For a gold point of geo precision 1-2: is a type/date/actor-compatible prediction within 25 km?

    None when no prediction agrees on type, date and actors (the event was not found, so its location
    cannot be judged).
    """
    compatible = [
        p for p in candidates if check_type(gold, p) and check_date(gold, p) and check_actors(gold, p)
    ]
    if not compatible:
        return None
    distances = [d for p in compatible if (d := place_distance_km(gold.place, p)) is not None]
    return bool(distances) and min(distances) <= LOCATION_KM


def _normalised(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"').split())


def _cites_gold_evidence(gold: GoldEvent, doc_id: str, pred: dict[str, Any], source: str | None) -> bool:
    """Does the prediction cite a sentence of the gold evidence?

    With the source text the gold offsets count in, by text (the pipeline cleans boilerplate away, so
    its offsets can differ from the gold's): one passage contains the other, or they share 40 characters.
    Without it, by offsets.
    """
    spans = [(start, end) for start, end in gold.evidence]
    gold_passages = [_normalised(source[start:end]) for start, end in spans] if source else []
    for ev in pred.get("evidence") or []:
        if ev.get("article_id") not in (None, doc_id):
            continue
        if gold_passages:
            cited = _normalised(ev.get("text") or "")
            if cited and any(_shares_text(cited, passage) for passage in gold_passages):
                return True
            continue
        start, end = ev.get("start"), ev.get("end")
        if start is not None and end is not None and any(start < ge and gs < end for gs, ge in spans):
            return True
    return False


def _shares_text(a: str, b: str, block: int = 40) -> bool:
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return any(short[i : i + block] in long_ for i in range(0, max(1, len(short) - block + 1), 10))


def _dated(
    gold: GoldEvent, doc_id: str, candidates: list[dict[str, Any]], source: str | None = None
) -> bool | None:
    """Is the gold date inside the interval of the prediction that codes this event, at the right precision?

    The prediction that codes the event is one of the right type and actors that cites a sentence of the
    gold evidence (or, for gold without evidence, one agreeing on type, place and actors). The date is
    left out of that on purpose: a match already needs the date, so the share of matched events with the
    right date would be 100 % by construction. None when no prediction codes the event (its date cannot
    be judged). The precision is judged only where the gold gives one.
    """

    def codes_it(p: dict[str, Any]) -> bool:
        if not (check_type(gold, p) and check_actors(gold, p)):
            return False
        return _cites_gold_evidence(gold, doc_id, p, source) if gold.evidence else check_place(gold, p)

    compatible = [p for p in candidates if codes_it(p)]
    if not compatible:
        return None
    return any(
        check_date(gold, p)
        and (gold.time_precision is None or p.get("time_precision") == gold.time_precision)
        for p in compatible
    )


def score_events(
    gold_docs: list[GoldDocument],
    predictions: list[dict[str, Any]],
    dataset: str | None = None,
    texts: dict[str, str] | None = None,
) -> EventScores:
    """Score predictions (Event.to_record dicts) against gold documents, optionally one dataset only.

    texts: each document's source text, for finding the prediction that cites a gold event's evidence.
    """
    docs = [d for d in gold_docs if dataset is None or d.dataset == dataset]
    ids = {id(p): _pred_id(p, i) for i, p in enumerate(predictions)}
    by_article = predictions_by_article(predictions)
    scores = EventScores(documents=len(docs))
    gold_by_key: dict[tuple[str, str], GoldEvent] = {}
    matched_gold_by_pred: dict[str, list[GoldEvent]] = defaultdict(list)
    scored_preds: dict[str, dict[str, Any]] = {}
    fat_right = fat_total = tp_right = tp_total = loc_right = loc_total = dated_right = dated_total = 0
    quantity_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    for doc in docs:
        candidates = by_article.get(doc.doc_id, [])
        for pred in candidates:
            scored_preds[ids[id(pred)]] = pred
        for gold in doc.events:
            gold_by_key[(doc.doc_id, gold.id)] = gold
            if gold.required:
                scores.gold_required += 1
            else:
                scores.gold_optional += 1
        weights = [[_pair_weight(g, p) for p in candidates] for g in doc.events]
        matched_gold_ids = set()
        gold_of_pred: dict[int, str] = {}  # id(prediction) -> the gold event it matched in this document
        for gi, pi in max_weight_assignment(weights):
            gold, pred = doc.events[gi], candidates[pi]
            pred_id = ids[id(pred)]
            matched_gold_ids.add(gold.id)
            gold_of_pred[id(pred)] = gold.id
            matched_gold_by_pred[pred_id].append(gold)
            scores.matches.append(Match(doc.doc_id, gold.id, pred_id, gold.required))
            if not gold.required:
                continue
            scores.matched_required += 1
            if gold.fatalities is not None:
                fat_total += 1
                fat_right += int(pred.get("fatalities") or 0) == gold.fatalities
            for key, value in gold.quantities.items():
                quantity_counts[key][1] += 1
                quantity_counts[key][0] += (pred.get("quantities") or {}).get(key) == value
            if gold.time_precision is not None:
                tp_total += 1
                tp_right += pred.get("time_precision") == gold.time_precision
        for gold in doc.events:
            if not gold.required:
                continue
            if gold.id not in matched_gold_ids:
                scores.missed.append(Miss(doc.doc_id, gold.id, _diagnose(gold, candidates)))
            # A prediction matched to another gold event codes that one, even if it cites this one's sentence.
            free = [p for p in candidates if gold_of_pred.get(id(p), gold.id) == gold.id]
            dated = _dated(gold, doc.doc_id, free, (texts or {}).get(doc.doc_id))
            if dated is not None:
                dated_total += 1
                dated_right += dated
            if gold.place.has_point and gold.geo_precision in (1, 2):
                located = _located(gold, candidates)
                if located is not None:
                    loc_total += 1
                    loc_right += located

    scores.predicted = len(scored_preds)
    for pred_id, pred in scored_preds.items():
        if not is_violent(pred):
            continue
        scores.predicted_violent += 1
        matched = matched_gold_by_pred.get(pred_id, [])
        if any(g.required for g in matched):
            scores.true_positives += 1
        elif matched:
            scores.matched_optional_only += 1
        else:
            scores.false_positives += 1
            scores.false_positive_events.append(
                FalsePositive(
                    pred_id,
                    [str(a) for a in pred.get("article_ids") or []],
                    pred.get("sub_event_type"),
                    pred.get("event_date"),
                    pred.get("location"),
                )
            )

    scores.fatalities = (fat_right, fat_total)
    scores.quantities = {k: (v[0], v[1]) for k, v in sorted(quantity_counts.items())}
    scores.time_precision = (tp_right, tp_total)
    scores.dated = (dated_right, dated_total)
    scores.location_within_km = (loc_right, loc_total)
    _score_merges(scores, gold_by_key, matched_gold_by_pred)
    return scores


def _score_merges(
    scores: EventScores,
    gold_by_key: dict[tuple[str, str], GoldEvent],
    matched_gold_by_pred: dict[str, list[GoldEvent]],
) -> None:
    groups: dict[str, list[GoldEvent]] = defaultdict(list)
    for gold in gold_by_key.values():
        if gold.merge_group:
            groups[gold.merge_group].append(gold)
    pred_of_gold = {(g.doc_id, g.id): pred_id for pred_id, gs in matched_gold_by_pred.items() for g in gs}
    scores.merge_groups = len(groups)
    for name, members in sorted(groups.items()):
        preds = {pred_of_gold.get((g.doc_id, g.id)) for g in members}
        if len(preds) == 1 and None not in preds:
            scores.merged_groups.append(name)
        else:
            scores.unmerged_groups.append(name)
    for pred_id, golds in sorted(matched_gold_by_pred.items()):
        if len(golds) < 2:
            continue
        group_names = {g.merge_group for g in golds}
        if len(group_names) > 1 or None in group_names:
            scores.wrong_merges.append((pred_id, sorted(f"{g.doc_id}/{g.id}" for g in golds)))


def format_event_scores(scores: EventScores, title: str = "events") -> str:
    """A plain-text summary for the terminal."""

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    def share(pair: tuple[int, int]) -> str:
        right, total = pair
        return f"{right}/{total}" + (f" ({right / total:.0%})" if total else "")

    lines = [
        f"{title}: {scores.documents} documents, {scores.gold_required} required and "
        f"{scores.gold_optional} optional gold events, {scores.predicted} predicted "
        f"({scores.predicted_violent} violent/territorial)",
        f"  recall {pct(scores.recall)}  precision {pct(scores.precision)}  F1 {pct(scores.f1)}"
        f"  (TP {scores.true_positives}, FP {scores.false_positives}, "
        f"on optional events {scores.matched_optional_only})",
        f"  missed: {scores.miss_reasons or 'none'}",
        f"  fatalities right {share(scores.fatalities)}; time precision right {share(scores.time_precision)};"
        f" dated {share(scores.dated)};"
        f" located within {LOCATION_KM:.0f} km {share(scores.location_within_km)}",
    ]
    for key, pair in scores.quantities.items():
        lines.append(f"  quantity {key} right {share(pair)}")
    lines.append(
        f"  merge groups merged {len(scores.merged_groups)}/{scores.merge_groups}; "
        f"wrong merges {len(scores.wrong_merges)}"
    )
    for miss in scores.missed:
        lines.append(f"    missed {miss.doc_id}/{miss.gold_id}: {miss.reason}")
    for fp in scores.false_positive_events:
        lines.append(
            f"    false positive {fp.pred_id} in {','.join(fp.article_ids)}: {fp.sub_event_type} "
            f"{fp.event_date} {fp.location}"
        )
    for pred_id, golds in scores.wrong_merges:
        lines.append(f"    wrong merge {pred_id}: {', '.join(golds)}")
    return "\n".join(lines)
