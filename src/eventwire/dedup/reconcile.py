"""Folding one report of an event into another, by ACLED's rules, with the disagreements kept.

- Fatalities: the most conservative figure any report gives (the smallest non-zero best figure; a report
  without a toll does not lower it), with the lowest low and the highest high across reports.
- Date and place: the most precise report wins (time precision, then the narrower interval; geo precision).
- Actors: a named actor replaces an unnamed one ("Unidentified Armed Group", none); two different named
  actors on one side are a disagreement, recorded, and the first report's stays.
- Everything else that two reports state differently (tolls, dates, locations, sub-event types,
  quantities) is recorded in ``conflicts``: field -> the distinct values the reports gave.
- The event keeps its id, every article id, source, evidence span and claimant, and counts its sources.
- An event a person has reviewed is never changed: the report's articles and evidence are attached, the
  flag ``new_evidence`` is set, and the store writes the change to its audit trail.

The same function serves the in-report merge (``eventwire.events.merge``) and cross-report coreference.
"""

from __future__ import annotations

from typing import Any

from eventwire.dedup.features import interval, normalise_name, specific_actors
from eventwire.model import Event

_PLACE_FIELDS = (
    "country", "iso3", "admin1", "location", "latitude", "longitude", "geonameid", "geo_precision",
)  # fmt: skip
_PLACE_FLAGS = frozenset({"country_only", "place_unresolved", "location_unresolved"})
_DATE_FIELDS = ("event_date", "date_start", "date_end", "time_precision")
_DATE_FLAGS = frozenset({"year_unknown", "date_unknown"})
NEW_EVIDENCE = "new_evidence"


def _union(target: list[Any], values: list[Any]) -> None:
    for value in values:
        if value not in target:
            target.append(value)


def _record(into: Event, key: str, *values: Any) -> None:
    """Add distinct values to a conflict; a field only becomes a conflict with two or more values."""
    known = list(into.conflicts.get(key, []))
    _union(known, [v for v in values if v is not None and v != ""])
    if len(known) > 1:
        into.conflicts[key] = sorted(known, key=lambda v: (str(type(v)), v))


def _new_reports(into: Event, other: Event) -> int:
    """How many independent sources ``other`` adds: its outlets not yet counted, plus its reports without a
    named outlet. Nothing when it brings no new article (the in-report merge)."""
    if not any(a not in into.article_ids for a in other.article_ids):
        return 0
    outlets = set(other.sources)
    unnamed = max(0, other.source_count - len(outlets))
    return len(outlets - set(into.sources)) + unnamed


def attach(into: Event, other: Event) -> bool:
    """Add other's articles, sources and evidence to ``into`` (nothing else); True if anything was new."""
    added = _new_reports(into, other)
    before = (len(into.article_ids), len(into.sources), len(into.evidence))
    _union(into.article_ids, other.article_ids)
    _union(into.sources, other.sources)
    seen = {(e.article_id, e.start, e.end) for e in into.evidence}
    for ev in other.evidence:
        if (ev.article_id, ev.start, ev.end) not in seen:
            seen.add((ev.article_id, ev.start, ev.end))
            into.evidence.append(ev)
    into.source_count += added
    return before != (len(into.article_ids), len(into.sources), len(into.evidence))


def _fatalities(into: Event, other: Event, within_report: bool = False) -> None:
    reported = [e for e in (into, other) if e.fatalities > 0]
    if not reported:
        return

    # The most conservative best figure (ACLED), among the figures that say most: a vague toll whose range
    # holds another report's figure ("dozens" coded 12 to 99, beside "17 killed") yields to that figure.
    # A merged event's range spans its reports, not one vague figure: its best figure was chosen already.
    def spread(e: Event) -> int:
        if "fatalities" in e.conflicts:
            return 0
        return max(e.fatalities_high, e.fatalities) - min(e.fatalities_low or e.fatalities, e.fatalities)

    informative = [
        e
        for e in reported
        if not any(
            o is not e
            and (e.fatalities_low or e.fatalities) <= o.fatalities <= max(e.fatalities_high, e.fatalities)
            and spread(o) < spread(e)
            for o in reported
        )
    ]
    # Across reports, the most conservative figure (ACLED). Within one report, mentions of one event that
    # differ tell parts of its toll ("Seven children killed" in the headline, "ten people including seven
    # children" in the lead) or its update ("the toll rose to 12"): the report's toll is the largest.
    pick = max if within_report else min
    best = pick(e.fatalities for e in informative or reported)
    _record(into, "fatalities", *(e.fatalities for e in reported))
    into.fatalities_low = min(min(e.fatalities_low or e.fatalities, e.fatalities) for e in reported)
    into.fatalities_high = max(max(e.fatalities_high, e.fatalities) for e in reported)
    into.fatalities = best


def _span(e: Event) -> tuple[str, int] | None:
    days = interval(e)
    if days is None:
        return None
    return f"{e.date_start.isoformat()}/{e.date_end.isoformat()}", days[1] - days[0]


def _dates(into: Event, other: Event) -> None:
    a, b = interval(into), interval(other)
    if b is None:
        return
    if a is not None and not (a[0] <= b[0] and b[1] <= a[1]) and not (b[0] <= a[0] and a[1] <= b[1]):
        _record(into, "date", _span(into)[0], _span(other)[0])  # type: ignore[index]
    more_precise = a is None or (other.time_precision, b[1] - b[0]) < (into.time_precision, a[1] - a[0])
    if more_precise:
        for name in _DATE_FIELDS:
            setattr(into, name, getattr(other, name))
        into.flags = [f for f in into.flags if f not in _DATE_FLAGS] + [
            f for f in other.flags if f in _DATE_FLAGS
        ]


def _places(into: Event, other: Event) -> None:
    if (
        into.location
        and other.location
        and normalise_name(into.location) != normalise_name(other.location)
        and into.geonameid != other.geonameid
    ):
        _record(into, "location", into.location, other.location)
    other_rank = other.geo_precision or 9 if other.latitude is not None else 9
    into_rank = into.geo_precision or 9 if into.latitude is not None else 9
    if other_rank < into_rank:
        for name in _PLACE_FIELDS:
            setattr(into, name, getattr(other, name))
        into.flags = [f for f in into.flags if f not in _PLACE_FLAGS] + [
            f for f in other.flags if f in _PLACE_FLAGS
        ]


def _actors(into: Event, other: Event) -> None:
    for name, inter in (("actor1", "inter1"), ("actor2", "inter2")):
        mine, theirs = getattr(into, name), getattr(other, name)
        if theirs is None or theirs == mine:
            continue
        if theirs in (into.actor1, into.actor2):
            continue  # already on the other side: one actor is never both the attacker and the attacked
        if not specific_actors(mine) and (specific_actors(theirs) or mine is None):
            setattr(into, name, theirs)
            setattr(into, inter, getattr(other, inter))
        elif specific_actors(mine) and specific_actors(theirs):
            _record(into, name, mine, theirs)
    for name, main in (("assoc_actor_1", "actor1"), ("assoc_actor_2", "actor2")):
        _union(getattr(into, name), [a for a in getattr(other, name) if a != getattr(into, main)])
    if into.inter1 is None:
        into.inter1 = other.inter1
    if into.inter2 is None:
        into.inter2 = other.inter2


def _quantities(into: Event, other: Event, within_report: bool = False) -> None:
    for key, value in other.quantities.items():
        mine = into.quantities.get(key)
        if mine is None:
            into.quantities[key] = value
        elif mine != value:
            spread = dict(into.conflicts.get("quantities", {}))
            spread[key] = sorted(set(spread.get(key, [])) | {mine, value})
            into.conflicts["quantities"] = dict(sorted(spread.items()))
            # as for tolls: across reports the conservative count; within one report the largest (a later
            # mention tells a part: "27 wounded" in the lead, "wounding a girl" in a later paragraph)
            into.quantities[key] = max(mine, value) if within_report else min(mine, value)


def absorb(into: Event, other: Event, *, within_report: bool = False) -> None:
    """Fold ``other``'s report into ``into``; ``into`` keeps its id (ids stay stable). ``within_report``:
    both are mentions of one event in one report (the in-document merge), not two reports."""
    if into.review_status != "machine":
        if attach(into, other) and NEW_EVIDENCE not in into.flags:
            into.flags.append(NEW_EVIDENCE)
        return
    attach(into, other)
    _union(into.claimed_by, other.claimed_by)
    if other.sub_event_type != into.sub_event_type:
        _record(into, "sub_event_type", into.sub_event_type, other.sub_event_type)
    _fatalities(into, other, within_report)
    _quantities(into, other, within_report)
    _dates(into, other)
    _places(into, other)
    _actors(into, other)
    into.civilian_targeting = into.civilian_targeting or other.civilian_targeting
    into.confidence = max(into.confidence, other.confidence)
    into.explicitness = max(into.explicitness, other.explicitness)
    into.notes = into.notes or other.notes
    _union(into.flags, [f for f in other.flags if f not in _PLACE_FLAGS | _DATE_FLAGS])
