"""Numbers with qualifiers and what they count (eventwire.quantities). All texts are written for the tests."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.model import Article, Document, Quantity, Sentence
from eventwire.quantities import fatality_totals, find_quantities, parse_number, targets_civilians


def make_doc(text: str) -> Document:
    """A Document with a naive sentence split (the real segmenter lives in eventwire.nlp)."""
    doc = Document(Article("test", text), text)
    sentences = []
    for m in re.finditer(r"[^.!?\n]+(?:[.!?]+|(?=\n)|$)", text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            sentences.append(Sentence(len(sentences), start, end, text[start:end]))
    doc.sentences = sentences
    return doc


def quantities(text: str) -> list[Quantity]:
    return find_quantities(make_doc(text))


def one(text: str, counts: str) -> Quantity:
    found = [q for q in quantities(text) if q.counts == counts]
    assert len(found) == 1, (text, [(q.text, q.counts) for q in quantities(text)])
    return found[0]


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("5,700", (5700, 5700, 5700)),
        ("two", (2, 2, 2)),
        ("thirty-seven", (37, 37, 37)),
        ("Thirty seven", (37, 37, 37)),
        ("one hundred and fifty", (150, 150, 150)),
        ("two thousand", (2000, 2000, 2000)),
        ("1.5 million", (1500000, 1500000, 1500000)),
        ("a dozen", (12, 12, 12)),
        ("dozens", (12, 12, 99)),
        ("several", (3, 3, 9)),
        ("a few", (3, 3, 5)),
        ("hundreds", (100, 100, 999)),
        ("scores of", (20, 20, 99)),
        ("at least five", (5, 5, 5)),
        ("more than 30", (31, 31, 31)),
        ("over 100", (101, 101, 101)),
        ("up to 20", (20, 1, 20)),
        ("nearly 40", (39, 36, 39)),
        ("around 50", (50, 45, 55)),
        ("some 20", (20, 18, 22)),
        ("fewer than 10", (9, 1, 9)),
        ("5 to 7", (5, 5, 7)),
        ("5-7", (5, 5, 7)),
        ("between five and seven", (5, 5, 7)),
        ("two or three", (2, 2, 3)),
    ],
)
def test_parse_number(phrase: str, expected: tuple[int, int, int]) -> None:
    assert parse_number(phrase) == expected


@pytest.mark.parametrize(
    "text", ["", "soldiers", "the", "many people", "7 to", "at least", "-5", "five five five x"]
)
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_parse_number_never_crashes(text: str) -> None:
    result = parse_number(text)
    if result is not None:
        best, low, high = result
        assert low <= best <= high or (low <= best and high >= low)


# --------------------------------------------------------------------------- what is counted


def test_killing_n_militants() -> None:
    q = one("Jets struck a convoy near Tabqa, killing 12 militants.", "killed")
    assert (q.best, q.who, q.text) == (12, "militants", "12 militants")


def test_passive_toll() -> None:
    q = one("In Douma, 12 people were killed when shells hit a market.", "killed")
    assert (q.best, q.who) == (12, None)


def test_death_toll_rose_to() -> None:
    assert one("The death toll rose to 20 on Sunday, medics said.", "killed").best == 20


def test_killed_at_least_five_members_of_a_group() -> None:
    q = one("The raids killed at least five members of the extremist group near Mayadin.", "killed")
    assert (q.best, q.low, q.who) == (5, 5, "militants")


def test_numbers_after_verbs_of_injury_and_arrest() -> None:
    text = "The blast killed six people and wounded 32 others. Police arrested four suspects later."
    counts = {q.counts: q.best for q in quantities(text)}
    assert counts == {"killed": 6, "injured": 32, "arrested": 4}


def test_n_dead_and_n_wounded() -> None:
    text = "Fighting near the airport left at least 40 dead and 70 wounded."
    assert {q.counts: q.best for q in quantities(text)} == {"killed": 40, "injured": 70}


@pytest.mark.parametrize(
    "text",
    [
        "At least nine people were killed, 31 were wounded when the market was shelled.",
        "At least nine people were killed 31 were wounded when the market was shelled.",  # commas lost
        "Nine soldiers had been killed, 31 others were injured in the ambush.",
    ],
)
def test_a_passive_toll_does_not_reach_the_next_count(text: str) -> None:
    # "were killed" is the predicate of the count before it: the next count is what its own verb says
    assert one(text, "killed").best == 9
    assert one(text, "injured").best == 31


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("two dozen", (24, 24, 24)), ("at least three dozen", (36, 36, 36)), ("2 dozen", (24, 24, 24))],
)
def test_dozen_multiplies_the_number_before_it(phrase: str, expected: tuple[int, int, int]) -> None:
    assert parse_number(phrase) == expected


def test_two_people_joined_by_and_count_two() -> None:
    assert one("A woman and child were killed when the shell hit their home.", "killed").best == 2
    assert one("A farmer and a shepherd were wounded by the mine.", "injured").best == 2
    assert one("A soldier was killed at the checkpoint.", "killed").best == 1


@pytest.mark.parametrize(
    "text",
    ["30 Gunmen Killed, Injured in Army Raid near Kidal", "30 Gunmen Killed Injured in Army Raid near Kidal"],
)
def test_one_figure_for_killed_and_injured_is_casualties_not_deaths(text: str) -> None:
    assert one(text, "casualties").best == 30
    assert not [q for q in quantities(text) if q.counts == "killed"]


def test_a_pluperfect_verb_still_acts_on_its_count() -> None:
    assert one("Gunmen had killed 14 villagers before the army arrived.", "killed").best == 14


def test_deaths_and_bodies_are_tolls() -> None:
    assert one("Rescuers counted 15 deaths in the village.", "killed").best == 15
    assert one("Residents recovered nine bodies from the rubble.", "killed").best == 9


def test_strikes_targets_munitions_aircraft() -> None:
    text = (
        "In 10 airstrikes near Deir ez-Zor, coalition jets destroyed 14 tanks and three vehicles. "
        "The operation involved 16 coalition aircraft using 22 bombs or other munitions against 22 targets."
    )
    by_counts = {q.counts: q.best for q in quantities(text)}
    assert by_counts == {
        "strikes": 10,
        "tanks": 14,
        "vehicles": 3,
        "aircraft": 16,
        "munitions": 22,
        "targets": 22,
    }


def test_raids_sorties_and_attacks_count_as_strikes() -> None:
    text = "Warplanes flew 40 sorties. Militants carried out five attacks on checkpoints."
    assert sorted(q.best for q in quantities(text) if q.counts == "strikes") == [5, 40]


def test_compound_noun_takes_the_last_word() -> None:
    assert one("Officials reported 14 drone strikes overnight.", "strikes").best == 14
    assert one("They hit more than 70 strategic ISIS targets.", "targets").best == 71


def test_nested_including_is_part_not_added() -> None:
    text = "Two airstrikes killed 37 fighters, including two senior commanders, the ministry said."
    found = quantities(text)
    outer = next(q for q in found if q.best == 37)
    inner = next(q for q in found if q.best == 2 and q.counts == "killed")
    assert inner.part_of == found.index(outer)
    assert fatality_totals(found) == (37, 37, 37)


def test_counts_among_the_dead_are_parts_of_a_toll_not_given() -> None:
    found = quantities("The monitor said three children and two women were among the dead.")
    assert [(q.best, q.counts, q.part_of) for q in found] == [(3, "killed", -1), (2, "killed", -1)]
    assert fatality_totals(found) == (0, 0, 0)
    # "among the wounded" is no part of the killed
    found = quantities("Five soldiers were killed and two children were among the wounded.")
    assert fatality_totals(found) == (5, 5, 5)


def test_tolls_since_a_day_or_an_offensive_are_period_totals() -> None:
    for text in (
        "Since Saturday at least 68 civilians have been killed in air attacks on the town.",
        "At least 112 civilians have been killed in Aleppo since the rebel assault began on Sunday.",
    ):
        assert [q.aggregate for q in quantities(text)] == [True], text
    assert [q.aggregate for q in quantities("Jets killed 12 fighters on Saturday.")] == [False]


def test_the_first_deaths_since_a_truce_are_one_incident() -> None:
    text = "Two civilians were killed in Aleppo in the first deaths reported since it began."
    assert [(q.best, q.aggregate) for q in quantities(text)] == [(2, False)]
    # without "first", the same clause is a running total
    text = "Two hundred civilians have been killed in Aleppo since it began."
    assert [q.aggregate for q in quantities(text)] == [True]


def test_headline_and_state_media_toll_wordings() -> None:
    cases = {
        "Terrorist Bombing Claims 5 in Latakia": 5,
        "A motorcycle bomb went off near the mosque, leaving 5 martyrs.": 5,
        "Death Toll in Blast Targeting Evacuees Rises to 70": 70,
        "The death toll in a suicide car bomb attack on buses has risen to 112.": 112,
        "The number of victims in the explosion is at least 70.": 70,
    }
    for text, toll in cases.items():
        assert fatality_totals(quantities(text))[0] == toll, text
    assert [q.counts for q in quantities("The group claims 3 attacks on the army.")] == ["strikes"]


def test_a_headline_run_into_its_lead_tells_one_toll_once() -> None:
    text = "Raids kill 21 civilians in Manbij Air strikes by the coalition killed at least 21 civilians."
    assert fatality_totals(quantities(text)) == (21, 21, 21)
    text = "Strike kills 15 in Idlib Monitor An air strike killed 15 civilians including four children."
    assert fatality_totals(quantities(text)) == (15, 15, 15)  # the headline did not say who
    text = "58 Killed in Gas Attack in Idlib Dozens of people have been killed in Idlib province."
    assert fatality_totals(quantities(text))[0] == 58  # the vague count tells the precise one again
    text = "Syria strikes kill 45 after rebel fire on Damascus At least 45 people were killed."
    assert fatality_totals(quantities(text))[0] == 45  # "45 after rebel fire" is no count of rebels
    # different people with the same number are two counts
    assert fatality_totals(quantities("Four soldiers and four civilians were killed.")) == (8, 8, 8)


def test_counts_after_one_verb_share_it() -> None:
    assert fatality_totals(quantities("Shelling killed 4 soldiers and 4 civilians.")) == (8, 8, 8)
    assert fatality_totals(quantities("An air strike killed 12 militants and 3 civilians.")) == (15, 15, 15)
    found = quantities("Jets killed 5 fighters and 3 civilians were wounded.")
    assert [(q.best, q.counts) for q in found] == [(5, "killed"), (3, "injured")]
    # side by side, not coordinated (punctuation lost in scraping): the second is not added
    assert fatality_totals(quantities("Air strikes killed 25 civilians six of them children."))[0] == 25


def test_nested_children_inherit_the_verb_and_mark_civilians() -> None:
    text = "Shelling killed 12 people, including five children, in the old city."
    found = quantities(text)
    assert fatality_totals(found) == (12, 12, 12)
    children = next(q for q in found if q.who == "children")
    assert children.counts == "killed" and children.part_of is not None
    assert targets_civilians(found)


def test_coordinated_subject_with_an_article() -> None:
    text = "Two US soldiers and a US civilian interpreter were killed by a gunman in the ambush."
    killed = [q for q in quantities(text) if q.counts == "killed"]
    assert sorted((q.best, q.who) for q in killed) == [(1, "civilians"), (2, "soldiers")]
    assert fatality_totals(killed)[0] == 3


def test_article_alone_counts_only_as_a_casualty_subject() -> None:
    assert quantities("A strike hit a depot and an attack followed.") == []
    assert one("A child was killed when the shell landed.", "killed").who == "children"


def test_agent_counts_are_not_victims() -> None:
    found = quantities("Five gunmen killed three soldiers at the checkpoint.")
    killed = [q for q in found if q.counts == "killed"]
    assert [(q.best, q.who) for q in killed] == [(3, "soldiers")]


def test_deaths_of_nationals() -> None:
    q = one("The ambush caused the deaths of three Americans near Palmyra.", "killed")
    assert q.best == 3


def test_killed_or_captured_is_its_own_count() -> None:
    q = one("More than 50 fighters have been killed or captured so far this year.", "killed_or_captured")
    assert q.best == 51 and q.aggregate


def test_period_totals_are_aggregate() -> None:
    text = (
        "More than 100 targets were hit during two months of operations. "
        "The group claimed 150 attacks in the first half of 2024. "
        "Since 2014, the coalition has carried out 3,000 strikes. "
        "The war has killed more than 300,000 people."
    )
    found = quantities(text)
    assert [q.best for q in found] == [101, 150, 3000, 300001]
    assert all(q.aggregate for q in found)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen shot dead three farmers near Hama.",
        "Police shot and killed three protesters in the square.",
        "Militants gunned down three villagers on Sunday.",
        "Three villagers were gunned down on Sunday.",
    ],
)
def test_shooting_verbs_tell_a_toll(text: str) -> None:
    assert one(text, "killed").best == 3


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("Gunmen killed a policeman and two civilians.", 3),
        ("A policeman and two civilians were killed in the blast.", 3),
        ("The bomber blew himself up, killing himself and 12 others.", 13),
        ("The strike killed the commander and two of his bodyguards.", 3),
        ("The shelling killed 10 people, including a child and two women.", 10),
        ("Nine villagers, among them an elderly man and three boys, were killed.", 9),
    ],
)
def test_one_person_joined_to_a_count_shares_its_verb(text: str, total: int) -> None:
    assert fatality_totals(quantities(text))[0] == total


def test_a_joined_thing_or_a_verbless_pair_is_no_toll() -> None:
    assert not [q for q in quantities("He met a commander and two aides.") if q.counts == "killed"]
    assert fatality_totals(quantities("A car and two trucks were destroyed.")) == (0, 0, 0)
    arrested = quantities("Police arrested a man and two women.")
    assert [(q.best, q.counts) for q in arrested] == [(1, "arrested"), (2, "arrested")]


@pytest.mark.parametrize(
    ("text", "counts", "who"),
    [
        ("A drone strike killed a senior Hezbollah commander on Thursday.", "killed", "militants"),
        ("The blast killed a child.", "killed", "children"),
        ("Gunmen shot dead a police officer in Kirkuk.", "killed", "police"),
        ("The attack killed a soldier and wounded two others.", "killed", "soldiers"),
        ("Militants fired on the convoy, wounding a journalist.", "injured", "civilians"),
    ],
)
def test_one_person_as_the_object_of_a_casualty_verb(text: str, counts: str, who: str) -> None:
    found = one(text, counts)
    assert (found.best, found.who) == (1, who)


@pytest.mark.parametrize(
    "text",
    [
        "The raid killed a soldier's horse.",
        "The blast destroyed a civilian car.",
        "Killing a soldier is a crime.",
    ],
)
def test_a_person_noun_that_is_not_the_object_is_no_count(text: str) -> None:
    assert not [q for q in quantities(text) if q.counts == "killed"]


def test_a_count_between_two_dated_days_is_a_period_total() -> None:
    found = quantities(
        "The air force hit 243 civilian facilities between September 30 2015 and March 15 2016."
    )
    assert [q.aggregate for q in found] == [True]


def test_single_event_toll_is_not_aggregate() -> None:
    assert not one("Last month, two airstrikes killed 37 fighters.", "killed").aggregate


def test_troop_deployment_is_not_a_toll() -> None:
    found = quantities("The United States keeps 900 troops in Syria and 2,500 more in Iraq.")
    assert [(q.best, q.counts) for q in found] == [(900, "troops")]


def test_prisoners_transferred() -> None:
    assert one("The army completed the transfer of 5,700 prisoners to Iraq.", "prisoners").best == 5700


def test_handed_over_is_not_more_than() -> None:
    assert one("The militia handed over 40 prisoners.", "prisoners").best == 40


@pytest.mark.parametrize(
    "text",
    [
        "A 35-year-old man was questioned.",
        "F-15E jets of the 4th Fighter Wing and the 121st Air Refueling Wing flew in 2018.",
        "The town lies about 50km from Palmyra.",
        "Troops took an area of about 60 sq km.",
        "Support rose to 40 percent, up from 35%.",
        "The statement came at 16:33 on 18 Aug, 2017.",
        "Resolution 2254 was adopted on December 18, 2015.",
        "The siege lasted 10 years and three months.",
        "It was a 4 minute read for Airman 1st Class readers.",
    ],
)
def test_non_counts(text: str) -> None:
    assert quantities(text) == []


def test_vague_toll_uses_acled_numbers() -> None:
    assert one("Dozens of civilians were killed in the raid.", "killed").best == 12
    assert one("Several soldiers were wounded.", "injured").best == 3


def test_vague_number_without_a_toll_is_not_a_count() -> None:
    assert quantities("Many people live in the valley and several families left.") == []


def test_targets_civilians_hint() -> None:
    militants = quantities("The strike killed 12 militants and three civilians.")
    assert not targets_civilians(militants)
    civilians = quantities("Gunmen killed seven villagers and two women.")
    assert targets_civilians(civilians)
    assert not targets_civilians(quantities("Twelve people were killed."))


def test_offsets_point_into_the_text() -> None:
    text = "Shelling killed 12 people, including five children, in the old city."
    for q in quantities(text):
        assert text[q.start : q.end] == q.text


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-–abcdefkilmnorstuwy%:\n")), max_size=200))
@settings(max_examples=200, deadline=None)
def test_find_quantities_never_crashes_on_noise(text: str) -> None:
    for q in quantities(text):
        assert 0 <= q.start <= q.end <= len(text)
        assert q.low <= q.best or q.best <= q.high


_WORDS = [
    "killed", "killing", "at least", "more than", "five", "12", "5,700", "people", "civilians", "dozens of",
    "including", "two", "children", "were", "wounded", "and", "a", "soldier", "was", "strikes", "targets",
    "during", "two months", "in", "2014", "December 15", ",", ".", "the", "death toll", "rose to", "nearly",
]  # fmt: skip


@given(st.lists(st.sampled_from(_WORDS), max_size=30))
@settings(max_examples=300, deadline=None)
def test_find_quantities_never_crashes_on_phrases(words: list[str]) -> None:
    text = " ".join(words)
    found = quantities(text)
    for q in found:
        assert text[q.start : q.end] == q.text
        if q.part_of is not None:
            assert 0 <= q.part_of < len(found)


# --------------------------------------------------------------------------- realistic short reports

REPORT_AIR = (
    "Jets pound militant hideouts in eastern Syria, monitor says 14 killed\n\n"
    "Coalition warplanes carried out at least six air raids on Islamic State hideouts near Al-Bukamal on "
    "Tuesday, killing 14 militants, including three local commanders, a war monitor said. Two civilians were "
    "also wounded. The group has lost more than 2,000 fighters since the start of the year, according to the "
    "monitor."
)


def test_report_air_campaign() -> None:
    found = quantities(REPORT_AIR)
    headline = [q for q in found if q.start < REPORT_AIR.index("\n")]
    assert [(q.counts, q.best) for q in headline] == [("killed", 14)]
    body = [q for q in found if q not in headline]
    assert fatality_totals(body) == (14, 14, 14)
    assert one(REPORT_AIR, "strikes").best == 6
    assert one(REPORT_AIR, "injured").who == "civilians"
    total = next(q for q in found if q.best == 2001)
    assert total.aggregate and (total.counts, total.who) == ("killed", "militants")


REPORT_MARKET = (
    "A car bomb tore through a crowded market in Azaz on Friday. At least 23 people, among them seven "
    "children, died and nearly 40 were hurt, hospital staff said. Police detained two suspects."
)


def test_report_market_bombing() -> None:
    found = quantities(REPORT_MARKET)
    dead = [q for q in found if q.counts == "killed"]
    assert fatality_totals(dead) == (23, 23, 23)
    assert any(q.who == "children" and q.part_of is not None for q in dead)
    hurt = one(REPORT_MARKET, "injured")
    assert (hurt.best, hurt.low) == (39, 36)
    assert one(REPORT_MARKET, "arrested").best == 2


# --------------------------------------------------------------------------- the seeds (development data)


def _seed(shared_dir: Path, prefix: str) -> Document:
    path = next((shared_dir / "corpus" / "seeds").glob(f"{prefix}_*.txt"))
    return make_doc(path.read_text(encoding="utf-8"))


def _find(found: list[Quantity], counts: str, best: int) -> Quantity:
    matches = [q for q in found if q.counts == counts and q.best == best]
    assert matches, (counts, best, [(q.text, q.counts, q.best) for q in found])
    return matches[0]


def test_seed_quantities(shared_dir: Path) -> None:
    s0 = find_quantities(_seed(shared_dir, "000"))
    for counts, best in [
        ("strikes", 10),
        ("targets", 22),
        ("tanks", 14),
        ("munitions", 22),
        ("aircraft", 16),
    ]:
        _find(s0, counts, best)

    s1 = find_quantities(_seed(shared_dir, "001"))
    assert _find(s1, "targets", 31).low == 31
    _find(s1, "strikes", 10)
    _find(s1, "strikes", 5)
    assert _find(s1, "killed_or_captured", 51).aggregate
    assert _find(s1, "targets", 101).aggregate
    _find(s1, "prisoners", 5700)
    killed = [q for q in s1 if q.counts == "killed"]
    assert fatality_totals(killed) == (3, 3, 3)

    s2 = find_quantities(_seed(shared_dir, "002"))
    assert _find(s2, "killed", 5).low == 5
    assert _find(s2, "targets", 71).low == 71
    assert not _find(s2, "killed", 3).aggregate  # three Americans (two soldiers among them)
    assert fatality_totals([q for q in s2 if q.best in (3, 2)]) == (3, 3, 3)

    s3 = find_quantities(_seed(shared_dir, "003"))
    _find(s3, "strikes", 2)
    assert not _find(s3, "killed", 37).aggregate
    assert _find(s3, "strikes", 151).aggregate
    troops = _find(s3, "troops", 900)
    assert troops.counts != "killed"
    assert not [q for q in s3 if q.best in (4, 121, 1, 100, 10, 2014, 2019, 2024)]


def test_speed_on_written_reports() -> None:
    """Throughput over ~300 KB of the reports above; printed for the record, with a loose floor."""
    from eventwire.dates import find_dates

    text = "\n\n".join([REPORT_AIR, REPORT_MARKET]) * 450
    doc = make_doc(text)
    words = len(text.split())
    started = time.perf_counter()
    find_quantities(doc)
    find_dates(doc, None)
    elapsed = time.perf_counter() - started
    print(f"find_dates + find_quantities: {words / elapsed:,.0f} words/s over {len(text) / 1000:.0f} KB")
    assert words / elapsed > 20_000
