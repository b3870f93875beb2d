"""The gold event format (documented in gold/README.md): loading and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eventwire.evaluate.common import acled_sub_event_types, parse_date, read_jsonl


@dataclass(slots=True)
class GoldPlace:
    lat: float | None = None
    lon: float | None = None
    tolerance_km: float = 25.0
    country: str | None = None
    admin1: str | None = None
    name: str | None = None  # for people reading the gold; never compared

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(slots=True)
class GoldEvent:
    id: str
    doc_id: str
    required: bool
    sub_event_types: list[str]
    date_start: date
    date_end: date
    place: GoldPlace
    actor1: list[re.Pattern[str]] = field(default_factory=list)
    actor2: list[re.Pattern[str]] = field(default_factory=list)
    time_precision: int | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    quantities: dict[str, int] = field(default_factory=dict)
    merge_group: str | None = None
    evidence: list[tuple[int, int]] = field(default_factory=list)
    note: str = ""


@dataclass(slots=True)
class GoldDocument:
    doc_id: str
    dataset: str
    published: date | None
    events: list[GoldEvent]
    source: str | None = None


class GoldFormatError(ValueError):
    pass


def _patterns(value: Any, where: str) -> list[re.Pattern[str]]:
    if value in (None, "", []):
        return []
    items = [value] if isinstance(value, str) else list(value)
    try:
        return [re.compile(item, re.IGNORECASE) for item in items]
    except re.error as exc:
        raise GoldFormatError(f"{where}: bad actor pattern ({exc})") from exc


def _place(raw: Any, where: str) -> GoldPlace:
    if not isinstance(raw, dict) or not raw:
        raise GoldFormatError(f"{where}: place must be an object with lat/lon, admin1 or country")
    place = GoldPlace(
        lat=raw.get("lat"),
        lon=raw.get("lon"),
        tolerance_km=float(raw.get("tolerance_km", 25.0)),
        country=raw.get("country"),
        admin1=raw.get("admin1"),
        name=raw.get("name"),
    )
    if not place.has_point and not place.admin1 and not place.country:
        raise GoldFormatError(f"{where}: place needs lat/lon, admin1 or country")
    return place


def _event(raw: dict[str, Any], doc_id: str, known_types: set[str]) -> GoldEvent:
    where = f"{doc_id}/{raw.get('id', '?')}"
    types = list(raw.get("sub_event_types") or [])
    unknown = [t for t in types if t not in known_types]
    if not types or unknown:
        raise GoldFormatError(f"{where}: sub_event_types must be ACLED names (unknown: {unknown or 'none'})")
    window = raw.get("date") or {}
    start, end = parse_date(window.get("start")), parse_date(window.get("end") or window.get("start"))
    if start is None or end is None or end < start:
        raise GoldFormatError(f"{where}: date needs an ISO start and end with start <= end")
    return GoldEvent(
        id=str(raw["id"]),
        doc_id=doc_id,
        required=bool(raw.get("required", True)),
        sub_event_types=types,
        date_start=start,
        date_end=end,
        place=_place(raw.get("place"), where),
        actor1=_patterns(raw.get("actor1"), where),
        actor2=_patterns(raw.get("actor2"), where),
        time_precision=raw.get("time_precision"),
        geo_precision=raw.get("geo_precision"),
        fatalities=raw.get("fatalities"),
        quantities=dict(raw.get("quantities") or {}),
        merge_group=raw.get("merge_group"),
        evidence=[(int(s), int(e)) for s, e in raw.get("evidence") or []],
        note=raw.get("note", ""),
    )


def parse_gold_document(raw: dict[str, Any]) -> GoldDocument:
    known = set(acled_sub_event_types())
    doc_id = str(raw["doc_id"])
    events = [_event(e, doc_id, known) for e in raw.get("events") or []]
    ids = [e.id for e in events]
    if len(ids) != len(set(ids)):
        raise GoldFormatError(f"{doc_id}: event ids repeat")
    return GoldDocument(
        doc_id=doc_id,
        dataset=str(raw.get("dataset", "")),
        published=parse_date(raw.get("published")),
        events=events,
        source=raw.get("source"),
    )


def load_gold(path: str | Path) -> list[GoldDocument]:
    docs = [parse_gold_document(raw) for raw in read_jsonl(path)]
    ids = [d.doc_id for d in docs]
    if len(ids) != len(set(ids)):
        raise GoldFormatError(f"{path}: a doc_id appears twice")
    return docs
