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


# Between two coordinated places of one list: "Homs (central), Deir ez-Zor (east), and Raqqa".
_COORDINATED = re.compile(
    r"^\s*(?:\([^)]{0,40}\))?\s*(?:provinces?|governorates?|regions?|districts?)?\s*"
    r"(?:,\s*(?:and|or)?|and|or|&)\s*(?:the\s+)?(?:(?:(?:port|border|northern|southern|eastern|western|"
    r"central|coastal|nearby|neighbouring|neighboring)\s+)?(?:towns?|city|cities|villages?|provinces?|areas?)"
    r"\s+of\s+)?$",
    re.I,
)
_CLAUSE_END = re.compile(
    r"[;:—–]|,\s+(?:and|but|while|whereas|which|who|after|before|as)\b|\b(?:but|while|when|where|whereas)\b"
)


def clause_bounds(text: str, sentence: Sentence, anchor: int) -> tuple[int, int]:
    """The clause of the sentence around ``anchor`` (character offsets)."""
    start, end = sentence.start, sentence.end
    for m in _CLAUSE_END.finditer(text, sentence.start, sentence.end):
        if m.end() <= anchor:
            start = m.end()
        elif m.start() >= anchor:
            end = m.start()
            break
    return start, end


def _nearest_group(text: str, candidates: list[PlaceMention], anchor: int) -> list[PlaceMention]:
    """The place nearest to the trigger and the places coordinated with it in one list. Places elsewhere in
    the sentence belong to other facts ("as fighting continues in Mosul, IS retook Palmyra")."""
    if len(candidates) <= 1:
        return candidates
    ordered = sorted(candidates, key=lambda pm: pm.start)

    def distance(pm: PlaceMention) -> int:
        # Places after the trigger ("struck X", "in X") are the usual attachment; before it, a little less.
        return pm.start - anchor if pm.start >= anchor else int((anchor - pm.end) * 1.5)

    nearest = min(ordered, key=distance)
    i = ordered.index(nearest)
    lo = hi = i
    while lo > 0 and _COORDINATED.match(text[ordered[lo - 1].end : ordered[lo].start]):
        lo -= 1
    while hi + 1 < len(ordered) and _COORDINATED.match(text[ordered[hi].end : ordered[hi + 1].start]):
        hi += 1
    return ordered[lo : hi + 1]


def _known_instead(group: list[PlaceMention], others: list[PlaceMention]) -> list[PlaceMention]:
    """A name no gazetteer knows, inside a known place ("the village of K in the south of Shadadi"): ACLED
    codes the nearest known place with precision 2; the unknown name stays when nothing is known."""
    out = []
    for pm in group:
        if pm.place is not None:
            out.append(pm)
            continue
        known = [o for o in others if o.place is not None and o.start > pm.end and o.locational]
        out.append(replace(known[0], geo_precision=max(2, known[0].geo_precision)) if known else pm)
    return out


# "the attacks in Iraq today, including one in Baghdad": a place singled out within the container
_SINGLED_OUT = re.compile(
    r"\b(?:including|such as|notably|especially|particularly|among them|mainly|mostly)\b", re.IGNORECASE
)
_COMPASS = (
    r"central|northern|southern|eastern|western|north-?eastern|north-?western|south-?eastern|south-?western"
)
_ADJACENT = re.compile(
    rf"^\s*(?:,|\bin\b|\bof\b)?\s*(?:(?:the\s+)?(?:{_COMPASS})\s+)?$"
    # "Syria's Idlib", "Syria's second city Aleppo", "Iraq's northern province of Nineveh"
    rf"|^(?:['’]s|s)?\s+(?:(?:second|third|largest|biggest|{_COMPASS}|main|besieged|embattled|rebel-held|"
    r"capital|city|town|province|governorate|region)\s+){0,3}(?:of\s+)?$",
    re.I,
)


_BORDER_WITH = re.compile(r"\bborders?\s+(?:with|of)\s+(?:the\s+)?\Z", re.I)
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?\Z", re.I)


# "in Tuz Khurmatu, a mixed town some 70 km (45 miles) south of Kirkuk": the distant town only says
# where the named one lies
_DISTANCE_APPOSITIVE = re.compile(
    r",\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}?(?:town|city|village|area|district|suburb|camp|base|neighbou?rhood)\s+"
    r"(?:(?:about|some|around|roughly|just|nearly|only)\s+)?\d[\d.,]*\s*(?:km|kilometres|kilometers|miles)\b"
    r"[^,.;]{0,30}?\b(?:north|south|east|west)\w*\s+of\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?\Z",
    re.I,
)


def _neighbour(text: str, pm: PlaceMention) -> bool:
    """ "close to the border with Turkey", "the crossing between Turkey and Idlib province": the neighbour
    country names where the place is, not where it happened; so does the town a named place is measured
    from ("Hit, a town about 50 km west of Ramadi")."""
    if _BORDER_WITH.search(text, max(0, pm.start - 30), pm.start):
        return True
    if _DISTANCE_APPOSITIVE.search(text, max(0, pm.start - 120), pm.start):
        return True
    return (
        pm.place is not None
        and pm.place.feature == COUNTRY
        and bool(_BETWEEN.search(text, max(0, pm.start - 30), pm.start))
        and re.match(r"\s+and\b", text[pm.end : pm.end + 6]) is not None
    )


def _anchored_places(
    text: str, sentence: Sentence, own: list[PlaceMention], anchor: int
) -> list[PlaceMention]:
    """The places of the event whose trigger is at ``anchor``: the nearest place in its clause and those
    listed with it; a country or province named right after a town ("Aqerbat, Syria") gives way to it."""
    usable = [pm for pm in own if pm.locational]
    if not usable:
        return []
    moving = [pm for pm in usable if pm.relation in _MOVEMENT]
    # "close to the border with Turkey": the neighbour names where the place is, not where it happened
    neighbours = [pm for pm in usable if _neighbour(text, pm)]
    settled = [pm for pm in usable if pm.relation not in _MOVEMENT and pm not in neighbours]
    pool = settled or [pm for pm in moving if pm.relation == "from"] or moving or neighbours
    clause_start, clause_end = clause_bounds(text, sentence, anchor)
    in_clause = [pm for pm in pool if clause_start <= pm.start < clause_end]
    group = _nearest_group(text, in_clause or pool, anchor)
    if group and all(_rank(pm) > 0 for pm in group):
        # "the attacks in Iraq today, including one in Baghdad": the most specific place the event's own
        # words give, when they give one inside the country or province
        inner = [
            o
            for o in pool
            if _rank(o) == 0
            and o.place is not None
            and any(_contains(pm, o) and _SINGLED_OUT.search(text[pm.end : o.start]) for pm in group)
        ]
        if not inner and all(pm.place is not None and pm.place.feature == COUNTRY for pm in group):
            # "fired missiles into Syria, striking Sabboura, an area outside Damascus": the country is
            # where the missiles went; a place inside it named later in the clause is where they hit
            inner = [
                o
                for o in in_clause
                if _rank(o) < 2 and o.start > group[-1].end and any(_contains(pm, o) for pm in group)
            ]
        if inner:
            group = _nearest_group(text, inner, anchor)
    refined: list[PlaceMention] = []
    for pm in group:
        inner = [
            o
            for o in usable
            if o is not pm
            and _contains(pm, o)
            and (
                _ADJACENT.match(text[o.end : pm.start])
                if o.end <= pm.start
                else _ADJACENT.match(text[pm.end : o.start])
            )
        ]
        refined.append(inner[0] if inner else pm)
    refined = [
        pm
        for pm in refined
        if not any(o is not pm and _contains(pm, o) and not _contains(o, pm) for o in refined)
    ]
    out: list[PlaceMention] = []
    seen: set[tuple] = set()
    for pm in _known_instead(refined, own):
        key = (pm.place.geonameid, pm.place.name) if pm.place else (None, pm.text.lower())
        if key not in seen:
            seen.add(key)
            out.append(pm)
    return out


def locate_event(
    doc: Document,
    sentence: Sentence,
    places: list[PlaceMention],
    *,
    fallback: list[PlaceMention] | None = None,
    anchor: int | None = None,
    exclude: list[tuple[int, int]] | None = None,
    earlier: list[PlaceMention] | None = None,
) -> list[PlaceMention]:
    """The event location(s) for an event stated in ``sentence``; [] when nothing is known.

    anchor: the trigger's offset; when given, only the place nearest to it (with the places listed together
    with it) counts, preferring the trigger's clause. exclude: spans (actor mentions) whose places are not
    locations ("Iraqi forces"). earlier: the report's places before the sentence, which "the city" may
    point back to.
    """
    spans = exclude or []
    own = [
        pm
        for pm in places
        if sentence.start <= pm.start < sentence.end
        and not any(s <= pm.start and pm.end <= e for s, e in spans)
    ]
    chosen = _event_places(own) if anchor is None else _anchored_places(doc.text, sentence, own, anchor)
    if chosen and _rank(chosen[0]) == 0:
        return chosen
    anaphoric = _anaphoric(doc, sentence, [*(earlier or []), *places])
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
