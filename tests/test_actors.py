"""Actor dictionary: aliases, case and word rules, date validity, patterns, claimants, and the demo corpus."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.actors import (
    SOURCE,
    claimant_name,
    find_actors,
    get_actor_dictionary,
    localise_actor,
    resolve_actor,
    unidentified,
    words_per_second,
)
from eventwire.model import ActorMention, Article, Document
from eventwire.resources import data_path, load_yaml

BEFORE = date(2017, 8, 18)
AFTER = date(2025, 3, 1)


def found(text: str, when: date | None = BEFORE) -> list[ActorMention]:
    doc = Document(article=Article(id="t", text=text), text=text)
    return find_actors(doc, when)


def pairs(text: str, when: date | None = BEFORE) -> list[tuple[str, str]]:
    return [(m.text, m.actor) for m in found(text, when)]


# --------------------------------------------------------------------------- aliases, case, words


def test_islamic_state_aliases_in_syria() -> None:
    text = "In Syria, IS fighters, ISIS, ISIL and Daesh are one group; the Islamic State group says so."
    assert pairs(text) == [
        ("IS fighters", "Islamic State (Syria)"),
        ("ISIS", "Islamic State (Syria)"),
        ("ISIL", "Islamic State (Syria)"),
        ("Daesh", "Islamic State (Syria)"),
        ("Islamic State group", "Islamic State (Syria)"),
    ]


def test_acronyms_match_case_sensitively_and_as_whole_words() -> None:
    assert pairs("This is what it is: a crisis in Syria.") == []
    assert pairs("IS attacked the town in Syria.") == [("IS", "Islamic State (Syria)")]
    assert pairs("the sdf and the us said") == []  # acronyms written in lower case are ordinary words
    assert pairs("Let us focus on the bus.") == []
    assert [m.actor for m in found("The SDF advanced.")] == ["Syrian Democratic Forces"]


def test_longest_alias_wins() -> None:
    assert pairs("The Free Syrian Army and the Syrian National Army clashed.") == [
        ("Free Syrian Army", "Free Syrian Army"),
        ("Syrian National Army", "Syrian National Army"),
    ]
    assert pairs("US-backed Syrian Democratic Forces advanced.") == [
        ("US-backed Syrian Democratic Forces", "Syrian Democratic Forces")
    ]


def test_hyphens_dashes_spaces_and_curly_apostrophes_are_equivalent() -> None:
    text = (
        "The U.S.\u2013led coalition and Hay\u2019at Tahrir al Sham, said "
        "Combined Joint Task Force \u2013  Operation Inherent Resolve."
    )
    mentions = found(text)
    assert [m.actor for m in mentions] == [
        "International Coalition against ISIS",
        "Hayat Tahrir al-Sham",
        "Combined Joint Task Force - Operation Inherent Resolve",
    ]
    for m in mentions:  # offsets stay right across collapsed runs of spaces
        assert text[m.start : m.end] == m.text


def test_quoted_names_match() -> None:
    assert pairs("the group calling itself \u2018Islamic State\u2019 in Syria") == [
        ("Islamic State", "Islamic State (Syria)")
    ]
    assert pairs("so-called 'ISIS' cells in Syria") == [("ISIS", "Islamic State (Syria)")]


def test_ordinary_prose_names_no_actor() -> None:
    text = (
        "The weather was mild and the market was busy. She said the bus was late, so we walked along the "
        "river, past the school and the old mill, and talked about the harvest, the price of bread and "
        "whether it is worth planting isis flowers in the spring. Nobody mentioned any army or ministry."
    )
    assert [m for m in found(text) if m.actor != "Islamic State (Syria)"] == []
    assert pairs("Is this the crisis? This is an issue, thus focus.") == []


# --------------------------------------------------------------------------- date validity


@pytest.mark.parametrize("phrase", ["Syrian army", "government forces", "Syrian forces", "regime forces"])
def test_same_words_name_different_governments_before_and_after_december_2024(phrase: str) -> None:
    text = f"The {phrase} entered the town near Homs, Syria."
    assert [m.actor for m in found(text, date(2024, 12, 8))] == ["Military Forces of Syria (2000-2024)"]
    assert [m.actor for m in found(text, date(2024, 12, 9))] == ["Military Forces of Syria (2024-)"]
    assert [m.actor for m in found(text, None)] == ["Military Forces of Syria (2024-)"]  # current naming


def test_assad_regime_only_names_the_former_government() -> None:
    text = "Officials of the Assad regime in Syria."
    assert [m.actor for m in found(text, BEFORE)] == ["Military Forces of Syria (2000-2024)"]
    assert found(text, AFTER) == []


def test_nusra_names_hts_after_the_2017_merger() -> None:
    assert [m.actor for m in found("Nusra Front fighters", date(2016, 5, 1))] == ["Jabhat al-Nusra"]
    assert [m.actor for m in found("Nusra Front fighters", date(2018, 5, 1))] == ["Hayat Tahrir al-Sham"]


# --------------------------------------------------------------------------- patterns, the document's country


def test_country_adjective_patterns() -> None:
    text = (
        "Iraqi security forces, Russian aircraft, Turkish-backed fighters, US soldiers, American troops, "
        "Jordanian forces and Syrian civilians."
    )
    assert pairs(text) == [
        ("Iraqi security forces", "Military Forces of Iraq"),
        ("Russian aircraft", "Military Forces of Russia"),
        ("Turkish-backed fighters", "Syrian National Army"),
        ("US soldiers", "Military Forces of the United States"),
        ("American troops", "Military Forces of the United States"),
        ("Jordanian forces", "Military Forces of Jordan"),
        ("Syrian civilians", "Civilians (Syria)"),
    ]


def test_weapon_nouns_leave_the_trigger_outside_the_mention() -> None:
    text = "Russian airstrikes hit the convoy in Syria, and Turkish drones followed."
    assert pairs(text) == [
        ("Russian", "Military Forces of Russia"),
        ("Turkish drones", "Military Forces of Turkey"),
    ]


def test_backer_is_a_mention_of_its_forces() -> None:
    assert pairs("Iranian-backed militiamen in Syria") == [("Iranian-backed", "Military Forces of Iran")]


def test_generic_phrases_take_the_document_country() -> None:
    iraq = "In Baghdad, government forces fired on protesters, the Iraqi health ministry said."
    syria = "In Deir ez-Zor, Syria, government forces fired on protesters."
    assert pairs(iraq)[:2] == [
        ("government forces", "Military Forces of Iraq"),
        ("protesters", "Protesters (Iraq)"),
    ]
    assert pairs(syria, AFTER) == [
        ("government forces", "Military Forces of Syria (2024-)"),
        ("protesters", "Protesters (Syria)"),
    ]


def test_islamic_state_branch_follows_the_document_country() -> None:
    assert [m.actor for m in found("ISIS cells attacked a checkpoint near Kirkuk, Iraq. Iraqi troops")] == [
        "Islamic State (Iraq)",
        "Military Forces of Iraq",
    ]


# --------------------------------------------------------------------------- claimants


def test_claimants_are_sources_with_canonical_names() -> None:
    text = (
        "According to the Syrian Observatory for Human Rights, 12 died, the monitor said. "
        "CENTCOM said its forces struck. The White House said more."
    )
    mentions = found(text)
    assert [(m.text, m.actor, m.kind) for m in mentions] == [
        ("Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights", SOURCE),
        ("the monitor", "Syrian Observatory for Human Rights", SOURCE),
        ("CENTCOM", "US Central Command", SOURCE),
        ("The White House", "White House", SOURCE),
    ]
    assert [claimant_name(m) for m in mentions][2] == "US Central Command"
    assert resolve_actor("US Central Command", None).speaks_for == "Military Forces of the United States"


def test_ministry_anaphora_refers_back_or_forward() -> None:
    text = "Jets hit Aqerbat - MoD\n\nThe Russian Defense Ministry said so. The ministry added more."
    assert [(m.text, m.actor) for m in found(text)] == [
        ("MoD", "Russian Defense Ministry"),
        ("Russian Defense Ministry", "Russian Defense Ministry"),
        ("The ministry", "Russian Defense Ministry"),
    ]
    assert found("The ministry said nothing more.") == []  # nothing to refer to


def test_syrian_defence_ministry_follows_the_government() -> None:
    text = "The Syrian Defence Ministry said its forces took the base."
    assert [m.actor for m in found(text, BEFORE)] == ["Syrian Defense Ministry (2000-2024)"]
    assert [m.actor for m in found(text, AFTER)] == ["Syrian Defense Ministry (2024-)"]


# --------------------------------------------------------------------------- resolve_actor and helpers


def test_resolve_actor() -> None:
    us = resolve_actor("Military Forces of the United States", None)
    assert us is not None and (us.inter, us.country, us.wikidata) == (1, "United States", "Q11211")
    assert us.inter_in("United States") == 1
    assert us.inter_in("Syria") == 8  # ACLED: state forces outside their country are External/Other forces
    assert resolve_actor("ISIS", BEFORE).name == "Islamic State (Syria)"
    assert resolve_actor("Syrian army", AFTER).name == "Military Forces of Syria (2024-)"
    civilians = resolve_actor("Civilians (Iraq)", None)
    assert civilians is not None and (civilians.inter, civilians.country) == (7, "Iraq")
    uag = resolve_actor(unidentified("Syria"), None)
    assert uag is not None and (uag.name, uag.inter) == ("Unidentified Armed Group (Syria)", 3)
    assert resolve_actor("the weather", None) is None
    assert (
        resolve_actor("International Coalition against ISIS", None).lead
        == "Military Forces of the United States"
    )


def test_unidentified_and_localise() -> None:
    assert unidentified("Iraq") == "Unidentified Armed Group (Iraq)"
    assert unidentified(None) == "Unidentified Armed Group"
    assert localise_actor("Islamic State (Syria)", "Iraq") == "Islamic State (Iraq)"
    assert localise_actor("Civilians", "Iraq") == "Civilians (Iraq)"
    assert localise_actor("Hezbollah", "Syria") == "Hezbollah"


def test_dictionary_data_is_complete() -> None:
    data = load_yaml("actors.yaml")
    assert len(data["actors"]) >= 60
    for entry in data["actors"]:
        assert 0 <= entry["inter"] <= 8, entry["name"]
        assert entry.get("kind"), entry["name"]
        assert entry.get("wikidata") is None or re.fullmatch(r"Q\d+", entry["wikidata"]), entry["name"]
        assert entry.get("aliases"), entry["name"]
    assert get_actor_dictionary() is get_actor_dictionary()  # loaded once


# --------------------------------------------------------------------------- robustness and speed


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_odd_unicode_never_crashes_and_offsets_hold(text: str) -> None:
    for m in found(text):
        assert text[m.start : m.end] == m.text


_GAPS = st.text(alphabet=" \t\n\u2013-\u00a0\u2003", min_size=1, max_size=5)


@settings(max_examples=100, deadline=None)
@given(_GAPS, _GAPS)
def test_offsets_hold_around_odd_spacing(before: str, between: str) -> None:
    # "İ" changes length when lower-cased; offsets after it must not move
    text = f"İstanbul{before}Syrian{between}troops and{before}ISIS{between}in Syria"
    for m in found(text):
        assert text[m.start : m.end] == m.text
    assert "Islamic State (Syria)" in [m.actor for m in found(text)]


def test_speed() -> None:
    text = (
        "US-led coalition aircraft carried out at least four air raids on Islamic State positions near Raqqa "
        "on Wednesday night, killing 12 militants, according to the Syrian Observatory for Human Rights. "
    ) * 40
    rate = words_per_second([text], BEFORE, repeat=5)
    assert rate > 50_000, f"{rate:.0f} words/s"


# --------------------------------------------------------------------------- seeds (development data)


def _seed(shared_dir: Path, prefix: str) -> tuple[str, date]:
    path = next((shared_dir / "corpus" / "seeds").glob(f"{prefix}_*.txt"))
    with (shared_dir / "corpus" / "seeds-metadata.csv").open(encoding="utf-8") as fh:
        published = {row["id"]: date.fromisoformat(row["published"]) for row in csv.DictReader(fh)}
    return path.read_text(encoding="utf-8"), published[path.stem]


@pytest.mark.shared
def test_seed_004_russian_forces_and_ministry(shared_dir: Path) -> None:
    text, when = _seed(shared_dir, "004")
    mentions = found(text, when)
    actors = {m.actor for m in mentions if m.kind == "actor"}
    sources = {claimant_name(m) for m in mentions if m.kind == SOURCE}
    assert {
        "Military Forces of Russia",
        "Military Forces of Syria (2000-2024)",
        "Islamic State (Syria)",
    } <= actors
    assert {"Russian Defense Ministry", "TASS"} <= sources


@pytest.mark.shared
def test_seed_001_post_2024_government(shared_dir: Path) -> None:
    text, when = _seed(shared_dir, "001")
    by_text = {m.text: m.actor for m in found(text, when)}
    assert by_text["Syrian Defence Ministry"] == "Syrian Defense Ministry (2024-)"
    assert by_text["Syrian forces"] == "Military Forces of Syria (2024-)"
    assert by_text["US Central Command"] == "US Central Command"


# --------------------------------------------------------------------------- the bundled demo corpus


def test_demo_corpus_is_complete() -> None:
    demo = data_path("demo")
    reports = sorted((demo / "reports").glob("*.txt"))
    assert 12 <= len(reports) <= 15
    with (demo / "metadata.csv").open(encoding="utf-8") as fh:
        rows = {row["id"]: row for row in csv.DictReader(fh)}
    assert set(rows) == {p.stem for p in reports}
    for path in reports:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        assert title.strip() and 100 <= len(body.split()) <= 300, path.name
        assert date.fromisoformat(rows[path.stem]["published"]).isoformat() == path.stem[:10]
        assert found(body, date.fromisoformat(rows[path.stem]["published"])), path.name
    assert (demo / "README.md").is_file()
