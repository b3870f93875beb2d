"""Normalisation of place names and of running text into one comparable token stream.

Transliterations of Arabic names differ in articles (al-/el-/ad-/ar-/as-/ash-/az-/at-/ez-...), hyphens,
apostrophes and ayn/hamza marks, diacritics, doubled letters and a final -h: "Deir ez-Zor", "Dayr az Zawr"
and "Deir al-Zour" should meet. Both gazetteer names and text go through the same token normaliser, so a key
built from a name is found in text by exact matching (one Aho-Corasick pass), never by comparing a text
token with every gazetteer entry.

Articles are kept as one canonical token ("al") so that "Al-Bab" and the English word "Bab" stay apart;
each name is also indexed without its articles ("Raqqa" = "Ar Raqqah").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ARTICLE = "al"
# Arabic article spellings after assimilation to the following consonant, in common transliterations.
_ARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "ed",
        "ar",
        "er",
        "as",
        "es",
        "ash",
        "esh",
        "az",
        "ez",
        "at",
        "et",
        "an",
        "en",
        "adh",
        "ath",
    ]
)
# Lowercase words that may sit inside a multi-word name ("Castellammare di Stabia"); other lowercase words
# break names apart, which keeps most common English words from ever starting a match.
CONNECTORS = frozenset(
    [
        "de",
        "di",
        "da",
        "del",
        "della",
        "la",
        "le",
        "les",
        "du",
        "des",
        "do",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "den",
        "am",
        "im",
        "sur",
        "upon",
        "y",
    ]
)

# Apostrophes, ayn and hamza marks: removed inside words ("Ma'arrat" -> "Maarrat").
_MARKS = "'’‘ʿʾʼ`´ʻ′"
_MARK_TABLE = str.maketrans(dict.fromkeys(_MARKS, "'"))
# A word: letters, possibly joined by marks; digits and underscores never belong to a name.
TOKEN_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_DOUBLE = re.compile(r"(.)\1+")
_GLUED_ARTICLE = re.compile(r"^[ae](?:tt|dd|rr|zz|ss|nn)[a-z]{2,}")
_PHONETIC = str.maketrans({"q": "k"})  # Qamishli = Kamishli, Iraq = Irak
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe"}
)


def prepare_text(text: str) -> str:
    """Same-length copy of ``text`` with every apostrophe-like mark unified, for tokenising."""
    return text.translate(_MARK_TABLE)


@lru_cache(maxsize=200_000)
def fold_token(token: str) -> str:
    """Comparable form of one word: no case, diacritics, marks, doubled letters or final -h after a vowel."""
    low = token.lower()
    if low.endswith("'s") and low.count("'") == 1:  # English possessive: "Syria's"
        low = low[:-2]
    low = low.replace("'", "")
    if not low.isascii():
        low = unicodedata.normalize("NFKD", low.translate(_FOLD_EXTRA))
        low = "".join(ch for ch in low if not unicodedata.combining(ch))
    if _GLUED_ARTICLE.match(low):  # "Ezzor", "Arraqqa", "Assukhnah": the article is fused to the word
        low = low[2:]
    low = _DOUBLE.sub(r"\1", low)
    if len(low) > 3 and low.endswith("h") and low[-2] in "aeiou":
        low = low[:-2] + "a" if low[-2] == "e" else low[:-1]  # Hasakeh = Hasakah = Hasaka
    return (
        low.translate(_PHONETIC)
        .replace("ou", "u")
        .replace("ei", "ay")
        .replace("ai", "ay")
        .replace("ey", "ay")
    )


# Feature words that often follow a name in lowercase ("Tiyas airbase", "Mosul dam"): kept in the stream so
# that curated multi-word names match; a key never starts with one (names start capitalised).
TYPE_WORDS = frozenset(
    fold_token(name)
    for name in [
        "airbase",
        "air",
        "base",
        "airfield",
        "airport",
        "dam",
        "base",
        "garrison",
        "camp",
        "field",
        "oilfield",
        "gasfield",
        "crossing",
        "border",
        "gate",
        "mountains",
        "mountain",
        "river",
        "lake",
        "valley",
        "desert",
        "district",
        "neighbourhood",
        "refugee",
        "military",
        "gas",
        "oil",
        "plant",
        "facility",
        "barrage",
        "regulator",
    ]
)


def canonical_token(token: str) -> str:
    folded = fold_token(token)
    return ARTICLE if folded in _ARTICLES else folded


def name_tokens(name: str) -> list[str]:
    """Canonical tokens of a gazetteer name (case ignored)."""
    return [canonical_token(m.group()) for m in TOKEN_RE.finditer(prepare_text(name))]


def name_keys(name: str) -> list[str]:
    """Index keys for a name: with canonical articles, and without any article."""
    toks = [t for t in name_tokens(name) if t]
    if not toks:
        return []
    keys = [" ".join(toks)]
    bare = [t for t in toks if t != ARTICLE]
    if bare and len(bare) != len(toks):
        keys.append(" ".join(bare))
    return keys


def normalize_name(name: str) -> str:
    """The main key of a name (articles kept as "al")."""
    keys = name_keys(name)
    return keys[0] if keys else ""


def is_capitalised(token: str) -> bool:
    return token[:1].isupper()
