"""Merging a full GeoNames dump into the user's gazetteer cache (`eventwire gazetteer import FILE`).

Accepted files (GeoNames' tab-separated formats, plain or zipped as GeoNames distributes them):
- a places table: allCountries.txt / allCountries.zip, or a country file such as SY.txt / SY.zip
  (19 columns: geonameid, name, asciiname, alternatenames, latitude, longitude, feature class, feature code,
  country code, cc2, admin1 ... admin4, population, elevation, dem, timezone, modification date);
- alternate names: alternateNamesV2.txt / .zip (alternateNameId, geonameid, isolanguage, alternate name,
  isPreferredName, isShortName, isColloquial, isHistoric, from, to), or the older 8-column alternateNames.

Imported places are kept in the cache directory (geonames_imported.pkl), merged with earlier imports by
geonameid, and the gazetteer is rebuilt on next use. Places tables are read before alternate-name tables
whatever the order given, so alternate names find their places. A whole-world file is large: importing
country files for the region one works on keeps the cache small.
"""

from __future__ import annotations

import io
import pickle
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.places.gazetteer import IMPORT_FILE, cache_dir, reset_gazetteer

# Feature classes worth matching in news text: populated places, admin areas, sites, terrain, areas, water.
KEPT_CLASSES = frozenset("PASTLH")
_SKIPPED_LANGS = frozenset({"link", "post", "iata", "icao", "faac", "wkdt", "unlc", "abbr", "phon", "tcid"})


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    places_added: int = 0
    places_updated: int = 0
    alternate_names: int = 0
    skipped_lines: int = 0
    errors: list[str] = field(default_factory=list)
    total_places: int = 0

    def __str__(self) -> str:
        s = (
            f"imported {len(self.files)} file(s): {self.places_added} places added, "
            f"{self.places_updated} updated, "
            f"{self.alternate_names} alternate names; {self.skipped_lines} lines skipped; "
            f"{self.total_places} imported places in the cache"
        )
        return s + "".join(f"\n  error: {e}" for e in self.errors)


def _open_lines(path: Path) -> Iterator[str]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [n for n in zf.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")]
            for name in members:
                with zf.open(name) as raw:
                    yield from io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
    else:
        with path.open(encoding="utf-8", errors="replace") as fh:
            yield from fh


def _is_alternate_names(path: Path) -> bool:
    return path.name.lower().startswith("alternatenames")


def _read_places(path: Path, places: dict[int, dict], report: ImportReport) -> None:
    for line in _open_lines(path):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 15 or line.startswith("#"):
            report.skipped_lines += 1
            continue
        try:
            gid = int(cols[0])
            fclass, fcode = cols[6], cols[7]
            if fclass not in KEPT_CLASSES or (fclass == "A" and fcode.startswith("PCL")):
                continue
            rec = {
                "geonameid": gid,
                "name": cols[1],
                "latitude": float(cols[4]),
                "longitude": float(cols[5]),
                "feature": f"{fclass}.{fcode}" if fcode else fclass,
                "countrycode": cols[8],
                "admin1code": cols[10],
                "population": int(cols[14] or 0),
                "alternatenames": [a for a in {cols[2], *cols[3].split(",")} if a and a != cols[1]],
            }
        except (ValueError, IndexError):
            report.skipped_lines += 1
            continue
        if not rec["countrycode"]:
            report.skipped_lines += 1
            continue
        if gid in places:
            report.places_updated += 1
            old = places[gid]["alternatenames"]
            rec["alternatenames"] = sorted(set(old) | set(rec["alternatenames"]))
        else:
            report.places_added += 1
        places[gid] = rec


def _read_alternate_names(path: Path, places: dict[int, dict], report: ImportReport) -> None:
    for line in _open_lines(path):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4:
            report.skipped_lines += 1
            continue
        try:
            gid = int(cols[1])
        except ValueError:
            report.skipped_lines += 1
            continue
        rec = places.get(gid)
        if rec is None or cols[2] in _SKIPPED_LANGS:
            continue
        name = cols[3].strip()
        if name and name != rec["name"] and name not in rec["alternatenames"]:
            rec["alternatenames"].append(name)
            report.alternate_names += 1


def import_geonames(paths: list[Path], *, directory: Path | None = None) -> ImportReport:
    """Merge GeoNames dump files into the user's gazetteer cache; the gazetteer rebuilds on next use."""
    directory = directory or cache_dir()
    store = directory / IMPORT_FILE
    places: dict[int, dict] = {}
    if store.exists():
        with store.open("rb") as fh:
            places = pickle.load(fh)["places"]
    report = ImportReport()
    ordered = sorted(paths, key=_is_alternate_names)  # places first, then their alternate names
    for path in ordered:
        path = Path(path)
        if not path.is_file():
            report.errors.append(f"{path}: no such file")
            continue
        try:
            if _is_alternate_names(path):
                _read_alternate_names(path, places, report)
            else:
                _read_places(path, places, report)
            report.files.append(str(path))
        except (OSError, zipfile.BadZipFile, UnicodeError) as exc:
            report.errors.append(f"{path}: {exc}")
    report.total_places = len(places)
    if report.files:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = store.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump({"places": places}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(store)
        reset_gazetteer()
    return report
