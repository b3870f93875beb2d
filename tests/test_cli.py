"""The CLI contract end to end: the real `eventwire` command on real files and a real database.

Inputs are the bundled demo corpus (reports we wrote) and the reader fixtures; the seed articles of
../shared are used only when present.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from eventwire.model import EVENT_FIELDS
from eventwire.resources import data_path

DEMO = data_path("demo")
INGEST = Path(__file__).resolve().parent / "fixtures" / "ingest"

ACLED_COLUMNS = [  # ACLED's order
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]  # fmt: skip
SUB_EVENT_TYPES = {
    "Government regains territory", "Non-state actor overtakes territory", "Armed clash",
    "Excessive force against protesters", "Protest with intervention", "Peaceful protest",
    "Violent demonstration", "Mob violence", "Chemical weapon", "Air/drone strike", "Suicide bomb",
    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
    "Sexual violence", "Attack", "Abduction/forced disappearance", "Agreement", "Arrests",
    "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory", "Other",
}  # fmt: skip


def eventwire(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventwire", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=600,
    )


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One extraction of the demo corpus into a database and a JSONL file, shared by the checks below."""
    work = tmp_path_factory.mktemp("demo")
    result = eventwire(
        "extract",
        str(DEMO / "reports"),
        "--metadata",
        str(DEMO / "metadata.csv"),
        "--db",
        str(work / "ew.db"),
        "--out",
        str(work / "events.jsonl"),
    )
    return work, result


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_writes_contract_complete_events_with_evidence(demo_run) -> None:
    work, result = demo_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    events = read_jsonl(work / "events.jsonl")
    assert len(events) >= 15  # fifteen reports, several with more than one event
    texts = dict(sqlite3.connect(work / "ew.db").execute("select id, text from articles").fetchall())
    assert len(texts) == len(list((DEMO / "reports").iterdir()))
    for event in events:
        assert list(event)[: len(EVENT_FIELDS)] == list(EVENT_FIELDS)
        assert event["sub_event_type"] in SUB_EVENT_TYPES
        assert event["review_status"] == "machine"
        assert 0.0 <= event["confidence"] <= 1.0
        assert event["article_ids"] and set(event["article_ids"]) <= set(texts)
        if event["event_date"] is not None:
            start, end = date.fromisoformat(event["date_start"]), date.fromisoformat(event["date_end"])
            assert start <= date.fromisoformat(event["event_date"]) <= end
            assert event["time_precision"] in (1, 2, 3)
        assert event["geo_precision"] in (1, 2, 3, None)
        assert event["fatalities_low"] <= event["fatalities"] <= max(event["fatalities_high"], 0) or (
            event["fatalities"] == event["fatalities_low"] == event["fatalities_high"] == 0
        )
        assert event["notes"]
        assert event["evidence"]
        for ev in event["evidence"]:  # offsets point into the stored article text
            assert texts[ev["article_id"]][ev["start"] : ev["end"]] == ev["text"]
    # the demo corpus is located in the Middle East; the coder must place most events
    located = [e for e in events if e["latitude"] is not None]
    assert len(located) >= 0.8 * len(events)
    assert {e["iso3"] for e in located} >= {"SYR", "IRQ"}


def test_two_outlets_of_one_ambush_are_one_event_and_no_dedup_keeps_them_apart(
    demo_run, tmp_path: Path
) -> None:
    work, _ = demo_run
    palmyra = [e for e in read_jsonl(work / "events.jsonl") if len(e["article_ids"]) > 1]
    assert any(
        set(e["article_ids"]) == {"2025-12-13_palmyra_ambush_dispatch", "2025-12-14_palmyra_ambush_wire"}
        for e in palmyra
    )
    out = tmp_path / "apart.jsonl"
    result = eventwire(
        "extract",
        str(DEMO / "reports"),
        "--metadata",
        str(DEMO / "metadata.csv"),
        "--no-dedup",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert all(len(e["article_ids"]) == 1 for e in read_jsonl(out))


def test_rerun_on_the_same_articles_duplicates_nothing(demo_run) -> None:
    work, _ = demo_run
    db = work / "ew.db"

    def counts() -> tuple[int, int, int]:
        con = sqlite3.connect(db)
        try:
            return tuple(
                con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("articles", "events", "evidence")
            )
        finally:
            con.close()

    before = counts()
    again = eventwire(
        "extract", str(DEMO / "reports"), "--metadata", str(DEMO / "metadata.csv"), "--db", str(db)
    )
    assert again.returncode == 0, again.stderr
    assert "0 new" in again.stderr
    assert counts() == before


def test_csv_geojson_and_parquet_from_one_run(demo_run, tmp_path: Path) -> None:
    work, _ = demo_run
    for suffix in ("csv", "geojson", "parquet"):
        result = eventwire("export", "--db", str(work / "ew.db"), "--out", str(tmp_path / f"e.{suffix}"))
        assert result.returncode == 0, result.stderr
    with (tmp_path / "e.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert len(rows) - 1 == len(read_jsonl(work / "events.jsonl"))
    header = rows[0]
    for row in rows[1:]:
        rec = dict(zip(header, row, strict=True))
        assert rec["event_date"] == "" or date.fromisoformat(rec["event_date"]).year == int(rec["year"])
        assert rec["fatalities"].isdigit()
    geo = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and geo["features"]
    for feature in geo["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["sub_event_type"] in SUB_EVENT_TYPES
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == len(rows) - 1
    assert {"event_id", "event_date", "latitude", "evidence"} <= set(table.column_names)


def test_stdin_article_with_a_default_date(tmp_path: Path) -> None:
    report = (
        "US strikes hit Islamic State camp in Syria\n\n"
        "US Central Command said its aircraft carried out an air strike on Tuesday on an Islamic State camp "
        "near Raqqa, killing four militants."
    )
    out = tmp_path / "stdin.jsonl"
    result = eventwire("extract", "-", "--published", "2024-03-08", "--out", str(out), stdin=report)
    assert result.returncode == 0, result.stderr
    (event,) = read_jsonl(out)
    assert event["sub_event_type"] == "Air/drone strike"
    assert event["event_date"] == "2024-03-05"  # the latest Tuesday on or before the report's date
    assert event["location"] in ("Ar Raqqah", "Raqqa") and event["admin1"] == "Ar-Raqqa"
    assert event["fatalities"] == 4
    assert event["actor1"] == "Military Forces of the United States"


def test_metadata_overrides_and_fills_by_article_id(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "mosul-1.txt").write_text(
        "Car bomb in Mosul\n\nA car bomb exploded on Friday at a market in Mosul, killing three civilians.\n",
        encoding="utf-8",
    )
    meta = tmp_path / "meta.csv"
    meta.write_text("id,published,url,source\nmosul-1,2023-06-12,https://example.org/m1,Example Wire\n")
    out = tmp_path / "m.jsonl"
    result = eventwire(
        "extract", str(reports), "--metadata", str(meta), "--published", "2001-01-01", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    (event,) = read_jsonl(out)
    assert event["event_date"] == "2023-06-09"  # the Friday before the metadata's date, not --published's
    assert event["sources"] == ["Example Wire"]
    assert event["civilian_targeting"] is True


def test_bad_inputs_give_one_line_each_and_lose_nothing(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(
        "Clashes near Kirkuk\n\nIslamic State militants clashed with Iraqi army troops near Kirkuk on "
        "Sunday; two soldiers were killed.\n",
        encoding="utf-8",
    )
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (inputs / "empty.txt").write_text("")
    (inputs / "broken.jsonl").write_text(
        '{"id": "ok-1", "text": "Turkish drones struck a vehicle near Qamishli on Monday, killing two."}\n'
        "{not json\n",
        encoding="utf-8",
    )
    (inputs / "table.csv").write_text("id,headline,count\n1,no text column,3\n", encoding="utf-8")
    (inputs / "notes.docx").write_bytes(b"PK\x03\x04")
    missing = tmp_path / "does-not-exist.txt"
    out = tmp_path / "bad.jsonl"
    result = eventwire("extract", str(inputs), str(missing), "--published", "2024-05-20", "--out", str(out))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # some inputs failed
    lines = result.stderr.splitlines()
    for name in ("binary.txt", "empty.txt", "broken.jsonl", "table.csv", "notes.docx", "does-not-exist.txt"):
        mentioning = [line for line in lines if name in line]
        assert len(mentioning) == 1, (name, lines)
    assert any("broken.jsonl:2" in line for line in lines)  # the line number
    ids = {aid for e in read_jsonl(out) for aid in e["article_ids"]}
    assert ids == {"good", "ok-1"}  # both good articles made events, nothing else was lost


def test_user_errors_are_one_line_without_a_traceback(tmp_path: Path) -> None:
    for args in (
        ("extract", str(DEMO / "reports"), "--out", str(tmp_path / "e.xlsx")),
        ("extract", str(DEMO / "reports"), "--published", "last tuesday"),
        ("stats", "--db", str(tmp_path / "none.db")),
        ("extract", str(DEMO / "reports"), "--db", "postgresql://nobody:secret@127.0.0.1:1/none"),
    ):
        result = eventwire(*args)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr, args
        assert "secret" not in result.stderr
        # one line; argparse's own errors put the usage first, then one line naming the problem
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("eventwire") and "error" in last, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 or result.stderr.startswith("usage:")


def test_demo_command_writes_the_database_csv_and_geojson(tmp_path: Path) -> None:
    result = eventwire("demo", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("eventwire.db", "events.csv", "events.geojson"):
        assert (tmp_path / name).stat().st_size > 0
    assert "datasette" in result.stdout and "events.geojson" in result.stdout
    assert "eventwire serve --db" in result.stdout  # where the web page is


def test_extract_into_postgresql_then_export(pg_url: str, tmp_path: Path) -> None:
    args = ("extract", str(DEMO / "reports"), "--metadata", str(DEMO / "metadata.csv"), "--db", pg_url)
    assert eventwire(*args).returncode == 0
    assert eventwire(*args).returncode == 0  # the second run adds nothing
    result = eventwire("export", "--db", pg_url, "--out", str(tmp_path / "pg.jsonl"))
    assert result.returncode == 0, result.stderr
    sqlite_out = tmp_path / "sqlite.jsonl"
    assert eventwire(*args[:4], "--out", str(sqlite_out)).returncode == 0

    def key(e: dict) -> tuple:
        return (e["event_id"], e["sub_event_type"], e["location"], e["event_date"], e["fatalities"])

    assert sorted(map(key, read_jsonl(tmp_path / "pg.jsonl"))) == sorted(map(key, read_jsonl(sqlite_out)))


def test_seed_articles_give_contract_complete_events(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "seeds.jsonl"
    result = eventwire(
        "extract",
        str(shared_dir / "corpus" / "seeds"),
        "--metadata",
        str(shared_dir / "corpus" / "seeds-metadata.csv"),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    events = read_jsonl(out)
    assert len(events) >= 5
    assert all(list(e)[: len(EVENT_FIELDS)] == list(EVENT_FIELDS) and e["evidence"] for e in events)
    assert any(len(e["article_ids"]) == 2 and e["location"] in ("Palmyra", "Tadmur") for e in events)


def test_gazetteer_build_says_what_it_holds_and_where() -> None:
    done = eventwire("gazetteer", "build")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"eventwire: gazetteer ready: [\d,]+ places, [\d,]+ names in \S+\.pkl\n", done.stderr)
