"""Exports: JSONL round trip, ACLED-ordered CSV with ACLED's conventions, GeoJSON, Parquet; atomic writes."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventwire.model import Article, Document, Event, Evidence
from eventwire.store import CSV_COLUMNS, acled_row, check_output_path, open_store, write_events

ACLED_ORDER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
EXTRA_ORDER = [
    "event_id", "date_start", "date_end", "fatalities_low", "fatalities_high", "quantities", "cameo",
    "plover_event", "plover_mode", "claimed_by", "article_ids", "source_count", "geonameid", "confidence",
    "review_status", "flags", "conflicts", "evidence",
]  # fmt: skip


def strike() -> Event:
    return Event(
        event_id="ev-strike",
        event_date=date(2017, 5, 2),
        date_start=date(2017, 5, 1),
        date_end=date(2017, 5, 2),
        time_precision=2,
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="Military Forces of the United States",
        assoc_actor_1=["Military Forces of France", "Military Forces of the United Kingdom"],
        inter1=8,
        actor2="Islamic State (Syria)",
        inter2=2,
        country="Syria",
        iso3="SYR",
        admin1="Ar-Raqqa",
        location="Raqqa",
        latitude=35.9528,
        longitude=39.0079,
        geonameid=163915,
        geo_precision=2,
        fatalities=4,
        fatalities_low=4,
        fatalities_high=6,
        quantities={"strikes": 3, "targets": 2},
        cameo="195",
        plover_event="ASSAULT",
        plover_mode="aerial",
        claimed_by=["Combined Joint Task Force"],
        article_ids=["a1", "a2"],
        sources=["Example Wire", "Other Wire"],
        notes="Coalition aircraft struck ISIS positions near Raqqa; 4 fighters were killed.",
        evidence=[Evidence("a1", 40, 75, "struck ISIS positions near Raqqa")],
        confidence=0.8,
        flags=["new_evidence"],
        conflicts={"fatalities": [4, 6]},
    )


def protest_crackdown() -> Event:
    """Excessive force against protesters, with no coordinates and a lone actor on one side."""
    return Event(
        event_id="ev-protest",
        event_date=date(2019, 10, 5),
        date_start=date(2019, 10, 5),
        date_end=date(2019, 10, 5),
        time_precision=1,
        event_type="Protests",
        sub_event_type="Excessive force against protesters",
        actor1="Police Forces of Iraq (2018-2022)",
        inter1=1,
        civilian_targeting=True,
        country="Iraq",
        iso3="IRQ",
        admin1="Baghdad",
        location="Baghdad",
        fatalities=2,
        article_ids=["a3"],
        sources=["Example Wire"],
        notes="Police fired on protesters in Baghdad; 2 were killed.",
        evidence=[Evidence("a3", 0, 20, "Police fired on crowd")],
    )


def test_csv_has_acleds_columns_in_order_then_eventwires(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    updated = datetime(2025, 12, 20, 12, 0, tzinfo=UTC)
    assert write_events([strike(), protest_crackdown()], out, updated_at={"ev-strike": updated}) == 2
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, r, strict=True)) for r in reader]
    assert header == ACLED_ORDER + EXTRA_ORDER == list(CSV_COLUMNS)

    s = rows[0]
    assert re.fullmatch(r"SYR\d+", s["event_id_cnty"])
    assert (s["event_date"], s["year"], s["time_precision"]) == ("2017-05-02", "2017", "2")
    assert s["disorder_type"] == "Political violence"
    assert s["assoc_actor_1"] == "Military Forces of France; Military Forces of the United Kingdom"
    assert (s["inter1"], s["inter2"], s["interaction"]) == ("8", "2", "28")  # lower code first
    assert (s["iso"], s["region"], s["civilian_targeting"]) == ("760", "Middle East", "")
    assert (s["admin2"], s["admin3"], s["tags"], s["source_scale"]) == ("", "", "", "")
    assert (s["latitude"], s["longitude"], s["geo_precision"]) == ("35.9528", "39.0079", "2")
    assert s["source"] == "Example Wire; Other Wire"
    assert s["timestamp"] == str(int(updated.timestamp()))
    assert (s["event_id"], s["date_start"], s["date_end"]) == ("ev-strike", "2017-05-01", "2017-05-02")
    assert json.loads(s["quantities"]) == {"strikes": 3, "targets": 2}
    assert s["article_ids"] == "a1; a2" and s["flags"] == "new_evidence"
    assert json.loads(s["conflicts"]) == {"fatalities": [4, 6]}
    assert json.loads(s["evidence"]) == [e.to_record() for e in strike().evidence]

    p = rows[1]
    assert p["disorder_type"] == "Political violence; Demonstrations"
    assert (p["inter1"], p["inter2"], p["interaction"]) == ("1", "0", "10")  # a lone actor
    assert (p["iso"], p["region"], p["civilian_targeting"]) == ("368", "Middle East", "Civilian targeting")
    assert p["latitude"] == "" and p["assoc_actor_2"] == ""
    assert int(p["timestamp"]) >= int(updated.timestamp())  # no update time known: the export's time


def test_acled_conventions_from_the_codebook() -> None:
    def row(**changes: object) -> dict:
        event = strike()
        for name, value in changes.items():
            setattr(event, name, value)
        return acled_row(event)

    assert row(event_type="Riots", sub_event_type="Mob violence")["disorder_type"] == "Political violence"
    assert (
        row(event_type="Riots", sub_event_type="Violent demonstration")["disorder_type"] == "Demonstrations"
    )
    assert row(event_type="Protests", sub_event_type="Peaceful protest")["disorder_type"] == "Demonstrations"
    assert row(event_type="Strategic developments", sub_event_type="Arrests")["disorder_type"] == (
        "Strategic developments"
    )
    assert row(inter1=3, inter2=3)["interaction"] == 33
    assert row(inter1=7, inter2=1)["interaction"] == 17
    assert row(inter1=None, inter2=None, actor1=None, actor2=None)["interaction"] == ""
    assert row(iso3=None, country="Iraq")["iso"] == 368  # falls back to the country name
    assert row(iso3=None, country=None)["event_id_cnty"].startswith("XXX")
    assert row()["event_id_cnty"] == row(fatalities=9)["event_id_cnty"]  # stable: follows event_id only
    assert row()["event_id_cnty"] != row(event_id="ev-other")["event_id_cnty"]


def test_jsonl_round_trips_the_record(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    events = [strike(), protest_crackdown()]
    assert write_events(iter(events), out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    for line, event in zip(lines, events, strict=True):
        record = json.loads(line)
        assert list(record)[:3] == ["event_id", "event_date", "date_start"]
        assert Event.from_record(record).to_record() == event.to_record() == record


def test_geojson_points_and_the_count_left_out(tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    bad = strike()
    bad.event_id, bad.latitude = "ev-bad", 123.0  # not a latitude: left out like a missing one
    assert write_events([strike(), protest_crackdown(), bad], out) == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert doc["events_without_coordinates"] == 2
    (feature,) = doc["features"]
    assert feature["type"] == "Feature" and feature["id"] == "ev-strike"
    assert feature["geometry"] == {"type": "Point", "coordinates": [39.0079, 35.9528]}  # lon, lat
    assert feature["properties"] == strike().to_record()

    empty = tmp_path / "none.geojson"
    assert write_events([], empty) == 0
    assert json.loads(empty.read_text()) == {
        "type": "FeatureCollection", "features": [], "events_without_coordinates": 0,
    }  # fmt: skip


def test_parquet_is_typed_and_readable_by_pyarrow(tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    assert write_events([strike(), protest_crackdown()], out) == 2
    table = pq.read_table(out)
    assert table.num_rows == 2
    assert table.column_names == list(strike().to_record())
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("assoc_actor_1").type == pa.list_(pa.string())
    assert table.schema.field("civilian_targeting").type == pa.bool_()
    rows = table.to_pylist()
    assert rows[0]["event_date"] == date(2017, 5, 2)
    assert rows[0]["assoc_actor_1"] == strike().assoc_actor_1
    assert json.loads(rows[0]["quantities"]) == {"strikes": 3, "targets": 2}
    assert rows[0]["evidence"] == [e.to_record() for e in strike().evidence]
    assert rows[1]["latitude"] is None and rows[1]["civilian_targeting"] is True
    assert pq.read_table(_written_empty(tmp_path)).num_rows == 0


def _written_empty(tmp_path: Path) -> Path:
    out = tmp_path / "empty.parquet"
    assert write_events([], out) == 0
    return out


def test_unknown_extension_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    for name in ("events.xlsx", "events"):
        with pytest.raises(ValueError, match=r"unsupported output format.*\.jsonl, \.csv, \.geojson"):
            write_events([strike()], tmp_path / name)
    assert list(tmp_path.iterdir()) == []
    check_output_path(tmp_path / "EVENTS.CSV")  # extensions are case-insensitive
    with pytest.raises(ValueError, match="does not exist"):
        check_output_path(tmp_path / "missing" / "events.csv")


def test_a_failed_export_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    write_events([strike()], out)
    before = out.read_bytes()

    def broken():
        yield protest_crackdown()
        raise RuntimeError("pipeline failed mid-way")

    with pytest.raises(RuntimeError):
        write_events(broken(), out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]
    assert out.stat().st_mode & 0o777 == 0o644


def test_store_export_uses_each_events_last_update(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "eventwire.db")) as store:
        for article_id in ("a1", "a2", "a3"):
            text = f"Report {article_id}\n\nShort report about shelling."
            article = Article(id=article_id, text=text.split("\n\n")[1], title=f"Report {article_id}")
            store.add_article(Document(article=article, text=text))
        before = int(datetime.now(UTC).timestamp())
        store.save_events([strike(), protest_crackdown()])
        assert store.export(tmp_path / "syria.csv", country="Syria") == 1
        assert store.export(tmp_path / "all.geojson") == 1  # the Baghdad event has no point
    with (tmp_path / "syria.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["event_id"] == "ev-strike"
    assert before <= int(row["timestamp"]) <= int(datetime.now(UTC).timestamp())
