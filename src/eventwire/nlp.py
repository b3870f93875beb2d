"""Sentence segmentation and word counts.

A regex segmenter rather than a statistical parser: news text breaks cleanly at line ends and at
sentence punctuation, and the few traps (abbreviations such as "U.S.", "Lt. Gen.", "Dec. 14", initials) are
listed in data. It runs at several million characters per second, so later stages can afford to look at
every sentence cheaply and keep costly work for the few that carry an event trigger.
"""

from __future__ import annotations

import re
from functools import lru_cache

from eventwire.model import Document, Sentence
from eventwire.resources import load_lines

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and a
# capital, digit or opening quote; or at a line break.
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_WORD = re.compile(r"\w+(?:[-'’,.]\w+)*")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(line.lower() for line in load_lines("abbreviations.txt"))


_DOTTED_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]")


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial, not a sentence."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in '("“':
        start -= 1
    token = text[start : dot + 1].lower()
    if token in _abbreviations():
        return True
    # Single capital initials ("J. Smith") and dotted acronyms ("U.S.", "U.N.") do not end sentences
    # unless the next word is clearly a sentence opener; we err on the side of not splitting.
    core = token.rstrip(".")
    return len(core) == 1 or bool(_DOTTED_ACRONYM.fullmatch(core))


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over text[start:end], trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line.start()
        line_end = start + line.end()
        cut = line_start
        for m in _BOUNDARY.finditer(text, line_start, line_end):
            dot = m.start()
            if text[dot] == "." and m.end() - dot == 1 and _ends_with_abbreviation(text, dot):
                continue
            spans.append((cut, m.end()))
            cut = m.end()
        spans.append((cut, line_end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def segment(doc: Document) -> Document:
    """Fill ``doc.sentences`` and ``doc.words``. The title, when there is one, is sentence 0."""
    text = doc.text
    sentences: list[Sentence] = []
    if doc.title_end:
        s, e = 0, doc.title_end
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            sentences.append(Sentence(0, s, e, text[s:e], is_title=True))
    for s, e in split_sentences(text, doc.title_end):
        sentences.append(Sentence(len(sentences), s, e, text[s:e]))
    doc.sentences = sentences
    doc.words = count_words(text)
    return doc


def count_words(text: str) -> int:
    return len(_WORD.findall(text))  # one list built in C, not a Python step per word
