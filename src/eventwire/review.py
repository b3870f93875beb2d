"""A person's review of one event: confirm it, correct fields, or reject it.

The web API (PATCH /api/events/{id}) and anything else that records reviews share these rules, so an
edited event always stays a valid record: dates in order, ACLED codes from the taxonomy, counts that are
not negative, coordinates on the globe. Review statuses: "machine" (never reviewed), "confirmed",
"edited", "rejected", and "merged" (folded into another event).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from eventwire.events.taxonomy import taxonomy
from eventwire.model import Event

ACTIONS = {"confirm": "confirmed", "edit": "edited", "reject": "rejected"}
REVIEW_STATUSES = ("machine", "confirmed", "edited", "rejected", "merged")

_TEXT = ("actor1", "actor2", "country", "iso3", "admin1", "location", "cameo", "plover_event", "plover_mode")
_TEXT_LISTS = ("assoc_actor_1", "assoc_actor_2", "claimed_by")
_DATES = ("event_date", "date_start", "date_end")
_COUNTS = ("fatalities", "fatalities_low", "fatalities_high")
_PRECISIONS = ("time_precision", "geo_precision")
_OTHER = ("event_type", "sub_event_type", "inter1", "inter2", "civilian_targeting", "latitude", "longitude")
_OTHER += ("geonameid", "quantities", "notes")
# What a reviewer may change. Ids, articles, sources and evidence come from the reports and stay.
EDITABLE = frozenset((*_TEXT, *_TEXT_LISTS, *_DATES, *_COUNTS, *_PRECISIONS, *_OTHER))


class ReviewError(ValueError):
    """A review that cannot be applied as asked (unknown field, wrong type, inconsistent values)."""


def apply_review(event: Event, action: str, changes: dict[str, Any] | None = None) -> Event:
    """``event`` with the review applied (it is changed in place and returned). Field changes are allowed
    with any action: a reviewer may correct a field and confirm in one step; any change makes the status
    "edited" unless the action is "reject"."""
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
    changes = dict(changes or {})
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ReviewError(f"field(s) not editable: {', '.join(unknown)}")
    for name, value in changes.items():
        setattr(event, name, _coerce(name, value))
    _fit_dates(event, changes)
    _fit_counts(event, changes)
    _fit_types(event, changes)
    status = ACTIONS[action]
    if changes and action == "confirm":
        status = "edited"
    event.review_status = status
    if "new_evidence" in event.flags:  # the reviewer has now seen the evidence that came in
        event.flags.remove("new_evidence")
    return event


def _coerce(name: str, value: Any) -> Any:
    if name in _TEXT:
        return _text(name, value)
    if name in _TEXT_LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ReviewError(f"{name} must be a list of names")
        return [v.strip() for v in value if v.strip()]
    if name in _DATES:
        if value is None:
            return None
        try:
            return date.fromisoformat(value) if isinstance(value, str) else _bad(name, "a date YYYY-MM-DD")
        except ValueError:
            raise ReviewError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from None
    if name in _COUNTS:
        n = _integer(name, value)
        if n is None or n < 0:
            raise ReviewError(f"{name} must be a whole number >= 0")
        return n
    if name in _PRECISIONS:
        n = _integer(name, value)
        if (n is None and name == "time_precision") or (n is not None and n not in (1, 2, 3)):
            raise ReviewError(f"{name} must be 1, 2 or 3")
        return n
    if name in ("inter1", "inter2", "geonameid"):
        return _integer(name, value)
    if name == "civilian_targeting":
        return value if isinstance(value, bool) else _bad(name, "true or false")
    if name in ("latitude", "longitude"):
        return _coordinate(name, value)
    if name == "quantities":
        ok = isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in value.items()
        )
        return dict(value) if ok else _bad(name, 'an object of counts, e.g. {"strikes": 3}')
    if name == "notes":
        return value if isinstance(value, str) else _bad(name, "text")
    if name in ("event_type", "sub_event_type"):
        return value if isinstance(value, str) and value else _bad(name, "an ACLED type name")
    raise ReviewError(f"field not editable: {name}")  # pragma: no cover - EDITABLE is checked first


def _bad(name: str, what: str) -> Any:
    raise ReviewError(f"{name} must be {what}")


def _text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        _bad(name, "text or null")
    return value.strip() or None


def _integer(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        _bad(name, "a whole number")
    return value


def _coordinate(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _bad(name, "a number")
    bound = 90.0 if name == "latitude" else 180.0
    if not -bound <= value <= bound:
        _bad(name, f"between -{bound:g} and {bound:g}")
    return float(value)


def _fit_dates(event: Event, changes: dict[str, Any]) -> None:
    """An edited event_date moves a range it falls outside of; a date may be unknown only as a whole."""
    if not set(_DATES) & set(changes):
        return
    if "event_date" in changes and not {"date_start", "date_end"} & set(changes):
        day = event.event_date
        if day is None:
            event.date_start = event.date_end = None
        elif (
            event.date_start is None
            or event.date_end is None
            or not event.date_start <= day <= event.date_end
        ):
            event.date_start = event.date_end = day
            event.time_precision = 1
    values = (event.event_date, event.date_start, event.date_end)
    if any(v is None for v in values) and not all(v is None for v in values):
        raise ReviewError("event_date, date_start and date_end are either all known or all unknown (null)")
    if values[0] is not None and not event.date_start <= event.event_date <= event.date_end:
        raise ReviewError("dates must satisfy date_start <= event_date <= date_end")


def _fit_counts(event: Event, changes: dict[str, Any]) -> None:
    """A lone fatalities edit widens the low/high range to include it."""
    if not set(_COUNTS) & set(changes):
        return
    if "fatalities" in changes:
        if "fatalities_low" not in changes:
            event.fatalities_low = min(event.fatalities_low, event.fatalities)
        if "fatalities_high" not in changes:
            event.fatalities_high = max(event.fatalities_high, event.fatalities)
    if not event.fatalities_low <= event.fatalities <= event.fatalities_high:
        raise ReviewError("fatalities must satisfy fatalities_low <= fatalities <= fatalities_high")


def _fit_types(event: Event, changes: dict[str, Any]) -> None:
    """A sub-event type must be ACLED's and decides the event type; its default codes follow it."""
    if "sub_event_type" not in changes and "event_type" not in changes:
        return
    known = taxonomy()
    sub = known.get(event.sub_event_type)
    if sub is None:
        raise ReviewError(f"unknown sub_event_type {event.sub_event_type!r}")
    if "event_type" in changes and "sub_event_type" in changes and changes["event_type"] != sub.event_type:
        raise ReviewError(f"sub_event_type {sub.name!r} belongs to event_type {sub.event_type!r}")
    if "event_type" in changes and "sub_event_type" not in changes and event.event_type != sub.event_type:
        raise ReviewError(f"event_type {event.event_type!r} does not fit sub_event_type {sub.name!r}")
    event.event_type = sub.event_type
    if "sub_event_type" in changes:
        for name in ("cameo", "plover_event", "plover_mode"):
            if name not in changes:
                setattr(event, name, getattr(sub, name))
