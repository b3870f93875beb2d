"""The sentence-type model (events.classifier) and how the event stage consults it (events.candidates).

The scoring tests use a tiny model built here by hand, so that every number can be checked with a pencil;
the consultation tests swap that model in for the shipped one (``use_type_model``) and run the real
pipeline on sentences written for these tests."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest

from eventwire.events.classifier import (
    OUT_OF_SCOPE,
    Thresholds,
    TypeModel,
    features,
    get_type_model,
    use_type_model,
)
from eventwire.model import Article, Event
from eventwire.pipeline import analyse

LABELS = ("Armed clash", "Peaceful protest", "NATURAL_DISASTER")


def tiny_model(thresholds: Thresholds | None = None) -> TypeModel:
    # "~clash" speaks for Armed clash, "~assembl" for Peaceful protest, "flood" for a natural disaster
    return TypeModel(
        labels=LABELS,
        bias=(0.0, 0.0, 0.0),
        idf={"~clash": 2.0, "~assembl": 2.0, "flood": 3.0, "the": 1.0},
        weights={"~clash": {0: 6.0}, "~assembl": {1: 6.0}, "flood": {2: 6.0}},
        thresholds=thresholds or Thresholds(),
    )


@pytest.fixture
def swap_model() -> Iterator:
    def swap(model: TypeModel) -> None:
        use_type_model(model)

    yield swap
    use_type_model(None)


def events_of(text: str) -> list[Event]:
    return analyse(Article("t", text, published=date(2024, 3, 9))).events


def test_features_are_words_stems_and_stem_pairs() -> None:
    feats = features("Troops clashed with 25 rebels")
    assert {"troops", "clashed", "0", "~clash", "~troop", "~rebel", "troop clash", "clash with"} <= set(feats)


def test_scores_follow_tfidf_and_the_softmax() -> None:
    scores = tiny_model().scores("The clashes")
    # "the" (idf 1) and "~clash" (idf 2), each once: the L2-normalised value of ~clash is 2/sqrt(5)
    clash = 6.0 * 2.0 / math.sqrt(5.0)
    expected = math.exp(clash) / (math.exp(clash) + 2.0)
    assert scores["Armed clash"] == pytest.approx(expected)
    assert sum(scores.values()) == pytest.approx(1.0)
    assert tiny_model().scores("nothing known here") == {label: pytest.approx(1 / 3) for label in LABELS}


def test_best_keeps_to_the_allowed_labels() -> None:
    model = tiny_model()
    assert model.best("they assembled and clashed")[0] in ("Armed clash", "Peaceful protest")
    assert model.best("the clashes", frozenset({"Peaceful protest"}))[0] == "Peaceful protest"


def test_the_cue_is_the_word_that_speaks_most_for_a_label() -> None:
    assert tiny_model().cue("Hundreds assembled in the capital", "Peaceful protest") == "assembled"
    assert tiny_model().cue("Hundreds gathered", "Peaceful protest") is None


def test_with_thresholds_off_the_model_changes_nothing(swap_model) -> None:
    text = "Rebels clashed with army troops near Goma on Friday, residents said."
    before = [(e.sub_event_type, e.location) for e in events_of(text)]
    swap_model(tiny_model())  # every threshold above 1: never trusted
    assert [(e.sub_event_type, e.location) for e in events_of(text)] == before


def test_an_out_of_scope_reading_vetoes_the_sentence(swap_model) -> None:
    text = "Floods killed 40 people in Goma on Friday, officials said."
    swap_model(tiny_model(Thresholds(veto=0.5)))
    assert events_of(text) == []


def statement_model() -> TypeModel:
    # "~condemn" speaks for a diplomatic statement, "~seiz" for a crime story
    return TypeModel(
        labels=("Attack", "DIPLOMACY", "CRIME"),
        bias=(0.0, 0.0, 0.0),
        idf={"~condemn": 2.0, "~seiz": 2.0},
        weights={"~condemn": {1: 6.0}, "~seiz": {2: 6.0}},
        thresholds=Thresholds(veto=0.5),
    )


def test_a_statement_keeps_only_the_incidents_it_dates_and_places(swap_model) -> None:
    bombing = [("Remote explosive/landmine/IED", "Idlib")]
    # the bombing has its own day and town: the statement is how it reached the record
    told = "The ministry condemned the car bomb attack on a market in Idlib on 3 March that killed 12 people."
    # a town but no day, or neither: the sentence is about the statement
    untold = (
        "The ministry condemned the car bomb attack on a market in Idlib that killed 12 people.",
        "The ministry condemned the car bomb attacks on civilians that killed 12 people.",
    )
    swap_model(statement_model().with_thresholds(Thresholds()))  # the model not consulted
    assert [(e.sub_event_type, e.location) for e in events_of(told)] == bombing
    assert all(len(events_of(text)) == 1 for text in untold)
    swap_model(statement_model())
    assert [(e.sub_event_type, e.location) for e in events_of(told)] == bombing
    assert all(events_of(text) == [] for text in untold)


def test_arms_seized_stay_disrupted_weapons_use_in_a_crime_story(swap_model) -> None:
    text = "Police seized eight rifles and 500 rounds of ammunition in a raid in Idlib on Sunday."
    swap_model(statement_model())
    assert statement_model().best(text)[0] == "CRIME"
    assert [e.sub_event_type for e in events_of(text)] == ["Disrupted weapons use"]
    # the same veto drops what is no weapons use
    raid = "Police seized eight tonnes of cannabis and arrested two men in a raid in Idlib on Sunday."
    assert events_of(raid) == []
    swap_model(statement_model().with_thresholds(Thresholds()))
    assert [e.sub_event_type for e in events_of(raid)] == ["Arrests"]


def test_a_confident_model_proposes_an_event_the_lexicon_missed(swap_model) -> None:
    # "assembled" is no trigger of the lexicon; the model is sure of a protest and the sentence has a place,
    # a date and an actor to anchor it
    text = "Teachers of the national union assembled in Goma on Friday to demand unpaid salaries."
    swap_model(tiny_model())
    assert [e for e in events_of(text) if e.sub_event_type == "Peaceful protest"] == []
    swap_model(tiny_model(Thresholds(propose=0.5)))
    protest = [e for e in events_of(text) if e.sub_event_type == "Peaceful protest"]
    assert len(protest) == 1
    assert protest[0].location == "Goma"
    assert any("assembled" in ev.text for ev in protest[0].evidence)


def test_no_event_is_proposed_for_a_hedged_sentence(swap_model) -> None:
    swap_model(tiny_model(Thresholds(propose=0.5)))
    assert events_of("Teachers of the national union will not assemble in Goma on Friday.") == []


def test_a_strong_preference_retypes_an_unlikely_trigger_type(swap_model) -> None:
    text = "Protesters clashed with each other in Goma on Friday."
    swap_model(tiny_model(Thresholds(retype=0.5, keep=0.2)))
    sentence_model = tiny_model(Thresholds(retype=0.5, keep=0.2))
    assert sentence_model.best(text)[0] == "Armed clash"
    kinds = {e.sub_event_type for e in events_of(text)}
    assert kinds <= {"Armed clash"}


def test_in_the_lead_a_type_the_model_confirms_anchors_a_generic_trigger(swap_model) -> None:
    # "agreed to" with nothing to anchor it (no date, no place, no toll, one side named) is too weak alone
    text = "The two sides agreed to a ceasefire."

    def truce_model(support: float) -> TypeModel:
        return TypeModel(
            labels=("Agreement", "DIPLOMACY"),
            bias=(0.0, 0.0),
            idf={"~ceasefire": 2.0},
            weights={"~ceasefire": {0: 3.0}},
            thresholds=Thresholds(support=support),
        )

    swap_model(truce_model(1.1))
    assert events_of(text) == []
    swap_model(truce_model(0.6))
    assert [e.sub_event_type for e in events_of(text)] == ["Agreement"]
    # after the lead the model anchors nothing
    swap_model(truce_model(0.6))
    late = "Markets reopened in the capital. Schools stayed shut. Traders counted their losses. " + text
    assert events_of(late) == []


def test_the_type_the_sentence_is_about_ranks_first(swap_model) -> None:
    text = "Militants stormed an army base in Gao on Friday and seized its weapons depot."

    def depot_model(rank: float) -> TypeModel:
        # "~depot" speaks for Disrupted weapons use
        return TypeModel(
            labels=("Armed clash", "Disrupted weapons use"),
            bias=(0.0, 0.0),
            idf={"~depot": 2.0},
            weights={"~depot": {1: 6.0}},
            thresholds=Thresholds(rank=rank),
        )

    def leading(rank: float) -> str:
        swap_model(depot_model(rank))
        found = events_of(text)
        assert {e.sub_event_type for e in found} == {"Armed clash", "Disrupted weapons use"}
        assert all(0.0 <= e.confidence <= 1.0 for e in found)
        return max(found, key=lambda e: e.confidence).sub_event_type

    assert leading(0.0) == "Armed clash"  # the lexicon's ranking: a clash is told by a stronger word
    assert leading(0.5) == "Disrupted weapons use"


def test_the_shipped_model_tells_news_that_is_no_acled_event() -> None:
    model = get_type_model()
    assert set(model.labels) >= OUT_OF_SCOPE
    label, p = model.best("A powerful earthquake and heavy rains destroyed hundreds of homes in the valley.")
    assert label == "NATURAL_DISASTER" and p > 0.3
    label, _ = model.best("Police fired tear gas and water cannon to disperse thousands of marching pupils.")
    assert label == "Protest with intervention"
    assert replace(model.thresholds) == model.thresholds  # a plain value, read from the model file
