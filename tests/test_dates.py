"""Document dates, date phrases and event dates (eventwire.dates). Every text here is written for the test."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.dates import (
    acled_point_date,
    anchored_offset,
    document_date,
    event_date,
    find_dates,
    lead_date,
    resolve_against,
)
from eventwire.model import Article, DateMention, Document, Sentence

FRIDAY = date(2017, 3, 10)  # a Friday


def make_doc(text: str, published: date | None = None, doc_date: date | None = None) -> Document:
    """A Document with a naive sentence split (the real segmenter lives in eventwire.nlp)."""
    doc = Document(Article("test", text, published=published), text)
    sentences = []
    for m in re.finditer(r"[^.!?\n]+(?:[.!?]+|(?=\n)|$)", text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            sentences.append(Sentence(len(sentences), start, end, text[start:end]))
    doc.sentences = sentences
    doc.doc_date = doc_date if doc_date is not None else published
    return doc


def dates_in(text: str, ref: date | None = FRIDAY) -> list[DateMention]:
    return find_dates(make_doc(text), ref)


def only(text: str, ref: date | None = FRIDAY) -> DateMention:
    found = dates_in(text, ref)
    assert len(found) == 1, (text, [(d.text, d.date_start) for d in found])
    return found[0]


def span(d: DateMention) -> tuple[str, str, int]:
    return d.date_start.isoformat(), d.date_end.isoformat(), d.time_precision


# --------------------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("Jets struck on December 15.", "December 15", ("2016-12-15", "2016-12-15", 1)),
        ("Clashes on Dec. 14-15 left the town in ruins.", "Dec. 14-15", ("2016-12-14", "2016-12-15", 2)),
        ("The summit met on 12 October 2024.", "12 October 2024", ("2024-10-12", "2024-10-12", 1)),
        ("A photo taken April 1, 2016.", "April 1, 2016", ("2016-04-01", "2016-04-01", 1)),
        ("Raids ran between 11-13 Dec near Idlib.", "between 11-13 Dec", ("2016-12-11", "2016-12-13", 2)),
        ("Shelling went on from 3 to 5 March.", "from 3 to 5 March", ("2017-03-03", "2017-03-05", 2)),
        (
            "Strikes January 27 - February 2 hit depots.",
            "January 27 - February 2",
            ("2017-01-27", "2017-02-02", 2),
        ),
        (
            "Strikes January 27 – February 2 hit depots.",
            "January 27 – February 2",
            ("2017-01-27", "2017-02-02", 2),
        ),
        ("The file is dated 2017-03-01.", "2017-03-01", ("2017-03-01", "2017-03-01", 1)),
        ("On Monday, March 6, rebels attacked.", "On Monday, March 6", ("2017-03-06", "2017-03-06", 1)),
    ],
)
def test_absolute_dates(text: str, phrase: str, expected: tuple[str, str, int]) -> None:
    found = only(text)
    assert found.text == phrase
    assert span(found) == expected
    assert text[found.start : found.end] == phrase


def test_month_day_without_year_is_never_in_the_future() -> None:
    assert only("The ambush of December 13 was avenged.", date(2026, 2, 13)).date_start == date(2025, 12, 13)
    # a day ahead of the report is allowed (time zones, datelines written ahead)
    assert only("Talks on March 11 are planned.", FRIDAY).date_start == date(2017, 3, 11)
    assert only("Talks on March 20 are planned.", FRIDAY).date_start == date(2016, 3, 20)


def test_may_and_march_as_verbs_are_not_dates() -> None:
    assert dates_in("ISIS may attack again, and rebels may march on Raqqa soon.") == []


def test_capitalised_month_next_to_a_number_is_a_date() -> None:
    assert only("Fighters retook the town on May 5.").date_start == date(2016, 5, 5)


# --------------------------------------------------------------------------- relative dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jets struck on Thursday.", ("2017-03-09", "2017-03-09", 1)),
        ("Jets struck on Friday.", ("2017-03-10", "2017-03-10", 1)),
        ("Jets struck on Wednesday night.", ("2017-03-08", "2017-03-08", 1)),
        ("Jets struck last Friday.", ("2017-03-03", "2017-03-03", 1)),
        ("Talks resume next Monday.", ("2017-03-13", "2017-03-13", 1)),
        ("Jets struck yesterday.", ("2017-03-09", "2017-03-09", 1)),
        ("Jets struck today.", ("2017-03-10", "2017-03-10", 1)),
        ("Jets struck overnight.", ("2017-03-09", "2017-03-10", 1)),
        ("Jets struck last night.", ("2017-03-09", "2017-03-09", 1)),
        ("Jets struck last week.", ("2017-02-27", "2017-03-05", 2)),
        ("Jets struck this week.", ("2017-03-06", "2017-03-10", 2)),
        ("Jets struck about a week ago.", ("2017-02-28", "2017-03-06", 2)),
        ("Jets struck three days ago.", ("2017-03-07", "2017-03-07", 1)),
        ("Jets struck last month.", ("2017-02-01", "2017-02-28", 3)),
        ("Jets struck at the beginning of February.", ("2017-02-01", "2017-02-10", 2)),
        ("Jets struck at the end of May.", ("2016-05-21", "2016-05-31", 2)),
        ("Jets struck in mid-February.", ("2017-02-11", "2017-02-20", 2)),
        ("Jets struck over the weekend.", ("2017-03-04", "2017-03-05", 2)),
    ],
)
def test_relative_dates(text: str, expected: tuple[str, str, int]) -> None:
    found = only(text)
    assert span(found) == expected
    assert not found.historical


def test_earlier_this_year_is_coarser_than_a_month() -> None:
    found = only("Troops retook the city earlier this year.")
    assert found.year_only and (found.date_start, found.date_end) == (date(2017, 1, 1), FRIDAY)


def test_range_between_a_date_and_a_weekday() -> None:
    found = only("Depots were hit in 10 attacks between February 3 and Thursday.", date(2026, 2, 13))
    assert found.text == "between February 3 and Thursday"
    assert span(found) == ("2026-02-03", "2026-02-12", 2)  # ten days: part of a month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clashes between 1 and 15 March 2017 left dozens dead.", ("2017-03-01", "2017-03-15", 2)),
        ("Clashes between 1 and 16 March 2017 left dozens dead.", ("2017-03-01", "2017-03-16", 3)),
        ("Raids from 3 to 9 March 2017 hit the town.", ("2017-03-03", "2017-03-09", 2)),
        ("Fighting resumed in late March 2017.", ("2017-03-21", "2017-03-31", 2)),
        ("Fighting resumed in mid-March 2017.", ("2017-03-11", "2017-03-20", 2)),
        ("Fighting resumed in March 2017.", ("2017-03-01", "2017-03-31", 3)),
    ],
)
def test_part_of_a_month_is_precision_two(text: str, expected: tuple[str, str, int]) -> None:
    """ACLED's precision 2 is the week or part of a month: spans of up to half a month; longer is 3."""
    assert span(only(text, date(2017, 4, 2))) == expected


def test_a_day_earlier_counts_from_the_previous_date() -> None:
    found = dates_in("Jets struck on Wednesday night. A day earlier, rebels clashed with troops.")
    assert [d.date_start for d in found] == [date(2017, 3, 8), date(2017, 3, 7)]


def test_anchored_helpers() -> None:
    assert anchored_offset("a day earlier") == -1
    assert anchored_offset("two days later") == 2
    assert anchored_offset("last week") is None
    mention = only("A day earlier, rebels clashed.")
    assert resolve_against(mention, date(2017, 1, 5)).date_start == date(2017, 1, 4)


def test_names_are_not_dates() -> None:
    assert dates_in("USA Today reported the strike.") == []


# --------------------------------------------------------------------------- history


def test_month_and_year_is_historical() -> None:
    found = only("Militants captured the city in May 2015.", date(2016, 12, 16))
    assert found.historical and not found.year_only
    assert span(found) == ("2015-05-01", "2015-05-31", 3)


def test_year_alone_is_year_only_history() -> None:
    found = only("The group seized the town in 2014.")
    assert found.historical and found.year_only


def test_recent_full_date_is_not_history() -> None:
    assert not only("The statement of March 1, 2017 followed the raid.").historical


# --------------------------------------------------------------------------- without a report date


def test_without_ref_relative_phrases_are_skipped_and_full_dates_kept() -> None:
    found = dates_in("On Thursday and on December 13 jets struck; on 12 October 2024 talks began.", ref=None)
    assert [d.text for d in found] == ["12 October 2024"]


# --------------------------------------------------------------------------- ACLED point dates


def test_acled_point_date() -> None:
    assert acled_point_date(date(2017, 3, 8), date(2017, 3, 8), 1) == date(2017, 3, 8)
    assert acled_point_date(date(2017, 3, 9), date(2017, 3, 10), 1) == date(2017, 3, 9)
    assert acled_point_date(date(2017, 2, 27), date(2017, 3, 5), 2) == date(2017, 3, 2)
    assert acled_point_date(date(2017, 2, 1), date(2017, 2, 28), 3) == date(2017, 2, 14)


# --------------------------------------------------------------------------- document date


def test_document_date_prefers_metadata() -> None:
    doc = make_doc("18 Aug, 2017 16:33\n\nJets struck.", published=date(2017, 8, 19))
    assert document_date(doc) == (date(2017, 8, 19), 1.0, "metadata")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("menu icons\n18 Aug, 2017 16:33\n\nJets struck.", date(2017, 8, 18)),
        ("Fri 07 Apr 2017 at 0914 A missile strike hit the base.", date(2017, 4, 7)),
        ("By a staff reporter\nMarch 10, 2017\nJets struck.", date(2017, 3, 10)),
        ("2017-03-10\nJets struck.", date(2017, 3, 10)),
    ],
)
def test_document_date_from_dateline(text: str, expected: date) -> None:
    assert document_date(make_doc(text)) == (expected, 0.9, "dateline")


def test_document_date_inferred_from_mentions() -> None:
    text = (
        "Jets struck on December 15 near the city. Militants took it in May 2015. "
        "A photo from April 1, 2016 shows the ruins."
    )
    found, confidence, source = document_date(make_doc(text))
    assert (found, source) == (date(2016, 12, 15), "inferred") and confidence < 0.9


def test_document_date_unknown_never_today() -> None:
    doc = make_doc("Jets struck on Thursday. The group appeared in 2014.")
    assert document_date(doc) == (None, 0.0, "unknown")


# --------------------------------------------------------------------------- event dates


REPORT = (
    "Jets strike rebel positions near Idlib\n"
    "Government jets bombed rebel positions near Idlib on Wednesday night, killing nine fighters. "
    "A day earlier, rebels shelled a checkpoint near Hama. "
    "The rebels, who seized the town in 2014, were attacked again, a monitor said. "
    "Security forces arrested two men. "
    "The strikes were a reply to a February 20 ambush on an army convoy."
)


def _event(doc: Document, word: str) -> DateMention:
    found = find_dates(doc, doc.doc_date)
    anchor = doc.text.index(word)
    sentence = doc.sentence_at(anchor)
    assert sentence is not None
    result = event_date(doc, sentence, anchor, found, lead_date=lead_date(doc, found))
    assert result is not None
    return result


def test_event_date_from_the_clause_and_the_lead() -> None:
    doc = make_doc(REPORT, published=FRIDAY)
    assert _event(doc, "bombed").date_start == date(2017, 3, 8)
    assert _event(doc, "shelled").date_start == date(2017, 3, 7)
    seized = _event(doc, "seized")
    assert seized.historical and seized.year_only  # history keeps its own date
    # the 2014 of the relative clause is not the date of the main clause
    assert _event(doc, "attacked").date_start == date(2017, 3, 8)
    assert _event(doc, "arrested").text == "on Wednesday night"  # no date in the sentence: the lead's


def test_a_sentence_referring_back_takes_the_date_of_the_one_before() -> None:
    text = (
        "Jets strike rebel positions near Idlib on Wednesday\n"
        "A market in Ariha was hit on Monday, killing seven. "
        "These civilians were killed in a strike on the town centre. "
        "Rebels shelled a checkpoint near Hama."
    )
    doc = make_doc(text, published=FRIDAY)
    assert _event(doc, "hit on").date_start == date(2017, 3, 6)
    assert _event(doc, "strike on the town").date_start == date(2017, 3, 6)  # not the lead's Wednesday
    assert _event(doc, "shelled").date_start == date(2017, 3, 8)  # no back-reference: the lead's date


def test_attributive_date_dates_only_its_noun() -> None:
    doc = make_doc(REPORT, published=FRIDAY)
    assert _event(doc, "ambush").date_start == date(2017, 2, 20)
    assert _event(doc, "strikes were").date_start == date(2017, 3, 8)


def test_event_date_falls_back_to_the_report_week() -> None:
    text = "Jets bombed rebel positions. The attack that hit Hama about a week ago was worse."
    doc = make_doc(text, FRIDAY)
    fallback = _event(doc, "bombed")
    assert (fallback.text, span(fallback)) == ("", ("2017-03-04", "2017-03-10", 2))
    assert _event(doc, "hit Hama").text == "about a week ago"


def test_event_date_without_any_date_is_none() -> None:
    doc = make_doc("Jets bombed rebel positions.")
    sentence = doc.sentences[0]
    assert event_date(doc, sentence, 5, find_dates(doc, None)) is None


# --------------------------------------------------------------------------- robustness


_PIECES = [
    "on", "Thursday", "December", "15", "Dec.", "14-15", "between", "and", "from", "to", "2014", "in", "May",
    "march", "last", "week", "month", "ago", "about", "a", "day", "earlier", "yesterday", "the", "beginning",
    "of", "August", "–", "-", ",", ".", "29", "February", "31", "night", "next", "2017-02-30", "0", "99999",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=25), st.one_of(st.none(), st.dates()))
@settings(max_examples=300, deadline=None)
def test_find_dates_never_crashes(words: list[str], ref: date | None) -> None:
    text = " ".join(words)
    doc = make_doc(text)
    for d in find_dates(doc, ref):
        assert text[d.start : d.end] == d.text
        assert d.date_start <= d.date_end
        assert d.time_precision in (1, 2, 3)
    document_date(doc)


@given(st.text(max_size=120), st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1))))
@settings(max_examples=200, deadline=None)
def test_find_dates_never_crashes_on_any_text(text: str, ref: date | None) -> None:
    doc = make_doc(text, doc_date=ref)
    found = find_dates(doc, ref)
    for sentence in doc.sentences:
        event_date(doc, sentence, sentence.start, found)


# --------------------------------------------------------------------------- the seeds (development data)


def _seed(shared_dir: Path, prefix: str) -> tuple[Document, list[DateMention]]:
    path = next((shared_dir / "corpus" / "seeds").glob(f"{prefix}_*.txt"))
    with (shared_dir / "corpus" / "seeds-metadata.csv").open(encoding="utf-8") as fh:
        published = {row["id"]: date.fromisoformat(row["published"]) for row in csv.DictReader(fh)}
    doc = make_doc(path.read_text(encoding="utf-8"), doc_date=published[path.stem])
    return doc, find_dates(doc, doc.doc_date)


def _mention(found: list[DateMention], phrase: str) -> DateMention:
    matches = [d for d in found if d.text.lower() == phrase.lower()]
    assert matches, (phrase, [d.text for d in found])
    return matches[0]


def test_seed_dates(shared_dir: Path) -> None:
    _doc, s0 = _seed(shared_dir, "000")
    assert span(_mention(s0, "December 15")) == ("2016-12-15", "2016-12-15", 1)
    assert _mention(s0, "in May 2015").historical

    _doc, s1 = _seed(shared_dir, "001")
    assert span(_mention(s1, "between February 3 and Thursday"))[:2] == ("2026-02-03", "2026-02-12")
    assert span(_mention(s1, "January 27 – February 2"))[:2] == ("2026-01-27", "2026-02-02")
    assert _mention(s1, "December 13").date_start == date(2025, 12, 13)

    _doc, s2 = _seed(shared_dir, "002")
    week_ago = _mention(s2, "about a week ago")
    assert week_ago.time_precision == 2
    assert week_ago.date_start <= date(2025, 12, 13) <= week_ago.date_end
    assert acled_point_date(week_ago.date_start, week_ago.date_end, 2) == date(2025, 12, 13)

    _doc, s3 = _seed(shared_dir, "003")
    assert span(_mention(s3, "Last month")) == ("2024-09-01", "2024-09-30", 3)
    assert span(_mention(s3, "October 12")) == ("2024-10-12", "2024-10-12", 1)

    doc4, s4 = _seed(shared_dir, "004")
    assert document_date(make_doc(doc4.text)) == (date(2017, 8, 18), 0.9, "dateline")
    assert _mention(s4, "on Friday").date_start == date(2017, 8, 18)
    beginning = _mention(s4, "At the beginning of August")
    assert (beginning.date_start, beginning.time_precision) == (date(2017, 8, 1), 2)
    assert beginning.date_end <= date(2017, 8, 10)


def test_seed_event_dates(shared_dir: Path) -> None:
    doc, found = _seed(shared_dir, "002")
    lead = lead_date(doc, found)
    assert lead is None  # the only date describes the earlier Palmyra attack, in a relative clause
    anchor = doc.text.index("airstrikes against")
    strikes = event_date(doc, doc.sentence_at(anchor), anchor, found, lead_date=lead)  # type: ignore[arg-type]
    assert strikes is not None and strikes.date_end == date(2025, 12, 20) and strikes.time_precision == 2


# --------------------------------------------------------------------------- a dateline run into the lead


@pytest.mark.parametrize(
    "body",
    [
        "14 Mar 2019 Dozens of people were killed when jets struck a market in Maarat al-Numan.",
        "Published March 14 2019 Dozens of people were killed when jets struck a market.",
        "AFP Thursday 14 Mar 2019 Dozens of people were killed when jets struck a market.",
    ],
)
def test_a_dateline_glued_to_the_first_sentence_is_marked(body: str) -> None:
    doc = make_doc(body)
    first = find_dates(doc, date(2019, 3, 14))[0]
    assert first.dateline
    assert lead_date(doc, find_dates(doc, date(2019, 3, 14))) is None


@pytest.mark.parametrize(
    "body",
    [
        "On 14 March 2019 jets struck a market in Maarat al-Numan, killing dozens.",
        "Jets struck a market on 14 March 2019, killing dozens.",
        "14 March 2019 was the deadliest day of the month in the town.",
    ],
)
def test_a_date_the_first_sentence_tells_is_no_dateline(body: str) -> None:
    assert not find_dates(make_doc(body), date(2019, 3, 15))[0].dateline
