"""Numbers with qualifiers, and what each counts: tolls, strikes, targets, munitions, aircraft, vehicles.

    parse_number("more than 30")            -> (31, 31, 31)
    find_quantities(doc)                    -> [Quantity(best=12, counts="killed", who="militants"), ...]
    fatality_totals(quantities)             -> (best, low, high) over one event's killed-counts
    targets_civilians(quantities)           -> whether the victims counted are civilians only

How a count is read (ACLED's conventions, numbers.yaml): the figure ACLED would code is `best` (the most
conservative one the words allow: "more than 30" is 31, "dozens" is 12, "5 to 7" is 5); `low`/`high` keep the
spread. What a number counts comes from the noun after it ("10 airstrikes", "22 targets", "37 terrorists")
and, for people, from the verb around it: "killing 12 militants", "12 people were killed", "the death toll
rose to 20", "three dead". A person count with no such verb is never a toll ("900 troops in Syria" counts
troops).
"X, including Y children": Y is part of X (`part_of` points at X) and never added to it. One person joined
to a count by "and" shares its verb and is a count of one ("killed a policeman and two civilians": 1 + 2).
A count in a clause that spans a period ("during two months", "in the first half of 2024", "so far this
year") is `aggregate`.

One compiled alternation finds number candidates; everything after that looks only at a few words around
each candidate, so the cost is linear in the text with a small constant.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from eventwire.caseless import cached_twin
from eventwire.model import Document, Quantity, Sentence
from eventwire.resources import load_yaml

Triple = tuple[int, int, int]

# Counts that are tolls of people (what happened to them), and victims that make civilians the target.
PERSON_OUTCOMES = (
    "killed",
    "injured",
    "casualties",
    "captured",
    "arrested",
    "abducted",
    "killed_or_captured",
)
CIVILIAN_WHO = frozenset({"civilians", "children", "women"})
ARMED_WHO = frozenset({"militants", "soldiers", "police"})


# --------------------------------------------------------------------------- lexicons


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal phrases, longest first; spaces match any whitespace."""
    escaped = [re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True)]
    return "(?:" + "|".join(escaped) + ")"


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True, slots=True)
class _Numbers:
    words: dict[str, int]  # units, tens and scales
    scales: dict[str, int]
    vague: dict[str, Triple]
    qualifiers: dict[str, str]
    over_particles: frozenset[str]
    core: str  # regex of one number (digits, words or vague)
    phrase: re.Pattern[str]  # qualifier + number (+ range)
    anchors: Anchors  # digits and number words


# What a noun counts when it counts people: what befell them (killed, wounded ...) is told by a verb, and a
# count with none tells nothing happened to them.
_PERSON_COUNTS = frozenset({"people", "troops", "prisoners"})

# Words that may follow the person noun that ends an object ("killed a soldier in ...", "... and wounded").
_PERSON_ENDS = (
    r"(?:in|at|on|near|and|or|who|during|while|with|from|as|after|before|when|outside|inside|overnight|late|"
    r"early|earlier|yesterday|today|last|this|of|by|for|but|according|amid|following|"
    r"accused|suspected)\b"
)


@lru_cache(maxsize=1)
def _numbers() -> _Numbers:
    data = load_yaml("numbers.yaml")
    words = {**data["units"], **data["tens"], **data["scales"]}
    vague = {k: tuple(v) for k, v in data["vague"].items()}
    word_token = _alternation(words)
    # "thirty-seven", "one hundred and fifty", "two thousand"; "and" only after a scale word.
    word_number = rf"\b{word_token}(?:(?:[\s-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+){word_token})*\b"
    # Not inside a word, a model number ("F-15") or a time; not an ordinal or a percentage.
    digits = r"(?<![\w$£€#:/.,])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    digits += r"(?:\s+(?:million|thousand|hundred|dozen))?(?![\d,.]?\d|:\d|(?:st|nd|rd|th)\b|\s*%)"
    core = rf"(?:\b{_alternation(vague)}\b|{digits}|{word_number})"
    qualifier = _alternation(data["qualifiers"])
    phrase = re.compile(
        rf"\bbetween\s+(?P<b1>{core})\s+and\s+(?P<b2>{core})"
        rf"|(?:\b(?P<q>{qualifier})\s+)?(?P<n1>{core})"
        rf"(?:(?:\s*[-–]\s*|\s+(?:to|or)\s+)(?P<n2>{core}))?",
        re.IGNORECASE,
    )
    over_particles = frozenset(load_yaml("count_nouns.yaml")["over_particle_verbs"])
    vague_words = {w for phrase in vague for w in phrase.split() if w not in ("a", "of", "half")}
    anchors = Anchors(set(words) | vague_words)
    return _Numbers(words, data["scales"], vague, data["qualifiers"], over_particles, core, phrase, anchors)


@dataclass(frozen=True, slots=True)
class _Nouns:
    nouns: dict[str, tuple[str, str | None]]  # lowercase surface form -> (counts, who)
    max_words: int
    who_modifiers: dict[str, str]
    militant_groups: re.Pattern[str]
    outcome_after: re.Pattern[str]  # passive / intransitive outcome after a count
    outcome_after_map: dict[str, str]
    outcome_before_map: dict[str, str]  # verb form right before a count ("killing" 12)
    aggregate: re.Pattern[str]
    not_aggregate: re.Pattern[str]
    label_words: frozenset[str]
    year_prepositions: frozenset[str]
    units: frozenset[str]
    nationality: re.Pattern[str]
    months: re.Pattern[str]
    singular_casualty: re.Pattern[str]
    singular_object: re.Pattern[str]
    casualty_anchor: Anchors  # casualty words
    object_anchor: Anchors  # first words of the verbs whose object is counted ("killed" a soldier)


@lru_cache(maxsize=1)
def _nouns() -> _Nouns:
    data = load_yaml("count_nouns.yaml")
    plurals = data["plurals"]
    nouns: dict[str, tuple[str, str | None]] = {}
    for singular, (counts, who) in data["nouns"].items():
        nouns[singular] = (counts, who)
        nouns[plurals.get(singular) or _plural(singular)] = (counts, who)
    after_map: dict[str, str] = {}
    before_map: dict[str, str] = {}
    for category, forms in data["outcomes"].items():
        for form in forms["after"]:
            after_map.setdefault(form, category)
        for form in forms["before"]:
            before_map.setdefault(form, category)
    aux = _alternation(data["auxiliaries"])
    outcome_after = re.compile(
        rf"(?P<aux>(?:\b{aux}\s+)*)(?:\bnot\s+)?\b(?P<o>{_alternation(after_map)})\b", re.IGNORECASE
    )
    aggregate = re.compile("|".join(rf"\b{p}" for p in data["aggregate_markers"]), re.IGNORECASE)
    not_aggregate = re.compile("|".join(data["aggregate_exceptions"]), re.IGNORECASE)
    months = load_yaml("date_phrases.yaml")["months"]
    person_singulars = [s for s, (c, _w) in data["nouns"].items() if c in _PERSON_COUNTS]
    killed_forms = [f for forms in data["outcomes"].values() for f in forms["after"]]
    # "a US civilian interpreter were killed", "A child was wounded": a/an/one counts as 1 only before a
    # person noun that is the subject of a casualty verb.
    singular_casualty = re.compile(
        rf"\b(?P<det>an?|one)\s+(?P<mods>(?:[\w-]+\s+){{0,3}}?)(?P<noun>{_alternation(person_singulars)})\s+"
        rf"(?:(?:was|were|has\s+been|had\s+been|is|got)\s+)(?:\w+ly\s+)?(?P<o>{_alternation(killed_forms)})\b",
        re.IGNORECASE,
    )
    # "a drone strike killed a senior Hezbollah commander", "wounding a policeman": one person, the object of
    # a casualty verb, when the person noun ends the phrase (not "killed a soldier's horse")
    person_verbs = [f for c, forms in data["outcomes"].items() if c != "casualties" for f in forms["before"]]
    singular_object = re.compile(
        rf"\b(?P<o>{_alternation(person_verbs)})\s+(?P<det>an?|one)\s+(?P<mods>(?:[\w-]+\s+){{0,3}}?)"
        rf"(?P<noun>{_alternation(person_singulars)})(?=\s*(?:[,.;:!?)]|$)|\s+{_PERSON_ENDS})",
        re.IGNORECASE,
    )
    return _Nouns(
        nouns=nouns,
        max_words=max(len(k.split()) for k in nouns),
        who_modifiers=data["who_modifiers"],
        militant_groups=re.compile(rf"\b{_alternation(data['militant_groups'])}\b", re.IGNORECASE),
        outcome_after=outcome_after,
        outcome_after_map={k.lower(): v for k, v in after_map.items()},
        outcome_before_map={k.lower(): v for k, v in before_map.items()},
        aggregate=aggregate,
        not_aggregate=not_aggregate,
        label_words=frozenset(w.lower() for w in data["label_words"]),
        year_prepositions=frozenset(w.lower() for w in data["year_prepositions"]),
        units=frozenset(w.lower() for w in data["units"]),
        nationality=re.compile(
            rf"(?:[A-Z][a-z]+(?:{'|'.join(data['nationality_suffixes'])})|{_alternation(data['nationals'])})",
        ),
        months=re.compile(rf"\b{_alternation(months)}\b\.?", re.IGNORECASE),
        singular_casualty=singular_casualty,
        singular_object=singular_object,
        casualty_anchor=Anchors((f.split()[0] for f in killed_forms), digits=None),
        object_anchor=Anchors((f.split()[0] for f in person_verbs), digits=None),
    )


# --------------------------------------------------------------------------- numbers

_SPACES = re.compile(r"\s+")


_NUMBER_WORD_SPLIT = re.compile(r"[\s-]+")


def _word_value(text: str, nums: _Numbers) -> int | None:
    """Value of a number written in words ("thirty-seven", "two hundred and fifty", "5 million")."""
    total = current = 0
    seen = False
    for token in _NUMBER_WORD_SPLIT.split(text.lower()):
        if not token or token == "and":
            continue
        if token.replace(",", "").replace(".", "", 1).isdigit():
            current += float(token.replace(",", "")) if "." in token else int(token.replace(",", ""))
            seen = True
            continue
        value = nums.words.get(token)
        if value is None:
            return None
        seen = True
        if token in nums.scales:
            current = (current or 1) * value
            if value >= 1000:
                total += current
                current = 0
        else:
            current += value
    return int(total + current) if seen else None


def _core_value(text: str, nums: _Numbers) -> Triple | None:
    key = _SPACES.sub(" ", text.strip().lower())
    if key in nums.vague:
        return nums.vague[key]
    value = _word_value(key, nums)
    return None if value is None else (value, value, value)


def _qualified(value: Triple, qualifier: str | None, nums: _Numbers) -> Triple:
    if not qualifier:
        return value
    kind = nums.qualifiers.get(_SPACES.sub(" ", qualifier.lower()))
    best, low, high = value
    if kind == "above":
        return best + 1, low + 1, max(high, best + 1)
    if kind == "upto":
        return best, min(1, low), high
    if kind == "nearly":
        return max(best - 1, 0), max(math.ceil(best * 0.9), 0), max(best - 1, 0)
    if kind == "about":
        return best, math.ceil(low * 0.9), math.floor(high * 1.1)
    if kind == "below":
        return max(best - 1, 0), min(1, low), max(best - 1, 0)
    return value  # exact


def _evaluate(m: re.Match[str], nums: _Numbers, qualifier: str | None = None) -> Triple | None:
    first, second = (m.group("b1"), m.group("b2")) if m.group("b1") else (m.group("n1"), m.group("n2"))
    low_v = _core_value(first, nums)
    if low_v is None:
        return None
    if second:
        high_v = _core_value(second, nums)
        if high_v is not None and high_v[0] >= low_v[0]:
            return low_v[0], low_v[1], high_v[2]  # a range: ACLED codes its low end
    return _qualified(low_v, qualifier if qualifier is not None else m.group("q"), nums)


def parse_number(text: str) -> tuple[int, int, int] | None:
    """(best, low, high) of a number phrase, or None when the text is not one.

    Digits and words ("5,700", "thirty-seven", "a dozen"), vague quantities ("dozens" 12, "several" 3,
    "hundreds" 100), qualifiers ("at least five" 5, "more than 30" 31, "up to 20" 20 with low 1, "nearly
    40" 39, "around 50" 50 with +-10 %) and ranges ("5 to 7", "5-7", "between 5 and 7": best 5, high 7).
    """
    if not isinstance(text, str) or len(text) > 200:
        return None
    nums = _numbers()
    m = nums.phrase.fullmatch(text.strip())
    if m is None:
        return None
    return _evaluate(m, nums)


# --------------------------------------------------------------------------- counting

_WORD = re.compile(r"\s*([A-Za-z][\w'’.-]*)")
_STOP = frozenset(
    {"the", "a", "an", "of", "in", "on", "at", "to", "by", "from", "with", "and", "or", "but", "who",
     "which", "that", "were", "was", "have", "has", "had", "is", "are", "be", "been", "this", "these",
     "those", "their", "its", "his", "her", "our", "they", "we", "he", "she", "it", "as", "for", "into",
     "than", "more", "other", "after", "before", "near", "during", "across", "amid", "over", "since",
     "against", "outside", "inside", "including"}
)  # fmt: skip
_NEST = re.compile(
    r"[\s,(]*(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|mostly|mainly)\s+$", re.I
)
_COORD = re.compile(r"[\s,]*(?:and|as\s+well\s+as|plus)?\s*$", re.I)
_WINDOW_END = re.compile(r"[.;:!?\n]|\b(?:said|says|according|but|while|whereas|after|when)\b", re.I)
_TOLL = re.compile(
    r"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|victims|people\s+killed|those\s+killed|fatalities))\b"
    r"[^.;]{0,80}?\b(?:to|at|of|reached|hit|is|was|stands\s+at|stood\s+at)\s+$",
    re.I,
)
_AGENT_AFTER = re.compile(r"\s*(?:\d|an?\b|the\b|at\s+least\b|more\s+than\b|some\b|dozens\b|several\b)", re.I)
# Clause boundaries for period totals: a relative or contrastive clause has its own time.
_CLAUSE_CUT = re.compile(
    r";|\s[–—-]\s|[()]|,\s*(?:which|who|whose|where|when|while|whereas|but|although|though)\b"
)
_PARTICIPLES = frozenset(
    {"killed", "wounded", "injured", "hurt", "captured", "arrested", "detained", "abducted", "kidnapped",
     "executed", "eliminated", "neutralized", "neutralised", "murdered", "massacred", "slain", "beheaded",
     "maimed", "apprehended"}
)  # fmt: skip


@dataclass(slots=True)
class _Count:
    start: int
    end: int  # end of the noun phrase (or of the number when no noun follows)
    number_end: int
    value: Triple
    vague: bool
    counts: str | None
    who: str | None
    noun_counts: str | None  # what the noun alone says ("people", "strikes", ...)
    companion: _Companion | None = None  # one person named with the count ("a policeman and two civilians")


@dataclass(slots=True)
class _Companion:
    """One person joined to a count by "and" ("killed a policeman and two civilians", "killing himself and
    12 others"): one more of the same toll, told by a singular."""

    start: int
    end: int
    who: str | None


_PREV_WORD = re.compile(r"([\w.©'’-]+)\W*$")
_NEXT_WORD = re.compile(r"[\s-]*([A-Za-z]+|%)")
_MEASURE_AFTER = re.compile(r"\s*(?:-|\s)?\s*years?[-\s]old\b|\s*%|[-\s]*(?:per\s*cent|percent)", re.I)
_LIST_AFTER = re.compile(r"\s*(?:-|–|to|and)?\s*\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CLOCK = re.compile(r"0\d{3}")
_OF_AFTER = re.compile(r"\s+of\b")
_GROUP_TAIL = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?([^.;,]{0,40})")


def _is_non_count(text: str, m: re.Match[str], nouns: _Nouns, nums: _Numbers) -> bool:
    """Years, dates, ages, ordinals, units, labels, times and model numbers are not counts."""
    start, end = m.start(), m.end()
    head = m.group("n1") or m.group("b1") or ""
    before = text[max(0, start - 30) : start]
    prev_word = _PREV_WORD.search(before)
    prev = prev_word.group(1).lower() if prev_word else ""
    after = text[end : end + 24]
    next_word = _NEXT_WORD.match(after)
    nxt = next_word.group(1).lower() if next_word else ""
    if nxt in nouns.units or _MEASURE_AFTER.match(after):
        return True
    if _LIST_AFTER.match(after) and "," not in head and not m.group("n2"):
        return True  # a list or range we did not read as one
    if nouns.months.match(after.lstrip(" -–")) or nouns.months.search(before[-8:] if before else ""):
        return True  # part of a date: "15 December", "Dec. 14"
    if prev in nouns.label_words and before[-len(prev) - 1 :].strip()[:1].isupper():
        return True  # "Resolution 2254", "Brigade 93"
    if _YEAR.fullmatch(head.strip()) and not m.group("q"):
        return prev in nouns.year_prepositions or not nxt or nxt not in nouns.nouns
    if _CLOCK.fullmatch(head.strip()):
        return True  # a time written "0914"
    # "one of the strikes", "no one": a pronoun, not a count
    return head.strip().lower() == "one" and bool(
        _OF_AFTER.match(after) or prev in ("no", "the", "any", "each", "every", "which", "this", "that")
    )


def _noun_phrase(
    text: str, pos: int, limit: int, nouns: _Nouns
) -> tuple[int, tuple[str, str | None] | None, list[str]]:
    """The counted noun after a number: (end, (counts, who) or None, modifier words before the noun)."""
    words: list[tuple[str, int, int]] = []
    cursor = pos
    while len(words) < 6 and cursor < limit:
        wm = _WORD.match(text, cursor, limit)
        if wm is None:
            break
        word = wm.group(1).rstrip(".")
        words.append((word, wm.start(1), wm.start(1) + len(word)))
        cursor = wm.end()
    found: tuple[int, tuple[str, str | None], int] | None = None  # (end, entry, index of first word)
    i = 0
    while i < len(words):
        entry = None
        for n in range(min(nouns.max_words, len(words) - i), 0, -1):
            key = " ".join(w for w, _s, _e in words[i : i + n]).lower()
            if key in nouns.nouns:
                entry = (words[i + n - 1][2], nouns.nouns[key], i, n)
                break
        if entry is None and nouns.nationality.fullmatch(words[i][0]):
            entry = (words[i][2], ("people", None), i, 1)
        if entry is not None:
            end, value, first, n = entry
            # A noun directly followed by another noun is a modifier of it: "drone strikes", "ISIS targets".
            if found is not None and first > 0 and text[words[first - 1][2] : words[first][1]].strip():
                break
            found = (end, value, first)
            i = first + n
            continue
        if found is not None or (words[i][0].islower() and words[i][0] in _STOP) or i >= 4:
            break
        i += 1
    if found is None:
        return pos, None, []
    return found[0], found[1], [w.lower() for w, _s, _e in words[: found[2]]]


def _who(
    entry: tuple[str, str | None] | None, modifiers: list[str], text: str, end: int, nouns: _Nouns
) -> str | None:
    if entry is not None and entry[0] not in _PERSON_COUNTS:
        return None  # only people have a "who"
    who = entry[1] if entry else None
    for word in modifiers:
        mapped = nouns.who_modifiers.get(word.strip("'’"))
        if mapped == "civilians" or (mapped and who is None):
            who = mapped
    if who is None and entry is not None and entry[0] == "people":
        tail = _GROUP_TAIL.match(text, end, end + 60)
        if tail and nouns.militant_groups.search(tail.group(1)):
            who = "militants"
    return who


def _outcome_after(text: str, start: int, limit: int, nouns: _Nouns, next_count: int | None) -> str | None:
    """A passive or intransitive casualty verb after a count: "were killed", "dead", "died"."""
    window_end = limit
    stop = _WINDOW_END.search(text, start, limit)
    if stop is not None:
        window_end = stop.start()
    m = nouns.outcome_after.search(text, start, window_end)
    if m is None:
        return None
    word = _SPACES.sub(" ", m.group("o").lower())
    gap = text[start : m.start()]
    if word.split()[0] in _PARTICIPLES and not m.group("aux"):
        # Without an auxiliary only a participle right after the count reads as passive ("12 killed"),
        # and not one with an object ("5 gunmen killed 3 soldiers": the gunmen are the agents).
        object_follows = next_count is not None and not text[m.end() : next_count].strip()
        if gap.strip(" ,") or _AGENT_AFTER.match(text, m.end()) or object_follows:
            return None
    if re.search(
        r"\b(?:killing|wounding|injuring|attack\w*|target\w*|struck|hit|shot|fired|clashed)\b", gap, re.I
    ):
        return None  # another verb comes first: the count is its subject, not the victims
    return nouns.outcome_after_map.get(word)


_TAIL_WORDS = re.compile(r"[A-Za-z]+")
_BE_FORMS = frozenset({"was", "were", "been", "is", "are", "being", "be"})
_FILLERS = frozenset({"a", "an", "total", "estimated", "of"})


def _outcome_before(text: str, start: int, nouns: _Nouns) -> str | None:
    """A verb form right before the count ("killing 12", "the deaths of three"), or a toll ("rose to 20")."""
    before = text[max(0, start - 45) : start]
    if before[-1:].isalnum() or not before.rstrip(" \t"):
        return None
    words = [w.lower() for w in _TAIL_WORDS.findall(before)]
    verbs = nouns.outcome_before_map
    # "killing an estimated 40", "killed a total of 12": drop the fillers between the verb and the count
    while len(words) > 1 and words[-1] in _FILLERS and (words[-2] in _FILLERS or words[-2] in verbs):
        words.pop()
    for n in (3, 2, 1):
        if len(words) >= n:
            found = nouns.outcome_before_map.get(" ".join(words[-n:]))
            if found is not None:
                if n == 1 and words[-1] in _PARTICIPLES and len(words) > 1 and words[-2] in _BE_FORMS:
                    # "14 people were killed, 25 were wounded": a passive ends the count before; the verb
                    # acts on nothing after it
                    return None
                return found
    wide = text[max(0, start - 110) : start]  # "the death toll in a suicide car bomb attack ... has risen to"
    lowered = wide.lower()
    if ("toll" in lowered or "number" in lowered) and _TOLL.search(wide):
        return "killed"
    return None


def _sentence_spans(doc: Document, sentences: list[Sentence] | None) -> list[tuple[int, int]]:
    if sentences is not None:
        return [(s.start, s.end) for s in sentences]
    if doc.sentences:
        return [(s.start, s.end) for s in doc.sentences]
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", doc.text)]


def _phrases(
    text: str, lo: int, hi: int, regions: list[tuple[int, int]], nums: _Numbers
) -> Iterator[re.Match[str]]:
    """Number phrases of text[lo:hi], looked for only inside the anchor regions."""
    k = bisect.bisect_right(regions, (lo, len(text))) - 1
    k = max(k, 0)
    while k < len(regions) and regions[k][0] < hi:
        start, end = max(lo, regions[k][0]), min(hi, regions[k][1])
        if start < end:
            yield from _phrase_matches(text, start, end, nums.phrase)
        k += 1


_WORD_RUN = re.compile(r"\w+")


def _phrase_matches(text: str, start: int, end: int, phrase: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The matches of ``phrase.finditer(text, start, end)``, with the pattern tried only where a run of word
    characters starts: each of its alternatives opens with a word character after a word boundary (or
    after no word character, for digits), so no match starts anywhere else, and trying the costly
    alternation at every character is wasted."""
    resume = start  # like finditer: after a match, the scan goes on where it ended
    for word in _WORD_RUN.finditer(text, start, end):
        at = word.start()
        if at < resume:
            continue
        m = phrase.match(text, at, end)
        if m is not None:
            resume = m.end()
            yield m


def _counts_in(
    text: str, lo: int, hi: int, regions: list[tuple[int, int]], nums: _Numbers, nouns: _Nouns
) -> list[_Count]:
    counts: list[_Count] = []
    for m in _phrases(text, lo, hi, regions, nums):
        if _is_non_count(text, m, nouns, nums):
            continue
        qualifier = m.group("q")
        if qualifier and qualifier.lower() == "over":
            prev = _PREV_WORD.search(text, max(lo, m.start() - 20), m.start())
            if prev and prev.group(1).lower() in nums.over_particles:
                qualifier = ""
        value = _evaluate(m, nums, qualifier)
        if value is None:
            continue
        core = (m.group("b1") or m.group("n1") or "").strip().lower()
        vague = _SPACES.sub(" ", core) in nums.vague
        end, entry, modifiers = _noun_phrase(text, m.end(), hi, nouns)
        who = _who(entry, modifiers, text, end, nouns)
        counts.append(_Count(m.start(), end, m.end(), value, vague, None, who, entry[0] if entry else None))
    return counts


# "a policeman and", "the commander and his", "himself and": one person right before a count, joined by "and"
_COMPANION = re.compile(r"\b(?P<noun>[A-Za-z]+)\s+and\s+(?:(?:his|her|their)\s+)?$", re.IGNORECASE)
_ONE_PERSON = re.compile(r"\b(?:an?|the|one)\s+(?P<mods>(?:[A-Za-z'’-]+\s+){0,2})$", re.IGNORECASE)
_SELF = frozenset({"himself", "herself"})


def _companion(text: str, lo: int, start: int, nouns: _Nouns) -> _Companion | None:
    """The one person named just before a count and joined to it by "and", when a person noun names them
    ("a policeman", "the commander", "an elderly woman") or the doer itself ("himself": a suicide bomber
    dies in the event, and ACLED counts every death of an event)."""
    m = _COMPANION.search(text, max(lo, start - 30), start)
    if m is None:
        return None
    noun = m.group("noun")
    if noun.lower() in _SELF:
        return _Companion(m.start(), m.end("noun"), None)
    entry = nouns.nouns.get(noun.lower())
    if entry is None or entry[0] not in _PERSON_COUNTS:
        return None
    det = _ONE_PERSON.search(text, max(lo, m.start() - 40), m.start())
    if det is None:
        return None
    who = _who(entry, det.group("mods").lower().split(), text, m.end("noun"), nouns)
    return _Companion(det.start(), m.end("noun"), who)


def _shares_verb(gap: str) -> bool:
    """Counts joined by "and" or "including" share the verb that follows them."""
    return bool(_COORD.fullmatch(gap) or _NEST.fullmatch(gap))


def _classify(text: str, counts: list[_Count], lo: int, hi: int, nouns: _Nouns) -> None:
    """Decide what each count counts, from its noun and the verbs around it."""
    verb_before: str | None = None  # the outcome a verb before the previous count gave it
    # the person joined to each count by "and", if any ("including a woman and two children")
    ahead = [_companion(text, counts[i - 1].end if i else lo, c.start, nouns) for i, c in enumerate(counts)]
    for i, c in enumerate(counts):
        if c.noun_counts is not None and c.noun_counts not in _PERSON_COUNTS:
            c.counts = c.noun_counts  # strikes, targets, munitions, tolls as nouns ("20 deaths")
            verb_before = None
            continue
        outcome = _outcome_before(text, c.start, nouns)
        gap = text[counts[i - 1].end : c.start] if i else ""
        companion = ahead[i] if outcome is None else None
        if companion is not None:
            # "killed a policeman and two civilians": the verb before the person acts on both
            outcome = _outcome_before(text, companion.start, nouns)
            c.companion = companion
        # a real coordination ("and", a comma), not two counts side by side ("25 civilians six of them")
        shared = verb_before if _COORD.fullmatch(gap) and gap.strip() else None
        verb_before = outcome or shared
        if outcome is None:
            # Coordinated counts share the verb: "two soldiers and three civilians were killed".
            j = i
            while j + 1 < len(counts):
                follower = ahead[j + 1]
                joined_at = follower.start if follower else counts[j + 1].start
                if not _shares_verb(text[counts[j].end : joined_at]):
                    break
                j += 1
            next_count = counts[j + 1].start if j + 1 < len(counts) else None
            outcome = _outcome_after(text, counts[j].end, next_count or hi, nouns, next_count)
        if outcome is None:
            outcome = shared  # "killed two soldiers and three civilians": the verb before both
        if outcome is not None:
            c.counts = outcome
        elif c.noun_counts in ("troops", "prisoners") and not c.vague:
            c.counts = c.noun_counts
        elif c.noun_counts == "people" and not c.vague:
            c.counts = "people"


def find_quantities(doc: Document, sentences: list[Sentence] | None = None) -> list[Quantity]:
    """Every count in the document (or in the given sentences), with what it counts and whom.

    `part_of` of a nested count ("five children" in "12 people, including five children") is the index
    of the count it belongs to in the returned list; SUBSET_OF_UNGIVEN_TOTAL for a part of a toll the
    report does not give ("two women were among the dead").
    """
    nums, nouns = _numbers(), _nouns()
    text = doc.text
    out: list[Quantity] = []
    parents: dict[int, Quantity] = {}  # id(child) -> the count it is part of
    spans = _sentence_spans(doc, sentences)
    regions = scan_regions(text, nums.anchors, 25, 12)
    hot = _hot_sentences(spans, regions)
    casualty = _hot_sentences(spans, scan_regions(text, nouns.casualty_anchor, 0, 0))
    lowered = text.lower()
    # where a verb that may take one person as its object starts (offsets hold: see scan_regions)
    verbs = [start for start, _ in nouns.object_anchor.hits(lowered)] if len(lowered) == len(text) else None
    for index, (lo, hi) in enumerate(spans):
        made = _sentence_counts(text, lo, hi, regions, nums, nouns, parents) if index in hot else []
        out.extend(made)
        singles = _singular_casualties(text, lo, hi, nouns, made) if index in casualty else []
        out.extend(singles)
        out.extend(_singular_objects(text, lo, hi, nouns, [*made, *singles], verbs))
    out.sort(key=lambda q: q.start)
    position = {id(q): i for i, q in enumerate(out)}
    for q in out:
        parent = parents.get(id(q))
        if parent is not None:
            q.part_of = position[id(parent)]
        elif q.counts == "killed" and _AMONG_THE_DEAD.match(text, q.end):
            q.part_of = SUBSET_OF_UNGIVEN_TOTAL
    return out


# "three children and two women were among the dead": part of a toll the sentence does not give.
SUBSET_OF_UNGIVEN_TOTAL = -1
_AMONG_THE_DEAD = re.compile(
    r"(?:\s*(?:,|and)\s[^.;:]{0,40}?)?\s+(?:were|was)\s+(?:also\s+)?among\s+(?:the\s+|those\s+)?"
    r"(?:dead|killed|victims|fatalities)\b",
    re.I,
)


def _sentence_counts(
    text: str,
    lo: int,
    hi: int,
    regions: list[tuple[int, int]],
    nums: _Numbers,
    nouns: _Nouns,
    parents: dict[int, Quantity],
) -> list[Quantity]:
    counts = [c for c in _classified(text, lo, hi, regions, nums, nouns) if c.counts is not None]
    aggregate = _aggregate_spans(text, lo, hi, nouns) if counts else []
    made: list[Quantity] = []  # one per count (``_nesting_parent`` reads them by the count's index)
    companions: list[Quantity] = []
    for k, c in enumerate(counts):
        q = Quantity(
            start=c.start,
            end=c.end,
            text=text[c.start : c.end],
            best=c.value[0],
            low=c.value[1],
            high=c.value[2],
            counts=c.counts or "people",
            who=c.who,
            aggregate=any(s <= c.start < e for s, e in aggregate),
        )
        parent = _nesting_parent(text, counts, made, k, parents)
        if parent is not None:
            parents[id(q)] = parent
            if q.counts in ("people", "troops"):
                q.counts = parent.counts  # "killing 12 people, including five children"
            q.aggregate = parent.aggregate
        made.append(q)
        if c.companion is not None and q.counts not in _PERSON_COUNTS:
            one = c.companion
            companion = Quantity(one.start, one.end, text[one.start : one.end], 1, 1, 1, q.counts, one.who)
            companion.aggregate = q.aggregate
            if parent is not None:
                parents[id(companion)] = parent
            companions.append(companion)
    return made + companions


def _hot_sentences(spans: list[tuple[int, int]], regions: list[tuple[int, int]]) -> set[int]:
    """Indexes of the sentences that overlap an anchor region."""
    hot: set[int] = set()
    k = 0
    for start, end in regions:
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        j = k
        while j < len(spans) and spans[j][0] < end:
            hot.add(j)
            j += 1
    return hot


def _classified(
    text: str, lo: int, hi: int, regions: list[tuple[int, int]], nums: _Numbers, nouns: _Nouns
) -> list[_Count]:
    counts = _counts_in(text, lo, hi, regions, nums, nouns)
    _classify(text, counts, lo, hi, nouns)
    return counts


def _nesting_parent(
    text: str, counts: list[_Count], made: list[Quantity], k: int, parents: dict[int, Quantity]
) -> Quantity | None:
    """The count that count k is part of: "X, including Y" (Y in X), "..., including Y and Z" (Z too)."""
    if k == 0:
        return None
    # "12 people, including a child and two women": the gap ends where the count's companion begins
    companion = counts[k].companion
    gap = text[counts[k - 1].end : companion.start if companion else counts[k].start]
    previous = made[k - 1]
    if _NEST.search(gap):
        return parents.get(id(previous), previous)
    if id(previous) in parents and _COORD.fullmatch(gap):
        return parents[id(previous)]
    return None


def _aggregate_spans(text: str, lo: int, hi: int, nouns: _Nouns) -> list[tuple[int, int]]:
    """Clauses of a sentence that speak of a period total."""
    spans = []
    cuts = [lo, *(m.start() for m in _CLAUSE_CUT.finditer(text, lo, hi)), hi]
    # the case-sensitive twin over the lower-cased text rules most clauses out quickly (eventwire.caseless)
    quick = cached_twin(nouns.aggregate) if text.isascii() else None
    lowered = text.lower() if quick is not None else ""
    for s, e in itertools.pairwise(cuts):
        if quick is not None and quick.search(lowered, s, e) is None:
            continue
        if nouns.aggregate.search(text, s, e) and not nouns.not_aggregate.search(text, s, e):
            spans.append((s, e))
    return spans


def _quick_finditer(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, lo, hi)``, skipped when its case-sensitive twin finds nothing in the lowered
    span (eventwire.caseless: the twin matches wherever the pattern does, and more)."""
    quick = cached_twin(pattern)
    if quick is not None:
        piece = text[lo:hi]
        if piece.isascii() and quick.search(piece.lower()) is None:
            return iter(())
    return pattern.finditer(text, lo, hi)


def _singular_casualties(text: str, lo: int, hi: int, nouns: _Nouns, found: list[Quantity]) -> list[Quantity]:
    """ "a US civilian interpreter were killed", "the strike killed a commander": one person, in a casualty
    clause or as the object of a casualty verb."""
    out = []
    for m in _quick_finditer(nouns.singular_casualty, text, lo, hi):
        if any(q.start <= m.start() < q.end for q in found):
            continue
        counts = nouns.outcome_after_map.get(_SPACES.sub(" ", m.group("o").lower()))
        if counts is None:
            continue
        entry = nouns.nouns.get(m.group("noun").lower())
        modifiers = m.group("mods").lower().split()
        people = 1
        if "and" in modifiers:
            # "a woman and child", "a man and his son": two people, when a person noun comes before "and"
            first = nouns.nouns.get(modifiers[modifiers.index("and") - 1]) if modifiers[0] != "and" else None
            if first is None or first[0] not in _PERSON_COUNTS:
                continue
            people = 2
            who = entry[1] if entry is not None and first[1] == entry[1] else None
        else:
            who = _who(entry, modifiers, text, m.end("noun"), nouns)
        end = m.end("noun")
        out.append(Quantity(m.start(), end, text[m.start() : end], people, people, people, counts, who))
    return out


def _singular_objects(
    text: str, lo: int, hi: int, nouns: _Nouns, found: list[Quantity], verbs: list[int] | None
) -> list[Quantity]:
    """ "the strike killed a commander", "wounding a policeman": one person as the object of a casualty verb,
    tried only where such a verb starts (``verbs``: sorted offsets; None: anywhere)."""
    pattern = nouns.singular_object
    if verbs is None:
        matches = list(pattern.finditer(text, lo, hi))
    else:
        matches = []
        for k in range(bisect.bisect_left(verbs, lo), len(verbs)):
            if verbs[k] >= hi:
                break
            m = pattern.match(text, verbs[k], hi)
            if m is not None:
                matches.append(m)
    out: list[Quantity] = []
    for m in matches:
        start, end = m.start("det"), m.end("noun")
        if any(q.start <= start < q.end or start <= q.start < end for q in (*found, *out)):
            continue  # "killed one soldier" is a count already; "a policeman and two civilians" a companion
        counts = nouns.outcome_before_map.get(_SPACES.sub(" ", m.group("o").lower()))
        modifiers = m.group("mods").lower().split()
        if counts is None or counts == "casualties" or "and" in modifiers:
            continue
        who = _who(nouns.nouns.get(m.group("noun").lower()), modifiers, text, end, nouns)
        out.append(Quantity(start, end, text[start:end], 1, 1, 1, counts, who))
    return out


# --------------------------------------------------------------------------- helpers for event coding


def fatality_totals(quantities: Iterable[Quantity]) -> tuple[int, int, int]:
    """(best, low, high) deaths of one event: killed-counts added up, minus subsets and period totals."""
    killed = killed_counts(quantities)
    return sum(q.best for q in killed), sum(q.low for q in killed), sum(q.high for q in killed)


def killed_counts(quantities: Iterable[Quantity]) -> list[Quantity]:
    """The counts of the dead that add up to one event's toll: no subsets, no period totals, no repeats."""
    return restatements_dropped(
        [q for q in quantities if q.counts == "killed" and not q.aggregate and q.part_of is None]
    )


def restatements_dropped(counts: list[Quantity]) -> list[Quantity]:
    """The counts without those that repeat an earlier one of the same people (or of people not said): a
    headline run into its lead ("Raids kill 21 civilians ... Air strikes killed at least 21 civilians")
    tells one toll twice; so does a vague count whose range holds a precise one."""

    def same_people(a: Quantity, b: Quantity) -> bool:
        return a.counts == b.counts and (a.who == b.who or None in (a.who, b.who))

    kept: list[Quantity] = []
    for q in counts:
        if not any(k.best == q.best and same_people(k, q) for k in kept):
            kept.append(q)
    # "58 killed ... dozens of people have been killed": the vague count tells the precise one again
    return [
        q
        for q in kept
        if not (
            q.low < q.high
            and any(
                k is not q and k.low == k.high and q.low <= k.best <= q.high and same_people(k, q)
                for k in kept
            )
        )
    ]


def targets_civilians(quantities: Iterable[Quantity]) -> bool:
    """True when the people an event hit, as counted, are civilians and no armed group is among them.

    ACLED sets civilian targeting when civilians are the primary or only target. Civilians counted among
    the victims of a strike on fighters are not that, so any armed victim group makes this False; a count
    with no group named ("12 people were killed") decides nothing. Use it as a hint next to actor2.
    """
    groups = {q.who for q in quantities if q.counts in PERSON_OUTCOMES and not q.aggregate and q.who}
    return bool(groups & CIVILIAN_WHO) and not groups & ARMED_WHO


# --------------------------------------------------------------------------- fast scanning


class Anchors:
    """Cheap hits that a longer phrase may start near: a set of words (prefixes of words) and, optionally,
    digits (any run of digits by default, or the given pattern).

    Words are found with an Aho-Corasick automaton over the lower-cased text and kept when they start a word,
    so the scan costs about as much as lower-casing the text.
    """

    def __init__(self, words: Iterable[str], digits: str | None = r"\d+") -> None:
        self._automaton = ahocorasick.Automaton()
        for word in {w.lower() for w in words if w}:
            self._automaton.add_word(word, len(word))
        self._automaton.make_automaton()
        self._digits = re.compile(digits) if digits else None

    def hits(self, lowered: str) -> Iterator[tuple[int, int]]:
        words = (
            (end - length + 1, end + 1)
            for end, length in self._automaton.iter(lowered)
            if end - length < 0 or not lowered[end - length].isalnum()
        )
        if not self._digits:
            yield from words
            return
        yield from heapq.merge(((m.start(), m.end()) for m in self._digits.finditer(lowered)), words)


def scan_regions(text: str, anchors: Anchors, before: int, after: int) -> list[tuple[int, int]]:
    """Disjoint windows of `text` around anchor hits, widened to whitespace.

    Full patterns then run only inside these windows, which keeps a big alternation away from the bulk of
    the text (most words are far from any number or date).
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: offsets would shift
        return [(0, len(text))]
    regions: list[tuple[int, int]] = []
    n = len(text)
    for hit_start, hit_end in anchors.hits(lowered):
        start = max(0, hit_start - before)
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(regions[-1][1], min(n, hit_end + after)))
            continue
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        regions.append((start, min(n, hit_end + after)))
    out = []
    for start, end in regions:
        while end < n and not text[end].isspace():
            end += 1
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
