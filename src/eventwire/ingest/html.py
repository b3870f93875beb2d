"""HTML pages: main text and metadata via trafilatura, with a plain tag-stripping fallback."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from eventwire.ingest.errors import warning
from eventwire.ingest.published import parse_published
from eventwire.ingest.records import collapse_spaces, sanitise
from eventwire.model import Article, ReadError

# Elements whose text is never the report. ("head" is not listed: pages often leave it unclosed.)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "nav", "footer"})
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "aside", "header", "blockquote", "pre", "figure",
        "figcaption", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip


def read_html(path: Path, text: str) -> list[Article | ReadError]:
    extracted = _trafilatura(text)
    if extracted and (extracted.get("text") or "").strip():
        body = sanitise(extracted["text"])
        title = collapse_spaces(extracted.get("title"))
        source = extracted.get("sitename") or extracted.get("hostname")
        url = extracted.get("url")
        date_value = extracted.get("date")
    else:  # pages too small or odd for trafilatura still have text worth reading
        body = html_to_text(text)
        title = collapse_spaces(_page_title(text))
        source = url = date_value = None
    if not body.strip():
        return [ReadError(str(path), "no text found in the HTML page")]
    body = _drop_leading_title(body, title)
    results: list[Article | ReadError] = []
    published = None
    try:
        published = parse_published(date_value)
    except ValueError as exc:
        results.append(warning(str(path), f"page date ignored: {exc}"))
    article = Article(
        id=path.stem,
        text=body,
        title=title,
        url=url or None,
        source=source or None,
        published=published,
        published_from="html" if published else None,
        origin=str(path),
    )
    return [article, *results]


def _trafilatura(html: str) -> dict[str, Any] | None:
    import trafilatura  # heavy import, only when HTML is read

    # trafilatura and htmldate log their own diagnostics; ours is one line per input, on our terms.
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, include_images=False
    )
    if doc is None:
        return None
    return doc if isinstance(doc, dict) else doc.as_dict()


def _drop_leading_title(body: str, title: str | None) -> str:
    """trafilatura repeats the <h1> as the first line; the title is stored apart from the body."""
    if not title:
        return body
    first, _, rest = body.partition("\n")
    if " ".join(first.split()).casefold() == title.casefold() and rest.strip():
        return rest.lstrip("\n")
    return body


class _TextCollector(HTMLParser):
    """Visible text with paragraph breaks at block elements; scripts, styles and menus dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip_depth:
            self.parts.append(data)


def _collect(html: str) -> _TextCollector:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or page: one line per paragraph, blank lines between paragraphs."""
    raw = "".join(_collect(html).parts)
    paragraphs = []
    for block in re.split(r"\n\s*\n", raw):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return sanitise("\n\n".join(paragraphs))


def _page_title(html: str) -> str | None:
    return "".join(_collect(html).title).strip() or None
