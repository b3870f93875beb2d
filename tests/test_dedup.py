"""Cross-report dedup (issue 7): blocking, the merge decision, ACLED reconciliation, the store-backed index,
incremental runs through the real CLI, and the synthetic stress set.

Unit tests build events directly (as the event stage would code them); end-to-end tests run
`python -m eventwire extract ... --db` on short reports written for these tests (tests/fixtures/dedup).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from eventwire.dedup import Deduplicator, MemoryIndex, StoreIndex, absorb
from eventwire.dedup.blocking import index_keys, query_keys
from eventwire.dedup.decide import assess, passes
from eventwire.dedup.features import features, is_point, target_kinds
from eventwire.evaluate.dedup_stress import generate, score_dedup
from eventwire.model import Article, Document, Event, Evidence
from eventwire.store import open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dedup"
MOSUL = {"location": "Mosul", "geonameid": 99072, "latitude": 36.335, "longitude": 43.119}
PALMYRA = {"location": "Palmyra", "geonameid": 163808, "latitude": 34.5624, "longitude": 38.284}
TADMUR_ALIAS = {"location": "Tadmur", "geonameid": 9000001, "latitude": 34.5595, "longitude": 38.2769}


def report(
    article: str,
    text: str,
    day: date | None = date(2025, 12, 13),
    *,
    end: date | None = None,
    precision: int = 1,
    sub: str = "Armed clash",
    place: dict | None = None,
    geo_precision: int = 1,
    iso3: str = "SYR",
    source: str | None = None,
    **fields,
) -> Event:
    """One report's event as the event stage codes it: one article, one evidence sentence."""
    place = place if place is not None else PALMYRA
    event_type = "Battles" if sub == "Armed clash" else "Explosions/Remote violence"
    values = dict(
        event_id=f"ev-{article}",
        event_date=day,
        date_start=day,
        date_end=end or day,
        time_precision=precision,
        event_type=event_type,
        sub_event_type=sub,
        country="Syria" if iso3 == "SYR" else "Iraq",
        iso3=iso3,
        admin1="Homs" if iso3 == "SYR" else "Nineveh",
        geo_precision=geo_precision,
        article_ids=[article],
        sources=[source] if source else [],
        evidence=[Evidence(article, 0, len(text), text, ["event"])],
        **place,
    )
    values.update(fields)
    return Event(**values)


def run_all(events: list[Event]) -> tuple[Deduplicator, list[str]]:
    """Feed reports one by one; the id of the event each ended in."""
    merger = Deduplicator()
    ended = []
    for event in events:
        result = merger.merge([event])
        ended.append(result.events[0].event_id)
    return merger, ended


# --------------------------------------------------------------------------- the decision


def test_two_outlets_one_ambush_merge_with_all_sources() -> None:
    wire = report(
        "wire",
        "A gunman attacked a joint patrol of US and Syrian troops near Palmyra, killing three, CENTCOM said.",
        actor1="Unidentified Armed Group (Syria)",
        actor2="Military Forces of the United States",
        fatalities=3,
        fatalities_low=3,
        fatalities_high=3,
        claimed_by=["US Central Command"],
        source="Wire",
    )
    local = report(
        "local",
        "Three Americans were killed when a gunman opened fire on a US patrol in Palmyra, CENTCOM said.",
        place=TADMUR_ALIAS,
        actor2="Military Forces of the United States",
        fatalities=3,
        fatalities_low=2,
        fatalities_high=4,
        claimed_by=["Syrian Defence Ministry"],
        source="Local",
    )
    _, ended = run_all([wire, local])
    assert ended == ["ev-wire", "ev-wire"]  # the first report's id stays
    assert wire.article_ids == ["wire", "local"]
    assert wire.sources == ["Wire", "Local"] and wire.source_count == 2
    assert {e.article_id for e in wire.evidence} == {"wire", "local"}
    assert wire.claimed_by == ["US Central Command", "Syrian Defence Ministry"]
    assert (wire.fatalities, wire.fatalities_low, wire.fatalities_high) == (3, 2, 4)
    assert wire.conflicts["location"] == ["Palmyra", "Tadmur"]


def test_same_town_different_days_stay_apart() -> None:
    monday = report(
        "a",
        "Coalition jets struck near Mosul.",
        date(2016, 11, 7),
        place=MOSUL,
        iso3="IRQ",
        sub="Air/drone strike",
        geo_precision=2,
        actor1="International Coalition against ISIS",
    )
    tuesday = report(
        "b",
        "Coalition jets struck near Mosul.",
        date(2016, 11, 8),
        place=MOSUL,
        iso3="IRQ",
        sub="Air/drone strike",
        geo_precision=2,
        actor1="International Coalition against ISIS",
    )
    _, ended = run_all([monday, tuesday])
    assert ended == ["ev-a", "ev-b"]


def test_daily_strike_summaries_near_mosul_are_one_event_per_day() -> None:
    summaries = [
        report(
            f"summary-{k}",
            "Near Mosul, three strikes engaged an ISIS tactical unit and destroyed a fighting position.",
            date(2016, 11, 1) + timedelta(days=k),
            place=MOSUL,
            iso3="IRQ",
            sub="Air/drone strike",
            geo_precision=2,
            actor1="International Coalition against ISIS",
            actor2="Islamic State (Iraq)",
            quantities={"strikes": 3},
            source="Coalition press office",
        )
        for k in range(7)
    ]
    _, ended = run_all(summaries)
    assert len(set(ended)) == 7


def test_palmyra_2016_is_not_palmyra_2025() -> None:
    old = report(
        "old", "IS fighters retook Palmyra after clashes with government forces.", date(2016, 12, 11)
    )
    new = report("new", "IS fighters clashed with government forces in Palmyra.", date(2025, 12, 11))
    _, ended = run_all([old, new])
    assert ended == ["ev-old", "ev-new"]


def test_incompatible_tolls_keep_two_events_apart() -> None:
    a = report(
        "a",
        "Shelling of a market in Palmyra killed three.",
        fatalities=3,
        fatalities_low=3,
        fatalities_high=3,
        actor1="Islamic State (Syria)",
    )
    b = report(
        "b",
        "Shelling of a market in Palmyra killed forty.",
        fatalities=40,
        fatalities_low=40,
        fatalities_high=40,
        actor1="Islamic State (Syria)",
    )
    assert assess(features(a), features(b)) is None


def test_target_kinds_name_what_was_hit() -> None:
    assert target_kinds("Rockets hit the field hospital and two markets.") == {"hospital", "market"}
    assert target_kinds("Jets struck a police station near the ammunition depot") == {
        "police station",
        "depot",
    }
    assert target_kinds("Coalition aircraft struck ISIS positions and targets.") == frozenset()


def test_reports_naming_different_targets_need_more_to_merge() -> None:
    """A known shelling of a market; a later report of shelling "last week" in the same town by the same
    actor: naming the market it joins, naming nothing it joins, naming a hospital it does not."""
    kw = dict(sub="Shelling/artillery/missile attack", actor1="Islamic State (Syria)")
    known = report("a", "Islamic State fighters shelled a crowded market in Palmyra, residents said.", **kw)
    verdicts = {}
    for hit in ("the main market", "the main road", "the main hospital"):
        later = report(
            "b",
            f"Islamic State fighters shelled {hit} in Palmyra last week, a monitor said.",
            day=date(2025, 12, 10),
            end=date(2025, 12, 16),
            precision=2,
            **kw,
        )
        verdicts[hit] = passes(assess(features(known), features(later)))
    assert verdicts == {"the main market": True, "the main road": True, "the main hospital": False}


def test_opposed_actors_stay_apart_but_clash_parties_have_no_order() -> None:
    strike_a = report(
        "a", "Russian jets struck Palmyra.", sub="Air/drone strike", actor1="Military Forces of Russia"
    )
    strike_b = report(
        "b",
        "Coalition jets struck Palmyra.",
        sub="Air/drone strike",
        actor1="International Coalition against ISIS",
    )
    assert assess(features(strike_a), features(strike_b)) is None
    # one report names one party of a clash, the other report the other party: the clash between them
    clash_a = report(
        "c", "Islamic State fighters attacked a patrol in Palmyra.", actor1="Islamic State (Syria)"
    )
    clash_b = report(
        "d", "US troops came under fire in Palmyra.", actor2="Military Forces of the United States"
    )
    assert assess(features(clash_a), features(clash_b)) is not None
    # a third party contradicts
    clash_c = report(
        "e",
        "Government troops fought HTS in Palmyra.",
        actor1="Military Forces of Syria (2024-)",
        actor2="Hayat Tahrir al-Sham",
    )
    assert assess(features(clash_a), features(clash_c)) is None


def test_undated_reports_never_merge_across_documents() -> None:
    dated = report("a", "Clashes in Palmyra killed two.", actor1="Islamic State (Syria)")
    undated = report(
        "b", "Clashes in Palmyra killed two.", None, actor1="Islamic State (Syria)", flags=["date_unknown"]
    )
    assert features(undated) is None and index_keys(undated) == [] and query_keys(undated) == []
    _, ended = run_all([dated, undated])
    assert ended == ["ev-a", "ev-b"]


def test_reports_without_any_place_never_merge() -> None:
    a = report("a", "Clashes killed two.", place={}, iso3=None, actor1="Islamic State (Syria)", country=None)
    b = report("b", "Clashes killed two.", place={}, iso3=None, actor1="Islamic State (Syria)", country=None)
    _, ended = run_all([a, b])
    assert ended == ["ev-a", "ev-b"]


def test_a_vague_report_fitting_two_known_events_joins_neither() -> None:
    base = dict(
        place=MOSUL, iso3="IRQ", sub="Air/drone strike", actor1="International Coalition against ISIS"
    )
    monday = report("mon", "Coalition aircraft struck a checkpoint in Mosul.", date(2016, 11, 7), **base)
    tuesday = report("tue", "Coalition aircraft struck a checkpoint in Mosul.", date(2016, 11, 8), **base)
    week = report(
        "week",
        "Coalition aircraft struck a checkpoint in Mosul last week.",
        date(2016, 11, 7),
        end=date(2016, 11, 13),
        precision=2,
        **base,
    )
    _, ended = run_all([monday, tuesday, week])
    assert ended == ["ev-mon", "ev-tue", "ev-week"]
    assert "possible_duplicate" in week.flags


def test_a_dated_report_and_a_week_window_of_the_only_event_in_town_merge() -> None:
    """The seed gold's Palmyra ambush: one report dates it, the other only says "the past week"; both name
    Palmyra, which the gazetteer places as Tadmur."""
    tadmur = {**PALMYRA, "location": "Tadmur"}
    dated = report(
        "dated",
        "The strikes answered a December 13 ambush on US and Syrian forces in Palmyra.",
        place=tadmur,
        actor2="Military Forces of the United States",
    )
    week = report(
        "week",
        "Three Americans died in an attack in Palmyra, which Washington attributed to IS.",
        date(2025, 12, 14),
        end=date(2025, 12, 20),
        precision=2,
        place=tadmur,
        actor2="Islamic State (Syria)",
    )
    _, ended = run_all([dated, week])
    assert ended == ["ev-dated", "ev-dated"]
    assert dated.date_start == date(2025, 12, 13) and dated.time_precision == 1  # the precise date won


def test_a_report_showing_two_known_events_to_be_one_folds_them() -> None:
    base = dict(actor1="Islamic State (Syria)", actor2="Military Forces of Syria (2024-)")
    first = report(
        "one",
        "IS fighters attacked an army post at the Palmyra citadel, killing five.",
        fatalities=5,
        fatalities_low=5,
        fatalities_high=5,
        **base,
    )
    second = report(
        "two",
        "IS fighters attacked soldiers at the Palmyra citadel, killing five.",
        fatalities=5,
        fatalities_low=5,
        fatalities_high=5,
        **base,
    )
    third = report(
        "three",
        "IS fighters attacked the citadel post in Palmyra, killing five soldiers.",
        fatalities=5,
        fatalities_low=5,
        fatalities_high=5,
        **base,
    )
    merger = Deduplicator()
    merger.merge([first])
    merger.index.add(second)  # as if kept apart when it came (say, before the first was known)
    result = merger.merge([third])
    assert result.merged == 1
    kept = result.events[0]
    assert set(kept.article_ids) == {"one", "two", "three"}
    assert result.folded == {"ev-two": "ev-one"} and kept.event_id == "ev-one"


# --------------------------------------------------------------------------- reconciliation


def test_reconciliation_follows_acled_and_records_conflicts() -> None:
    early = report(
        "early",
        "Two killed in a blast in Palmyra province.",
        place={"location": "Homs", "latitude": 34.72, "longitude": 36.72},
        geo_precision=3,
        sub="Remote explosive/landmine/IED",
        fatalities=2,
        fatalities_low=2,
        fatalities_high=2,
        date_end=date(2025, 12, 19),
        time_precision=2,
    )
    later = report(
        "later",
        "Five killed as a roadside bomb hit a bus in Palmyra.",
        sub="Remote explosive/landmine/IED",
        fatalities=5,
        fatalities_low=4,
        fatalities_high=6,
        actor1="Islamic State (Syria)",
    )
    absorb(early, later)
    assert early.event_id == "ev-early"
    assert (early.fatalities, early.fatalities_low, early.fatalities_high) == (2, 2, 6)
    assert early.conflicts["fatalities"] == [2, 5]
    assert (early.location, early.geo_precision, early.time_precision) == ("Palmyra", 1, 1)
    assert early.date_end == date(2025, 12, 13)
    assert early.actor1 == "Islamic State (Syria)"  # a named actor replaces none
    assert early.source_count == 2


def test_a_vague_toll_yields_to_a_figure_inside_its_range() -> None:
    """ "Dozens killed" (coded 12, range 12-99) and "17 killed": the best figure is 17, the range kept."""
    headline = report(
        "one", "Air strikes kill dozens in Palmyra.", sub="Air/drone strike",
        fatalities=12, fatalities_low=12, fatalities_high=99,
    )  # fmt: skip
    body = report(
        "two", "At least 17 civilians were killed in air strikes on a market in Palmyra.",
        sub="Air/drone strike", fatalities=17, fatalities_low=17, fatalities_high=17,
    )  # fmt: skip
    absorb(headline, body)
    assert (headline.fatalities, headline.fatalities_low, headline.fatalities_high) == (17, 12, 99)
    forty = report(
        "three", "Forty were killed in Palmyra.", sub="Air/drone strike",
        fatalities=40, fatalities_low=40, fatalities_high=40,
    )  # fmt: skip
    absorb(headline, forty)  # two precise figures: the most conservative (ACLED)
    assert headline.fatalities == 17


def test_counts_other_than_deaths_follow_the_toll_rule() -> None:
    """Across reports the conservative count; within one report the largest (a later mention tells a part)."""
    lead = report("one", "Shelling wounded 27 people in Aleppo.", sub="Shelling/artillery/missile attack")
    lead.quantities = {"injured": 27}
    later = report("two", "A girl was wounded.", sub="Shelling/artillery/missile attack")
    later.quantities = {"injured": 1}
    absorb(lead, later, within_report=True)
    assert lead.quantities == {"injured": 27}
    other_outlet = report("three", "Shelling wounded 20 in Aleppo.", sub="Shelling/artillery/missile attack")
    other_outlet.quantities = {"injured": 20}
    absorb(lead, other_outlet)
    assert lead.quantities == {"injured": 20}
    assert lead.conflicts["quantities"] == {"injured": [1, 20, 27]}


def test_reviewed_events_only_gain_evidence() -> None:
    reviewed = report(
        "a",
        "Clashes in Palmyra killed two.",
        fatalities=2,
        fatalities_low=2,
        fatalities_high=2,
        review_status="reviewed",
    )
    other = report(
        "b",
        "Clashes in Palmyra killed nine.",
        fatalities=9,
        fatalities_low=9,
        fatalities_high=9,
        actor1="Islamic State (Syria)",
    )
    absorb(reviewed, other)
    assert reviewed.fatalities == 2 and reviewed.actor1 is None and reviewed.conflicts == {}
    assert reviewed.article_ids == ["a", "b"] and len(reviewed.evidence) == 2
    assert reviewed.flags == ["new_evidence"]


# --------------------------------------------------------------------------- blocking and scale


def _candidates_per_report(n: int) -> tuple[float, float, int]:
    """(mean candidates of all reports, of day-precise point reports, the most for one of the latter),
    every report indexed on its own (no merging, the worst case)."""
    index = MemoryIndex()
    everyone, precise = [], []
    for event in generate(n, seed=3).reports:
        found = sum(1 for _ in index.candidates(event))
        everyone.append(found)
        if is_point(event) and event.time_precision == 1:
            precise.append(found)
        index.add(event)
    return sum(everyone) / len(everyone), sum(precise) / len(precise), max(precise)


def test_blocking_meets_a_handful_of_candidates_whatever_the_size() -> None:
    small, small_precise, _small_max = _candidates_per_report(2000)
    large, large_precise, large_max = _candidates_per_report(8000)
    assert small_precise < 15 and large_precise < 15 and large_max < 100
    assert large < 1.5 * small  # four times the reports over four times the days: no more candidates each


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "dedup.db")
    return request.getfixturevalue("pg_url")


def _document(event: Event) -> Document:
    ev = event.evidence[0]
    article = Article(id=ev.article_id, text=ev.text, title=ev.article_id, origin="test")
    return Document(article=article, text=ev.text)


def test_store_index_finds_what_the_memory_index_finds(db_url: str) -> None:
    stress = generate(600, seed=5)
    memory = Deduplicator()
    with open_store(db_url) as st:
        index = StoreIndex(st)
        stored = Deduplicator(index)
        for event in stress.reports:
            twin = Event.from_record(event.to_record())
            expected = memory.merge([twin])
            result = stored.merge([event])
            assert [e.event_id for e in result.events] == [e.event_id for e in expected.events]
            with st.transaction():
                st.add_article(_document(event))
                st.save_events(result.events)
                st.fold_events(result.folded)
            index.saved()
        assert st.count_events() == len(memory.index)


def test_folded_events_resolve_to_the_event_they_joined(db_url: str) -> None:
    a = report("a", "IS fighters attacked an army post in Palmyra.")
    b = report("b", "IS fighters attacked an army post in Palmyra.")
    with open_store(db_url) as st:
        with st.transaction():
            for event in (a, b):
                st.add_article(_document(event))
            st.save_events([a, b])
        assert {e.event_id for e in st.events_in_blocks(query_keys(a))} == {"ev-a", "ev-b"}
        absorb(a, b)
        st.save_events([a])
        assert st.fold_events({"ev-b": "ev-a"}) == 1
        assert st.get_event("ev-b").event_id == "ev-a"
        assert [e.event_id for e in st.events_in_blocks(query_keys(a))] == ["ev-a"]
        assert st.audit_entries("ev-b")[-1]["action"] == "merged_into ev-a"


def test_backfill_files_events_stored_without_blocks(tmp_path: Path) -> None:
    import sqlalchemy as sa

    a = report("a", "IS fighters attacked an army post in Palmyra.")
    path = tmp_path / "old.db"
    with open_store(str(path)) as st, st.transaction():
        st.add_article(_document(a))
        st.save_events([a])
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # as a database made before schema version 3 would be
        conn.exec_driver_sql("DELETE FROM event_blocks")
        conn.exec_driver_sql("UPDATE articles SET fingerprint = NULL")
    engine.dispose()
    with open_store(str(path)) as st:
        assert st.events_in_blocks(query_keys(a)) == []
        st.backfill_dedup()
        assert [e.event_id for e in st.events_in_blocks(query_keys(a))] == ["ev-a"]


def test_a_database_of_schema_version_2_gets_its_articles_fingerprinted_on_upgrade(tmp_path: Path) -> None:
    """Fingerprints came with schema version 3: a database made at version 2 is filled in when opened."""
    import sqlalchemy as sa

    from eventwire.store import migrate

    path = tmp_path / "v2.db"
    body = " ".join(f"Clashes were reported in district {n} of the city on the {n}th day." for n in range(8))
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql(migrate._BOOTSTRAP["sqlite"])
        for step in migrate.migrations_for("sqlite"):
            if step.version > 2:
                break
            for statement in step.statements():
                conn.exec_driver_sql(statement)
            row = (step.version, step.name, "2026-01-01T00:00:00Z")
            conn.exec_driver_sql("INSERT INTO schema_migrations VALUES (?, ?, ?)", row)
        conn.exec_driver_sql(
            "INSERT INTO articles (id, text, title_end, raw_hash, added_at) "
            "VALUES ('old', ?, 0, 'h', '2026-01-01T00:00:00Z')",
            (body,),
        )
    engine.dispose()
    with open_store(str(path)) as st:
        assert st.schema_version() > 2
        with st.transaction() as conn:
            stored = conn.execute(sa.text("SELECT fingerprint FROM articles WHERE id = 'old'")).scalar()
            filed = "SELECT count(*) FROM article_bands WHERE article_id = 'old'"
            bands = conn.execute(sa.text(filed)).scalar()
    assert stored and bands > 0


def test_stress_set_pairwise_precision_and_recall() -> None:
    """The figures measured with benchmarks/bench_dedup.py, on a smaller set (pinned a little below)."""
    scores = score_dedup(generate(3000, seed=1))
    assert scores.precision >= 0.965, scores
    assert scores.recall >= 0.87, scores
    assert scores.predicted_events < 1.2 * scores.true_events


# --------------------------------------------------------------------------- end to end (real CLI)


def extract(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eventwire", "extract", *args], capture_output=True, text=True, check=False
    )


def fixture(*names: str) -> list[str]:
    return [str(FIXTURES / f"{n}.txt") for n in names]


def export(db: str, out: Path) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "eventwire", "export", "--db", db, "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.returncode == 0
    return out.read_bytes()


def events_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_two_outlets_one_ambush_incrementally(db_url: str, tmp_path: Path) -> None:
    meta = str(FIXTURES / "metadata.csv")
    first = extract(*fixture("ambush_wire"), "--metadata", meta, "--db", db_url)
    assert first.returncode == 0, first.stderr
    (before,) = [e for e in events_of(_exported(db_url, tmp_path / "a.jsonl")) if e["location"] == "Manbij"]
    second = extract(*fixture("ambush_local"), "--metadata", meta, "--db", db_url)
    assert second.returncode == 0, second.stderr
    assert "1 merged into existing ones" in second.stderr
    (after,) = [e for e in events_of(_exported(db_url, tmp_path / "b.jsonl")) if e["location"] == "Manbij"]
    assert after["event_id"] == before["event_id"]  # stable when it gains a source
    assert after["article_ids"] == ["ambush_wire", "ambush_local"]
    assert after["source_count"] == 2 and len(after["sources"]) == 2
    assert {e["article_id"] for e in after["evidence"]} == {"ambush_wire", "ambush_local"}


def _exported(db: str, out: Path) -> Path:
    export(db, out)
    return out


def test_cli_rerun_changes_nothing_byte_for_byte(tmp_path: Path) -> None:
    db = str(tmp_path / "events.db")
    meta = str(FIXTURES / "metadata.csv")
    inputs = fixture("ambush_wire", "ambush_local", "strike_monday", "strike_thursday")
    assert extract(*inputs, "--metadata", meta, "--db", db).returncode == 0
    csv1, jsonl1 = export(db, tmp_path / "1.csv"), export(db, tmp_path / "1.jsonl")
    again = extract(*inputs, "--metadata", meta, "--db", db)
    assert again.returncode == 0 and "0 new, 4 already known" in again.stderr
    assert export(db, tmp_path / "2.csv") == csv1
    assert export(db, tmp_path / "2.jsonl") == jsonl1
    # the same result as running the reports one at a time
    step = str(tmp_path / "step.db")
    for name in ("ambush_wire", "ambush_local", "strike_monday", "strike_thursday"):
        assert extract(*fixture(name), "--metadata", meta, "--db", step).returncode == 0
    assert export(step, tmp_path / "step.jsonl") == jsonl1


def test_cli_two_strikes_near_one_town_on_different_days(tmp_path: Path) -> None:
    out = tmp_path / "strikes.jsonl"
    inputs = fixture("strike_monday", "strike_thursday")
    done = extract(*inputs, "--metadata", str(FIXTURES / "metadata.csv"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    strikes = [e for e in events_of(out) if e["sub_event_type"] == "Air/drone strike"]
    assert len(strikes) == 2
    assert {e["event_date"] for e in strikes} == {"2025-03-10", "2025-03-13"}
    assert all(len(e["article_ids"]) == 1 for e in strikes)


def test_cli_reviewed_event_gets_new_evidence_flagged_not_changed(tmp_path: Path) -> None:
    db = str(tmp_path / "events.db")
    meta = str(FIXTURES / "metadata.csv")
    assert extract(*fixture("ambush_wire"), "--metadata", meta, "--db", db).returncode == 0
    with open_store(db) as st:
        (event,) = [e for e in st.events() if e.location == "Manbij"]
        event.review_status = "reviewed"
        event.notes = "checked by a person"
        st.record_review(event, who="tester", action="review")
    assert extract(*fixture("ambush_local"), "--metadata", meta, "--db", db).returncode == 0
    with open_store(db) as st:
        after = st.get_event(event.event_id)
        assert after.notes == "checked by a person" and after.review_status == "reviewed"
        assert (after.fatalities, after.actor1, after.event_date) == (
            event.fatalities,
            event.actor1,
            event.event_date,
        )
        assert after.article_ids == ["ambush_wire", "ambush_local"]
        assert "new_evidence" in after.flags
        assert st.audit_entries(event.event_id)[-1]["action"] == "attach_evidence"


def test_cli_syndicated_copy_counts_once_and_is_not_extracted(tmp_path: Path) -> None:
    db = str(tmp_path / "events.db")
    meta = str(FIXTURES / "metadata.csv")
    assert extract(*fixture("ambush_wire"), "--metadata", meta, "--db", db).returncode == 0
    copy = extract(*fixture("ambush_wire_copy"), "--metadata", meta, "--db", db)
    assert copy.returncode == 0, copy.stderr
    assert "1 near copies of other articles, not extracted again" in copy.stderr
    assert "0 new events, 0 merged" in copy.stderr
    with open_store(db) as st:
        assert st.article("ambush_wire_copy").copy_of == "ambush_wire"
        assert st.copies_of("ambush_wire") == ["ambush_wire_copy"]
        assert all("ambush_wire_copy" not in e.article_ids for e in st.events())
        assert st.stats()["article_copies"] == 1
    # an own report of the same event is extracted and counted as a further source
    follow = extract(*fixture("ambush_followup"), "--metadata", meta, "--db", db)
    assert follow.returncode == 0, follow.stderr
    with open_store(db) as st:
        (ambush,) = [e for e in st.events() if "ambush_wire" in e.article_ids]
        assert ambush.article_ids == ["ambush_wire", "ambush_followup"] and ambush.source_count == 2


def test_cli_copies_in_one_batch_with_workers(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("ambush_wire", "ambush_wire_copy", "ambush_local"):
        shutil.copy(FIXTURES / f"{name}.txt", src / f"{name}.txt")
    db = str(tmp_path / "events.db")
    done = extract(str(src), "--metadata", str(FIXTURES / "metadata.csv"), "--db", db, "--workers", "2")
    assert done.returncode == 0, done.stderr
    with open_store(db) as st:
        assert st.article("ambush_wire_copy").copy_of == "ambush_wire"
        (ambush,) = [e for e in st.events() if e.location == "Manbij"]
        assert ambush.article_ids == ["ambush_local", "ambush_wire"]
