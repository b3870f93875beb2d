"""Server-side summaries for the page: timeline bins and map clusters.

Both are computed by the database over the filtered events (GROUP BY), so the page never downloads 100k
events to draw them: the map asks for clusters of its zoom level, about one per 64 pixels.
"""

from __future__ import annotations

import math
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


def clusters(cells: list[dict[str, Any]], cell_deg: float) -> list[dict[str, Any]]:
    """One cluster per grid cell from the per-(cell, event type) rows of ``Store.map_cells``; then a
    cluster whose centre lies within 0.8 cell widths of a bigger neighbour's (on screen) joins it, so that
    markers of adjacent cells do not pile up on each other."""
    by_cell: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in cells:
        by_cell[(int(row["gx"]), int(row["gy"]))].append(row)
    found = {key: _cell_cluster(rows) for key, rows in by_cell.items()}
    absorbed: set[tuple[int, int]] = set()
    for key in sorted(found, key=lambda k: -found[k]["count"]):
        if key in absorbed:
            continue
        big = found[key]
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                near = (key[0] + dx, key[1] + dy)
                other = found.get(near)
                if near == key or other is None or near in absorbed or other["count"] > big["count"]:
                    continue
                if _screen_distance(big, other) < 0.8 * cell_deg:
                    _absorb(big, other)
                    absorbed.add(near)
    out = [c for key, c in found.items() if key not in absorbed]
    for c in out:
        c["types"] = dict(sorted(c["types"].items(), key=lambda kv: -kv[1]))
        c["event_type"] = max(c["types"], key=lambda t: (c["types"][t], t))
        c["event_id"] = c["event_id"] if c["count"] == 1 else None
        c["bounds"] = tuple(c["bounds"])
    out.sort(key=lambda c: -c["count"])
    return out


def _cell_cluster(rows: list[dict[str, Any]]) -> dict[str, Any]:
    count = sum(int(r["count"]) for r in rows)
    return {
        "lat": sum(float(r["lat"]) * int(r["count"]) for r in rows) / count,
        "lon": sum(float(r["lon"]) * int(r["count"]) for r in rows) / count,
        "count": count,
        "fatalities": sum(int(r["fatalities"] or 0) for r in rows),
        "types": {r["event_type"]: int(r["count"]) for r in rows},
        "bounds": [
            float(min(r["south"] for r in rows)),
            float(min(r["west"] for r in rows)),
            float(max(r["north"] for r in rows)),
            float(max(r["east"] for r in rows)),
        ],
        "event_id": min(r["event_id"] for r in rows),
    }


def _screen_distance(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Distance in degrees of longitude as Web Mercator draws it (a degree of latitude is 1/cos(lat) as
    tall as a degree of longitude is wide)."""
    mean_lat = math.radians((a["lat"] + b["lat"]) / 2)
    dy = (a["lat"] - b["lat"]) / max(math.cos(mean_lat), 0.05)
    return math.hypot(a["lon"] - b["lon"], dy)


def _absorb(big: dict[str, Any], small: dict[str, Any]) -> None:
    total = big["count"] + small["count"]
    big["lat"] = (big["lat"] * big["count"] + small["lat"] * small["count"]) / total
    big["lon"] = (big["lon"] * big["count"] + small["lon"] * small["count"]) / total
    big["count"] = total
    big["fatalities"] += small["fatalities"]
    for name, n in small["types"].items():
        big["types"][name] = big["types"].get(name, 0) + n
    south, west, north, east = small["bounds"]
    b = big["bounds"]
    big["bounds"] = [min(b[0], south), min(b[1], west), max(b[2], north), max(b[3], east)]
