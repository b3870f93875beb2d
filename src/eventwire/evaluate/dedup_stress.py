"""A synthetic stress set for cross-report dedup, and its pairwise scores.

    stress = generate(5000, seed=1)
    scores = score_dedup(stress)          # runs a Deduplicator over the reports in arrival order

A made-up world (towns with coordinates, provinces, two countries, actors, outlets) holds true events;
each true event is reported one to eight times, as the extraction stage would code the reports:

- different outlets, each with its own wording of the evidence sentence (templates written here);
- varying detail: time precision (the day; a week window, as "last week" or an undated report gives; a
  month), a day off for a few reports; geo precision (the town; an alias entry of the town a kilometre or
  two away, as GeoNames lists Tadmur and Palmyra; "near" it or a neighbouring town; the province; the
  country only); early, later or missing tolls; missing, unidentified, swapped or wrong actors; a sibling
  sub-event type of the same family; strike counts given or not.

And true events are made hard to tell apart, as in real reporting: daily strikes on one town by one actor
(the "near Mosul" daily summaries), events the same day in towns 5-25 km apart, the same day and town with
another actor or another family, the same town on the same date in another year (Palmyra 2016 and 2025).
Events the same day, in the same town, of the same family and by the same actor are one event for ACLED,
so the generator never makes two of those.

Pairwise scores: over all pairs of reports, precision = pairs put together that belong together / pairs
put together, recall = pairs put together that belong together / pairs that belong together.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from eventwire.dedup import Deduplicator
from eventwire.model import Event, Evidence

START = date(2016, 1, 1)

# sub-event type -> (event type, family)
TYPES: dict[str, tuple[str, str]] = {
    "Air/drone strike": ("Explosions/Remote violence", "remote"),
    "Shelling/artillery/missile attack": ("Explosions/Remote violence", "remote"),
    "Armed clash": ("Battles", "ground"),
    "Remote explosive/landmine/IED": ("Explosions/Remote violence", "bombing"),
    "Suicide bomb": ("Explosions/Remote violence", "bombing"),
    "Attack": ("Violence against civilians", "civilians"),
    "Abduction/forced disappearance": ("Violence against civilians", "civilians"),
    "Arrests": ("Strategic developments", "arrest"),
}
_FAMILY_TYPES: dict[str, list[str]] = defaultdict(list)
for _name, (_, _family) in TYPES.items():
    _FAMILY_TYPES[_family].append(_name)
_TYPE_WEIGHTS = {
    "Air/drone strike": 30,
    "Shelling/artillery/missile attack": 18,
    "Armed clash": 22,
    "Remote explosive/landmine/IED": 10,
    "Suicide bomb": 3,
    "Attack": 10,
    "Abduction/forced disappearance": 3,
    "Arrests": 4,
}

# (ACLED-style canonical name, surface forms a report may use: aliases the actor dictionary knows, as the
# extraction stage would have found them)
ACTORS: list[tuple[str, tuple[str, ...]]] = [
    ("Military Forces of Syria", ("Syrian government forces", "regime troops", "the Syrian army")),
    ("Military Forces of Russia", ("Russian warplanes", "Russian forces", "Russian jets")),
    (
        "International Coalition against ISIS",
        ("coalition aircraft", "US-led coalition jets", "the coalition"),
    ),
    ("Islamic State", ("Islamic State militants", "ISIS fighters", "IS gunmen", "Daesh")),
    ("Syrian Democratic Forces", ("the SDF", "Kurdish-led forces", "SDF fighters")),
    ("Hayat Tahrir al-Sham", ("HTS fighters", "Hayat Tahrir al-Sham", "HTS militants")),
    ("Military Forces of Turkey", ("Turkish drones", "the Turkish army", "Turkish forces")),
    ("Military Forces of Iraq", ("Iraqi troops", "the Iraqi army", "Iraqi security forces")),
    ("Popular Mobilization Forces", ("the PMF", "Hashd al-Shaabi fighters", "PMF fighters")),
    ("Kurdistan Workers' Party", ("PKK militants", "the PKK", "PKK fighters")),
    ("Police Forces of Iraq", ("Iraqi police", "Iraqi police officers", "the federal police")),
    (
        "Syrian National Army",
        ("Syrian National Army fighters", "Turkish-backed rebels", "the Syrian National Army"),
    ),
]
OUTLETS = [
    "Levant Ledger",
    "Desert Dispatch",
    "Tigris Times",
    "Demo Wire",
    "Euphrates Echo",
    "Orontes Observer",
    "Northern Herald",
    "Capital Courier",
    "Frontier Post",
    "Delta Daily",
    "Coastline Chronicle",
    "Plains Press",
]
MONITORS = ["a war monitor", "local activists", "the ministry", "medical sources", "residents", "officials"]
TARGETS = [
    "a checkpoint",
    "a convoy",
    "a market",
    "an ammunition depot",
    "a village school",
    "a bakery",
    "a military post",
    "a fuel truck",
    "a hospital",
    "a mosque",
    "a bridge",
    "a farm",
    "a police station",
    "a camp for displaced people",
    "a power station",
    "an oil field",
]
DETAILS = [
    "at dawn",
    "after midnight",
    "during evening prayers",
    "in the early afternoon",
    "during a funeral",
    "at a wedding",
    "where a family was sheltering",
    "used by aid workers",
    "near the grain silos",
    "next to the water plant",
    "on the main highway",
    "close to the old citadel",
    "by the river crossing",
    "as children left school",
]
_SYLLABLES = [
    "al",
    "ra",
    "qa",
    "sa",
    "ta",
    "ma",
    "ba",
    "da",
    "ha",
    "ka",
    "na",
    "za",
    "yar",
    "bu",
    "dir",
    "tel",
]
_SYLLABLES += ["mar", "jab", "kha", "shu", "rif", "ain", "bab", "kur", "sin", "zor", "mun", "dar", "tik"]

_TEMPLATES: dict[str, list[str]] = {
    "remote": [
        "{a1} struck {target} {where} {when}, {toll}{source}.",
        "{where_cap}, {a1} hit {target} {when}{toll_tail}{source}.",
        "{a1} carried out {strikes}raids on {target} {where} {when}{toll_tail}.",
        "Bombardment by {a1} destroyed {target} {where} {when}{toll_tail}{source}.",
        "{toll_cap} after {a1} bombed {target} {where} {when}{source}.",
        "Witnesses said {a1} targeted {target} {where} {when}{toll_tail}.",
    ],
    "ground": [
        "{a1} clashed with {a2} {where} {when}{toll_tail}{source}.",
        "Fighting between {a1} and {a2} broke out at {target} {where} {when}{toll_tail}.",
        "{where_cap}, {a1} battled {a2} {when}, {toll}{source}.",
        "{toll_cap} in clashes between {a1} and {a2} {where} {when}.",
        "{a1} and {a2} exchanged fire near {target} {where} {when}{toll_tail}{source}.",
    ],
    "bombing": [
        "A bomb planted by {a1} exploded at {target} {where} {when}{toll_tail}{source}.",
        "{toll_cap} when an explosive device went off at {target} {where} {when}.",
        "A blast at {target} {where} {when}{toll_tail}, {source_plain} said.",
        "{where_cap}, an explosion tore through {target} {when}{toll_tail}{source}.",
    ],
    "civilians": [
        "{a1} attacked civilians at {target} {where} {when}{toll_tail}{source}.",
        "Gunmen from {a1} opened fire on residents near {target} {where} {when}{toll_tail}.",
        "{toll_cap} as {a1} raided {target} {where} {when}{source}.",
        "{where_cap}, civilians at {target} came under attack by {a1} {when}{toll_tail}.",
    ],
    "arrest": [
        "{a1} detained suspects at {target} {where} {when}{source}.",
        "{where_cap}, {a1} arrested several men during a raid on {target} {when}.",
        "A wave of arrests by {a1} hit {target} {where} {when}{source}.",
    ],
}


@dataclass(slots=True, frozen=True)
class Town:
    name: str
    geonameid: int
    lat: float
    lon: float
    admin1: str
    iso3: str
    aliases: tuple[tuple[str, int, float, float], ...] = ()  # (name, geonameid, lat, lon) of alias entries


@dataclass(slots=True)
class World:
    towns: list[Town]
    neighbours: dict[int, list[int]]  # town index -> indices of towns within 25 km
    provinces: dict[str, tuple[float, float, str]]  # name -> (lat, lon, iso3)
    countries: dict[str, tuple[float, float, str]]  # iso3 -> (lat, lon, name)


@dataclass(slots=True, frozen=True)
class TrueEvent:
    key: str
    sub_event_type: str
    day: date
    town: int
    actor1: int
    actor2: int | None
    fatalities: int
    strikes: int | None
    target: str
    detail: str  # what every outlet may mention of this event: a quarter, an hour, the victims ("" none)
    kind: str  # "independent", or how it was made to look like the event before it


@dataclass(slots=True)
class StressSet:
    reports: list[Event]  # in arrival order
    truth: dict[str, str]  # report event_id -> true event key
    events: dict[str, TrueEvent] = field(default_factory=dict)  # true events by key
    kinds: dict[str, int] = field(default_factory=dict)  # how many siblings of each kind were made


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from eventwire.dedup.decide import km_between

    return km_between(lat1, lon1, lat2, lon2)


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        parts = [rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3)))]
        name = "".join(parts).capitalize()
        if rng.random() < 0.25:
            name = "Al-" + name
        if name not in taken:
            taken.add(name)
            return name


def make_world(rng: random.Random, n_towns: int) -> World:
    """Towns over a Syria-and-Iraq-sized area (32-37 N, 36-46 E), a third of them in clusters a few km
    apart, 10 % with an alias gazetteer entry; provinces are 1.5-degree squares."""
    taken: set[str] = set()
    towns: list[Town] = []
    gid = 1000
    while len(towns) < n_towns:
        if towns and rng.random() < 0.33:
            base = rng.choice(towns)
            dist = rng.uniform(4.0, 22.0) / 111.0
            lat, lon = base.lat + rng.uniform(-dist, dist), base.lon + rng.uniform(-dist, dist)
        else:
            lat, lon = rng.uniform(32.0, 37.0), rng.uniform(36.0, 46.0)
        iso3 = "SYR" if lon < 41.0 else "IRQ"
        admin1 = f"Province {int((lat - 32) / 1.5)}-{int((lon - 36) / 1.5)} {iso3}"
        name = _name(rng, taken)
        gid += 1
        aliases: tuple[tuple[str, int, float, float], ...] = ()
        if rng.random() < 0.10:
            gid += 1
            alias = _name(rng, taken)
            aliases = ((alias, gid, lat + rng.uniform(-0.012, 0.012), lon + rng.uniform(-0.012, 0.012)),)
        towns.append(Town(name, gid - len(aliases), lat, lon, admin1, iso3, aliases))
    neighbours: dict[int, list[int]] = defaultdict(list)
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)  # 0.3-degree cells: 25 km is within one
    for i, t in enumerate(towns):
        cells[(int(t.lat / 0.3), int(t.lon / 0.3))].append(i)
    for (row, col), members in cells.items():
        around = [j for dr in (-1, 0, 1) for dc in (-1, 0, 1) for j in cells.get((row + dr, col + dc), ())]
        for i in members:
            a = towns[i]
            for j in around:
                if j != i and _km(a.lat, a.lon, towns[j].lat, towns[j].lon) <= 25:
                    neighbours[i].append(j)
    provinces: dict[str, tuple[float, float, str]] = {}
    for t in towns:
        provinces.setdefault(t.admin1, (round(t.lat, 1), round(t.lon, 1), t.iso3))
    countries = {"SYR": (35.0, 38.5, "Syria"), "IRQ": (33.0, 43.7, "Iraq")}
    return World(towns, dict(neighbours), provinces, countries)


# --------------------------------------------------------------------------- true events


def _pick_type(rng: random.Random) -> str:
    names = list(_TYPE_WEIGHTS)
    return rng.choices(names, weights=[_TYPE_WEIGHTS[n] for n in names])[0]


def _true_events(rng: random.Random, world: World, n_events: int, days: int, kinds: dict[str, int]):
    """True events: independent ones, and siblings that look like them (the hard cases)."""
    out: list[TrueEvent] = []
    used: set[tuple] = set()
    taken: set[str] = {t.name for t in world.towns}

    def _detail() -> str:
        roll = rng.random()
        if roll < 0.3:
            return ""
        if roll < 0.6:
            return f"in the {_name(rng, taken)} quarter"
        return rng.choice(DETAILS)  # (day, town, family, actor1, actor2): one ACLED event

    def add(sub: str, day: date, town: int, a1: int, a2: int | None, kind: str) -> bool:
        family = TYPES[sub][1]
        # ACLED codes one event per day, location and actor: strikes by one actor on one town on one day are
        # one event, whoever they hit, so the generator never makes two of them.
        unit = (day, town, family, a1)
        if unit in used or a1 == a2:
            return False
        used.add(unit)
        killed = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 40]) if family != "arrest" else 0
        strikes = rng.randint(1, 30) if family == "remote" and rng.random() < 0.6 else None
        out.append(
            TrueEvent(
                f"t{len(out)}", sub, day, town, a1, a2, killed, strikes, rng.choice(TARGETS), _detail(), kind
            )
        )
        kinds[kind] = kinds.get(kind, 0) + 1
        return True

    while len(out) < n_events:
        sub = _pick_type(rng)
        day = START + timedelta(days=rng.randrange(days))
        town = rng.randrange(len(world.towns))
        a1 = rng.randrange(len(ACTORS))
        a2 = (
            rng.randrange(len(ACTORS))
            if TYPES[sub][1] in ("ground", "remote") or rng.random() < 0.3
            else None
        )
        if not add(sub, day, town, a1, a2, "independent"):
            continue
        roll = rng.random()
        if roll < 0.08:  # daily strikes or clashes on one town by one actor
            for k in range(1, rng.randint(2, 5)):
                add(sub, day + timedelta(days=k), town, a1, a2, "same town, next days")
        elif roll < 0.18 and world.neighbours.get(town):
            other = rng.choice(world.neighbours[town])
            add(sub, day, other, a1 if rng.random() < 0.5 else rng.randrange(len(ACTORS)), a2, "nearby town")
        elif roll < 0.26:
            other_actor = rng.randrange(len(ACTORS))
            add(sub, day, town, other_actor, a2, "same day and town, other actor")
        elif roll < 0.32:
            family = rng.choice([f for f in _FAMILY_TYPES if f != TYPES[sub][1]])
            add(rng.choice(_FAMILY_TYPES[family]), day, town, a1, a2, "same day and town, other family")
        elif roll < 0.36:
            years = rng.choice((1, 2, 9))
            try:
                later = day.replace(year=day.year + years)
            except ValueError:
                later = day + timedelta(days=365 * years)
            add(sub, later, town, a1, a2, "same town and date, another year")
    return out[:n_events]


# --------------------------------------------------------------------------- reports


def _report_count(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4, 5, 6, 8], weights=[35, 25, 18, 10, 6, 4, 2])[0]


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def _when(rng: random.Random, day: date, published: date, errors: bool) -> tuple[date, date, int, str]:
    roll = rng.random()
    if errors and roll < 0.02:  # a day off: "yesterday" read against the wrong day
        wrong = day + timedelta(days=rng.choice((-1, 1)))
        return wrong, wrong, 1, f"on {wrong.strftime('%A')}"
    if roll < 0.90:
        return day, day, 1, rng.choice((f"on {day.strftime('%A')}", f"on {day.day} {day.strftime('%B')}"))
    if roll < 0.95:
        start, end = _week_of(day)
        return start, end, 2, "last week"
    if roll < 0.98:  # an undated report: the week before publication
        return published - timedelta(days=6), published, 2, "in recent days"
    start, end = _month_of(day)
    return start, end, 3, f"in {day.strftime('%B')}"


def _where(rng: random.Random, world: World, ev: TrueEvent) -> tuple[dict, str, str]:
    """Place fields, the phrase for the sentence and flags."""
    town = world.towns[ev.town]
    roll = rng.random()
    if roll < 0.52 or (roll < 0.62 and not town.aliases):
        fields = dict(location=town.name, geonameid=town.geonameid, latitude=town.lat, longitude=town.lon)
        return {**fields, "geo_precision": 1, "admin1": town.admin1, "iso3": town.iso3}, f"in {town.name}", ""
    if roll < 0.62:
        name, gid, lat, lon = town.aliases[0]
        fields = dict(location=name, geonameid=gid, latitude=lat, longitude=lon)
        return {**fields, "geo_precision": 1, "admin1": town.admin1, "iso3": town.iso3}, f"in {name}", ""
    if roll < 0.90:
        anchor = town
        if world.neighbours.get(ev.town) and rng.random() < 0.2:
            near = [j for j in world.neighbours[ev.town] if _km_t(world, j, ev.town) <= 15]
            if near:
                anchor = world.towns[rng.choice(near)]
        fields = dict(
            location=anchor.name, geonameid=anchor.geonameid, latitude=anchor.lat, longitude=anchor.lon
        )
        phrase = rng.choice((f"near {anchor.name}", f"on the outskirts of {anchor.name}"))
        return {**fields, "geo_precision": 2, "admin1": anchor.admin1, "iso3": anchor.iso3}, phrase, ""
    if roll < 0.98:
        lat, lon, iso3 = world.provinces[town.admin1]
        fields = dict(location=town.admin1, geonameid=None, latitude=lat, longitude=lon)
        return {**fields, "geo_precision": 3, "admin1": town.admin1, "iso3": iso3}, f"in {town.admin1}", ""
    lat, lon, country = world.countries[town.iso3]
    fields = dict(location=country, geonameid=None, latitude=lat, longitude=lon, admin1=None)
    return {**fields, "geo_precision": 3, "iso3": town.iso3}, f"in {country}", "country_only"


def _km_t(world: World, i: int, j: int) -> float:
    a, b = world.towns[i], world.towns[j]
    return _km(a.lat, a.lon, b.lat, b.lon)


def _actors(rng: random.Random, ev: TrueEvent, iso3: str, errors: bool) -> tuple[str | None, str | None]:
    a1: str | None = ACTORS[ev.actor1][0]
    a2: str | None = ACTORS[ev.actor2][0] if ev.actor2 is not None else None
    roll = rng.random()
    if roll < 0.06:
        a1 = None
    elif roll < 0.11:
        a1 = f"Unidentified Armed Group ({'Syria' if iso3 == 'SYR' else 'Iraq'})"
    elif roll < 0.16 and a2 is not None:
        a1, a2 = a2, a1
    elif errors and roll < 0.19:
        a1 = ACTORS[rng.randrange(len(ACTORS))][0]  # extraction error: a wrong actor
    if a2 is not None and rng.random() < 0.25:
        a2 = None
    return a1, a2


def _toll(rng: random.Random, killed: int) -> tuple[int, int, int]:
    if killed == 0:
        return (rng.choice((1, 2)),) * 3 if rng.random() < 0.03 else (0, 0, 0)
    roll = rng.random()
    if roll < 0.25:
        return 0, 0, 0
    if roll < 0.80:
        return killed, killed, killed if rng.random() < 0.8 else killed + rng.randint(1, 3)
    if roll < 0.90:  # an early toll
        early = max(1, killed - rng.randint(1, max(1, killed // 3)))
        return early, early, early
    if roll < 0.92:  # a first toll far below the final one
        early = max(1, killed // 3)
        return early, early, early
    later = killed + rng.randint(1, max(1, killed // 4))  # a later, higher toll
    return later, killed, later


def _surface(rng: random.Random, canonical: str | None) -> str:
    for name, forms in ACTORS:
        if name == canonical:
            return rng.choice(forms)
    return rng.choice(("gunmen", "unidentified attackers", "militants", "warplanes"))


def _sentence(rng: random.Random, ev: TrueEvent, family: str, a1: str | None, a2: str | None,
              where: str, when: str, fatalities: int, strikes: int | None) -> str:  # fmt: skip
    toll = f"killing {fatalities} people" if fatalities else "causing damage"
    tail = rng.choice((f", killing {fatalities}", f", leaving {fatalities} dead")) if fatalities else ""
    monitor = rng.choice(MONITORS)
    target = ev.target if rng.random() < 0.85 else rng.choice(TARGETS)
    if ev.detail and rng.random() < 0.75:
        target = f"{target} {ev.detail}"
    values = {
        "a1": _surface(rng, a1 or ACTORS[ev.actor1][0] if rng.random() < 0.5 else a1),
        "a2": _surface(rng, a2),
        "target": target,
        "where": where,
        "where_cap": where[0].upper() + where[1:],
        "when": when,
        "toll": toll,
        "toll_tail": tail,
        "toll_cap": f"{fatalities} people were killed" if fatalities else "Buildings were damaged",
        "source": rng.choice(("", f", {monitor} said", f", according to {monitor}")),
        "source_plain": monitor,
        "strikes": f"{strikes} " if strikes else "",
    }
    return rng.choice(_TEMPLATES[family]).format(**values)


def _report(
    rng: random.Random, world: World, ev: TrueEvent, number: int, outlet: str, errors: bool
) -> tuple[Event, date]:
    published = ev.day + timedelta(days=rng.choices([0, 1, 2, 3, 5], weights=[45, 35, 12, 5, 3])[0])
    start, end, precision, when_phrase = _when(rng, ev.day, published, errors)
    place, where_phrase, flag = _where(rng, world, ev)
    a1, a2 = _actors(rng, ev, place["iso3"], errors)
    fatalities, low, high = _toll(rng, ev.fatalities)
    family = TYPES[ev.sub_event_type][1]
    sub = ev.sub_event_type if rng.random() < 0.9 else rng.choice(_FAMILY_TYPES[family])
    strikes = ev.strikes if ev.strikes and rng.random() < 0.5 else None
    if strikes and rng.random() < 0.2:
        strikes += rng.choice((-2, -1, 1, 2, 5))
    text = _sentence(rng, ev, family, a1, a2, where_phrase, when_phrase, fatalities, strikes)
    article_id = f"r{number}"
    point = start + timedelta(days=(end - start).days // 2) if precision > 1 else start
    country = world.countries[place["iso3"]][2]
    event = Event(
        event_id=f"e{number}",
        event_date=point,
        date_start=start,
        date_end=end,
        time_precision=precision,
        event_type=TYPES[sub][0],
        sub_event_type=sub,
        actor1=a1,
        actor2=a2,
        country=country,
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_high=high,
        quantities={"strikes": strikes} if strikes and strikes > 0 else {},
        article_ids=[article_id],
        sources=[outlet],
        evidence=[Evidence(article_id, 0, len(text), text, ["event"])],
        flags=[flag] if flag else [],
        **place,
    )
    return event, published


def generate(
    n_reports: int,
    seed: int = 1,
    *,
    days: int | None = None,
    towns: int | None = None,
    errors: bool = False,
) -> StressSet:
    """``n_reports`` reports (in publication order) of true events over ``days`` days and ``towns`` towns;
    by default about 40 true events a day (one for every 2.3 reports) and one town for every 4 true events.

    ``errors`` adds extraction errors on top of the reporting variation: 2 % of reports a day off, 3 % with
    a wrong actor. Reports with such errors contradict the others and stay apart (recall lost by design)."""
    rng = random.Random(seed)
    n_events = max(1, round(n_reports / 2.3))
    days = days or max(14, n_events // 40)
    world = make_world(rng, towns or max(150, n_events // 4))
    kinds: dict[str, int] = {}
    true_events = _true_events(rng, world, n_events, days, kinds)
    reports: list[tuple[date, float, Event]] = []
    truth: dict[str, str] = {}
    number = 0
    for ev in true_events:
        outlets = rng.sample(OUTLETS, k=min(len(OUTLETS), _report_count(rng)))
        for outlet in outlets:
            event, published = _report(rng, world, ev, number, outlet, errors)
            truth[event.event_id] = ev.key
            reports.append((published, rng.random(), event))
            number += 1
            if number >= n_reports:
                break
        if number >= n_reports:
            break
    reports.sort(key=lambda r: (r[0], r[1]))
    return StressSet([e for _, _, e in reports], truth, {e.key: e for e in true_events}, kinds)


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class DedupScores:
    reports: int
    true_events: int
    predicted_events: int
    pairs_true: int
    pairs_predicted: int
    pairs_right: int
    comparisons: int
    ambiguous: int

    @property
    def precision(self) -> float:
        return self.pairs_right / self.pairs_predicted if self.pairs_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_right / self.pairs_true if self.pairs_true else 1.0


def deduplicate(reports: Iterable[Event], merger: Deduplicator | None = None) -> dict[str, str]:
    """Feed reports one at a time (as articles arrive); report event id -> the event id it ended in."""
    merger = merger or Deduplicator()
    assigned: dict[str, str] = {}
    folded: dict[str, str] = {}
    for report in reports:
        report_id = report.event_id
        result = merger.merge([report])
        folded.update(result.folded)
        assigned[report_id] = result.events[0].event_id

    def final(event_id: str) -> str:
        while event_id in folded:
            event_id = folded[event_id]
        return event_id

    return {report: final(event) for report, event in assigned.items()}


def _pairs(groups: Mapping[str, list[str]]) -> int:
    return sum(len(v) * (len(v) - 1) // 2 for v in groups.values())


def pairwise(assigned: Mapping[str, str], truth: Mapping[str, str]) -> tuple[int, int, int]:
    """(true pairs, predicted pairs, right pairs) over reports."""
    by_truth: dict[str, list[str]] = defaultdict(list)
    by_pred: dict[str, list[str]] = defaultdict(list)
    by_both: dict[tuple[str, str], list[str]] = defaultdict(list)
    for report, cluster in assigned.items():
        by_truth[truth[report]].append(report)
        by_pred[cluster].append(report)
        by_both[(cluster, truth[report])].append(report)
    return _pairs(by_truth), _pairs(by_pred), _pairs(by_both)  # type: ignore[arg-type]


def score_dedup(stress: StressSet, merger: Deduplicator | None = None) -> DedupScores:
    merger = merger or Deduplicator()
    assigned = deduplicate(stress.reports, merger)
    true_pairs, predicted_pairs, right_pairs = pairwise(assigned, stress.truth)
    return DedupScores(
        reports=len(assigned),
        true_events=len(set(stress.truth.values())),
        predicted_events=len(set(assigned.values())),
        pairs_true=true_pairs,
        pairs_predicted=predicted_pairs,
        pairs_right=right_pairs,
        comparisons=merger.stats.comparisons,
        ambiguous=merger.stats.ambiguous,
    )
