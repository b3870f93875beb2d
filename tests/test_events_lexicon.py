import pytest

from eventwire.clean import clean
from eventwire.events import find_triggers
from eventwire.events.lexicon import get_lexicon
from eventwire.events.modality import ASSERTED, modality
from eventwire.events.taxonomy import taxonomy
from eventwire.model import Article
from eventwire.nlp import segment
from eventwire.resources import load_yaml


def _types(text: str) -> list[tuple[str, str]]:
    return [(m, v.type) for _, _, m, v in get_lexicon().triggers.finditer(text)]


def test_taxonomy_has_acleds_25_sub_event_types_in_6_event_types():
    tax = taxonomy()
    assert len(tax) == 25
    assert {t.event_type for t in tax.values()} == {
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    }


def test_every_trigger_type_is_a_sub_event_type_or_a_resolver():
    allowed = set(taxonomy()) | {"@strike", "@attack", "@territory", "@capture", "@explosion", "ignore"}
    for spec in load_yaml("triggers.yaml")["triggers"]:
        assert spec["type"] in allowed, spec["type"]


def test_no_term_is_listed_twice():
    seen: dict[str, str] = {}
    for spec in load_yaml("triggers.yaml")["triggers"]:
        for term in spec["terms"]:
            assert term not in seen, f"{term!r} in both {seen[term]} and {spec['type']}"
            seen[term] = spec["type"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Coalition airstrikes hit the town", ("airstrikes", "Air/drone strike")),
        ("a roadside bomb exploded", ("roadside bomb", "Remote explosive/landmine/IED")),
        ("a suicide car bomb", ("suicide car bomb", "Suicide bomb")),
        ("Turkish drone strikes", ("drone strikes", "Air/drone strike")),
        ("heavy shelling of the camp", ("shelling", "Shelling/artillery/missile attack")),
        ("protesters rallied in Tahrir Square", ("rallied", "Peaceful protest")),
        ("the army recaptured the town", ("recaptured", "@territory")),
        # launched, not thrown: shelling, and the shorter Grenade trigger inside it is hidden (as is "fired a
        # rocket", which would take the first word)
        (
            "militants fired rocket-propelled grenades",
            ("fired rocket-propelled grenades", "Shelling/artillery/missile attack"),
        ),
        ("a tank attack on the village", ("tank attack", "Shelling/artillery/missile attack")),
    ],
)
def test_triggers_are_found_with_their_type(text, expected):
    assert expected in _types(text)


def test_longest_term_wins_and_ignored_terms_hide_shorter_triggers():
    found = _types("F-15E Strike Eagles refuelled; the battle damage assessment is ongoing")
    assert ("Strike Eagles", "ignore") in found
    assert all(t != "@strike" for _, t in found)


def test_wildcards_do_not_swallow_unrelated_words():
    found = [m.lower() for m, _ in _types("The minister met migrants at the shelter; mobile phones")]
    assert found == []


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("The coalition said it would keep striking the group.", "striking", "hypothetical"),
        ("Coalition aircraft did not strike the town.", "strike", "negated"),
        ("The army will launch strikes next week.", "strikes", "future"),
        ("Troops fired rockets during a live-fire exercise near Homs.", "fired rockets", "exercise"),
        ("ISIS claimed more than 150 attacks in the first half of 2024.", "attacks", "generic"),
        ("ISIS seized the town in May 2015.", "seized", ASSERTED),
        ("US forces struck ISIS camps on Friday.", "struck", ASSERTED),
        # the doubt is who did it, not whether it happened
        (
            "It did not know whether regime or Russian jets carried out the strikes on Mayadin.",
            "strikes",
            ASSERTED,
        ),
        ("It was unclear who carried out the air strike.", "air strike", ASSERTED),
        ("It was unclear whether jets would strike the town.", "strike", "hypothetical"),
        ("Jets struck the depot, and officials said they would strike again.", "struck", ASSERTED),
    ],
)
def test_modality(sentence, trigger, expected):
    i = sentence.index(trigger)
    assert modality(sentence, i, i + len(trigger)) == expected


def test_march_the_month_is_no_protest_march():
    def protests(text: str) -> list[str]:
        doc = segment(clean(Article("t", text)))
        return [t.text for t in find_triggers(doc) if t.sub_event_type == "Peaceful protest"]

    for text in (
        "Airstrikes hit Raqqa on 3 March, the monitor said.",
        "Rebels shelled Idlib on March 3.",
        "In March, rebels captured the town.",
        "Fighting in mid-March killed 20 people.",
        "The offensive began in March 2016.",
    ):
        assert protests(text) == [], text
    assert protests("Thousands march in Bamako against the junta") == ["march"]
    assert protests("Thousands March in Bamako Against the Junta") == ["March"]
