"""Lenient parsing of publication dates found in records, feeds and metadata files."""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from email.utils import parsedate_to_datetime

# Unambiguous written forms first; numeric day/month orders (03/04/2017) are ambiguous and left to
# dateparser's defaults (month first unless that is impossible).
_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %b, %Y",
    "%d %B, %Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
)
_MIN_YEAR, _MAX_YEAR = 1800, 2200
_PLAUSIBLE = re.compile(r"\d")


def parse_published(value: object) -> date | None:
    """A date from a value found in an input (ISO date or datetime, RFC 2822, '10 March 2017', ...).

    Returns None when the value is empty; raises ValueError when it is present but not a date.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _checked(value.date())
    if isinstance(value, date):
        return _checked(value)
    if isinstance(value, time.struct_time):
        return _checked(date(value.tm_year, value.tm_mon, value.tm_mday))
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    if not text:
        return None
    found = _parse_text(text)
    if found is None:
        raise ValueError(f"not a date: {_short(text)!r}")
    return _checked(found)


def _parse_text(text: str) -> date | None:
    if not _PLAUSIBLE.search(text) or len(text) > 80:
        return None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parsed = parse(iso)
        except ValueError:
            continue
        return parsed.date() if isinstance(parsed, datetime) else parsed
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return _dateparser(text)


def _dateparser(text: str) -> date | None:
    import dateparser  # slow to import: only for the rare odd format

    parsed = dateparser.parse(
        text, languages=["en"], settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False}
    )
    return parsed.date() if parsed else None


def _checked(value: date) -> date:
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        raise ValueError(f"implausible year {value.year}")
    return value


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
