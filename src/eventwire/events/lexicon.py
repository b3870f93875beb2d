"""The trigger lexicon (data/triggers.yaml), compiled once into one regular expression per kind.

One pass of one alternation over the text finds every trigger; the matched words are then looked up in a
dict (literal terms) or by their longest known stem (terms ending in *). Alternatives are ordered longest
first so that "strike eagles" (ignored) wins over "strike" at the same position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from eventwire.resources import load_yaml

_SEP = re.compile(r"[\s\-‐‑–]+")


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
_GAP = r"(?:[\s\-‐‑–]+[\w'’]+){0,%d}?"  # "established ~ base": up to three words in between


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
        alternatives = [
            f"(?P<{name}>{_term_pattern(t)})" for name, t in zip(self.gapped, gap_terms, strict=True)
        ]
        alternatives += [_term_pattern(t) for t in ordered]
        self.regex = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)
        self._max_stem = max((len(s) for s in self.stems), default=0)

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
        for m in self.regex.finditer(text, start, end):
            value = self.gapped[m.lastgroup] if m.lastgroup else self.lookup(m.group())
            if value is not None:
                yield m.start(), m.end(), m.group(), value


@dataclass(slots=True)
class Lexicon:
    triggers: TermTable
    modes: TermTable
    mode_order: tuple[str, ...]


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
    return Lexicon(TermTable(trigger_terms), TermTable(mode_terms), tuple(data["modes"]))
