"""Helpers shared by the scorers: prediction files, ACLED type tables, names, distances, assignment."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from eventwire.resources import load_csv

# ACLED's political-violence event types; precision is measured over predictions of these types only.
VIOLENT_EVENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Records of a JSONL file; blank lines are skipped, a malformed line raises with its line number."""
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc


def load_predictions(path: str | Path) -> list[dict[str, Any]]:
    """Event records written by `eventwire extract --out FILE.jsonl` (the Event.to_record contract)."""
    return list(read_jsonl(path))


def predictions_by_article(predictions: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Predictions grouped by each article id they cite (a merged event appears under every article)."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pred in predictions:
        for article_id in pred.get("article_ids") or []:
            grouped[str(article_id)].append(pred)
    return grouped


def parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def prediction_interval(pred: dict[str, Any]) -> tuple[date, date] | None:
    """[date_start, date_end] of a predicted event, falling back to event_date."""
    start = parse_date(pred.get("date_start")) or parse_date(pred.get("event_date"))
    end = parse_date(pred.get("date_end")) or parse_date(pred.get("event_date")) or start
    if start is None or end is None:
        return None
    return (start, end) if start <= end else (end, start)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def fold_name(text: str) -> str:
    """Lowercase ASCII words separated by single spaces (accents, quotes and ayn marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = re.sub(r"['’‘`ʿʾ]", "", ascii_only.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_only).split())


# --------------------------------------------------------------------------- ACLED / CASE tables


@dataclass(frozen=True, slots=True)
class CaseCode:
    code: str
    sub_event_type: str | None  # None for the five codes outside ACLED
    event_type: str | None


@cache
def case_codes() -> dict[str, CaseCode]:
    rows = load_csv("evaluation/case_codes.csv")
    return {
        r["code"]: CaseCode(r["code"], r["sub_event_type"] or None, r["event_type"] or None) for r in rows
    }


@cache
def sub_event_type_to_event_type() -> dict[str, str]:
    return {
        c.sub_event_type: c.event_type for c in case_codes().values() if c.sub_event_type and c.event_type
    }


def acled_sub_event_types() -> list[str]:
    """ACLED's 25 sub-event types, in the table's order."""
    return [c.sub_event_type for c in case_codes().values() if c.sub_event_type]


def out_of_scope_case_codes() -> list[str]:
    return [c.code for c in case_codes().values() if c.sub_event_type is None]


def is_violent(pred: dict[str, Any]) -> bool:
    """A predicted event of a violent or territorial type (Battles holds the two territorial sub-types)."""
    event_type = sub_event_type_to_event_type().get(pred.get("sub_event_type") or "") or pred.get(
        "event_type"
    )
    return event_type in VIOLENT_EVENT_TYPES


# --------------------------------------------------------------------------- Syrian governorates


@cache
def _governorate_index() -> dict[str, str]:
    return {fold_name(r["alias"]): r["key"] for r in load_csv("evaluation/governorates.csv")}


def normalise_governorate(name: str | None, *, fold_rural_damascus: bool = False) -> str | None:
    """One key per Syrian governorate for any common spelling; None for names it does not know.

    fold_rural_damascus: count Rural Damascus as Damascus, for sources (FA-KES) that have only "damascus".
    """
    if not name:
        return None
    folded = fold_name(name)
    folded = re.sub(r"\b(governorate|province|muhafazat)\b", "", folded).strip()
    key = _governorate_index().get(folded)
    if key is None:
        key = _governorate_index().get(re.sub(r"^(al|ar|as|ad|ash|el|an|at|az) ", "", folded))
    if key == "rural damascus" and fold_rural_damascus:
        return "damascus"
    return key


# --------------------------------------------------------------------------- assignment


def max_weight_assignment(weights: list[list[float]]) -> list[tuple[int, int]]:
    """One-to-one assignment of rows to columns maximising the total weight (Hungarian algorithm).

    Pairs with weight <= 0 are never returned, so a zero weight means "may not be matched".
    """
    n_rows = len(weights)
    n_cols = len(weights[0]) if n_rows else 0
    if n_rows == 0 or n_cols == 0:
        return []
    transpose = n_rows > n_cols
    matrix = [list(col) for col in zip(*weights, strict=True)] if transpose else [list(r) for r in weights]
    n, m = len(matrix), len(matrix[0])
    top = max(max(row) for row in matrix)
    cost = [[top - w for w in row] for row in matrix]  # minimise cost == maximise weight
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner, way = [0] * (m + 1), [0] * (m + 1)  # owner[j]: row (1-based) assigned to column j
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        min_to = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], math.inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if reduced < min_to[j]:
                    min_to[j], way[j] = reduced, j0
                if min_to[j] < delta:
                    delta, j1 = min_to[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    min_to[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = []
    for j in range(1, m + 1):
        i = owner[j]
        if i and matrix[i - 1][j - 1] > 0:
            pairs.append((j - 1, i - 1) if transpose else (i - 1, j - 1))
    return sorted(pairs)


def safe_ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
