"""Plain text: the first meaningful line is the title, the rest is the body."""

from __future__ import annotations

import re

from eventwire.clean import line_boilerplate_reason
from eventwire.model import Article

_MAX_TITLE_CHARS = 300
_WORD = re.compile(r"[^\W\d_]{2,}")  # a word of at least two letters
_MIN_TITLE_WORDS = 2


def article_from_text(text: str, *, article_id: str, origin: str) -> Article:
    """Split a scraped text into title and body. Lines before the title stay in the body for the cleaner."""
    lines = text.split("\n")
    index = _title_index(lines)
    if index is None:
        return Article(id=article_id, text=text.strip("\n"), origin=origin)
    body = "\n".join(lines[:index] + lines[index + 1 :]).strip("\n")
    if not body.strip():  # a single line is the report itself, not a headline over nothing
        return Article(id=article_id, text=text.strip("\n"), origin=origin)
    return Article(id=article_id, text=body, title=" ".join(lines[index].split()), origin=origin)


def _title_index(lines: list[str]) -> int | None:
    """The first line that reads as a headline: not boilerplate, not a bare timestamp, not a paragraph."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or line_boilerplate_reason(stripped) is not None:
            continue
        if len(_WORD.findall(stripped)) < _MIN_TITLE_WORDS:
            continue  # "18 Aug, 2017 16:33", a byline initial, a lone number
        return i if len(stripped) <= _MAX_TITLE_CHARS else None
    return None
