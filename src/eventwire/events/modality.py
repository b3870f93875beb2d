"""Modality: is a trigger reported as something that happened?

ACLED codes events that happened. We emit nothing for what is negated ("did not strike"), hypothetical or
conditional ("would target ISIS near the city if ..."), planned or future ("will fly strike missions"), an
exercise or drill, a weapon made or held rather than used, an event that only dates a span of time
("two years after the siege of the city ended"), a generic or habitual statement ("has long staged
hit-and-run raids"), or a figure over a period ("claimed more than 150 attacks in the first half of 2024",
"has carried out more than 400 sorties"). Cues are data (data/modality.yaml); the scope of a cue is its
clause, up to the trigger.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from eventwire.caseless import Caseless
from eventwire.resources import load_yaml

ASSERTED = "asserted"

# Clause boundaries: a cue before one of these does not reach a trigger after it.
_CLAUSE_BREAK = re.compile(
    r"[;:—–]|,\s+(?:and|but|while|whereas|after|before|as|which|who)\b|\b(?:but|while)\b"
)


@cache
def _quick_cues() -> list[tuple[str, Caseless, str]]:
    """``_cues`` with each pattern behind its quick pre-check (eventwire.caseless: same answers)."""
    return [(name, Caseless(pattern), where) for name, pattern, where in _cues()]


@cache
def _cues() -> list[tuple[str, re.Pattern[str], str]]:
    """(modality, compiled pattern, where) where is "before" (in the clause before the trigger) or
    "sentence" (anywhere in the sentence)."""
    out = []
    for modality, spec in load_yaml("modality.yaml").items():
        if modality in (
            "intent_verbs",
            "attribution",
            "accident",
            "production",
            "state_participles",
            "described_by_activity",
        ):
            continue
        for where in ("before", "sentence", "after"):
            terms = spec.get(where) or []
            if terms:
                pattern = r"(?<![\w-])(?:" + "|".join(terms) + r")(?![\w])"
                out.append((modality, re.compile(pattern, re.IGNORECASE), where))
    return out


_UNKNOWN_AGENT = Caseless(  # looked for before every trigger: behind its quick pre-check
    re.compile(
        r"\b(?:unclear|unknown|(?:not|n't)\s+(?:\w+\s+)?(?:know|known|say|confirm|specify|identify|determine|"
        r"clear|certain|sure))\s+(?:whether|who|which|if|what)\b",
        re.IGNORECASE,
    )
)


def clause_before(sentence: str, offset: int) -> str:
    """The part of the sentence's clause that precedes ``offset`` (relative to the sentence)."""
    head = sentence[:offset]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    return head[breaks[-1].end() :] if breaks else head


def clause_after(sentence: str, offset: int) -> str:
    tail = sentence[offset:]
    m = _CLAUSE_BREAK.search(tail)
    return tail[: m.start()] if m else tail


def modality(sentence: str, trigger_start: int, trigger_end: int) -> str:
    """The modality of the trigger at [trigger_start, trigger_end) (offsets relative to the sentence)."""
    before = clause_before(sentence, trigger_start)
    unknown = max(_UNKNOWN_AGENT.finditer(before), key=lambda m: m.end(), default=None)
    if unknown is not None:
        # "it did not know whether regime or Russian warplanes carried out the strikes": the doubt is who,
        # not whether; what follows is told as fact
        before = before[unknown.end() :]
    after = clause_after(sentence, trigger_end)
    if _produced(before, sentence[trigger_start:trigger_end]):
        return "production"
    if _descriptive(sentence, trigger_start, trigger_end) or _activity_of(
        before, sentence[trigger_start:trigger_end]
    ):
        return "state"
    for k, (name, pattern, where) in enumerate(_quick_cues()):
        if where == "before":
            hit = pattern.search(before)
        elif where == "after":
            hit = pattern.search(after)
        else:
            hit = _sentence_cue(sentence, k)  # the same for every trigger of the sentence
        if hit:
            return name
    return ASSERTED


@lru_cache(maxsize=1024)
def _sentence_cue(sentence: str, k: int) -> bool:
    """Does cue k (a "sentence" cue of ``_cues``) occur in the sentence?"""
    return _quick_cues()[k][1].search(sentence) is not None


@cache
def _production() -> tuple[re.Pattern[str], re.Pattern[str]]:
    spec = load_yaml("modality.yaml")["production"]
    verbs = re.compile(r"(?<![\w-])" + spec["verbs"] + r"\s+(?:(?:the|a|an|its|their|more|new)\s+)?$", re.I)
    return verbs, re.compile(r"^" + spec["weapons"] + r"(?![\w])", re.I)


def _produced(before: str, trigger_text: str) -> bool:
    """A weapon told as made, held or moved ("to make chemical weapons"): no use of it."""
    verbs, weapons = _production()
    return bool(verbs.search(before)) and bool(weapons.match(trigger_text))


_AUXILIARY_BEFORE = re.compile(
    r"\b(?:was|were|is|are|been|be|being|had|has|have|got|get|and|or|who|which|that|then)\s+(?:\w+ly\s+)?$",
    re.I,
)
_NOT_A_NOUN_AFTER = re.compile(
    r"^\s+(?:the|a|an|this|that|these|those|its|their|his|her|our|by|in|on|at|for|from|with|to|and|or|but|"
    r"since|until|after|before|during|as|when|while|\w+ly|it|them|him|parts|part|much|most|all|some|several|"
    r"two|three|four|five|\d)\b",
    re.I,
)


# What stands before an adjective in a noun phrase: a determiner, a preposition, a gerund ("fleeing")
_ATTRIBUTIVE_BEFORE = re.compile(
    r"(?:^|\b(?:the|a|an|its|their|his|her|our|this|that|these|those|of|in|into|inside|from|to|for|on|at|"
    r"near|across|around|\w+ing))\s+(?:[\w-]+\s+)?$",
    re.I,
)


@cache
def _activity_nouns() -> tuple[re.Pattern[str], frozenset[str]]:
    spec = load_yaml("modality.yaml")["described_by_activity"]
    nouns = re.compile(r"(?<![\w-])(?:" + "|".join(spec["nouns"]) + r")\s+$", re.I)
    return nouns, frozenset(spec["participles"])


def _activity_of(before: str, trigger_text: str) -> bool:
    """ "a tribal leader fighting IS": a participle of fighting right after a person or force describes
    them."""
    nouns, participles = _activity_nouns()
    return trigger_text.lower() in participles and bool(nouns.search(before))


@cache
def _state_participles() -> frozenset[str]:
    return frozenset(load_yaml("modality.yaml")["state_participles"])


def _descriptive(sentence: str, start: int, end: int) -> bool:
    """A participle that describes a standing situation: an adjective before a noun ("besieged
    neighbourhoods") or after one with its agent ("areas besieged by the regime")."""
    if sentence[start:end].lower() not in _state_participles():
        return False
    head, tail = sentence[:start], sentence[end:]
    if _AUXILIARY_BEFORE.search(head):
        return False  # "the town was besieged by", "rebels who besieged": a verb
    if re.match(r"^\s+by\b", tail, re.I):
        return bool(re.search(r"\b[a-z]{3,}s\s+$", head))  # "areas besieged by the regime"
    return (
        bool(_ATTRIBUTIVE_BEFORE.search(head))
        and bool(re.match(r"^\s+[A-Za-z]", tail))
        and not _NOT_A_NOUN_AFTER.match(tail)
    )


_BEGAN_TO = re.compile(r"\b(?:began|begun|begin|begins|started|starts|proceeded|went on)\s+to\s+$", re.I)
_TO_BEFORE = re.compile(r"\bto\s+$", re.IGNORECASE)


@cache
def _intent_verbs() -> frozenset[str]:
    return frozenset(load_yaml("modality.yaml")["intent_verbs"])


def intended(before: str, trigger_text: str) -> bool:
    """A trigger in the infinitive of purpose ("an offensive to retake Mosul") reports an aim, not a deed."""
    if _BEGAN_TO.search(before):
        return False  # "the coalition forces began to attack the city": the attack happened
    return bool(_TO_BEFORE.search(before)) and trigger_text.lower().split()[0] in _intent_verbs()


@cache
def _phrase(name: str) -> Caseless:
    return Caseless(
        re.compile(r"(?<![\w-])(?:" + "|".join(load_yaml("modality.yaml")[name]) + r")(?![\w])", re.I)
    )


def attributed(before: str) -> bool:
    """The trigger is the object of blame or denial ("blamed ISWAP for the killing of fishermen")."""
    return bool(_phrase("attribution").search(before))


@lru_cache(maxsize=1024)  # asked for each trigger of a sentence
def accidental(sentence: str) -> bool:
    """The sentence is about an accident or a natural disaster."""
    return bool(_phrase("accident").search(sentence))
