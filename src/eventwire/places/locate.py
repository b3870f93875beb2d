"""Where an event happened, from the places around the sentence that states it (ACLED's geography rules).

- The sentence's own locational places first; the dateline and actors' home countries never count
  ("BEIRUT —", "US forces" are flagged non-locational when found).
- A specific place beats its container: a town beats its province, anything beats the country.
- Destinations and origins of movement ("escaping to X") count only when nothing else is named.
- "the city", "the town" point back to the last town named before the sentence (relative phrases around it
  keep their precision: "northeast of the city" is precision 2 on that town).
- Several specific places for one event give one location each (ACLED codes one event per location).
- Nothing in the sentence: the fallback places (the lead sentence's, or the document's), with precision at
  least 2 (a town) or 3 (a region or country), since the report does not tie the event to them directly.
"""

from __future__ import annotations

import re
from dataclasses import replace

from eventwire.model import Document, PlaceMention, Sentence
from eventwire.places.gazetteer import ADMIN1, COUNTRY

_MOVEMENT = frozenset({"to", "towards", "from"})
_ANAPHOR = re.compile(
    r"\b(?:(?P<rel>(?:\d+(?:[.,]\d+)?\s*(?:km|kilometres?|kilometers?|miles?)\s+)?"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|"
    r"south-west)\s+of|near|outside|around|on the outskirts of|in the vicinity of|close to)\s+)?"
    r"(?:the|that|this)\s+(?:ancient\s+|historic\s+|same\s+|besieged\s+|embattled\s+)?(?P<noun>city|town|village)\b",
    re.I,
)


def _rank(pm: PlaceMention) -> int:
    """Specificity: 0 a point place, 1 a region or division, 2 a country."""
    if pm.place is None:
        return 0
    if pm.place.feature == COUNTRY:
        return 2
    if pm.place.feature in (ADMIN1, "L.RGN"):
        return 1
    return 0


def _contains(container: PlaceMention, inner: PlaceMention) -> bool:
    if container.place is None or inner.place is None:
        return False
    if container.place.feature == COUNTRY:
        return container.place.iso3 == inner.place.iso3
    if container.place.feature == ADMIN1:
        return container.place.iso3 == inner.place.iso3 and container.place.admin1 == inner.place.admin1
    return False


def _event_places(candidates: list[PlaceMention]) -> list[PlaceMention]:
    usable = [pm for pm in candidates if pm.locational]
    if not usable:
        return []
    # Where things move to or from is not where they happen, unless nothing else is named; then the origin
    # ("retreating from X, trying to escape to Y": struck at X).
    moving = [pm for pm in usable if pm.relation in _MOVEMENT]
    settled = [
        pm for pm in usable if pm.relation not in _MOVEMENT and not any(_contains(pm, o) for o in moving)
    ]  # "retreat from Aqerbat, Syria": Syria only contains the origin
    settled = settled or [pm for pm in moving if pm.relation == "from"] or moving
    # Drop containers of other named places (the province of a named town, the country of anything).
    # Two mentions of one country contain each other: neither makes the other less specific.
    specific = [
        pm for pm in settled if not any(_contains(pm, o) and not _contains(o, pm) for o in settled)
    ] or settled
    best_rank = min(_rank(pm) for pm in specific)
    chosen = [pm for pm in specific if _rank(pm) == best_rank]
    # One location per distinct place.
    out: list[PlaceMention] = []
    seen: set[tuple] = set()
    for pm in chosen:
        key = (
            (pm.place.geonameid, pm.place.name, pm.place.iso3) if pm.place else (None, pm.text.lower(), None)
        )
        if key not in seen:
            seen.add(key)
            out.append(pm)
    return out


def _anaphoric(doc: Document, sentence: Sentence, places: list[PlaceMention]) -> list[PlaceMention]:
    """ "northeast of the city": the last town named before the phrase, with the phrase's precision."""
    out = []
    for mm in _ANAPHOR.finditer(doc.text, sentence.start, sentence.end):
        earlier = [
            pm for pm in places
            if pm.end <= mm.start() and pm.locational and pm.place is not None and _rank(pm) == 0
        ]  # fmt: skip
        if not earlier:
            continue
        anchor = earlier[-1]
        rel = mm.group("rel")
        out.append(
            replace(
                anchor,
                start=mm.start(),
                end=mm.end(),
                text=doc.text[mm.start() : mm.end()],
                relation=re.sub(r"\s+", " ", rel.strip().lower()) if rel else "in",
                geo_precision=2 if rel else 1,
                score=anchor.score * 0.9,
            )
        )
    return out


def _lowered(pm: PlaceMention) -> PlaceMention:
    floor = 3 if _rank(pm) > 0 else 2
    return replace(pm, geo_precision=max(pm.geo_precision, floor), score=pm.score * 0.7)


def locate_event(
    doc: Document,
    sentence: Sentence,
    places: list[PlaceMention],
    *,
    fallback: list[PlaceMention] | None = None,
) -> list[PlaceMention]:
    """The event location(s) for an event stated in ``sentence``; [] when nothing is known."""
    own = [pm for pm in places if sentence.start <= pm.start < sentence.end]
    chosen = _event_places(own)
    if chosen and _rank(chosen[0]) == 0:
        return chosen
    anaphoric = _anaphoric(doc, sentence, places)
    if anaphoric:
        return _event_places(anaphoric)
    if chosen:
        return chosen
    if fallback:
        return [_lowered(pm) for pm in _event_places([pm for pm in fallback if pm.relation != "dateline"])]
    return []


def place_flags(mention: PlaceMention) -> list[str]:
    """Flags an event takes from its location: "country_only" when only the country is known."""
    if mention.place is not None and mention.place.feature == COUNTRY:
        return ["country_only"]
    if mention.place is None:
        return ["location_unresolved"]
    return []
