"""One pass over a text: every gazetteer name in it, found with the Aho-Corasick automaton.

The text is turned into a stream of normalised tokens (" tok tok | tok "), where lowercase words other than
articles and name connectors become "|" so that no name can start on, or run across, an ordinary lowercase
word: "strike" never matches Strike (a village), and names must be capitalised in the text. Punctuation
between words also breaks the stream ("Homs, Hama" is two names). Keys are padded with spaces, so matches
always fall on word boundaries. Cost per word: one regex step, one dict look-up; the automaton does the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from eventwire.places.gazetteer import Gazetteer
from eventwire.places.normalize import (
    ARTICLE,
    CONNECTORS,
    TOKEN_RE,
    TYPE_WORDS,
    canonical_token,
    prepare_text,
)

BREAK = "|"
# Lowercase article spellings that are also common words ("as", "at", "an", "en", "es", "et"): articles
# only when hyphenated to the following word ("as-Sukhnah", "at-Tanf").
_AMBIGUOUS_ARTICLES = frozenset(["as", "at", "an", "en", "es", "et", "ed", "er", "ad", "ar"])
# Gaps between two words that keep them in one name: a space, a hyphen, the dot of "U.S".
_JOINING = frozenset((" ", "-", ".", " -", "- ", " - "))


@dataclass(slots=True)
class Token:
    start: int
    end: int
    norm: str  # canonical form, or BREAK
    capital: bool
    is_word: bool = True  # False for the breaks inserted at punctuation


@dataclass(slots=True)
class RawMatch:
    first: int  # token indexes, inclusive
    last: int
    key_id: int
    start: int  # character offsets in the text
    end: int


_token_cache: dict[str, tuple[str, bool]] = {}
# TOKEN_RE as one group: split() then returns gap, word, gap, ..., word, gap
_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})", TOKEN_RE.flags)


def _classify(word: str) -> tuple[str, bool]:
    """(stream form, capitalised) for one word of text, cached: most words repeat."""
    hit = _token_cache.get(word)
    if hit is None:
        capital = word[:1].isupper()
        norm = canonical_token(word)
        if (
            not capital and norm != ARTICLE and norm not in CONNECTORS and norm not in TYPE_WORDS
        ) or not norm:
            norm = BREAK
        hit = (norm, capital)
        if len(_token_cache) < 500_000:
            _token_cache[word] = hit
    return hit


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with their stream forms; breaks where punctuation separates words."""
    prepared = prepare_text(text)
    tokens: list[Token] = []
    append = tokens.append
    cached = _token_cache.get
    # The per-word loop of the places stage, kept lean: split() gives the gaps and words in turn as
    # strings, so offsets are sums of lengths, with no match object per word.
    parts = _TOKEN_SPLIT.split(prepared)
    start = len(parts[0])
    for k in range(1, len(parts), 2):
        word = parts[k]
        end = start + len(word)
        norm, capital = cached(word) or _classify(word)
        if (
            norm == ARTICLE
            and not capital
            and word.lower() in _AMBIGUOUS_ARTICLES
            and prepared[end : end + 1] != "-"
        ):
            norm = BREAK
        if k > 1:
            gap = parts[k - 1]
            if gap != " " and gap not in _JOINING and (gap.strip(" -") or "\n" in gap):
                append(Token(start - len(gap), start, BREAK, False, False))
        append(Token(start, end, norm, capital))
        start = end + len(parts[k + 1])
    return tokens


def find_raw(gazetteer: Gazetteer, text: str) -> tuple[list[Token], list[RawMatch]]:
    """All name matches in ``text``, leftmost-longest and non-overlapping, on word boundaries."""
    tokens = tokenize(text)
    norms = [tok.norm for tok in tokens]
    stream = f" {' '.join(norms)} "
    # stream offset just past a token -> token index (token i ends where the lengths of tokens 0..i, each
    # with its space, add up to)
    ends = dict(zip(accumulate(map((1).__add__, map(len, norms))), range(len(norms)), strict=True))
    hits: list[tuple[int, int, int]] = []
    for end_pos, kid in gazetteer.automaton.iter(stream):
        last = ends.get(end_pos)  # end_pos is the key's trailing space, i.e. just past its last token
        if last is None:
            continue
        hits.append((last, kid, end_pos))
    if not hits:
        return tokens, []
    # Recover each hit's first token: walk back over the key's token count.
    matches: list[tuple[int, int, int]] = []
    key_tokens = gazetteer.key_tokens
    for last, kid, _end_pos in hits:
        n = key_tokens[kid]
        first = last - n + 1
        if first < 0 or tokens[first].norm == BREAK:
            continue
        matches.append((first, last, kid))
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out: list[RawMatch] = []
    covered = -1
    for first, last, kid in matches:
        if first <= covered:
            continue
        # A name starts on a capitalised word: skip leading articles written in lowercase ("at Raqqa").
        f = first
        while f < last and not tokens[f].capital and tokens[f].norm == ARTICLE:
            f += 1
        if not tokens[f].capital:
            continue
        out.append(RawMatch(f, last, kid, tokens[f].start, tokens[last].end))
        covered = last
    return tokens, out
