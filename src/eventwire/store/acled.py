"""ACLED's column conventions for the CSV export.

The rules are data (``data/acled_conventions.yaml``, ``data/acled_countries.csv``, both citing the ACLED
codebook); this module only applies them to one event.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from eventwire.model import Event
from eventwire.resources import load_csv, load_yaml

# ACLED's export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

# eventwire's own columns, after ACLED's.
EXTRA_COLUMNS: tuple[str, ...] = (
    "event_id", "date_start", "date_end", "fatalities_low", "fatalities_high", "quantities", "cameo",
    "plover_event", "plover_mode", "claimed_by", "article_ids", "source_count", "geonameid", "confidence",
    "review_status", "flags", "conflicts", "evidence",
)  # fmt: skip

CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS

_LIST_SEPARATOR = "; "  # ACLED joins associated actors and sources with "; "
_ID_DIGITS = 12  # collisions among 100k events of one country: about 1 in 200


@cache
def _conventions() -> dict[str, Any]:
    return load_yaml("acled_conventions.yaml")


@cache
def _countries() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Country rows indexed by ISO3 code and by lower-cased name."""
    rows = load_csv("acled_countries.csv")
    return {r["iso3"]: r for r in rows}, {r["name"].lower(): r for r in rows}


def country_row(iso3: str | None, country: str | None) -> dict[str, str] | None:
    by_iso3, by_name = _countries()
    if iso3 and iso3.upper() in by_iso3:
        return by_iso3[iso3.upper()]
    if country:
        return by_name.get(country.lower())
    return None


def disorder_type(event_type: str, sub_event_type: str) -> str:
    conv = _conventions()
    by_sub = conv["disorder_by_sub_event_type"]
    if sub_event_type in by_sub:
        return by_sub[sub_event_type]
    return conv["disorder_by_event_type"].get(event_type, "")


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes, lower first; a lone actor's code then 0."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def event_id_cnty(event_id: str, iso3: str | None) -> str:
    """ISO3 code plus a number derived from the event id: stable across runs and exports."""
    prefix = (iso3 or _conventions()["unknown_iso3"]).upper()
    digest = hashlib.sha256(event_id.encode("utf-8")).hexdigest()
    return f"{prefix}{int(digest, 16) % 10**_ID_DIGITS}"


def _joined(values: list[str]) -> str:
    return _LIST_SEPARATOR.join(v for v in values if v)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def acled_row(event: Event, updated_at: datetime | None = None) -> dict[str, Any]:
    """One CSV row: ACLED's columns then eventwire's; None becomes an empty cell."""
    country = country_row(event.iso3, event.country)
    updated = updated_at or datetime.now(UTC)
    row: dict[str, Any] = {
        "event_id_cnty": event_id_cnty(event.event_id, event.iso3 or (country or {}).get("iso3")),
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "year": event.event_date.year if event.event_date else None,
        "time_precision": event.time_precision,
        "disorder_type": disorder_type(event.event_type, event.sub_event_type),
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "assoc_actor_1": _joined(event.assoc_actor_1),
        "inter1": event.inter1,
        "actor2": event.actor2,
        "assoc_actor_2": _joined(event.assoc_actor_2),
        # ACLED writes 0 for the missing second actor of a one-sided event.
        "inter2": event.inter2 if event.inter2 is not None else (0 if event.inter1 else None),
        "interaction": interaction(event.inter1, event.inter2),
        "civilian_targeting": _conventions()["civilian_targeting_label"] if event.civilian_targeting else "",
        "iso": int(country["iso_numeric"]) if country else None,
        "region": country["region"] if country else None,
        "country": event.country,
        "admin1": event.admin1,
        "admin2": None,
        "admin3": None,
        "location": event.location,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "geo_precision": event.geo_precision,
        "source": _joined(event.sources),
        "source_scale": None,  # needs an outlet classification eventwire does not have
        "notes": event.notes,
        "fatalities": event.fatalities,
        "tags": None,
        "timestamp": int(updated.timestamp()),
        "event_id": event.event_id,
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "fatalities_low": event.fatalities_low,
        "fatalities_high": event.fatalities_high,
        "quantities": _json(event.quantities) if event.quantities else None,
        "cameo": event.cameo,
        "plover_event": event.plover_event,
        "plover_mode": event.plover_mode,
        "claimed_by": _joined(event.claimed_by),
        "article_ids": _joined(event.article_ids),
        "source_count": event.source_count,
        "geonameid": event.geonameid,
        "confidence": event.confidence,
        "review_status": event.review_status,
        "flags": _joined(event.flags),
        "conflicts": _json(event.conflicts) if event.conflicts else None,
        "evidence": _json([e.to_record() for e in event.evidence]),
    }
    return {k: ("" if v is None else v) for k, v in row.items()}
