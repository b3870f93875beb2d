"""RSS and Atom feeds: each entry is an article."""

from __future__ import annotations

import hashlib
import io
import re
import time
from pathlib import Path
from typing import Any

from eventwire.ingest.errors import warning
from eventwire.ingest.html import html_to_text
from eventwire.ingest.published import parse_published
from eventwire.ingest.records import collapse_spaces
from eventwire.model import Article, ReadError

_SAFE_ID = re.compile(r"[A-Za-z0-9][\w.:-]{0,99}")


def read_feed(path: Path, data: bytes, *, origin: str | None = None) -> list[Article | ReadError]:
    """The entries of a feed document. ``origin`` names it in errors and articles (default: the path; a
    fetched feed passes its URL, and the URL's path as ``path``)."""
    import feedparser  # only when a feed is read

    # A stream, never a string: feedparser treats strings as URLs or file names and would fetch them.
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    name = origin or str(path)
    if not parsed.get("version"):  # feedparser finds "items" in any XML; a feed declares itself
        return [ReadError(name, "not an RSS/Atom feed")]
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            return [ReadError(name, f"not a valid RSS/Atom feed ({_short(str(problem))})")]
        return [ReadError(name, "feed has no entries")]
    source = collapse_spaces(_plain(parsed.get("feed", {}).get("title")))
    results: list[Article | ReadError] = []
    for n, entry in enumerate(entries, start=1):
        results.extend(_entry(path, name, n, len(entries), entry, source))
    return results


def _entry(
    path: Path, name: str, n: int, total: int, entry: Any, source: str | None
) -> list[Article | ReadError]:
    origin = f"{name}:entry {n}"
    text = _entry_text(entry)
    if not text:
        return [ReadError(origin, "feed entry has no text")]
    results: list[Article | ReadError] = []
    published = None
    parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
    raw_date = entry.get("published") or entry.get("updated")
    try:
        published = parse_published(parsed_time if isinstance(parsed_time, time.struct_time) else raw_date)
    except ValueError as exc:
        results.append(warning(origin, f"entry date ignored: {exc}"))
    article = Article(
        id=_entry_id(entry, path, n, total),
        text=text,
        title=collapse_spaces(_plain(entry.get("title"))),
        url=_web_link(entry.get("link")),
        source=source,
        published=published,
        published_from="feed" if published else None,
        origin=origin,
    )
    return [article, *results]


def _entry_text(entry: Any) -> str:
    """The fullest body the entry carries: content (Atom, content:encoded) before summary."""
    candidates = [c.get("value") or "" for c in entry.get("content") or []]
    candidates.append(entry.get("summary") or "")
    best = max(candidates, key=len)
    return html_to_text(best) if best else ""


def _entry_id(entry: Any, path: Path, n: int, total: int) -> str:
    """The entry's id or link, kept when it is already a safe identifier, else a stable hash of it."""
    key = (entry.get("id") or entry.get("link") or "").strip()
    if not key:
        return f"{path.stem}#{n}" if total > 1 else path.stem
    if _SAFE_ID.fullmatch(key):
        return key
    return "entry-" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _web_link(value: str | None) -> str | None:
    """Only a web address is a URL: feedparser falls back to the entry id, which may be a bare tag."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _plain(value: str | None) -> str | None:
    if not value:
        return None
    return html_to_text(value) if "<" in value or "&" in value else value


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
