"""Cross-report event coreference: reports of one event become one event with all its sources.

Candidates are blocked by sub-event family, country and date, so each new event is compared with a handful
of stored ones, never with all. Two events merge only when nothing contradicts: compatible types, dates that
fit each other's precision, places that fit each other's precision, no conflicting actors. Precision comes
before recall: when in doubt, two events stay two.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta
from typing import Protocol

from eventwire.events.taxonomy import family_of
from eventwire.model import Event

# How far apart two reports' dates may be, by the coarser time precision of the two (ACLED: 1 day, 2 week,
# 3 month).
_DATE_SLACK = {1: timedelta(days=1), 2: timedelta(days=7), 3: timedelta(days=31)}
# How far apart two places may be, by the coarser geo precision (1 town, 2 near / part of, 3 region).
_DISTANCE_KM = {1: 5.0, 2: 25.0, 3: 150.0}


class EventSource(Protocol):
    def all_events(self) -> list[Event]: ...


def distance_km(a: Event, b: Event) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def compatible(a: Event, b: Event) -> bool:
    """True when a and b can be reports of one event."""
    if a.sub_event_type != b.sub_event_type and family_of(a.sub_event_type) != family_of(b.sub_event_type):
        return False
    if a.iso3 and b.iso3 and a.iso3 != b.iso3:
        return False
    if None in (a.date_start, a.date_end, b.date_start, b.date_end):
        return False  # undated reports never merge across documents: nothing says they are one event
    slack = _DATE_SLACK[max(a.time_precision or 3, b.time_precision or 3)]
    if a.date_start - slack > b.date_end or b.date_start - slack > a.date_end:
        return False
    if a.geonameid is not None and a.geonameid == b.geonameid:
        place_ok = True
    else:
        km = distance_km(a, b)
        if km is None:
            place_ok = a.location is not None and a.location == b.location
        else:
            place_ok = km <= _DISTANCE_KM[max(a.geo_precision or 3, b.geo_precision or 3)]
    if not place_ok:
        return False
    return not (a.actor1 and b.actor1 and a.actor1 != b.actor1)


def absorb(into: Event, other: Event) -> None:
    """Merge ``other``'s reports into ``into``; ``into`` keeps its id (ids stay stable)."""
    for name in ("article_ids", "sources", "claimed_by", "assoc_actor_1", "assoc_actor_2"):
        target = getattr(into, name)
        for value in getattr(other, name):
            if value not in target:
                target.append(value)
    seen = {(e.article_id, e.start, e.end) for e in into.evidence}
    into.evidence.extend(e for e in other.evidence if (e.article_id, e.start, e.end) not in seen)
    # ACLED: the most conservative figure a report gives; a report without a toll (0) does not lower it.
    if other.fatalities != into.fatalities:
        into.conflicts["fatalities"] = sorted(
            set(into.conflicts.get("fatalities", [])) | {into.fatalities, other.fatalities}
        )
    reported = [e for e in (into, other) if e.fatalities > 0]
    if reported:
        into.fatalities = min(e.fatalities for e in reported)
        into.fatalities_low = min(e.fatalities_low for e in reported)
        into.fatalities_high = max(e.fatalities_high for e in reported)
    for key, value in other.quantities.items():
        into.quantities.setdefault(key, value)
    # The most precise date and place win.
    if other.date_start is not None and (other.time_precision or 9) < (into.time_precision or 9):
        into.event_date, into.date_start, into.date_end = other.event_date, other.date_start, other.date_end
        into.time_precision = other.time_precision
    if (other.geo_precision or 9) < (into.geo_precision or 9) and other.latitude is not None:
        for name in (
            "country",
            "iso3",
            "admin1",
            "location",
            "latitude",
            "longitude",
            "geonameid",
            "geo_precision",
        ):
            setattr(into, name, getattr(other, name))
    into.actor1 = into.actor1 or other.actor1
    into.inter1 = into.inter1 if into.inter1 is not None else other.inter1
    into.actor2 = into.actor2 or other.actor2
    into.inter2 = into.inter2 if into.inter2 is not None else other.inter2
    into.civilian_targeting = into.civilian_targeting or other.civilian_targeting
    into.confidence = max(into.confidence, other.confidence)
    if into.review_status != "machine" and "new_evidence" not in into.flags:
        into.flags.append("new_evidence")


class Deduplicator:
    """An index of known events, blocked by (family, country); merges new events into it."""

    def __init__(self, source: EventSource | None = None) -> None:
        self._blocks: dict[tuple[str, str | None], list[Event]] = defaultdict(list)
        if source is not None:
            for event in source.all_events():
                self._add(event)

    def _add(self, event: Event) -> None:
        self._blocks[(family_of(event.sub_event_type), event.iso3)].append(event)

    def find(self, event: Event) -> Event | None:
        for known in self._blocks.get((family_of(event.sub_event_type), event.iso3), ()):
            if set(known.article_ids) & set(event.article_ids):
                continue  # events of one report were already kept apart on purpose
            if compatible(known, event):
                return known
        return None

    def merge(self, events: list[Event]) -> tuple[list[Event], int]:
        """Return the events to store (new ones and updated known ones) and how many were merged."""
        out: list[Event] = []
        merged = 0
        for event in events:
            known = self.find(event)
            if known is None:
                self._add(event)
                out.append(event)
            else:
                absorb(known, event)
                merged += 1
                if known not in out:
                    out.append(known)
        return out, merged
