"""Server-side summaries for the page: timeline bins and map clusters.

Both are computed by the database over the filtered events (GROUP BY), so the page never downloads 100k
events to draw them: the map asks for clusters of its zoom level, about one per 64 pixels.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

_MAX_BINS = 120
_CLUSTER_PX = 64  # a cluster cell is about this wide on screen


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def choose_bucket(first: date, last: date) -> str:
    """The finest of day, week, month, year that draws the span in at most about 120 bins."""
    days = (last - first).days + 1
    if days <= _MAX_BINS:
        return "day"
    if days <= 7 * _MAX_BINS:
        return "week"
    if days <= 31 * _MAX_BINS:
        return "month"
    return "year"


def _bin_start(day: date, bucket: str) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return _month_start(day)
    if bucket == "year":
        return date(day.year, 1, 1)
    return day


def _bin_after(start: date, bucket: str) -> date:
    if bucket == "day":
        return start + timedelta(days=1)
    if bucket == "week":
        return start + timedelta(days=7)
    if bucket == "month":
        return _next_month(start)
    return date(start.year + 1, 1, 1)


def timeline(day_counts: list[tuple[date, int]]) -> tuple[str, list[dict[str, Any]]]:
    """Contiguous bins (empty ones included) from the first to the last event date; each bin's ``end`` is
    its last day."""
    if not day_counts:
        return "day", []
    first, last = day_counts[0][0], day_counts[-1][0]
    bucket = choose_bucket(first, last)
    counts: dict[date, int] = defaultdict(int)
    for day, n in day_counts:
        counts[_bin_start(day, bucket)] += n
    bins: list[dict[str, Any]] = []
    start = _bin_start(first, bucket)
    while start <= last:
        after = _bin_after(start, bucket)
        bins.append({"start": start, "end": after - timedelta(days=1), "count": counts.get(start, 0)})
        start = after
    return bucket, bins


def cell_degrees(zoom: int) -> float:
    """Grid cell size in degrees of longitude for a Web Mercator zoom level (256-pixel tiles)."""
    return _CLUSTER_PX * 360.0 / (256 * 2**zoom)


def clusters(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge the per-(cell, event type) rows of ``Store.map_cells`` into one cluster per cell."""
    by_cell: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for row in cells:
        by_cell[(row["gx"], row["gy"])].append(row)
    out: list[dict[str, Any]] = []
    for rows in by_cell.values():
        count = sum(int(r["count"]) for r in rows)
        types = {r["event_type"]: int(r["count"]) for r in rows}
        main = max(rows, key=lambda r: (int(r["count"]), int(r["fatalities"] or 0), r["event_type"]))
        out.append(
            {
                "lat": sum(float(r["lat"]) * int(r["count"]) for r in rows) / count,
                "lon": sum(float(r["lon"]) * int(r["count"]) for r in rows) / count,
                "count": count,
                "fatalities": sum(int(r["fatalities"] or 0) for r in rows),
                "event_type": main["event_type"],
                "types": dict(sorted(types.items(), key=lambda kv: -kv[1])),
                "bounds": (
                    float(min(r["south"] for r in rows)),
                    float(min(r["west"] for r in rows)),
                    float(max(r["north"] for r in rows)),
                    float(max(r["east"] for r in rows)),
                ),
                "event_id": main["event_id"] if count == 1 else None,
            }
        )
    out.sort(key=lambda c: -c["count"])
    return out
