"""Are two reports one event? Hard contradictions first, then the support for merging.

Precision comes before recall. Two events are kept apart whenever anything contradicts: another family of
sub-event types, windows of days that do not meet, another country, places too far apart for their
precision, opposed actors on some side, incompatible tolls. What remains must also be *supported*:

- ACLED's unit (the same day, the same place, a shared named actor) suffices on its own;
- anything less needs corroboration beyond date, place and actors: equal tolls or counts, shared proper
  names (a quarter, a unit), the wording of the evidence; naming different sites hit (a market; a
  hospital) counts against. Actors do not corroborate: a daily series of strikes on one town shares its
  actors, and a week-long window fits every day of it.
- A report that fits several known events about equally well joins none of them (``choose``), unless those
  fit each other as well (``bridge``: one event whose first reports were kept apart).

The weights and thresholds were set on the synthetic stress set (``eventwire.evaluate.dedup_stress``,
seeds 1-3) and checked on other seeds; tests/test_dedup.py pins the behaviour they produce.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from eventwire.dedup.features import Features

# Merge radius for two points, by the coarser geo precision of the two: precision 1 is the place itself
# (reports naming a town and a district of it, or two gazetteer entries of one town); 2 is "near" it.
RADIUS_KM = {1: 10.0, 2: 30.0}
SAME_PLACE_KM = 2.0  # closer than this is one place under two names (Tadmur and Palmyra)
SYMMETRIC_FAMILY = "ground"  # armed clashes: the two parties have no order
# Tolls are compatible when their ranges overlap, or when the larger is at most FATALITY_RATIO times the
# smaller or FATALITY_GAP more (early and later tolls of one event); beyond that they are two events.
FATALITY_RATIO = 1.5
FATALITY_GAP = 3

# Support: the same day (1.0) and the same place (1.0) reach THRESHOLD together; anything less precise
# needs more. CORROBORATION_MIN (same place) and OTHER_PLACE_CORROBORATION (two towns a few km apart, a town
# and its province) are what a pair outside ACLED's unit needs from tolls, names and wording.
THRESHOLD = 2.0
CORROBORATION_MIN = 0.15
OTHER_PLACE_CORROBORATION = 0.5
# The only compatible known event, in the same place, needs less: nothing else known could be what the
# report describes (two reports of an ambush, one dated "on Saturday", one "in the past week").
UNIQUE_THRESHOLD = 1.3
UNIQUE_CORROBORATION = 0.2
# A country is shared by many events of a day: a report placed no better than that needs this much more.
COUNTRY_EXTRA = 0.6
# A new report that fits two known events almost equally well joins neither (it could be either).
MARGIN = 0.5

W_TEXT = 2.0  # times the Jaccard similarity of the evidence words (actors and places left out)
W_ACTOR_SIDE = 0.6  # per side sharing a specific actor, sides aligned (per shared party for a clash)
W_ACTOR_SWAPPED = 0.4  # per side when the sides are swapped
W_NAME = 0.2  # per shared proper name in the evidence beyond the location itself, at most 3
W_FATALITIES_EQUAL = 0.8  # a toll both give
W_FATALITIES_OVERLAP = 0.4  # ranges that overlap
W_QUANTITY_EQUAL = 0.3
W_QUANTITY_DIFFERENT = -0.2
# Both reports name what was hit and nothing in common (a market; a hospital): a doubt, not a veto, since
# outlets describe one site differently ("a military post", "an ammunition depot" of one base).
W_TARGET_DIFFERENT = -0.3
W_NEAR = 0.7  # times (1 - distance / radius)
W_MENTIONED = 0.8  # a point within the radius whose name the other report's evidence mentions
W_SAME_REGION = 0.5  # two region-level reports of one region
W_REGION = 0.6  # a region-level report and a point in that region
W_COUNTRY = 0.1  # a country-level report, or a region without a known province on one side


@dataclass(slots=True, frozen=True)
class Assessment:
    support: float  # evidence for one event (less COUNTRY_EXTRA for a country-level report)
    corroboration: float  # the part of it from tolls, quantities, names and wording
    same_day: bool
    same_place: bool
    actors_shared: bool  # some named actor on the same side (or on swapped sides) in both reports
    text: float


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _opposed(x: frozenset[str], y: frozenset[str]) -> bool:
    return bool(x) and bool(y) and not (x & y)


def _fatalities_compatible(a: Features, b: Features) -> bool:
    if a.fatalities <= 0 or b.fatalities <= 0:
        return True  # a report without a toll says nothing about it
    if a.fatalities_low <= b.fatalities_high and b.fatalities_low <= a.fatalities_high:
        return True
    lower, upper = (a, b) if a.fatalities_high < b.fatalities_low else (b, a)
    small, large = lower.fatalities_high, upper.fatalities_low
    return large <= FATALITY_RATIO * small or large - small <= FATALITY_GAP


def _place(a: Features, b: Features) -> tuple[float, bool] | None:
    """(support, same place) from the locations, or None when they contradict."""
    if a.iso3 and b.iso3 and a.iso3 != b.iso3:
        return None
    named_same = bool(a.place_names & b.place_names) or (
        a.geonameid is not None and a.geonameid == b.geonameid
    )
    # "shared named places": one report's location named in the other's evidence sentences
    mentioned = bool(a.place_names & b.names) or bool(b.place_names & a.names)
    if a.point and b.point:
        km = km_between(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        if named_same or km <= SAME_PLACE_KM:
            return 1.0, True
        radius = RADIUS_KM[max(a.geo_precision, b.geo_precision)]
        if km > radius:
            return None
        near = W_NEAR * (1.0 - km / radius)
        return (max(near, W_MENTIONED) if mentioned else near), False
    if not (a.iso3 and b.iso3):
        return None  # a region or country without a known country cannot be placed against anything
    coarse = [f for f in (a, b) if not f.point]
    for f in coarse:
        other = b if f is a else a
        if not f.country_only and f.admin1 and other.admin1 and other.admin1 != f.admin1:
            return None  # a province-level report of another province
    if any(f.country_only for f in coarse) or not (a.admin1 and b.admin1):
        return W_COUNTRY, False
    return (W_SAME_REGION if len(coarse) == 2 else W_REGION), False


def _date(a: Features, b: Features) -> float | None:
    if a.hi < b.lo or b.hi < a.lo:
        return None
    if a.day is not None and a.day == b.day:
        return 1.0
    # The chance that two uncertain reports mean the same day shrinks with the wider window.
    return 1.0 / max(a.days, b.days)


def _parties(a: Features, b: Features) -> float | None:
    """A clash has two parties and no order (ACLED): reports agree while together they name at most two."""
    mine, theirs = a.side1 | a.side2, b.side1 | b.side2
    if len(mine | theirs) > 2:
        return None
    return W_ACTOR_SIDE * len(mine & theirs)


def _actors(a: Features, b: Features) -> float | None:
    """Support from shared actors, or None when some side is opposed. The sides may be swapped (reports
    word who did what to whom differently) only when that is what makes an actor shared: a swap never
    just hides a contradiction. Clashes compare their parties without sides."""
    if a.family == SYMMETRIC_FAMILY:
        return _parties(a, b)
    straight = not _opposed(a.side1, b.side1) and not _opposed(a.side2, b.side2)
    swapped_shared = bool(a.side1 & b.side2) + bool(a.side2 & b.side1)
    swapped = swapped_shared > 0 and not _opposed(a.side1, b.side2) and not _opposed(a.side2, b.side1)
    if not (straight or swapped):
        return None
    best = W_ACTOR_SIDE * (bool(a.side1 & b.side1) + bool(a.side2 & b.side2)) if straight else 0.0
    return max(best, W_ACTOR_SWAPPED * swapped_shared) if swapped else best


def _details(a: Features, b: Features) -> float:
    score = 0.0
    if a.fatalities > 0 and b.fatalities > 0:
        if a.tolls & b.tolls:
            score += W_FATALITIES_EQUAL
        elif a.fatalities_low <= b.fatalities_high and b.fatalities_low <= a.fatalities_high:
            score += W_FATALITIES_OVERLAP

    if a.targets and b.targets and not (a.targets & b.targets):
        score += W_TARGET_DIFFERENT
    qa, qb = dict(a.quantities), dict(b.quantities)
    for key in qa.keys() & qb.keys():
        score += W_QUANTITY_EQUAL if qa[key] == qb[key] else W_QUANTITY_DIFFERENT
    return score


def _text(a: Features, b: Features) -> float:
    """The best Jaccard similarity between the evidence words of one report of each (a merged event keeps
    one word set per article)."""
    best = 0.0
    for x in a.texts:
        for y in b.texts:
            union = len(x | y)
            if union:
                best = max(best, len(x & y) / union)
    return best


def assess(a: Features, b: Features) -> Assessment | None:
    """None when a and b cannot be one event; else how strongly the reports support one event."""
    if a.family != b.family or a.articles & b.articles:
        return None  # events of one report were kept apart on purpose by the in-report merge
    when = _date(a, b)
    if when is None:
        return None
    where = _place(a, b)
    if where is None:
        return None
    who = _actors(a, b)
    if who is None or not _fatalities_compatible(a, b):
        return None
    text = _text(a, b)
    names = len((a.names & b.names) - a.place_names - b.place_names)
    # What only reports of one event share: not the actors, which a daily series of strikes shares too.
    corroboration = _details(a, b) + W_TEXT * text + W_NAME * min(names, 3)
    support = when + where[0] + who + corroboration
    if a.country_only or b.country_only:
        support -= COUNTRY_EXTRA
    return Assessment(round(support, 6), round(corroboration, 6), when == 1.0, where[1], who > 0, text)


def passes(c: Assessment) -> bool:
    """Enough support, and: ACLED's unit (the same day, the same place, a shared actor), or corroboration
    from what only reports of one event share."""
    unit = c.same_day and c.same_place and c.actors_shared
    needed = CORROBORATION_MIN if c.same_place else OTHER_PLACE_CORROBORATION
    return c.support >= THRESHOLD and (unit or c.corroboration >= needed)


def choose(scored: list[tuple[Assessment, str]]) -> str | None:
    """The event id to merge into among the assessments of every compatible known event, or None: the
    best must pass, and no other compatible event may come within MARGIN of it (the report could be either,
    so it joins neither). The only compatible event, in the same place, needs less (UNIQUE_THRESHOLD)."""
    if not scored:
        return None
    ranked = sorted(scored, key=lambda s: (-s[0].support, s[1]))
    best, event_id = ranked[0]
    if (
        len(ranked) == 1
        and best.same_place
        and best.support >= UNIQUE_THRESHOLD
        and best.corroboration >= UNIQUE_CORROBORATION
    ):
        return event_id
    if not passes(best):
        return None
    if len(ranked) > 1 and best.support - ranked[1][0].support < MARGIN:
        return None
    return event_id


def bridge(
    scored: list[tuple[Assessment, str]], between: Callable[[str, str], Assessment | None]
) -> list[str] | None:
    """When a report fits several known events almost equally well (within MARGIN of the best) and those
    all fit each other as well, they are one event whose first reports were kept apart: the ids, the one
    to keep first, the ones to fold into it after. Else None (the report could be either: it joins none)."""
    ranked = sorted((s for s in scored if passes(s[0])), key=lambda s: (-s[0].support, s[1]))
    if len(ranked) < 2:
        return None
    close = [event_id for verdict, event_id in ranked if ranked[0][0].support - verdict.support < MARGIN]
    for i, first in enumerate(close):
        for second in close[i + 1 :]:
            mutual = between(first, second)
            if mutual is None or not passes(mutual):
                return None
    return close if len(close) > 1 else None
