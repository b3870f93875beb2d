from hypothesis import given
from hypothesis import strategies as st

from eventwire.model import Article, Document
from eventwire.nlp import count_words, segment, split_sentences


def _spans(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_splits_at_sentence_punctuation_and_line_breaks():
    text = "Coalition jets struck near Raqqa. Twelve were killed!\nThe monitor said so"
    assert _spans(text) == ["Coalition jets struck near Raqqa.", "Twelve were killed!", "The monitor said so"]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Lt. Gen. Stephen Townsend said the U.S. would act. Strikes on Dec. 14 hit J. Doe's unit."
    assert _spans(text) == [
        "Lt. Gen. Stephen Townsend said the U.S. would act.",
        "Strikes on Dec. 14 hit J. Doe's unit.",
    ]


def test_quotes_close_the_sentence():
    text = '"We will respond," he said. "It is over." Then silence.'
    assert _spans(text) == ['"We will respond," he said.', '"It is over."', "Then silence."]


def test_segment_marks_the_title():
    text = "Title line here\n\nFirst sentence. Second one."
    doc = Document(Article("a", "x"), text=text, title_end=len("Title line here"))
    segment(doc)
    assert [s.text for s in doc.sentences] == ["Title line here", "First sentence.", "Second one."]
    assert doc.sentences[0].is_title and not doc.sentences[1].is_title
    assert [s.index for s in doc.sentences] == [0, 1, 2]
    assert doc.words == 7


def test_count_words_handles_hyphens_and_apostrophes():
    assert count_words("Deir ez-Zor's US-led strikes, 5,700 prisoners") == 6


@given(st.text())
def test_spans_are_in_order_and_inside_the_text(text):
    spans = split_sentences(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        last = e
