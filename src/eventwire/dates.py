"""Document dates, date phrases -> intervals with ACLED time precision, and the date that governs an event.

    document_date(doc)                         -> (date | None, confidence, source)
    find_dates(doc, ref)                       -> [DateMention, ...]   (ref: the report date)
    event_date(doc, sentence, anchor, dates)   -> the DateMention that dates the event at `anchor`
    acled_point_date(start, end, precision)    -> ACLED's event_date for an interval

Time precision (ACLED Codebook, "Event time"): 1 the day is known, 2 the week or part of a month
(a span of at most half a month: "last week", "between 3 and 12 February", "the beginning of August"),
3 only the month (or a longer span). Explicit calendar dates are read with regexes
(one compiled alternation over the text); relative phrases ("yesterday", "last week", "about a week ago")
resolve against `ref`. Month-days without a year take the latest such day that is not more than two days
after the report ("December 13" in a February report is the previous December).

Without a report date (ref None), phrases that need one (weekdays, "yesterday", month-days without a
year, "last month"...) are skipped, never resolved against today's date; explicit dates with a year are
still returned. An event is then dated only if its text gives a full date, and the coder flags the year
as unknown.

dateparser is not used: every supported form is parsed here, which is faster and keeps "ISIS may attack"
and "march on Raqqa" from becoming dates (month names count only when capitalised and next to a day,
a year or a preposition).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from eventwire.caseless import cached_twin
from eventwire.model import DateMention, Document, Sentence
from eventwire.quantities import Anchors, parse_number, scan_regions
from eventwire.resources import load_yaml

# A month-day without a year may be this far after the report (time zones, datelines written ahead).
_FUTURE_SLACK = timedelta(days=2)
# An explicit date ending this long before the report is history, not the news being reported.
_HISTORY_GAP = timedelta(days=30)
# Confidence of each document-date source.
_CONF_DATELINE = 0.9
_CONF_INFERRED = 0.5
# How many lines at the top of a text may carry a dateline.
_DATELINE_LINES = 6
# When the text dates nothing, an event is coded to the week before the report (ACLED precision 2).
_FALLBACK_DAYS = 6


# --------------------------------------------------------------------------- lexicon and pattern


def _alt(words: list[str]) -> str:
    return (
        "(?:"
        + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        + ")"
    )


@dataclass(frozen=True, slots=True)
class _Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    parts: dict[str, tuple[int, int]]
    relative: dict[str, dict[str, Any]]
    anchored: dict[str, int]
    pattern: re.Pattern[str]
    dateline: re.Pattern[str]
    anchors: Anchors  # a word or digit every date phrase contains
    lead_words: frozenset[str]  # the words a date phrase can start with (besides digits)


_KINDS = ("iso", "rmm", "rdm", "rdd", "rmd", "md", "dm", "pm", "my", "im", "yr", "ago", "anc", "rel", "wd")


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_yaml("date_phrases.yaml")
    months = {k.lower(): int(v) for k, v in data["months"].items()}
    weekdays = {k.lower(): int(v) for k, v in data["weekdays"].items()}
    parts = {k: (int(v[0]), int(v[1])) for k, v in data["month_parts"].items()}
    relative = {re.sub(r"\s+", " ", k.lower()): v for k, v in data["relative"].items()}
    anchored = {re.sub(r"\s+", " ", k.lower()): int(v) for k, v in data["anchored"].items()}

    abbreviations = [m for m in months if any(o != m and o.startswith(m) for o in months)]
    full_names = [m for m in months if m not in abbreviations]
    mon = rf"\b(?:{_alt(full_names)}\b|{_alt(abbreviations)}\b\.?)"
    wd = rf"\b{_alt(list(weekdays))}\b"
    day = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
    yr = r"(?:19|20)\d\d(?!\d)"
    dash = r"(?:\s*[-–—]\s*|\s+(?:to|through|until|till)\s+)"
    dash_and = r"(?:\s*[-–—]\s*|\s+(?:to|through|until|till|and)\s+)"
    part = _alt(list(parts))
    approx = r"(?:about|around|roughly|nearly|almost|some|more\s+than|over|just\s+over|less\s+than)"
    count = r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|several|\d{1,2})"

    def group(name: str, body: str) -> str:
        return f"(?P<{name}>{body})"

    alternatives = {
        "iso": rf"(?P<iso_y>{yr[:-6]})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])(?!\d)",
        "rmm": rf"(?P<rmm_m1>{mon})\s*(?P<rmm_d1>{day})(?:,?\s+(?P<rmm_y1>{yr}))?{dash}"
        rf"(?P<rmm_m2>{mon})\s*(?P<rmm_d2>{day})(?:,?\s+(?P<rmm_y2>{yr}))?",
        "rdm": rf"(?P<rdm_d1>{day})\s+(?P<rdm_m1>{mon}){dash}(?P<rdm_d2>{day})\s+(?P<rdm_m2>{mon})"
        rf"(?:,?\s+(?P<rdm_y>{yr}))?",
        "rdd": rf"(?:(?:between|from)\s+)?(?P<rdd_d1>{day}){dash_and}(?P<rdd_d2>{day})\s+"
        rf"(?:of\s+)?(?P<rdd_m>{mon})(?:,?\s+(?P<rdd_y>{yr}))?",
        "rmd": rf"(?P<rmd_m>{mon})\s*(?P<rmd_d1>{day}){dash_and}(?P<rmd_d2>{day})(?!\s*{mon})"
        rf"(?:,?\s+(?P<rmd_y>{yr}))?",
        "md": rf"(?:(?:on\s+)?(?P<md_w>{wd}),?\s+)?(?P<md_m>{mon})\s*(?P<md_d>{day})(?!\s*[:.]\d)"
        rf"(?:,?\s+(?P<md_y>{yr}))?",
        "dm": rf"(?:(?:on\s+)?(?P<dm_w>{wd}),?\s+)?(?:the\s+)?(?P<dm_d>{day})\s+(?:of\s+)?(?P<dm_m>{mon})"
        rf"(?:,?\s+(?P<dm_y>{yr}))?",
        "pm": rf"(?:(?:at|in|by|until|since|from|during)\s+)?(?:the\s+)?(?P<pm_p>{part})"
        rf"(?:\s+of\s+|\s*-\s*|\s+)(?P<pm_m>{mon})(?:,?\s+(?P<pm_y>{yr}))?",
        "my": rf"(?:(?:in|during|since|until|by|from|of)\s+)?(?P<my_m>{mon}),?\s+(?P<my_y>{yr})",
        "im": rf"(?:in|during|since|until|by|through|throughout)\s+(?:early\s+|late\s+)?"
        rf"(?P<im_m>{mon})(?!\s*\d)",
        "yr": rf"(?:(?:in|during|over)\s+)?(?:the\s+)?(?P<yr_h>first|second|latter)\s+half\s+of\s+"
        rf"(?P<yr_y1>{yr})|(?:in|since|during|throughout|until)\s+(?:(?:early|late|mid)[\s-]*)?"
        rf"(?P<yr_y2>{yr})(?!\s*[-–]\s*\d|,\d)",
        "ago": rf"(?:(?P<ago_q>{approx})\s+)?(?P<ago_n>{count})\s+(?P<ago_u>day|week|month|year)s?\s+ago",
        "anc": rf"(?P<anc_n>{count})\s+(?P<anc_u>day|week)s?\s+(?P<anc_dir>earlier|later)",
        "rel": _alt([*relative, *anchored]),
        "wd": rf"(?:(?P<wd_q>last|next|this|past|on|early|late|since)\s+)?(?P<wd_n>{wd})"
        rf"(?:\s+(?P<wd_t>morning|afternoon|evening|night))?",
    }
    pattern = re.compile(
        r"\b(?:" + "|".join(group(k, alternatives[k]) for k in _KINDS) + r")(?![\w])", re.IGNORECASE
    )
    abbreviated = _alt([*weekdays, *data["weekday_abbreviations"]])
    dateline = re.compile(
        rf"^\W{{0,3}}(?:{abbreviated}\.?,?\s+)?(?:"
        rf"(?P<d1>{day})\s+(?P<m1>{mon}),?\s+(?P<y1>{yr})"
        rf"|(?P<m2>{mon})\s*(?P<d2>{day}),?\s+(?P<y2>{yr})"
        rf"|(?P<y3>{yr[:-6]})-(?P<m3>0[1-9]|1[0-2])-(?P<d3>0[1-9]|[12]\d|3[01]))(?!\d)",
        re.IGNORECASE,
    )
    anchor_words = [m[:3] for m in months] + list(weekdays) + data["anchor_words"]
    # The first word of each alternative above (every other one starts with a digit); keep in step.
    lead_words = {
        *months, *weekdays, *parts,
        *(_WORD_RUN.match(phrase).group() for phrase in [*relative, *anchored]),  # type: ignore[union-attr]
        *_LEAD_WORDS,
    }  # fmt: skip
    return _Lexicon(
        months,
        weekdays,
        parts,
        relative,
        anchored,
        pattern,
        dateline,
        Anchors(anchor_words, digits=r"(?<!\d)(?:19|20)\d\d(?!\d)"),
        frozenset(lead_words),
    )


# Words that open an alternative of the date pattern before its month, weekday, part, day or count:
# prepositions (rdd, dm, pm, my, im, yr, wd), approximations (ago) and counts (ago, anc).
_LEAD_WORDS = frozenset([
    "between", "from", "on", "the", "at", "in", "by", "until", "since", "during", "of", "through",
    "throughout", "over", "first", "second", "latter", "last", "next", "this", "past", "early", "late",
    "about", "around", "roughly", "nearly", "almost", "some", "more", "just", "less",
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "several",
])  # fmt: skip
_WORD_RUN = re.compile(r"\w+")


# Anchors: a month or weekday name, a relative word, or a year (the only date form without one of the
# others is an ISO date, which starts with its year).
# Characters a date phrase may reach before its first anchor ("in the first half of 2024") and after its last.
_REACH_BEFORE = 45
_REACH_AFTER = 12


# The matches of the last text scanned: an undated report is scanned once to infer its date
# (document_date) and once more for its date mentions (find_dates), on the same text.
_last_scan: tuple[str, list[re.Match[str]]] = ("", [])


def _matches(text: str) -> list[re.Match[str]]:
    """Date-pattern matches in text order (see ``_scan``), remembered for the last text."""
    global _last_scan
    last = _last_scan  # read once: another thread (the web app's) may replace it meanwhile
    if last[0] is text or last[0] == text:
        return last[1]
    matches = list(_scan(text))
    _last_scan = (text, matches)
    return matches


def _scan(text: str) -> Iterator[re.Match[str]]:
    """Date-pattern matches, looked for only around anchors (most of a text is far from any date), and
    there only where a word starts that can open a date phrase: the same matches as ``finditer`` over
    each window, at a fraction of the cost (the alternation is costly at every word it is tried at)."""
    lex = _lexicon()
    leads = lex.lead_words
    # On ASCII text the pattern's case-sensitive twin over the lower-cased text rules out most tries
    # quickly; the pattern itself decides the rest (eventwire.caseless: the same matches).
    quick = cached_twin(lex.pattern) if text.isascii() else None
    lowered = text.lower() if quick is not None else ""
    for start, end in scan_regions(text, lex.anchors, _REACH_BEFORE, _REACH_AFTER):
        resume = start
        for word in _WORD_RUN.finditer(text, start, end):
            at = word.start()
            if at < resume:
                continue
            w = word.group()
            # Words outside ASCII are always tried: IGNORECASE folds more than lower() does.
            if w.isascii() and not w[0].isdigit() and w.lower() not in leads:
                continue
            if quick is not None and quick.match(lowered, at, end) is None:
                continue
            m = lex.pattern.match(text, at, end)
            if m is not None:
                resume = m.end()
                yield m


# --------------------------------------------------------------------------- small date arithmetic


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_index(lex: _Lexicon, token: str | None) -> int | None:
    if not token or not token[0].isupper():
        return None  # "may", "march": verbs, not months
    return lex.months.get(token.rstrip(".").lower())


def _day(token: str) -> int:
    return int(re.match(r"\d+", token).group())  # type: ignore[union-attr]


def _year_for(month: int, day: int, ref: date | None) -> int | None:
    """The year of a month-day given without one: the latest not more than two days after the report."""
    if ref is None:
        return None
    candidate = _safe_date(ref.year, month, day)
    if candidate is None:  # 29 February in a common year
        candidate = _safe_date(ref.year - 1, month, day) or date(ref.year, month, 28)
    return ref.year - 1 if candidate > ref + _FUTURE_SLACK else ref.year


# The longest span coded as "part of a month" (precision 2). ACLED's precision 2 is the week or part of the
# month a report gives; a month's beginning, middle or end (10-11 days) and ranges such as "between 3 and
# 12 February" are parts of a month, "in recent weeks" (a month) is not.
_PART_OF_MONTH_DAYS = 15


def _span_precision(start: date, end: date) -> int:
    days = (end - start).days + 1
    return 1 if days <= 1 else (2 if days <= _PART_OF_MONTH_DAYS else 3)


def acled_point_date(start: date, end: date, precision: int) -> date:
    """ACLED's event_date for an interval.

    Precision 1: the day itself (the first day of a two-day span such as "overnight"). Precision 2 and 3:
    the middle of the reported week, span or month (rounded down), as ACLED dates a week-only or month-only
    report to the middle of that period (ACLED Codebook, "Time precision"; eventwire's reading of it: the
    codebook text was not at hand offline, so this is our documented choice, not a quotation).
    """
    if end < start:
        start, end = end, start
    if precision <= 1:
        return start
    return start + timedelta(days=(end - start).days // 2)


# --------------------------------------------------------------------------- reading one match


@dataclass(slots=True)
class _Parsed:
    start: date
    end: date
    precision: int
    historical: bool = False
    year_only: bool = False
    explicit_year: bool = False
    anchor_offset: int | None = None  # days from the previous event date ("a day earlier": -1)


def _full(lex: _Lexicon, year: str | None, month: str | None, day: str, ref: date | None) -> date | None:
    m = _month_index(lex, month)
    if m is None:
        return None
    d = _day(day)
    y = int(year) if year else _year_for(m, d, ref)
    return None if y is None else _safe_date(y, m, d)


def _weekday(lex: _Lexicon, name: str, qualifier: str | None, ref: date) -> date:
    target = lex.weekdays[name.lower()]
    back = (ref.weekday() - target) % 7
    q = (qualifier or "").lower()
    if q == "next":
        return ref + timedelta(days=(target - ref.weekday()) % 7 or 7)
    if q in ("last", "past") and back == 0:
        back = 7
    return ref - timedelta(days=back)


def _count_value(token: str) -> int:
    token = token.lower()
    if token in ("a", "an"):
        return 1
    if token.startswith("a ") or token == "several":
        return 3
    parsed = parse_number(token)
    return parsed[0] if parsed else 1


def _relative(spec: dict[str, Any], ref: date) -> _Parsed:
    kind = spec["kind"]
    monday = ref - timedelta(days=ref.weekday())
    if kind == "days":
        first, last = spec["days"]
        return _Parsed(ref + timedelta(days=first), ref + timedelta(days=last), int(spec["precision"]))
    if kind == "this_week":
        return _Parsed(monday, ref, 2)
    if kind == "earlier_this_week":
        return _Parsed(monday, max(monday, ref - timedelta(days=1)), 2)
    if kind == "last_week":
        return _Parsed(monday - timedelta(days=7), monday - timedelta(days=1), 2)
    if kind == "weekend":
        saturday = ref - timedelta(days=(ref.weekday() - 5) % 7)
        return _Parsed(saturday, min(saturday + timedelta(days=1), ref), 2)
    if kind == "this_month":
        return _Parsed(ref.replace(day=1), ref, 3)
    if kind == "last_month":
        last = ref.replace(day=1) - timedelta(days=1)
        return _Parsed(last.replace(day=1), last, 3)
    if kind == "this_year":
        return _Parsed(date(ref.year, 1, 1), ref, 3, year_only=True)
    if kind == "last_year":
        return _Parsed(
            date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), 3, historical=True, year_only=True
        )
    raise ValueError(f"unknown relative kind {kind!r} in date_phrases.yaml")


def _parse(lex: _Lexicon, m: re.Match[str], ref: date | None) -> _Parsed | None:
    """The interval of one match; one branch per form of the pattern."""
    kind = next(k for k in _KINDS if m.group(k) is not None)
    g = m.group
    if kind == "iso":
        d = _safe_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
        return _Parsed(d, d, 1, explicit_year=True) if d else None
    if kind in ("md", "dm"):
        if kind == "dm" and not g("dm_y") and re.match(r"\d+\s*$", g("dm_d")) and _ordinal_context(m):
            return None
        d = _full(lex, g(f"{kind}_y"), g(f"{kind}_m"), g(f"{kind}_d"), ref)
        return _Parsed(d, d, 1, explicit_year=bool(g(f"{kind}_y"))) if d else None
    if kind in ("rmm", "rdm"):
        y1 = g("rmm_y1") if kind == "rmm" else None
        y2 = g("rmm_y2") if kind == "rmm" else g("rdm_y")
        first = _full(lex, y1 or y2, g(f"{kind}_m1"), g(f"{kind}_d1"), ref)
        last = _full(lex, y2, g(f"{kind}_m2"), g(f"{kind}_d2"), ref)
        return _range(first, last, bool(y2), y1 is None)
    if kind in ("rdd", "rmd"):
        month, year = g(f"{kind}_m"), g(f"{kind}_y")
        first = _full(lex, year, month, g(f"{kind}_d1"), ref)
        last = _full(lex, year, month, g(f"{kind}_d2"), ref)
        if first and last and last < first and not year:
            first = _safe_date(first.year - 1, first.month, first.day) if first.year == last.year else first
        return _range(first, last, bool(year), False)
    if kind in ("pm", "my", "im"):
        return _month_phrase(lex, kind, m, ref)
    if kind == "yr":
        year = int(g("yr_y1") or g("yr_y2"))
        if g("yr_h"):
            first_half = g("yr_h").lower() == "first"
            start, end = (
                (date(year, 1, 1), date(year, 6, 30))
                if first_half
                else (date(year, 7, 1), date(year, 12, 31))
            )
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
        historical = ref is None or year < ref.year
        return _Parsed(start, end, 3, historical=historical, year_only=True, explicit_year=True)
    if ref is None:
        return None  # everything below is relative to the report date
    if kind == "ago":
        return _ago(g("ago_q"), g("ago_n"), g("ago_u").lower(), ref)
    if kind == "anc":
        n = _count_value(g("anc_n")) * (7 if g("anc_u").lower() == "week" else 1)
        offset = -n if g("anc_dir").lower() == "earlier" else n
        d = ref + timedelta(days=offset)
        return _Parsed(d, d, 1 if g("anc_u").lower() == "day" else 2, anchor_offset=offset)
    if kind == "rel":
        key = re.sub(r"\s+", " ", m.group(kind).lower())
        if key in lex.anchored:
            d = ref + timedelta(days=lex.anchored[key])
            return _Parsed(d, d, 1, anchor_offset=lex.anchored[key])
        return _relative(lex.relative[key], ref)
    if kind == "wd":
        if not g("wd_n")[0].isupper() or (g("wd_q") or "").lower() == "since":
            return None
        d = _weekday(lex, g("wd_n"), g("wd_q"), ref)
        return _Parsed(d, d, 1)
    return None


def _ordinal_context(m: re.Match[str]) -> bool:
    """'5 May' after a count word ('killed 5 May...') is rare; kept as a date. Hook for odd cases."""
    return False


def _range(first: date | None, last: date | None, explicit: bool, shift_first: bool) -> _Parsed | None:
    if first is None or last is None:
        return None
    if last < first and shift_first:
        first = _safe_date(first.year - 1, first.month, first.day) or first
    if last < first:
        return None
    return _Parsed(first, last, _span_precision(first, last), explicit_year=explicit)


def _month_phrase(lex: _Lexicon, kind: str, m: re.Match[str], ref: date | None) -> _Parsed | None:
    month = _month_index(lex, m.group(f"{kind}_m"))
    if month is None:
        return None
    year_text = m.group(f"{kind}_y") if kind in ("pm", "my") else None
    if year_text:
        year = int(year_text)
    elif ref is None:
        return None
    else:
        year = ref.year if date(ref.year, month, 1) <= ref + _FUTURE_SLACK else ref.year - 1
    start, end = date(year, month, 1), _month_end(year, month)
    if kind == "pm":  # a part of the month: ACLED's precision 2
        first, last = lex.parts[m.group("pm_p").lower()]
        start = date(year, month, first)
        end = _month_end(year, month) if last == 0 else date(year, month, last)
        return _Parsed(start, end, _span_precision(start, end), explicit_year=bool(year_text))
    return _Parsed(start, end, 3, explicit_year=bool(year_text))


def _ago(qualifier: str | None, count: str, unit: str, ref: date) -> _Parsed:
    n = _count_value(count)
    approximate = qualifier is not None or not re.fullmatch(r"an?|one|\w+", count.strip().lower())
    approximate = approximate or count.strip().lower() == "several"
    if unit == "day":
        centre = ref - timedelta(days=n)
        if not approximate:
            return _Parsed(centre, centre, 1)
        return _Parsed(centre - timedelta(days=1), min(centre + timedelta(days=1), ref), 2)
    if unit == "week":
        centre = ref - timedelta(days=7 * n)
        return _Parsed(centre - timedelta(days=3), min(centre + timedelta(days=3), ref), 2)
    if unit == "month":
        month_ago = (ref.replace(day=1) - timedelta(days=1)) if n == 1 else ref - timedelta(days=30 * n)
        return _Parsed(month_ago.replace(day=1), _month_end(month_ago.year, month_ago.month), 3)
    year = ref.year - n
    return _Parsed(date(year, 1, 1), date(year, 12, 31), 3, historical=True, year_only=True)


# --------------------------------------------------------------------------- find_dates


def find_dates(doc: Document, ref: date | None) -> list[DateMention]:
    """Every date phrase of doc.text as an interval with ACLED time precision, in text order.

    Ranges written with two dates ("between February 3 and Thursday", "from 3 to 5 March") are one
    mention. "A day earlier" counts from the previous day-precise date in the text (else the report).
    Explicit dates ending more than 30 days before the report, and years, are `historical`.
    """
    lex = _lexicon()
    text = doc.text
    parsed: list[tuple[int, int, _Parsed]] = []
    context_year: int | None = None  # the last year the text stated, for a report without a date
    for m in _matches(text):
        if (m.group("rel") or m.group("wd")) and _inside_name(text, m.start()):
            continue
        p = _parse(lex, m, ref)
        if p is None and ref is None and context_year is not None and _DAY_AND_MONTH.fullmatch(m.group(0)):
            # "in early November 2005 ... On 5 November, Marines began their assault": with no report date, a
            # day and month take the year the text last stated (never a weekday or "yesterday": no anchor)
            p = _parse(lex, m, date(context_year, 12, 31))
        if p is not None:
            if p.explicit_year:
                context_year = p.end.year
            parsed.append((m.start(), m.end(), p))
    parsed = _merge_ranges(text, parsed)
    out: list[DateMention] = []
    previous_day: date | None = None
    for start, end, p in parsed:
        if p.anchor_offset is not None:
            if previous_day is None and p.anchor_offset > 0:
                continue  # "two days later" with nothing before it to count from
            if previous_day is not None:
                p.start = p.end = previous_day + timedelta(days=p.anchor_offset)
        if ref is not None and p.explicit_year and not p.historical:
            p.historical = p.end < ref - _HISTORY_GAP
        mention = DateMention(
            start, end, text[start:end], p.start, p.end, p.precision, p.historical, p.year_only
        )
        if p.precision == 1 and not p.historical:
            previous_day = p.start
        out.append(mention)
    if out and _glued_dateline(doc, out[0]):
        out[0].dateline = True
    return out


# What may stand before a dateline at the top of a scraped body: an agency and a weekday ("AFP Friday"),
# "Published", "Date of publication"; after it comes the first sentence, capitalised.
_DATELINE_PREFIX = re.compile(
    r"(?:(?:date\s+of\s+)?(?:publication|published|posted)(?:\s+on)?\s*:?\s*|(?:[A-Z][\w.&]*\s+){0,3})",
)
_DATELINE_NEXT = re.compile(r"\s+[A-Z\"“]|\s*[|–—]")


def _glued_dateline(doc: Document, first: DateMention) -> bool:
    """Whether the first date of the body is the report's dateline run into its first sentence ("21 Jul
    2016 Dozens of civilians were killed ...", pages scraped into one paragraph): a full date at the start
    of the body, before the first sentence's capitalised first word."""
    if first.time_precision != 1 or (not first.text[:1].isdigit() and not first.text[:1].isupper()):
        return False
    body = doc.title_end + 2 if doc.title_end else 0
    if first.start < body or first.start - body > 40 or not re.search(r"\d{4}$", first.text):
        return False
    text = doc.text
    line_start = text.rfind("\n", 0, first.start) + 1
    if line_start != body or not _DATELINE_PREFIX.fullmatch(text, line_start, first.start):
        return False
    return _DATELINE_NEXT.match(text, first.end) is not None


_DAY_AND_MONTH = re.compile(
    r"(?:(?:on|the|by|since|until|from)\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?)",
    re.IGNORECASE,
)
_NAME_BEFORE = re.compile(r"(?<![\w.])[A-Z][\w&'-]*[ \t]+$")


def _inside_name(text: str, start: int) -> bool:
    """A capitalised "Today" or "Friday" right after a capitalised word is a name ("USA Today")."""
    return text[start : start + 1].isupper() and bool(_NAME_BEFORE.search(text, max(0, start - 30), start))


_RANGE_GAP = re.compile(r"\s*(?:[-–—]|to|through|till|until|and)\s*", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)


def _merge_ranges(text: str, parsed: list[tuple[int, int, _Parsed]]) -> list[tuple[int, int, _Parsed]]:
    """Join "between A and B", "from A to B", "A - B" into one interval."""
    out: list[tuple[int, int, _Parsed]] = []
    i = 0
    while i < len(parsed):
        start, end, p = parsed[i]
        if i + 1 < len(parsed) and not p.year_only:
            n_start, n_end, q = parsed[i + 1]
            gap = _RANGE_GAP.fullmatch(text, end, n_start)
            opener = _RANGE_OPEN.search(text, max(0, start - 9), start)
            joins = gap is not None and (
                opener is not None or gap.group().strip().lower() not in ("and", "to")
            )
            if joins and not q.year_only and q.end >= p.start and (q.end - p.start).days <= 366:
                begin = opener.start() if opener else start
                merged = _Parsed(
                    p.start, q.end, _span_precision(p.start, q.end), explicit_year=p.explicit_year
                )
                out.append((begin, n_end, merged))
                i += 2
                continue
        out.append((start, end, p))
        i += 1
    return out


# --------------------------------------------------------------------------- document date


def document_date(doc: Document) -> tuple[date | None, float, str]:
    """(date, confidence, source): publication metadata, else a dateline, else inferred, else unknown.

    Sources: the article's published date (1.0, "metadata" or where the reader found it); a dateline in the
    first lines of the text ("18 Aug, 2017 16:33", "Fri 07 Apr 2017 at 0914", "March 10, 2017",
    "2017-03-10"; 0.9, "dateline"); else the latest date the text mentions, with month-days lacking a year
    placed in the year of the latest explicit date (0.5, "inferred"). None with "unknown" otherwise.
    """
    article = doc.article
    if article.published is not None:
        return article.published, 1.0, article.published_from or "metadata"
    found = _dateline(doc.text)
    if found is not None:
        return found, _CONF_DATELINE, "dateline"
    inferred = _inferred(doc.text)
    if inferred is not None:
        return inferred, _CONF_INFERRED, "inferred"
    return None, 0.0, "unknown"


def _dateline(text: str) -> date | None:
    lex = _lexicon()
    for line_number, line in enumerate(text.splitlines()):
        if line_number >= _DATELINE_LINES:
            break
        m = lex.dateline.match(line.strip())
        if m is None:
            continue
        if m.group("y3"):
            found = _safe_date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
        else:
            k = "1" if m.group("y1") else "2"
            found = _full(lex, m.group(f"y{k}"), m.group(f"m{k}"), m.group(f"d{k}"), None)
        if found is not None:
            return found
    return None


def _inferred(text: str) -> date | None:
    """The latest date the text gives.

    Full dates and month-years count; month-days without a year are placed in the latest year those give
    (a report mentions history, rarely the future). Years alone ("in 2014") are not enough to infer from.
    """
    lex = _lexicon()
    full: list[date] = []
    yearless: list[tuple[int, int]] = []
    for m in _matches(text):
        kind = next(k for k in _KINDS if m.group(k) is not None)
        if kind == "my" and _month_index(lex, m.group("my_m")):
            full.append(date(int(m.group("my_y")), _month_index(lex, m.group("my_m")) or 1, 1))
        elif kind in ("md", "dm"):
            month = _month_index(lex, m.group(f"{kind}_m"))
            if month is None:
                continue
            day = _day(m.group(f"{kind}_d"))
            if m.group(f"{kind}_y"):
                d = _safe_date(int(m.group(f"{kind}_y")), month, day)
                if d:
                    full.append(d)
            else:
                yearless.append((month, day))
        elif kind == "iso":
            d = _safe_date(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
            if d:
                full.append(d)
    if not full:
        return None
    latest = max(full)
    for month, day in yearless:
        d = _safe_date(latest.year, month, day)
        if d is not None and d > latest:
            latest = d
    return latest


# --------------------------------------------------------------------------- event date

# Clause boundaries inside a sentence. A clause opened by a relative pronoun is `relative`: its date
# belongs to the noun it describes ("the attack that targeted US forces about a week ago").
_CLAUSE = re.compile(
    r"(?P<hard>;|\s[–—-]\s|\()"
    r"|(?P<rel>,?\s+(?:that|which|who|whose|where)\b)"
    r"|(?P<sub>,\s+(?:while|whereas|but|although|though|and|as|after|before|when|since)\b)",
    re.IGNORECASE,
)
# "a December 13 ambush", "the Dec. 14 attack": a date that only describes the noun after it.
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:a|an|the|this|that|last|its|their|his|her)\s+$", re.IGNORECASE)
_ATTRIBUTIVE_AFTER = re.compile(r"[ \t]*(?:[a-z][\w-]*)", re.ASCII)
_ATTRIBUTIVE_REACH = 40


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, is_relative) clauses of text[start:end].

    A relative clause set off by a comma (", who seized the town in 2014,") closes at the next comma.
    """
    out = []
    cursor, relative, closes_at_comma = start, False, False
    for m in _CLAUSE.finditer(text, start, end):
        if closes_at_comma:
            comma = text.find(",", cursor + 1, m.start())
            if comma != -1:
                out.append((cursor, comma, True))
                cursor, relative = comma, False
        out.append((cursor, m.start(), relative))
        cursor, relative = m.start(), m.group("rel") is not None
        closes_at_comma = relative and text[m.start()] == ","
    if closes_at_comma:
        comma = text.find(",", cursor + 1, end)
        if comma != -1:
            out.append((cursor, comma, True))
            cursor, relative = comma, False
    out.append((cursor, end, relative))
    return [c for c in out if c[1] > c[0]]


def _attributive(text: str, mention: DateMention) -> bool:
    return bool(
        _ATTRIBUTIVE_BEFORE.search(text, max(0, mention.start - 8), mention.start)
        and _ATTRIBUTIVE_AFTER.match(text, mention.end)
    )


_BOUND_BEFORE = re.compile(r"\b(?:since|until|till|by|before)\s+(?:the\s+)?$", re.IGNORECASE)
_BOUND_WORD = re.compile(r"^(?:since|until|till)\b", re.IGNORECASE)


def bounds_only(text: str, mention: DateMention) -> bool:
    """ "since October", "until March": the limit of a period, not the day anything happened."""
    return bool(_BOUND_WORD.match(mention.text)) or bool(
        _BOUND_BEFORE.search(text, max(0, mention.start - 12), mention.start)
    )


def _governs(text: str, mention: DateMention, anchor: int) -> bool:
    """An attributive date governs only the noun right after it."""
    if not _attributive(text, mention):
        return True
    return mention.end <= anchor <= mention.end + _ATTRIBUTIVE_REACH


def governs_sentence(doc: Document, mention: DateMention) -> bool:
    """Whether a date can date its whole sentence: not attributive, not inside a relative clause."""
    if _attributive(doc.text, mention):
        return False
    sentence = doc.sentence_at(mention.start)
    if sentence is None:
        return True
    return not any(
        s <= mention.start < e and rel for s, e, rel in _clauses(doc.text, sentence.start, sentence.end)
    )


def lead_date(doc: Document, dates: list[DateMention], sentences: int = 3) -> DateMention | None:
    """The first date of the lead (first body sentences) that dates its sentence and is not history."""
    body = [s for s in doc.sentences if not s.is_title][:sentences]
    if not body:
        return None
    end = body[-1].end
    for d in dates:
        if d.start >= end:
            break
        if d.dateline or d.historical or d.year_only:
            continue
        if governs_sentence(doc, d) and not bounds_only(doc.text, d):
            return d
    return None


# Ended more than a month before the report: told as background, not as the report's news.
BACKGROUND = timedelta(days=31)


def before_the_news(doc: Document, mention: DateMention) -> bool:
    return doc.doc_date is not None and mention.date_end < doc.doc_date - BACKGROUND


def event_date(
    doc: Document,
    sentence: Sentence,
    anchor: int,
    dates: list[DateMention],
    *,
    lead_date: DateMention | None = None,
) -> DateMention | None:
    """The date of the event whose trigger is at character offset `anchor`.

    In order: the date in the trigger's clause (the nearest, if several); else a date of the sentence's
    main clauses (dates in relative clauses and attributive dates such as "a December 13 ambush" describe
    something else); else the lead's date (checked the same way); else the report date with precision 2,
    as the week up to the report (a report that dates nothing is taken to report the past few days; ACLED
    codes such events with a week precision). Historical dates ("in May 2015", "in 2014") are kept as
    they are. None only when neither the text nor the document gives any date (year unknown).
    """
    text = doc.text
    inside = [
        d
        for d in dates
        if sentence.start <= d.start < sentence.end and _governs(text, d, anchor) and not bounds_only(text, d)
    ]
    if inside:
        clauses = _clauses(text, sentence.start, sentence.end)
        home = next(((s, e, r) for s, e, r in clauses if s <= anchor < e), None)
        if home is not None:
            same = [d for d in inside if home[0] <= d.start < home[1]]
            if same:
                return min(same, key=lambda d: _distance(d, anchor))
        main = _main_clause_dates(text, inside, clauses)
        if main:
            return min(main, key=lambda d: _distance(d, anchor))
    carried = _carried_over(doc, sentence, dates)
    if carried is not None:
        return carried
    if doc.doc_date is not None and _told_as_now(text, sentence, anchor):
        # "the Syrian army now claims full control of Aleppo": the state as the report goes out, not the
        # day its lead tells of (a Security Council vote four days earlier)
        return DateMention(anchor, anchor, "", doc.doc_date - timedelta(days=_FALLBACK_DAYS), doc.doc_date, 2)
    if (
        lead_date is not None
        and not lead_date.historical
        and governs_sentence(doc, lead_date)
        # "the bridges were struck in October" in a January report dates its own sentence, not the lead's
        and not (lead_date.time_precision == 3 and before_the_news(doc, lead_date))
    ):
        return lead_date
    if doc.doc_date is None:
        return None
    start = doc.doc_date - timedelta(days=_FALLBACK_DAYS)
    return DateMention(anchor, anchor, "", start, doc.doc_date, 2)


_NOW = re.compile(r"\b(?:now|currently)\b", re.IGNORECASE)


def _told_as_now(text: str, sentence: Sentence, anchor: int) -> bool:
    """Whether the trigger's clause says "now" before it: the news as of the report."""
    clauses = _clauses(text, sentence.start, sentence.end)
    home = next(((s, e) for s, e, _ in clauses if s <= anchor < e), (sentence.start, sentence.end))
    return bool(_NOW.search(text, home[0], anchor))


# A sentence opening with a demonstrative ("These civilians were targeted...", "They were hit...") goes on
# telling the sentence before it, and so happened when that one did.
_BACK_REFERENCE = re.compile(r"(?:These|Those|This|They)\b")


def _carried_over(doc: Document, sentence: Sentence, dates: list[DateMention]) -> DateMention | None:
    """The date of the main clause of the sentence before, for a sentence that refers back to it."""
    if not _BACK_REFERENCE.match(doc.text, sentence.start):
        return None
    before = next((s for s in reversed(doc.sentences) if s.end <= sentence.start), None)
    if before is None:
        return None
    text = doc.text
    own = [d for d in dates if before.start <= d.start < before.end and not bounds_only(text, d)]
    main = _main_clause_dates(text, own, _clauses(text, before.start, before.end))
    return main[-1] if main else None


def _main_clause_dates(
    text: str, dates: list[DateMention], clauses: list[tuple[int, int, bool]]
) -> list[DateMention]:
    """The dates of a sentence's main clauses: not history, not attributive ("a December 13 ambush"), not
    in a relative clause."""
    return [
        d
        for d in dates
        if not d.historical
        and not _attributive(text, d)
        and not any(s <= d.start < e and rel for s, e, rel in clauses)
    ]


def _distance(d: DateMention, anchor: int) -> int:
    return d.start - anchor if d.start >= anchor else anchor - d.end


# --------------------------------------------------------------------------- anchored phrases


def anchored_offset(phrase: str) -> int | None:
    """Day offset of a phrase counted from another event's date ("a day earlier" -1, "two days later" 2)."""
    lex = _lexicon()
    key = re.sub(r"\s+", " ", phrase.strip().lower())
    if key in lex.anchored:
        return lex.anchored[key]
    m = lex.pattern.fullmatch(phrase.strip())
    if m is not None and m.group("anc"):
        n = _count_value(m.group("anc_n")) * (7 if m.group("anc_u").lower() == "week" else 1)
        return -n if m.group("anc_dir").lower() == "earlier" else n
    return None


def resolve_against(mention: DateMention, anchor: date) -> DateMention:
    """Re-date an anchored mention ("a day earlier") against another event's date; others unchanged."""
    offset = anchored_offset(mention.text)
    if offset is None:
        return mention
    day = anchor + timedelta(days=offset)
    return DateMention(mention.start, mention.end, mention.text, day, day, mention.time_precision)
