"""The trigger lexicon (data/triggers.yaml), compiled once into one regular expression per kind.

One pass of one alternation over the text finds every trigger; the matched words are then looked up in a
dict (literal terms) or by their longest known stem (terms ending in *). Alternatives are ordered longest
first so that "strike eagles" (ignored) wins over "strike" at the same position.

Speed: the alternation is only tried where a word starts that can begin a term. Those places are found by
an Aho-Corasick automaton of the terms' first words over the lowercased text (C speed), so the costly
regex runs on a few percent of the text; the matches are exactly those of a scan with the regex alone.
At such a place only the terms whose first word was found there can match, so the regex tried is the
alternation of those terms alone (in the same order, so the same alternative wins), compiled once per set
of first words: a few alternatives instead of the whole lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import ahocorasick

from eventwire.resources import load_yaml

_SEP = re.compile(r"[\s\-‐‑–]+")
_WORD_RUN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    type: str  # an ACLED sub-event type, a resolver ("@strike", ...) or "ignore"
    weight: float
    mode: str | None
    cameo: str | None
    plover: tuple[str | None, str | None] | None


def normalise(words: str) -> str:
    return _SEP.sub(" ", words.lower()).strip()


GAP_WORDS = 3
# "established ~ base": up to three words in between; a number with separators is one word ("2,000")
_GAP = r"(?:[\s\-‐‑–]+[\w'’]+(?:[.,]\d+)*){0,%d}?"


def _word_pattern(word: str) -> str:
    return re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "")


def _term_pattern(term: str) -> str:
    words = term.split()
    out = _word_pattern(words[0])
    for word in words[1:]:
        out += _GAP % GAP_WORDS if word == "~" else r"[\s\-‐‑–]+" + _word_pattern(word)
    return out


class TermTable:
    """Terms -> values, matched in one pass with word boundaries, longest term first.

    A term is words separated by spaces (a space also matches a hyphen); a word ending in * matches any
    ending; "~" stands for up to GAP_WORDS other words ("set up ~ base*" matches "set up a new military
    base"). Plain terms are looked up by their normalised text, gapped ones through a named group."""

    def __init__(self, terms: dict[str, object]) -> None:
        self.literal: dict[str, object] = {}
        self.stems: dict[str, object] = {}
        self.gapped: dict[str, object] = {}
        plain: list[str] = []
        for term, value in terms.items():
            if " ~ " in f" {term} ":
                self.gapped.setdefault(f"g{len(self.gapped)}", value)
                continue
            plain.append(term)
            if term.endswith("*"):
                self.stems.setdefault(normalise(term.rstrip("*")), value)
            else:
                self.literal.setdefault(normalise(term), value)
        gap_terms = [t for t in terms if " ~ " in f" {t} "]
        ordered = sorted(plain, key=lambda t: (-len(t.rstrip("*")), t))
        # (first word as the gate knows it, pattern), in the order the alternation tries them
        self._alternatives = [
            (_lead_word(t), f"(?P<{name}>{_term_pattern(t)})")
            for name, t in zip(self.gapped, gap_terms, strict=True)
        ]
        self._alternatives += [(_lead_word(t), _term_pattern(t)) for t in ordered]
        self.regex = _alternation(p for _, p in self._alternatives)
        self._max_stem = max((len(s) for s in self.stems), default=0)
        self._gate = _gate_automaton(terms)
        self._by_leads: dict[frozenset[str], re.Pattern[str]] = {}

    def lookup(self, matched: str) -> object | None:
        key = normalise(matched)
        value = self.literal.get(key)
        if value is not None:
            return value
        for k in range(min(len(key), self._max_stem), 0, -1):
            value = self.stems.get(key[:k])
            if value is not None:
                return value
        return None

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        """Yield (start, end, matched text, value)."""
        end = len(text) if end is None else end
        resume = start  # like finditer: after a match, the scan goes on where it ended
        starts = self._starts(text, start, end)
        for at in sorted(starts):
            if at < resume:
                continue
            leads = starts[at]
            m = (self.regex if leads is None else self._regex_for(leads)).match(text, at, end)
            if m is None:
                continue
            resume = m.end()
            value = self.gapped[m.lastgroup] if m.lastgroup else self.lookup(m.group())
            if value is not None:
                yield m.start(), m.end(), m.group(), value

    def _regex_for(self, leads: frozenset[str]) -> re.Pattern[str]:
        """The alternation of the terms that start with one of ``leads``, in the order of ``regex``."""
        regex = self._by_leads.get(leads)
        if regex is None:
            regex = _alternation(p for lead, p in self._alternatives if lead in leads)
            self._by_leads[leads] = regex
        return regex

    def _starts(self, text: str, start: int, end: int) -> dict[int, frozenset[str] | None]:
        """Every offset in [start, end) where a term may start (a superset) -> the first words found there
        (None: any term may start there)."""
        piece = text[start:end]
        lowered = piece.lower()
        if len(lowered) != len(piece) or (not piece.isascii() and _ODD_FOLDS.search(piece)):
            # lower() moved offsets ("İ" becomes two characters) or IGNORECASE folds a character to ASCII
            # that lower() does not ("ſ", "ı"): try the whole alternation at every word start instead.
            return {m.start(): None for m in _WORD_RUN.finditer(text, start, end)}
        found: dict[int, set[str]] = {}
        for last, (length, whole_word, word) in self._gate.iter(lowered):
            at = start + last - length + 1
            # a word character is what \w matches: isalnum() or "_" (inlined: this loop runs for every
            # hit of a first word, inside words too)
            if at > 0 and ((c := text[at - 1]).isalnum() or c == "_"):
                continue
            after = start + last + 1
            if whole_word and after < end and ((c := text[after]).isalnum() or c == "_"):
                continue
            found.setdefault(at, set()).add(word)
        return {at: frozenset(leads) for at, leads in found.items()}


# Characters that re.IGNORECASE matches to an ASCII letter but str.lower() does not turn into it.
_ODD_FOLDS = re.compile("[\u017f\u0131]")


def _alternation(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w])", re.IGNORECASE)


def _lead_word(term: str) -> str:
    """The run of word characters a term starts with, lowercased: its key in the gate automaton."""
    parts = term.rstrip("*").lower().split()
    lead = _WORD_RUN.match(parts[0]) if parts else None
    if lead is None:
        raise ValueError(f"term {term!r} must start with a letter or digit")
    return lead.group()


def _gate_automaton(terms: Iterable[str]) -> ahocorasick.Automaton:
    """An automaton of the words a term can start with -> (length, must end the word, the word).

    A term's regex starts with its first word's characters, so a match starts where a run of word
    characters starts that equals that word ("air" of "air strike*", "counter" of "counter-attack") or, for
    a one-word wildcard term ("airstrike*"), begins with it."""
    automaton = ahocorasick.Automaton()
    for term in terms:
        parts = term.rstrip("*").lower().split()
        word = _lead_word(term)
        stem = term.endswith("*") and len(parts) == 1 and word == parts[0]
        known = automaton.get(word, None)
        # A word that is both a whole first word and a stem is a stem (the weaker condition).
        automaton.add_word(word, (len(word), not stem and (known is None or known[1]), word))
    automaton.make_automaton()
    return automaton


@dataclass(slots=True)
class Lexicon:
    triggers: TermTable
    modes: TermTable
    mode_order: tuple[str, ...]
    disruption_verb: re.Pattern[str]  # "intercepted", "foiled": Disrupted weapons use only with a weapon
    disruption_object: re.Pattern[str]


@cache
def get_lexicon() -> Lexicon:
    data = load_yaml("triggers.yaml")
    trigger_terms: dict[str, TriggerEntry] = {}
    for spec in data["triggers"]:
        plover = tuple(spec["plover"]) if spec.get("plover") else None
        entry = TriggerEntry(
            type=spec["type"],
            weight=float(spec.get("weight", 1.0)),
            mode=spec.get("mode"),
            cameo=spec.get("cameo"),
            plover=plover,
        )
        for term in spec["terms"]:
            trigger_terms.setdefault(term, entry)  # the first entry that lists a term owns it
    mode_terms: dict[str, str] = {}
    for mode, terms in data["modes"].items():
        for term in terms:
            mode_terms.setdefault(term, mode)
    needs = data["disruption_needs_weapon"]
    return Lexicon(
        TermTable(trigger_terms),
        TermTable(mode_terms),
        tuple(data["modes"]),
        re.compile(needs["verbs"], re.IGNORECASE),
        re.compile(needs["objects"], re.IGNORECASE),
    )
