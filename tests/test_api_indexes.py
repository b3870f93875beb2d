"""What migration 0005 and the count cap change for GET /api/events (issue 8): PostgreSQL's pg_trgm path
gives the same rows as SQLite's FTS5 path, counts past a cap are flagged estimates, and the migration
runner keeps a DO block whole."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from eventwire.cli import main
from eventwire.model import Article, Document, Event, Evidence
from eventwire.store import Store, migrate, open_store
from eventwire.web import WebConfig, create_app

ACTORS = ["Islamic State", "Taliban", "Al Shabaab", "Arakan Army", "Civilians", "Protesters", "Rebels (50%)"]
PLACES = [("Aleppo", "Aleppo"), ("Mosul", "Ninewa"), ("Gao", "Gao"), ("Kharkiv", "Kharkivska"),
          ("Sant'Ana", "Bié"), ("Ōita", "Ōita")]  # fmt: skip
NEEDLES = [
    {"text": "aleppo"},
    {"text": "ALEPPO"},
    {"text": "gao"},  # three characters: the shortest needle either index serves
    {"text": "ga"},  # two: both dialects fall back to LIKE
    {"text": "islamic state"},
    {"text": "sant'ana"},
    {"text": "ōita"},
    {"text": "50%"},  # wildcards and quotes are literal
    {"text": "_"},
    {"text": "no such place"},
    {"actor": "taliban"},
    {"actor": "army"},
    {"actor": "(50%)"},
    {"actor": "shabaab", "text": "mosul"},
    {"actor": "state", "country": "Iraq", "date_from": date(2021, 1, 10)},
]


def build(store: Store, n: int = 240, filler: int = 2400) -> None:
    """n events over 24 articles, with actors, places and notes drawn from the lists above, among
    ``filler`` events that match none of the needles (so that PostgreSQL's planner finds them selective
    and takes the trigram indexes)."""
    rng = random.Random(8)
    text = "Filler\n\nShelling was reported."
    article = Article(id="filler", text=text.split("\n\n", 1)[1], title="Filler", source="Wire")
    store.add_article(Document(article=article, text=text, title_end=6, doc_date=date(2021, 1, 1)))
    day = date(2020, 6, 1)
    store.save_events(
        [
            Event(
                f"f{i:05d}",
                day,
                day,
                day,
                1,
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
                actor1="Unidentified Armed Group",
                country="Yemen",
                iso3="YEM",
                location="Elsewhere",
                article_ids=["filler"],
                notes="Shelling reported.",
            )
            for i in range(filler)
        ]
    )
    for a in range(24):
        text = f"Report {a}\n\nFighting was reported."
        article = Article(id=f"a{a}", text=text.split("\n\n", 1)[1], title=f"Report {a}", source="Wire")
        doc = Document(article=article, text=text, title_end=len(f"Report {a}"), doc_date=date(2021, 1, 1))
        store.add_article(doc)
        batch = []
        for k in range(n // 24):
            actor1, actor2 = rng.sample(ACTORS, 2)
            location, admin1 = rng.choice(PLACES)
            day = date(2021, 1, 1) + timedelta(days=rng.randrange(40))
            batch.append(
                Event(
                    event_id=f"e{a:02d}{k:02d}",
                    event_date=day,
                    date_start=day,
                    date_end=day,
                    time_precision=1,
                    event_type="Battles",
                    sub_event_type="Armed clash",
                    actor1=actor1,
                    actor2=actor2,
                    country=rng.choice(["Syria", "Iraq"]),
                    iso3="SYR",
                    admin1=admin1,
                    location=location,
                    fatalities=rng.randrange(10),
                    article_ids=[article.id],
                    notes=f"{actor1} fought {actor2} near {location}.",
                    evidence=[Evidence(article.id, 0, 6, "Report", ["event"])],
                )
            )
        store.save_events(batch)


def vacuum(pg: Store) -> None:
    """What autovacuum does after a bulk load: statistics for the planner, and the GIN indexes' pending
    lists (where rows written after CREATE INDEX wait) merged into the indexes."""
    with pg._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE events")


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory):
    with open_store(str(tmp_path_factory.mktemp("idx") / "events.db")) as store:
        build(store)
        yield store


@pytest.mark.postgres
def test_trigram_path_gives_the_same_rows_as_sqlite(sqlite_store: Store, pg_url: str) -> None:
    with open_store(pg_url) as pg:
        build(pg)
        with pg._read() as conn:  # the migration made the indexes (pg_trgm is installed on the test server)
            for name in ("ix_events_live_search_trgm", "ix_events_live_actor_trgm"):
                assert conn.exec_driver_sql(f"SELECT to_regclass('{name}')").scalar() is not None
        vacuum(pg)
        for filters, index in (({"text": "aleppo"}, "search"), ({"actor": "taliban"}, "actor")):
            with pg._filtered_read(filters) as conn:
                query = pg.count_query(**filters).compile(conn, compile_kwargs={"render_postcompile": True})
                plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + query.string, query.params).scalars())
            assert f"ix_events_live_{index}_trgm" in plan, plan
        matched = 0
        for filters in NEEDLES:
            for order in ("-event_date", "fatalities"):
                want = [e.event_id for e in sqlite_store.events(**filters, order=order)]
                assert [e.event_id for e in pg.events(**filters, order=order)] == want, (filters, order)
                page = [e.event_id for e in pg.events(**filters, order=order, limit=7, offset=3)]
                assert page == want[3:10], (filters, order)
            assert pg.count_events(**filters) == sqlite_store.count_events(**filters) == len(want), filters
            assert pg.day_counts(**filters) == sqlite_store.day_counts(**filters), filters
            matched += bool(want)
        assert matched >= len(NEEDLES) - 2  # the needles do match: the comparison is not of empty lists


@pytest.mark.postgres
def test_the_seq_scan_setting_stays_inside_the_filtered_read(pg_url: str) -> None:
    with open_store(pg_url) as pg:
        build(pg, n=24, filler=0)
        with pg._filtered_read({"text": "aleppo"}) as conn:
            assert conn.exec_driver_sql("SHOW enable_seqscan").scalar() == "off"
        with pg.transaction() as conn:  # a read that joins a write transaction gives the setting back
            assert pg.count_events(text="aleppo") == len(pg.events(text="aleppo")) > 0
            assert conn.exec_driver_sql("SHOW enable_seqscan").scalar() == "on"
        with pg._filtered_read({"text": "al"}) as conn:  # too short for the trigram index: left alone
            assert conn.exec_driver_sql("SHOW enable_seqscan").scalar() == "on"


def test_count_cap_on_sqlite(sqlite_store: Store) -> None:
    assert sqlite_store.count_events_capped(None) == (2640, False)
    assert sqlite_store.count_events_capped(2640) == (2640, False)
    assert sqlite_store.count_events_capped(100) == (101, True)  # no estimate on SQLite: a lower bound
    taliban = sqlite_store.count_events(actor="taliban")
    assert 0 < taliban < 100 and sqlite_store.count_events_capped(100, actor="taliban") == (taliban, False)


@pytest.mark.postgres
def test_count_cap_on_postgres_estimates_past_the_cap(pg_url: str) -> None:
    with open_store(pg_url) as pg:
        build(pg)
        vacuum(pg)
        assert pg.count_events_capped(None) == (2640, False) == pg.count_events_capped(2640)
        total, estimate = pg.count_events_capped(50)
        assert estimate and 2000 <= total <= 3300  # the planner's figure after ANALYZE is close to 2640
        total, estimate = pg.count_events_capped(2000, review_status="machine", text="shelling")
        assert estimate and total >= 2001  # never below what was counted, whatever the planner thinks
        assert pg.count_events_capped(50, text="no such place") == (0, False)


def test_api_reports_estimated_totals(sqlite_store: Store) -> None:
    exact = TestClient(create_app(sqlite_store, WebConfig(allowed_hosts=("testserver",))))
    page = exact.get("/api/events").json()
    assert page["total"] == 2640 and page["total_is_estimate"] is False  # exact on SQLite by default
    capped = TestClient(create_app(sqlite_store, WebConfig(allowed_hosts=("testserver",), count_cap=30)))
    page = capped.get("/api/events", params={"limit": 20}).json()
    assert page["total_is_estimate"] is True and page["total"] == 31 and len(page["events"]) == 20
    deep = capped.get("/api/events", params={"limit": 20, "offset": 100}).json()
    assert deep["total_is_estimate"] is True and deep["total"] == 121  # never below the rows it shows
    taliban = sqlite_store.count_events(actor="taliban")
    at_cap = TestClient(create_app(sqlite_store, WebConfig(allowed_hosts=("testserver",), count_cap=taliban)))
    few = at_cap.get("/api/events", params={"actor": "taliban"}).json()
    assert few["total_is_estimate"] is False and few["total"] == taliban  # up to the cap: exact


def test_serve_count_cap_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--db", str(tmp_path / "x.db"), "--count-cap", "-5"])
    err = capsys.readouterr().err
    assert "--count-cap" in err and "Traceback" not in err


def test_a_do_block_stays_one_statement() -> None:
    sql = (
        "-- a comment;\n"
        "CREATE INDEX a ON t (x);\n"
        "DO $$\nBEGIN\n    PERFORM 1;\n    IF true THEN\n        PERFORM 2;\n    END IF;\nEND\n$$;\n"
        "CREATE INDEX b ON t (y);\n"
    )
    steps = migrate.Migration(9, "x", sql).statements()
    assert steps[0] == "CREATE INDEX a ON t (x)" and steps[2] == "CREATE INDEX b ON t (y)"
    assert len(steps) == 3 and steps[1].startswith("DO $$") and steps[1].endswith("$$")
    assert "PERFORM 1;\n    IF true THEN\n        PERFORM 2;" in steps[1]


@pytest.mark.postgres
def test_migration_0005_is_applied_after_a_database_at_0003(pg_url: str) -> None:
    """A database at 0003 (as main is now) gets 0005; a later 0004 would be applied on top of it."""
    engine = sa.create_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(migrate._BOOTSTRAP["postgresql"])
            for step in migrate.migrations_for("postgresql"):
                if step.version <= 3:
                    for statement in step.statements():
                        conn.exec_driver_sql(statement.replace("%", "%%"))
                    conn.exec_driver_sql(
                        f"INSERT INTO schema_migrations VALUES ({step.version}, '{step.name}', now())"
                    )
        assert migrate.upgrade(engine) == [m.version for m in migrate.migrations_for("postgresql")][3:]
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT to_regclass('ix_events_live_review')").scalar() is not None
    finally:
        engine.dispose()
