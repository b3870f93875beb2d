"""Blocking keys: which stored events a new event is compared with.

An event is filed under (sub-event family, week, place) keys, and looks itself up under the keys of its
neighbourhood, so each new event meets the handful of events that could be the same one and never the
whole store. The same keys serve the in-memory index and the ``event_blocks`` table of the store, so both
find exactly the same candidates.

- Time: every week (day ordinal // 7) that the event's window (``features.window``) touches. Two events
  whose windows share a day share a week.
- Points (geo precision 1-2): a grid cell of CELL_DEGREES; a point looks in its cell and the 8 around it,
  which covers at least MAX_POINT_RADIUS_KM in every direction (0.5 degrees of longitude is 45 km at 35 N,
  more nearer the equator; the merge radius for points is at most 30 km, see ``decide``).
- Regions and countries (geo precision 3, or no coordinates): the country. Every placed event is also
  filed under its country ("a"), and coarse ones under a second key ("c"), so that a coarse event meets all
  events of its country and week while a point event meets only the coarse events of its country besides
  its grid neighbours.
"""

from __future__ import annotations

import math

from eventwire.dedup.features import is_placed, is_point, window
from eventwire.events.taxonomy import family_of
from eventwire.model import Event

CELL_DEGREES = 0.5
WEEK_DAYS = 7
_CELLS_AROUND = 1  # 3 x 3 neighbourhood
_LON_CELLS = int(360 / CELL_DEGREES)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES) % _LON_CELLS


def _weeks(event: Event) -> range | None:
    win = window(event)
    if win is None:
        return None
    return range(win[0] // WEEK_DAYS, win[1] // WEEK_DAYS + 1)


def index_keys(event: Event) -> list[str]:
    """The keys an event is filed under; [] for an event that never merges across reports."""
    weeks = _weeks(event)
    if weeks is None or not is_placed(event):
        return []
    family = family_of(event.sub_event_type)
    point = is_point(event)
    cell = _cell(event.latitude, event.longitude) if point else None  # type: ignore[arg-type]
    keys: list[str] = []
    for week in weeks:
        if cell is not None:
            keys.append(f"{family}|{week}|g{cell[0]},{cell[1]}")
        if event.iso3:
            keys.append(f"{family}|{week}|a{event.iso3}")
            if not point:
                keys.append(f"{family}|{week}|c{event.iso3}")
    return keys


def query_keys(event: Event) -> list[str]:
    """The keys under which an event's possible duplicates are filed."""
    weeks = _weeks(event)
    if weeks is None or not is_placed(event):
        return []
    family = family_of(event.sub_event_type)
    keys: list[str] = []
    if is_point(event):
        row, col = _cell(event.latitude, event.longitude)  # type: ignore[arg-type]
        around = range(-_CELLS_AROUND, _CELLS_AROUND + 1)
        cells = [(row + dr, (col + dc) % _LON_CELLS) for dr in around for dc in around]
        for week in weeks:
            keys.extend(f"{family}|{week}|g{r},{c}" for r, c in cells)
            if event.iso3:
                keys.append(f"{family}|{week}|c{event.iso3}")
    elif event.iso3:
        keys.extend(f"{family}|{week}|a{event.iso3}" for week in weeks)
    return keys
