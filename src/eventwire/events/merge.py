"""Within one report, merge the mentions of one event (headline, lead, details, "these nighttime
airstrikes") into one event that carries all its evidence. Different places or different days stay apart
(ACLED codes one event per place and day).

A mention that names a place only at a coarser level (the country, the province) than another mention of
the same kind of event is the same event told less precisely: "strikes in central Syria" in a headline and
"strikes northeast of Palmyra" in the body. Two specific places, or two dates that cannot overlap, are two
events.
"""

from __future__ import annotations

from eventwire.actors import get_actor_dictionary
from eventwire.events.taxonomy import VIOLENT_EVENT_TYPES as _VIOLENT
from eventwire.events.taxonomy import family_of
from eventwire.model import Event

PLACE_FIELDS = (
    "country",
    "iso3",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geonameid",
    "geo_precision",
)
_NEAR_KM = 25.0  # "near X" and "X" within this distance are one place
_SAME_KM = 5.0


def place_level(event: Event) -> int:
    """0 unknown, 1 country, 2 province or region, 3 a town or site (coarse to specific)."""
    if event.location is None and event.iso3 is None:
        return 0
    if "country_only" in event.flags:
        return 1
    if (event.geo_precision or 3) >= 3:
        return 2
    return 3


def places_compatible(a: Event, b: Event) -> bool:
    """True when one place is the other, contains it, or lies near it."""
    from eventwire.dedup.decide import km_between

    level_a, level_b = place_level(a), place_level(b)
    if level_a == 0 or level_b == 0:
        return True
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if a.iso3 and b.iso3 and a.iso3 != b.iso3:
        return False
    coarse, fine = (a, b) if level_a <= level_b else (b, a)
    if place_level(coarse) == 1:
        return bool(coarse.iso3) and coarse.iso3 == fine.iso3
    if place_level(coarse) == 2 and place_level(fine) == 3:
        return coarse.admin1 is not None and coarse.admin1 == fine.admin1
    coords = (a.latitude, a.longitude, b.latitude, b.longitude)
    km = None if None in coords else km_between(*coords)  # type: ignore[arg-type]
    if km is None:
        return a.location is not None and a.location == b.location
    near = max(a.geo_precision or 1, b.geo_precision or 1) >= 2
    return km <= (_NEAR_KM if near else _SAME_KM)


def dates_compatible(a: Event, b: Event) -> bool:
    if a.date_start is None or b.date_start is None:
        return a.date_start is b.date_start  # a dated and an undated mention: nothing says they are one
    return not (a.date_start > b.date_end or b.date_start > a.date_end)


def unidentified(name: str | None) -> bool:
    """ACLED's placeholder for a perpetrator the report does not name: it is compatible with any name."""
    return name is None or name.startswith("Unidentified")


def actors_compatible(a: Event, b: Event) -> bool:
    def same(x: str | None, y: str | None, y_assoc: list[str]) -> bool:
        return unidentified(x) or unidentified(y) or x == y or x in y_assoc

    if _crowd(a) is not None and _crowd(a) == _crowd(b):
        return True  # "protesters rallied" and "rioters clashed with police": one crowd, as it turned violent
    return same(a.actor1, b.actor1, b.assoc_actor_1) or same(b.actor1, a.actor1, a.assoc_actor_1)


def _crowd(event: Event) -> str | None:
    """The country of a demonstration's crowd ("Protesters (Chile)" or "Rioters (Chile)"), whichever side."""
    if family_of(event.sub_event_type) != "protest":
        return None
    dictionary = get_actor_dictionary()
    for name in (event.actor1, event.actor2):
        info = dictionary.info(name) if name else None
        if info is not None and info.inter in (5, 6) and info.country:  # rioters, protesters
            return info.country
    return None


def _generic(event: Event) -> bool:
    return "type_from_context" in event.flags


def _told_together(a: Event, b: Event) -> bool:
    """Whether the two events were first told in one sentence (their own evidence is the same sentence)."""
    return bool(a.evidence and b.evidence) and (a.evidence[0].article_id, a.evidence[0].start) == (
        b.evidence[0].article_id,
        b.evidence[0].start,
    )


def _same_incident(a: Event, b: Event) -> bool:
    if family_of(a.sub_event_type) != family_of(b.sub_event_type):
        # "an attack on a mosque" and "the attack was an air strike": a mention typed from context only is
        # the same incident as a specifically worded one of the same kind of violence, at the same place
        if not (_generic(a) or _generic(b)) or a.event_type not in _VIOLENT or b.event_type not in _VIOLENT:
            return False
        if place_level(a) == 0 or place_level(b) == 0:
            return False
        if _told_together(a, b):
            # "rebels kidnapped 16 advisers ... and exploded a series of bombs": one sentence that tells two
            # kinds of violence tells two deeds (the candidate stage already kept one event per kind there)
            return False
    if not dates_compatible(a, b) or not places_compatible(a, b):
        return False
    if not actors_compatible(a, b):
        return False
    return not (a.actor2 and b.actor2 and a.actor2 != b.actor2)


# ACLED's demonstration hierarchy: a demonstration that turned violent anywhere in the report is a Violent
# demonstration; against peaceful demonstrators, lethal force outranks lesser intervention.
_DEMONSTRATION_SEVERITY = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Excessive force against protesters": 2,
    "Violent demonstration": 3,
}


def _more_severe_demonstration(event: Event, known: Event) -> bool:
    return _DEMONSTRATION_SEVERITY[event.sub_event_type] > _DEMONSTRATION_SEVERITY[known.sub_event_type]


def take_place(known: Event, event: Event) -> None:
    """Give ``known`` the more precise place of another mention of it."""
    for name in PLACE_FIELDS:
        setattr(known, name, getattr(event, name))
    known.flags = [f for f in known.flags if f != "country_only"]


def merge_in_document(events: list[Event]) -> list[Event]:
    """Fold events of one document that describe the same incident into the first of them."""
    from eventwire.dedup import absorb  # one merge rule for both scopes

    kept: list[Event] = []
    for event in events:
        for known in kept:
            if _same_incident(known, event):
                if place_level(event) > place_level(known):
                    # the detail sentence knows the place the headline gave only as a country or province
                    take_place(known, event)
                demonstrations = (
                    _DEMONSTRATION_SEVERITY.get(known.sub_event_type) is not None
                    and _DEMONSTRATION_SEVERITY.get(event.sub_event_type) is not None
                )
                if known.sub_event_type != event.sub_event_type and (
                    _more_severe_demonstration(event, known)
                    if demonstrations
                    else (_generic(known) and not _generic(event))
                    or (_generic(known) == _generic(event) and event.explicitness > known.explicitness)
                ):
                    if demonstrations:
                        # a demonstration's roles follow its type: force against protesters is the force's
                        # deed (actor1), a protest the protesters'
                        known.actor1, known.inter1 = event.actor1, event.inter1
                        known.actor2, known.inter2 = event.actor2, event.inter2
                    known.sub_event_type = event.sub_event_type
                    known.event_type = event.event_type
                    known.cameo, known.plover_event, known.plover_mode = (
                        event.cameo,
                        event.plover_event,
                        event.plover_mode,
                    )
                    if not _generic(event):
                        known.flags = [f for f in known.flags if f != "type_from_context"]
                if unidentified(known.actor1) and not unidentified(event.actor1):
                    known.actor1, known.inter1 = (
                        event.actor1,
                        event.inter1,
                    )  # the report names the perpetrator
                absorb(known, event, within_report=True)
                break
        else:
            kept.append(event)
    return kept
