"""Within one report, merge the mentions of one event (headline, lead, details, "these nighttime
airstrikes") into one event that carries all its evidence. Different places or different days stay apart
(ACLED codes one event per place and day)."""

from __future__ import annotations

from eventwire.events.taxonomy import family_of
from eventwire.model import Event


def _same_incident(a: Event, b: Event) -> bool:
    if family_of(a.sub_event_type) != family_of(b.sub_event_type):
        return False
    if a.date_start is None or b.date_start is None:
        if a.date_start is not b.date_start:
            return False  # a dated and an undated mention: nothing says they are one event
    elif a.date_start > b.date_end or b.date_start > a.date_end:
        return False
    if a.geonameid is not None and b.geonameid is not None:
        if a.geonameid != b.geonameid:
            return False
    elif a.location and b.location and a.location != b.location:
        return False
    if a.actor1 and b.actor1 and a.actor1 != b.actor1:
        return False
    return not (a.actor2 and b.actor2 and a.actor2 != b.actor2)


def _more_precise(a: Event, b: Event) -> bool:
    return (a.geo_precision or 9, a.time_precision or 9) < (b.geo_precision or 9, b.time_precision or 9)


def merge_in_document(events: list[Event]) -> list[Event]:
    """Fold events of one document that describe the same incident into the first of them."""
    from eventwire.dedup import absorb  # one merge rule for both scopes

    kept: list[Event] = []
    for event in events:
        for known in kept:
            if _same_incident(known, event):
                if _more_precise(event, known) and known.geo_precision is None:
                    # the detail sentence knows the place the headline lacked
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
                        setattr(known, name, getattr(event, name))
                if known.sub_event_type != event.sub_event_type and event.confidence > known.confidence:
                    known.sub_event_type = event.sub_event_type
                    known.event_type = event.event_type
                absorb(known, event)
                break
        else:
            kept.append(event)
    return kept
