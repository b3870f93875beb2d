"""The store on SQLite and PostgreSQL: migrations, dedup of articles, event upserts, review protection,
filters, stats and runs. Events are built directly here; the extraction stages are tested elsewhere."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventwire.model import Article, Document, Event, Evidence
from eventwire.store import ArticleConflict, Store, StoreError, migrate, normalize_url, open_store, schema

AIRSTRIKE_TEXT = (
    "Coalition jets strike near Raqqa\n\n"
    "Coalition aircraft struck an ISIS checkpoint near Raqqa on Tuesday, killing four fighters, "
    "the Syrian Observatory for Human Rights said."
)
CLASH_TEXT = (
    "Clashes in Deir ez-Zor\n\n"
    "Fighting between the SDF and ISIS in Deir ez-Zor left at least seven dead on 3 May, a monitor reported."
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "eventwire.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str):
    with open_store(db_url) as opened:
        yield opened


def make_doc(article_id: str, text: str, source: str = "Example Wire") -> Document:
    title, _, body = text.partition("\n\n")
    article = Article(
        id=article_id,
        text=body,
        title=title,
        source=source,
        published=date(2017, 5, 4),
        published_from="metadata",
        origin=f"{article_id}.txt",
    )
    return Document(article=article, text=text, title_end=len(title), doc_date=date(2017, 5, 4), words=30)


def span(doc: Document, phrase: str, fields: list[str] | None = None) -> Evidence:
    start = doc.text.index(phrase)
    return Evidence(doc.article.id, start, start + len(phrase), phrase, fields or [])


def make_event(event_id: str, doc: Document, phrase: str, **fields) -> Event:
    values = {
        "event_date": date(2017, 5, 2),
        "date_start": date(2017, 5, 2),
        "date_end": date(2017, 5, 2),
        "time_precision": 1,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of the United States",
        "inter1": 8,
        "actor2": "Islamic State (Syria)",
        "inter2": 2,
        "country": "Syria",
        "iso3": "SYR",
        "admin1": "Ar-Raqqa",
        "location": "Raqqa",
        "latitude": 35.95,
        "longitude": 39.01,
        "geo_precision": 2,
        "fatalities": 4,
        "fatalities_low": 4,
        "fatalities_high": 4,
        "article_ids": [doc.article.id],
        "sources": [doc.article.source or ""],
        "notes": "Coalition aircraft struck an ISIS checkpoint near Raqqa; 4 fighters were killed.",
        "evidence": [span(doc, phrase, ["event_type"])],
        "claimed_by": ["Syrian Observatory for Human Rights"],
    }
    values.update(fields)
    return Event(event_id=event_id, **values)


@pytest.fixture
def raqqa(store: Store) -> Document:
    doc = make_doc("raqqa-1", AIRSTRIKE_TEXT)
    assert store.add_article(doc)
    return doc


# --------------------------------------------------------------------------- opening and migrations


def test_migrations_apply_once_and_reopen_changes_nothing(db_url: str) -> None:
    with open_store(db_url) as first:
        dialect = first.dialect
        assert first.schema_version() == migrate.latest_version(dialect) >= 1
    engine = sa.create_engine(normalize_url(db_url))
    try:
        assert migrate.upgrade(engine) == []  # everything already applied
        with engine.connect() as conn:
            rows = conn.execute(sa.select(schema.schema_migrations.c.version)).scalars().all()
            assert rows == [m.version for m in migrate.migrations_for(dialect)]
            inspector = sa.inspect(conn)
            for table in schema.metadata.sorted_tables:
                in_db = {c["name"] for c in inspector.get_columns(table.name)}
                assert set(table.columns.keys()) <= in_db, table.name
    finally:
        engine.dispose()
    with open_store(db_url) as again:
        assert again.schema_version() == migrate.latest_version(dialect)


def test_a_newer_schema_than_the_code_is_refused(db_url: str) -> None:
    with open_store(db_url) as store, store.transaction() as conn:
        conn.execute(
            schema.schema_migrations.insert().values(version=9999, name="future", applied_at=sa.func.now())
        )
    with pytest.raises(StoreError, match="newer than this eventwire"):
        open_store(db_url)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    with open_store(str(path)) as store, store.transaction() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    with sqlite3.connect(path) as raw:  # WAL is a property of the file, seen by any client (Datasette)
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(schema.metadata.tables) <= tables


def test_urls_and_paths() -> None:
    assert normalize_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("x.db") == "sqlite:///x.db"
    assert normalize_url(":memory:") == "sqlite://"
    with pytest.raises(StoreError, match="unsupported database URL"):
        normalize_url("mysql://u@h/db")
    with pytest.raises(StoreError, match="does not exist"):
        normalize_url("/no/such/dir/eventwire.db")


def test_unreachable_postgres_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/nothing?connect_timeout=2")
    assert "cannot open database" in str(caught.value)
    assert "s3cret" not in str(caught.value)


# --------------------------------------------------------------------------- articles


def test_articles_are_deduplicated_by_raw_hash(store: Store, raqqa: Document) -> None:
    assert store.add_article(raqqa) is False  # same report again
    copy = make_doc("raqqa-copy", AIRSTRIKE_TEXT)  # same content under another id
    assert store.add_article(copy) is False
    assert store.has_article_hash(raqqa.article.raw_hash)
    assert not store.has_article_hash("0" * 64)
    assert store.article_ids_for_hashes([raqqa.article.raw_hash, "0" * 64]) == {
        raqqa.article.raw_hash: "raqqa-1"
    }
    assert store.article("raqqa-copy") is None
    stored = store.article("raqqa-1")
    assert stored is not None
    assert stored.text == AIRSTRIKE_TEXT and stored.title == "Coalition jets strike near Raqqa"
    assert stored.published == date(2017, 5, 4) and stored.raw_hash == raqqa.article.raw_hash
    assert store.stats()["articles"] == 1


def test_an_article_id_reused_for_other_content_is_a_conflict(store: Store, raqqa: Document) -> None:
    with pytest.raises(ArticleConflict, match="raqqa-1"):
        store.add_article(make_doc("raqqa-1", CLASH_TEXT))
    assert store.article("raqqa-1").text == AIRSTRIKE_TEXT


# --------------------------------------------------------------------------- events


def _link_counts(store: Store, event_id: str) -> tuple[int, int]:
    with store.transaction() as conn:
        links = conn.execute(
            sa.select(sa.func.count()).where(schema.event_articles.c.event_id == event_id)
        ).scalar_one()
        spans = conn.execute(
            sa.select(sa.func.count()).where(schema.evidence.c.event_id == event_id)
        ).scalar_one()
    return links, spans


def test_events_round_trip_and_upsert(store: Store, raqqa: Document) -> None:
    run = store.start_run("extract", ["raqqa-1.txt"])
    event = make_event("ev-1", raqqa, "struck an ISIS checkpoint near Raqqa", quantities={"strikes": 1})
    counts = store.save_events([event], run)
    assert (counts.inserted, counts.updated, counts.unchanged) == (1, 0, 0)
    loaded = store.get_event("ev-1")
    assert loaded is not None
    assert loaded.to_record() == event.to_record()
    assert loaded.evidence[0].fields == ["event_type"]
    assert _link_counts(store, "ev-1") == (1, 1)

    again = store.save_events(
        [make_event("ev-1", raqqa, "struck an ISIS checkpoint near Raqqa", quantities={"strikes": 1})], run
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)

    changed = make_event("ev-1", raqqa, "killing four fighters", fatalities=5, quantities={"strikes": 1})
    assert store.save_events([changed], run).updated == 1
    loaded = store.get_event("ev-1")
    assert loaded.fatalities == 5
    assert [e.text for e in loaded.evidence] == ["killing four fighters"]
    assert _link_counts(store, "ev-1") == (1, 1)  # old evidence rows replaced, not piled up
    assert store.stats()["events"] == 1


def test_reviewed_events_keep_their_fields_and_gain_flagged_evidence(store: Store, raqqa: Document) -> None:
    store.save_events([make_event("ev-1", raqqa, "struck an ISIS checkpoint near Raqqa")])
    reviewed = store.get_event("ev-1")
    reviewed.review_status = "confirmed"
    reviewed.fatalities = 3
    store.record_review(reviewed, who="analyst@example.org", action="confirm")

    clash = make_doc("raqqa-2", CLASH_TEXT, source="Other Wire")
    assert store.add_article(clash)
    machine = make_event(
        "ev-1", raqqa, "struck an ISIS checkpoint near Raqqa", fatalities=9,
        article_ids=["raqqa-1", "raqqa-2"], sources=["Example Wire", "Other Wire"],
    )  # fmt: skip
    machine.evidence.append(span(clash, "left at least seven dead", ["fatalities"]))
    counts = store.save_events([machine])
    assert counts.attached == 1 and counts.updated == 0

    kept = store.get_event("ev-1")
    assert kept.review_status == "confirmed" and kept.fatalities == 3  # the person's values stand
    assert kept.article_ids == ["raqqa-1", "raqqa-2"]
    assert kept.sources == ["Example Wire", "Other Wire"]
    assert [e.article_id for e in kept.evidence] == ["raqqa-1", "raqqa-2"]
    assert kept.flags == ["new_evidence"]
    assert _link_counts(store, "ev-1") == (2, 2)

    trail = store.audit_entries("ev-1")
    assert [(a["who"], a["action"]) for a in trail] == [
        ("analyst@example.org", "confirm"),
        ("eventwire", "attach_evidence"),
    ]
    assert trail[0]["before"]["fatalities"] == 4 and trail[0]["after"]["fatalities"] == 3
    assert trail[1]["after"]["article_ids"] == ["raqqa-1", "raqqa-2"]

    assert store.save_events([machine]).unchanged == 1  # nothing new the second time
    assert store.get_event("ev-1").flags == ["new_evidence"]
    assert len(store.audit_entries("ev-1")) == 2


def test_events_must_refer_to_stored_articles_and_fail_as_a_whole(store: Store, raqqa: Document) -> None:
    orphan = make_event("ev-2", raqqa, "killing four fighters", article_ids=["raqqa-1", "never-stored"])
    with pytest.raises(StoreError, match="never-stored"), store.transaction():
        assert store.add_article(make_doc("clash-1", CLASH_TEXT))
        store.save_events([make_event("ev-1", raqqa, "killing four fighters"), orphan])
    # The article added in the same transaction was rolled back with the events.
    assert store.article("clash-1") is None
    assert store.get_event("ev-1") is None


def test_a_merged_event_id_resolves_to_the_surviving_event(store: Store, raqqa: Document) -> None:
    store.save_events([
        make_event("ev-1", raqqa, "killing four fighters"),
        make_event("ev-2", raqqa, "struck an ISIS checkpoint near Raqqa"),
    ])  # fmt: skip
    with store.transaction() as conn:
        conn.execute(
            schema.events.update().where(schema.events.c.event_id == "ev-2").values(merged_into="ev-1")
        )
    assert store.get_event("ev-2").event_id == "ev-1"
    assert [e.event_id for e in store.events()] == ["ev-1"]


# --------------------------------------------------------------------------- queries


@pytest.fixture
def three_events(store: Store, raqqa: Document) -> None:
    clash = make_doc("clash-1", CLASH_TEXT)
    store.add_article(clash)
    may_3 = {"event_date": date(2017, 5, 3), "date_start": date(2017, 5, 3), "date_end": date(2017, 5, 3)}
    june_20 = {
        "event_date": date(2017, 6, 20),
        "date_start": date(2017, 6, 20),
        "date_end": date(2017, 6, 20),
    }
    store.save_events([
        make_event("ev-a", raqqa, "struck an ISIS checkpoint", assoc_actor_1=["Military Forces of France"]),
        make_event(
            "ev-b", clash, "Fighting between the SDF and ISIS", event_type="Battles",
            sub_event_type="Armed clash", actor1="SDF: Syrian Democratic Forces", inter1=3,
            admin1="Deir ez-Zor", location="Deir ez-Zor", fatalities=7, **may_3,
        ),
        make_event(
            "ev-c", raqqa, "killing four fighters", country="Iraq", iso3="IRQ", admin1="Nineveh",
            location="Mosul", fatalities=0, review_status="confirmed", **june_20,
        ),
    ])  # fmt: skip


def _ids(events: list[Event]) -> list[str]:
    return [e.event_id for e in events]


@pytest.mark.usefixtures("three_events")
def test_event_filters(store: Store) -> None:
    assert _ids(store.events()) == ["ev-a", "ev-b", "ev-c"]
    assert _ids(store.events(date_from=date(2017, 5, 3))) == ["ev-b", "ev-c"]
    assert _ids(store.events(date_from=date(2017, 5, 2), date_to=date(2017, 5, 2))) == ["ev-a"]
    assert _ids(store.events(country="syria")) == ["ev-a", "ev-b"]
    assert _ids(store.events(country="IRQ")) == ["ev-c"]
    assert _ids(store.events(country=["Iraq", "SYR"])) == ["ev-a", "ev-b", "ev-c"]
    assert _ids(store.events(admin1="deir ez-zor")) == ["ev-b"]
    assert _ids(store.events(sub_event_type="Armed clash")) == ["ev-b"]
    assert _ids(store.events(event_type="Explosions/Remote violence")) == ["ev-a", "ev-c"]
    assert _ids(store.events(actor="france")) == ["ev-a"]  # an associated actor
    assert _ids(store.events(actor="syrian democratic")) == ["ev-b"]
    assert _ids(store.events(text="fighting between")) == ["ev-b"]  # in the evidence
    assert _ids(store.events(text="MOSUL")) == ["ev-c"]  # the location
    assert _ids(store.events(text="100%")) == []  # wildcards in user text are literal
    assert _ids(store.events(review_status="confirmed")) == ["ev-c"]
    assert _ids(store.events(article_id="clash-1")) == ["ev-b"]
    assert _ids(store.events(order="-fatalities")) == ["ev-b", "ev-a", "ev-c"]
    assert _ids(store.events(order="-event_date", limit=2)) == ["ev-c", "ev-b"]
    assert _ids(store.events(limit=2, offset=1)) == ["ev-b", "ev-c"]
    assert store.count_events(country="Syria", limit=1) == 2
    with pytest.raises(ValueError, match="unknown order"):
        store.events(order="random()")


@pytest.mark.usefixtures("three_events")
def test_stats(store: Store) -> None:
    stats = store.stats()
    assert stats["events"] == 3 and stats["articles"] == 2 and stats["fatalities"] == 11
    assert stats["by_event_type"] == {"Explosions/Remote violence": 2, "Battles": 1}
    assert stats["by_country"] == {"Syria": 2, "Iraq": 1}
    assert stats["by_month"] == {"2017-05": 2, "2017-06": 1}
    assert stats["by_review_status"] == {"machine": 2, "confirmed": 1}
    assert (stats["first_event_date"], stats["last_event_date"]) == ("2017-05-02", "2017-06-20")


def test_runs_are_recorded(store: Store) -> None:
    run = store.start_run("extract", [Path("reports"), "-"])
    assert store.get_run(run)["status"] == "running"
    store.finish_run(run, articles_read=3, articles_new=2, events_written=4, errors=1)
    done = store.get_run(run)
    assert done["status"] == "partial" and done["errors"] == 1 and done["events_written"] == 4
    assert done["inputs"] == ["reports", "-"] and done["finished_at"] >= done["started_at"]
    assert store.start_run("export") > run
    with pytest.raises(TypeError, match="unknown counts"):
        store.finish_run(run, events=1)


def test_concurrent_writers_on_one_sqlite_file_wait_instead_of_failing(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")  # created and migrated by whichever thread comes first
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            with open_store(path) as store:
                for i in range(15):
                    with store.transaction():
                        doc = make_doc(f"w{worker}-{i}", f"Report {worker}-{i}\n\nShelling hit a market.")
                        store.add_article(doc)
                        store.save_events([make_event(f"w{worker}-{i}", doc, "Shelling hit a market")])
        except BaseException as exc:  # collected and re-raised in the main thread
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    with open_store(path) as store:
        assert store.stats()["events"] == 45


def test_opening_retries_when_sqlite_answers_locked_at_once(tmp_path: Path, monkeypatch) -> None:
    # Two processes switching a new file to WAL together: SQLite may say "locked" without waiting.
    real, calls = migrate.upgrade, []

    def flaky(engine: sa.Engine) -> list[int]:
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.OperationalError(
                "PRAGMA journal_mode=WAL", {}, sqlite3.OperationalError("database is locked")
            )
        return real(engine)

    monkeypatch.setattr(migrate, "upgrade", flaky)
    with open_store(str(tmp_path / "new.db")) as store:
        assert store.stats()["events"] == 0
    assert len(calls) == 2
