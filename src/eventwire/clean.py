"""Boilerplate removal: an Article as read -> a Document whose text is the report and nothing else.

Scraped pages carry ad labels, icon-font soup, teasers for other stories, photo captions and credits,
comment widgets and site footers. Each would otherwise be read as part of the report (a teaser's headline
becomes an event; a caption's date becomes the event date). The patterns live in data/boilerplate.yaml.

The unit of removal is the line: kept lines are copied verbatim (trimmed of surrounding whitespace), so
every piece of the cleaned text maps exactly back to the raw text, ``title + "\\n\\n" + body`` (just the
body when there is no title). Inside a line, only three things are cut: photo credits glued to the end of a
long paragraph, a page's tail flattened into its last paragraph (a tag list, "Related News" teasers: kind
``tail``), and share widgets inside a paragraph ("Get short URL 4016": kind ``inline``); what is left of the
line is kept verbatim in pieces.

Rules are applied so that cleaning is idempotent: a line is judged on its own (context-free rules) first;
the few context rules (a dated caption next to a credit line, an image heading above a caption, the footer
after a "Related Articles" or copyright line) are triggered only by lines that are themselves removed, so a
second pass over cleaned text finds nothing more to remove.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventwire.caseless import Caseless
from eventwire.model import Article, Document
from eventwire.resources import load_yaml

_TERMINAL = tuple('.!?"”’)]')
_MAX_TAIL_CUTS = 8  # a paragraph rarely carries more than one or two glued credits


@dataclass(frozen=True, slots=True)
class _Group:
    name: str
    kind: str  # "line", "caption", "tail" or "inline"
    reason: str
    footer: bool
    patterns: tuple[Caseless, ...]  # compiled, behind their quick pre-check (same answers)


@dataclass(frozen=True, slots=True)
class _Rules:
    line_groups: tuple[_Group, ...]
    caption_groups: tuple[_Group, ...]
    tail_groups: tuple[_Group, ...]
    inline_groups: tuple[_Group, ...]
    agency_credit: re.Pattern[str]
    caption_date_end: re.Pattern[str]
    caption_max_words: int
    image_title_max_words: int
    icon_marker: str
    icon_min_tokens: int
    icon_min_share: float
    nav_split: re.Pattern[str]
    nav_min_separators: int
    nav_max_words: int
    footer_min_position: float
    footer_max_prose: int


@cache
def _rules() -> _Rules:
    data: dict[str, Any] = load_yaml("boilerplate.yaml")
    groups = []
    for name, spec in data["groups"].items():
        flags = 0 if spec.get("case_sensitive") else re.IGNORECASE
        groups.append(
            _Group(
                name=name,
                kind=spec["kind"],
                reason=spec["reason"],
                footer=bool(spec.get("footer")),
                patterns=_compile(spec["kind"], spec["patterns"], flags),
            )
        )
    agencies = sorted(
        data["agencies"], key=len, reverse=True
    )  # longest first: "Thomson Reuters" over "Reuters"
    agency = "|".join(re.escape(a) for a in agencies)
    agency_credit = re.compile(
        rf"(?:(?:photo|image|picture|credit|source)s?\s*:\s*)?(?:{agency})"
        r"(?:\s+(?:photos?|images|pictures|tv|video|file))?"
        r"(?:\s*(?:/|\bvia\b)\s*[\w.'’\- ]{1,60}){0,3}",
        re.IGNORECASE,
    )
    nav = data["navigation_line"]
    icon = data["icon_soup"]
    return _Rules(
        line_groups=tuple(g for g in groups if g.kind == "line"),
        caption_groups=tuple(g for g in groups if g.kind == "caption"),
        tail_groups=tuple(g for g in groups if g.kind == "tail"),
        inline_groups=tuple(g for g in groups if g.kind == "inline"),
        agency_credit=agency_credit,
        caption_date_end=re.compile(data["caption_date_end"], re.IGNORECASE),
        caption_max_words=int(data["caption_max_words"]),
        image_title_max_words=int(data["image_title_max_words"]),
        icon_marker=icon["marker"],
        icon_min_tokens=int(icon["min_tokens"]),
        icon_min_share=float(icon["min_share"]),
        nav_split=re.compile("|".join(re.escape(s) for s in nav["separators"])),
        nav_min_separators=int(nav["min_separators"]),
        nav_max_words=int(nav["max_words_per_item"]),
        footer_min_position=float(data["footer"]["min_position"]),
        footer_max_prose=int(data["footer"]["max_prose_lines"]),
    )


def _compile(kind: str, patterns: list[str], flags: int) -> tuple[Caseless, ...]:
    """Whole-line and inline patterns of a group become one alternation (one regex call per group and line);
    caption patterns stay apart because the earliest credit at the end of a line is looked for. Each is
    judged every line of every report: eventwire.caseless checks case-insensitive ones quickly first."""
    if kind in ("line", "inline"):
        # inline: one alternation finds the widgets left to right, the longer form listed first winning
        return (Caseless(re.compile("|".join(f"(?:{p})" for p in patterns), flags)),)
    return tuple(Caseless(re.compile(p, flags)) for p in patterns)


# --------------------------------------------------------------------------- single-line judgements


@dataclass(frozen=True, slots=True)
class LineVerdict:
    """What to do with one line: drop it, cut its tail from ``cut`` on, or keep it (reason None)."""

    reason: str | None
    cut: int | None = None  # offset in the line where a glued credit starts (partial removal)
    footer: bool = False  # the line may open the page footer
    caption: bool = False  # a photo caption or credit (context for neighbouring caption lines)


KEEP = LineVerdict(None)


def judge_line(line: str, title: str | None = None) -> LineVerdict:
    """Judge one line on its own (no context). ``title`` lets a repeated headline be recognised."""
    text = line.strip()
    if not text:
        return KEEP
    rules = _rules()
    for group in rules.line_groups:
        if any(p.fullmatch(text) for p in group.patterns):
            return LineVerdict(group.reason, footer=group.footer, caption=group.name == "credit_line")
    if rules.agency_credit.fullmatch(text):
        return LineVerdict("photo credit", caption=True)
    if _is_icon_soup(text, rules):
        return LineVerdict("icon soup")
    if _is_navigation(text, rules):
        return LineVerdict("navigation")
    if title and _normalised(text) == _normalised(title):
        return LineVerdict("duplicate title")
    verdict = _judge_caption(text, rules)
    if verdict.reason is None or verdict.cut is not None:
        tail = _judge_tail(text, rules)
        if tail.reason is not None and (verdict.cut is None or tail.cut < verdict.cut):
            return tail
    return verdict


def _judge_tail(text: str, rules: _Rules) -> LineVerdict:
    """A page's tail flattened into the last paragraph ("... said. Tags Syria Aleppo ..."): cut from the
    earliest marker on; a line that starts with one goes whole."""
    starts = [
        (m.start(), group)
        for group in rules.tail_groups
        for pattern in group.patterns
        if (m := pattern.search(text)) is not None
    ]
    if not starts:
        return KEEP
    start, group = min(starts, key=lambda t: t[0])
    if start == 0:
        return LineVerdict(group.reason, footer=group.footer)
    return LineVerdict(group.reason, cut=start)


def inline_cuts(text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` (one line) that are page widgets inside a paragraph, with the reason, in order
    and apart."""
    found = sorted(
        (m.start(), -m.end(), group.reason)
        for group in _rules().inline_groups
        for pattern in group.patterns
        for m in pattern.finditer(text)
        if m.end() > m.start()
    )
    cuts: list[tuple[int, int, str]] = []
    for start, neg_end, reason in found:
        end = -neg_end
        if cuts and start < cuts[-1][1]:
            continue  # overlaps the one before: the earlier, longer cut stands
        cuts.append((start, end, reason))
    return cuts


def line_boilerplate_reason(line: str) -> str | None:
    """Why a line is not report text on its own (ad label, icon soup, teaser, credit...), else None."""
    verdict = judge_line(line)
    return verdict.reason if verdict.cut is None else None


def _judge_caption(text: str, rules: _Rules) -> LineVerdict:
    matches = [
        (m, group)
        for group in rules.caption_groups
        for pattern in group.patterns
        if (m := pattern.search(text)) is not None
    ]
    if not matches:
        return KEEP
    if _words(text) <= rules.caption_max_words:
        return LineVerdict(matches[0][1].reason, caption=True)
    # A long paragraph: cut the credit that ends it, from the earliest match that runs to the end.
    tails = [(m.start(), group) for m, group in matches if m.end() >= len(text.rstrip())]
    if not tails:
        return KEEP
    start, group = min(tails, key=lambda t: t[0])
    return LineVerdict(group.reason, cut=start)


def _is_icon_soup(text: str, rules: _Rules) -> bool:
    tokens = text.lower().split()
    hits = sum(1 for t in tokens if rules.icon_marker in t)
    return hits >= rules.icon_min_tokens and hits / len(tokens) >= rules.icon_min_share


def _is_navigation(text: str, rules: _Rules) -> bool:
    items = rules.nav_split.split(text)
    if len(items) - 1 < rules.nav_min_separators or text.endswith(_TERMINAL):
        return False
    return all(item.strip() and len(item.split()) <= rules.nav_max_words for item in items)


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".:;!?\"'”’ ")


def _words(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- the document


@dataclass(slots=True)
class _Line:
    start: int  # body offsets of the kept text (stripped, and cut when a credit tail was removed)
    end: int
    full_end: int  # end of the stripped line as read
    text: str
    blank: bool
    reason: str | None = None  # why the whole line is dropped
    cut_from: int | None = None  # body offset where a removed tail starts
    cut_reason: str | None = None
    footer: bool = False
    caption: bool = False


def raw_text(article: Article) -> str:
    """The text as read, which Document.offset_map points into: title, a blank line, the body."""
    if _has_title(article):
        return f"{article.title}\n\n{article.text or ''}"
    return article.text or ""


def clean(article: Article) -> Document:
    """Remove boilerplate; the result's text starts with the title line, then a blank line and the body."""
    title = article.title if _has_title(article) else None
    body = article.text or ""
    lines = _split_lines(body)
    _judge_alone(lines, title)
    _judge_captions_in_context(lines)
    _judge_footer(lines, len(body))

    base = len(title) + 2 if title is not None else 0
    pieces: list[tuple[int, int]] = []  # raw spans of kept text, in order
    separators: list[str] = []  # separators[k] goes between pieces[k] and pieces[k + 1]
    removed: list[tuple[int, int, str]] = []
    if title is not None:
        lead = len(title) - len(title.lstrip())
        pieces.append((lead, lead + len(title.strip())))
    previous: int | None = None  # index of the last kept body line
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if line.reason is not None:
            removed.append((base + line.start, base + line.full_end, line.reason))
            continue
        if line.cut_from is not None:
            removed.append((base + line.cut_from, base + line.full_end, line.cut_reason or "photo caption"))
        kept = _inline_pieces(line, removed, base)
        if not kept:
            continue  # nothing but widgets
        if pieces:
            separators.append("\n\n" if previous is None else _gap(lines, previous, i))
        for k, piece in enumerate(kept):
            if k:
                separators.append(" ")
            pieces.append(piece)
        previous = i
    doc = _assemble(article, raw_text(article), pieces, separators)
    doc.removed = sorted(removed)  # inline cuts of a line come before its tail
    doc.title_end = len(title.strip()) if title is not None else 0
    return doc


def _inline_pieces(line: _Line, removed: list[tuple[int, int, str]], base: int) -> list[tuple[int, int]]:
    """The raw spans of a kept line once its inline widgets are cut out (the line whole when it has none);
    the cuts are recorded in ``removed``."""
    cuts = inline_cuts(line.text)
    if not cuts:
        return [(base + line.start, base + line.end)]
    spans: list[tuple[int, int]] = []
    pos = 0
    for start, end, reason in cuts:
        removed.append((base + line.start + start, base + line.start + end, reason))
        spans.append((pos, start))
        pos = end
    spans.append((pos, len(line.text)))
    kept = []
    for start, end in spans:
        piece = line.text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            kept.append((base + line.start + start + lead, base + line.start + start + len(piece.rstrip())))
    return kept


def _has_title(article: Article) -> bool:
    return bool(article.title and article.title.strip())


def _split_lines(body: str) -> list[_Line]:
    lines = []
    pos = 0
    for raw_line in body.split("\n"):
        stripped = raw_line.strip()
        start = pos + (len(raw_line) - len(raw_line.lstrip())) if stripped else pos
        end = start + len(stripped)
        lines.append(_Line(start, end, end, stripped, blank=not stripped))
        pos += len(raw_line) + 1
    return lines


def _judge_alone(lines: list[_Line], title: str | None) -> None:
    for line in lines:
        if line.blank:
            continue
        verdict = judge_line(line.text, title)
        for _ in range(_MAX_TAIL_CUTS):
            if verdict.cut is None:
                break
            # Cut the glued credit, then judge what is left again: it may hold another credit.
            line.cut_from = line.start + verdict.cut
            line.cut_reason = verdict.reason
            line.text = line.text[: verdict.cut].rstrip()
            line.end = line.start + len(line.text)
            verdict = judge_line(line.text, title) if line.text else LineVerdict(verdict.reason, caption=True)
        if verdict.cut is not None:  # still more credits than cuts allowed: keep what is left
            verdict = KEEP
        line.reason = verdict.reason
        line.footer = verdict.footer
        line.caption = verdict.caption


def _judge_captions_in_context(lines: list[_Line]) -> None:
    """Dated captions next to a credit line, and a short image heading right above a caption."""
    rules = _rules()
    filled = [i for i, line in enumerate(lines) if not line.blank]
    flags = {i: lines[i].caption for i in filled}  # snapshot: only context-free captions give context
    for k, i in enumerate(filled):
        line = lines[i]
        if line.reason is not None:
            continue
        prev_caption = k > 0 and flags[filled[k - 1]]
        next_caption = k + 1 < len(filled) and flags[filled[k + 1]]
        dated_caption = (
            (prev_caption or next_caption)
            and _words(line.text) <= rules.caption_max_words
            and rules.caption_date_end.search(line.text) is not None
        )
        image_heading = (
            next_caption
            and _words(line.text) <= rules.image_title_max_words
            and not line.text.endswith(_TERMINAL)
        )
        if dated_caption or image_heading:
            line.reason = "photo caption"


def _judge_footer(lines: list[_Line], body_length: int) -> None:
    """From a footer-opening line near the end, drop the rest when it holds little prose."""
    start = _footer_start(lines, body_length)
    if start is None:
        return
    for line in lines[start + 1 :]:
        if not line.blank and line.reason is None:
            line.reason = "footer"


def _footer_start(lines: list[_Line], body_length: int) -> int | None:
    """The first footer-opening line in the last part of the text followed by no prose, or by a little
    prose and another footer line (an "about us" blurb between a copyright line and "Back to top")."""
    rules = _rules()
    prose_after = markers_after = 0
    start = None
    for i in range(len(lines) - 1, -1, -1):  # counts of what follows each line, from the end
        line = lines[i]
        eligible = line.footer and line.start >= rules.footer_min_position * body_length
        if eligible and (prose_after == 0 or (prose_after <= rules.footer_max_prose and markers_after)):
            start = i
        if not line.blank:
            prose_after += line.reason is None and _is_prose(line.text)
            markers_after += line.footer
    return start


def _is_prose(text: str) -> bool:
    return text.endswith(_TERMINAL) or _words(text) > 20


def _gap(lines: list[_Line], previous: int, current: int) -> str:
    """A blank line between two kept lines when the source had one anywhere between them."""
    return "\n\n" if any(lines[j].blank for j in range(previous + 1, current)) else "\n"


def _assemble(article: Article, raw: str, pieces: list[tuple[int, int]], separators: list[str]) -> Document:
    """Join kept raw spans with separators, recording exact (clean_start, raw_start, length) segments."""
    parts: list[str] = []
    segments: list[list[int]] = []
    pos = 0
    for k, (start, end) in enumerate(pieces):
        if k:
            sep = separators[k - 1]
            prev_end = pieces[k - 1][1]
            if raw.startswith(sep, prev_end) and segments and segments[-1][1] + segments[-1][2] == prev_end:
                segments[-1][2] += len(sep)  # the separator is in the source too: map it
            parts.append(sep)
            pos += len(sep)
        if end > start:
            last = segments[-1] if segments else None
            if last and last[0] + last[2] == pos and last[1] + last[2] == start:
                last[2] += end - start
            else:
                segments.append([pos, start, end - start])
            parts.append(raw[start:end])
            pos += end - start
    return Document(article=article, text="".join(parts), offset_map=[(c, r, n) for c, r, n in segments])
