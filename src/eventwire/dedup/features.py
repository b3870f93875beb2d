"""What the coreference decision looks at, computed once per event and kept beside it in the index.

Dates become day ordinals widened by a slack that follows ACLED's time precision; places keep their
coordinates, gazetteer id, names and geo precision; actors become the two sides' sets of *specific* actors
(an "Unidentified Armed Group" or "Civilians" never contradicts anyone); evidence sentences become sets of
content words per article, plus the proper names they mention.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from eventwire.events.taxonomy import family_of
from eventwire.model import Event
from eventwire.resources import load_lines, load_yaml

# Days added on each side of an event's interval, by time precision (1 day, 2 week, 3 month). A day-precise
# report gets none: two reports of different days are two events (ACLED codes one event per day). A week or
# month window already holds the uncertainty; the slack only absorbs off-by-one boundaries.
SLACK_DAYS = {1: 0, 2: 1, 3: 2}
# Intervals longer than this ("between March and May") are too vague to identify one event: never merged.
MAX_SPAN_DAYS = 62
# Geo precision 1 and 2 events are points (a town, or near it); 3 is a region or a country.
POINT_PRECISIONS = (1, 2)

_GENERIC_ACTOR = re.compile(r"^(?:Unidentified\b|Civilians\b|Unknown\b)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+", re.UNICODE)
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:al-|el-|ad-|ar-|as-|ash-|of\s+)?[A-Z][\w'’-]*)*")


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(load_lines("similarity_stopwords.txt"))


@lru_cache(maxsize=65536)
def normalise_name(name: str | None) -> str | None:
    """Case, diacritics, apostrophes and the Arabic article folded: "Ţarţūs" ~ "Tartus", "Al-Bab" ~ "Bab"."""
    if not name:
        return None
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"[‘’'`ʿʾ]", "", folded)
    folded = re.sub(r"^(?:al|el|ad|ar|as|ash|an)[\s-]+", "", folded)
    return re.sub(r"[\s-]+", " ", folded).strip() or None


@cache
def _target_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    kind_of = {word.lower(): kind for kind, words in load_yaml("target_kinds.yaml").items() for word in words}
    words = sorted(kind_of, key=len, reverse=True)  # longest first: "police station" before "station"
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"\b({alternation})(?:e?s)?\b", re.IGNORECASE), kind_of


@lru_cache(maxsize=65536)
def target_kinds(text: str) -> frozenset[str]:
    """The kinds of sites a sentence says were hit ("a bakery", "the field hospital"): target_kinds.yaml."""
    pattern, kind_of = _target_pattern()
    return frozenset(kind_of[re.sub(r"\s+", " ", m.group(1).lower())] for m in pattern.finditer(text))


@lru_cache(maxsize=65536)
def without_actors(text: str, when: date | None) -> str:
    """The sentence with its actor mentions blanked (the actor dictionary's aliases): actors are compared
    on their own, and "ISIS fighters" in two sentences says nothing about *which* ISIS attack they tell."""
    from eventwire.actors import get_actor_dictionary

    chars = list(text)
    for mention in get_actor_dictionary().find(text, when):
        chars[mention.start : mention.end] = " " * (mention.end - mention.start)
    return "".join(chars)


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """The words of a sentence that can tell one event from another (numbers included)."""
    stop = _stopwords()
    return frozenset(
        w for w in (m.lower() for m in _WORD.findall(text)) if w not in stop and (len(w) > 2 or w.isdigit())
    )


@lru_cache(maxsize=65536)
def proper_names(text: str) -> frozenset[str]:
    """Capitalised names in a sentence (places, units, organisations), normalised; sentence starters and
    stop words left out unless they continue a longer name."""
    stop = _stopwords()
    out = set()
    for m in _NAME.finditer(text):
        name = m.group(0)
        start = m.start()
        before = text[:start].rstrip()
        sentence_start = not before or before[-1] in '.!?\n"“'
        words = name.split()
        if sentence_start and len(words) == 1:
            continue
        if len(words) == 1 and (name.lower() in stop or len(name) < 3):
            continue
        key = normalise_name(name)
        if key:
            out.add(key)
    return frozenset(out)


def specific_actors(*names: str | None) -> frozenset[str]:
    return frozenset(n for n in names if n and not _GENERIC_ACTOR.match(n))


def interval(event: Event) -> tuple[int, int] | None:
    """The event's days as ordinals (without slack), or None when it has no usable date."""
    start, end = event.date_start, event.date_end
    if start is None or end is None:
        start = end = event.event_date
    if start is None or end is None:
        return None
    a, b = start.toordinal(), end.toordinal()
    return (a, b) if a <= b else (b, a)


def window(event: Event) -> tuple[int, int] | None:
    """The days the event may have happened on, widened by its precision's slack; None when the event
    cannot be merged across reports by date (undated, or spanning more than MAX_SPAN_DAYS)."""
    days = interval(event)
    if days is None or "date_unknown" in event.flags:
        return None
    lo, hi = days
    if hi - lo + 1 > MAX_SPAN_DAYS:
        return None
    slack = SLACK_DAYS.get(event.time_precision, SLACK_DAYS[3])
    return lo - slack, hi + slack


def is_point(event: Event) -> bool:
    """A town (or near it) with coordinates, as opposed to a region, a country or no place at all."""
    return (
        event.latitude is not None
        and event.longitude is not None
        and math.isfinite(event.latitude)
        and math.isfinite(event.longitude)
        and (event.geo_precision or 3) in POINT_PRECISIONS
    )


def is_placed(event: Event) -> bool:
    """Known well enough to compare: a point, or at least a country. Events without any place never merge
    across reports (one report's unplaced clash could be any clash of that day)."""
    return is_point(event) or bool(event.iso3)


@dataclass(slots=True, frozen=True)
class Features:
    event_id: str
    family: str
    lo: int  # window() of the event
    hi: int
    days: int  # how many days the reported interval covers (1 for a day-precise report)
    day: int | None  # the day, when the report gives exactly one
    time_precision: int
    iso3: str | None
    admin1: str | None
    place_names: frozenset[str]  # normalised location name (and admin1 for a region-level event)
    geonameid: int | None
    lat: float | None
    lon: float | None
    point: bool
    geo_precision: int
    country_only: bool
    side1: frozenset[str]
    side2: frozenset[str]
    fatalities: int
    fatalities_low: int
    fatalities_high: int
    tolls: frozenset[int]  # every toll a report of the event gave (a merged event keeps them in conflicts)
    quantities: tuple[tuple[str, int], ...]
    texts: tuple[frozenset[str], ...]  # content words of the evidence, one set per article
    names: frozenset[str]  # proper names in the evidence
    targets: frozenset[str]  # kinds of sites the evidence says were hit (target_kinds)
    articles: frozenset[str]
    reviewed: bool


def features(event: Event) -> Features | None:
    """The features of an event that can be merged across reports; None when it never can (no date,
    too vague a date, no place)."""
    win = window(event)
    if win is None or not is_placed(event):
        return None
    days = interval(event)
    assert days is not None  # window() checked it
    # The place is compared on its own; its name in the sentences would make every report of a town alike.
    place_words = content_words(" ".join(n for n in (event.location, event.admin1, event.country) if n))
    when = event.date_start
    by_article: dict[str, set[str]] = {}
    names: set[str] = set()
    targets: set[str] = set()
    for ev in event.evidence:
        targets.update(target_kinds(ev.text))
        text = without_actors(ev.text, when)
        by_article.setdefault(ev.article_id, set()).update(content_words(text) - place_words)
        names.update(proper_names(text))
    point = is_point(event)
    place_names = {n for n in (normalise_name(event.location),) if n}
    if not point and event.admin1 and "country_only" not in event.flags:
        place_names.add(normalise_name(event.admin1) or "")
    fat_low = min(event.fatalities_low or event.fatalities, event.fatalities)
    fat_high = max(event.fatalities_high, event.fatalities)
    return Features(
        event_id=event.event_id,
        family=family_of(event.sub_event_type),
        lo=win[0],
        hi=win[1],
        days=days[1] - days[0] + 1,
        day=days[0] if days[0] == days[1] else None,
        time_precision=event.time_precision,
        iso3=event.iso3,
        admin1=normalise_name(event.admin1),
        place_names=frozenset(place_names - {""}),
        geonameid=event.geonameid,
        lat=event.latitude if point else None,
        lon=event.longitude if point else None,
        point=point,
        geo_precision=event.geo_precision or 3,
        country_only="country_only" in event.flags,
        side1=specific_actors(event.actor1, *event.assoc_actor_1),
        side2=specific_actors(event.actor2, *event.assoc_actor_2),
        fatalities=event.fatalities,
        fatalities_low=fat_low,
        fatalities_high=fat_high,
        tolls=frozenset(
            t
            for t in (event.fatalities, *event.conflicts.get("fatalities", ()))
            if isinstance(t, int) and t > 0
        ),
        quantities=tuple(sorted(event.quantities.items())),
        texts=tuple(frozenset(words) for _, words in sorted(by_article.items())),
        names=frozenset(names),
        targets=frozenset(targets),
        articles=frozenset(event.article_ids) | frozenset(by_article),
        reviewed=event.review_status != "machine",
    )
