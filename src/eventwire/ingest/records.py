"""Structured inputs: JSON Lines, JSON and CSV, one article per record."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventwire.ingest.errors import warning
from eventwire.ingest.published import parse_published
from eventwire.model import Article, ReadError

TEXT_FIELDS = ("text", "body", "content")  # "text" is the contract; the others are common spellings
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CSV_DELIMITERS = ";\t|"

# Article texts can be long; the file size cap, not the csv module's 128 KiB default, bounds a field.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

Item = Article | ReadError


def read_jsonl(path: Path, text: str) -> Iterator[Item]:
    """One JSON object per line; a malformed line is reported with its number and the others are kept."""
    parsed: list[tuple[int, Any]] = []
    errors: dict[int, ReadError] = {}
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            parsed.append((lineno, json.loads(line)))
        except (ValueError, RecursionError) as exc:
            errors[lineno] = ReadError(f"{path}:{lineno}", f"malformed JSON line ({_json_reason(exc)})")
            parsed.append((lineno, None))
    multi = len(parsed) > 1
    for lineno, value in parsed:
        if lineno in errors:
            yield errors[lineno]
            continue
        default_id = f"{path.stem}#{lineno}" if multi else path.stem
        yield from record_to_article(value, origin=f"{path}:{lineno}", default_id=default_id)


def read_json(path: Path, text: str) -> Iterator[Item]:
    """A list of records, one record, or {"articles": [...]}; a file of JSON Lines is read as such."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several top-level values: really JSON Lines
            yield from read_jsonl(path, text)
            return
        yield ReadError(str(path), f"malformed JSON ({_json_reason(exc)})")
        return
    except (ValueError, RecursionError) as exc:
        yield ReadError(str(path), f"malformed JSON ({_json_reason(exc)})")
        return
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    if isinstance(value, dict):
        yield from record_to_article(value, origin=str(path), default_id=path.stem)
        return
    if not isinstance(value, list):
        yield ReadError(str(path), 'JSON is neither a record, a list of records nor {"articles": [...]}')
        return
    if not value:
        yield ReadError(str(path), "no records")
        return
    for n, record in enumerate(value, start=1):
        default_id = f"{path.stem}#{n}" if len(value) > 1 else path.stem
        yield from record_to_article(record, origin=f"{path}:record {n}", default_id=default_id)


def read_csv(path: Path, text: str) -> Iterator[Item]:
    """A header row naming id, text, title, published, url, source; without a text column, one error."""
    rows, errors = _csv_rows(path, text)
    if rows is None:
        yield from errors
        return
    multi = len(rows) > 1
    yield from errors
    for n, (lineno, row) in enumerate(rows, start=1):
        default_id = f"{path.stem}#{n}" if multi else path.stem
        yield from record_to_article(row, origin=f"{path}:{lineno}", default_id=default_id)


def _csv_rows(path: Path, text: str) -> tuple[list[tuple[int, dict[str, str]]] | None, list[ReadError]]:
    reader = csv.reader(io.StringIO(text), dialect=_csv_dialect(text))
    try:
        header = next(reader)
    except StopIteration:
        return None, [ReadError(str(path), "empty file")]
    except csv.Error as exc:
        return None, [ReadError(str(path), f"malformed CSV header ({exc})")]
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if not any(f in names for f in TEXT_FIELDS):
        shown = " ".join(", ".join(n for n in names if n).split())[:120] or "none"  # one line
        return None, [ReadError(str(path), f"no 'text' column (columns: {shown})")]
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[ReadError] = []
    while True:
        before = reader.line_num
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(ReadError(f"{path}:{before + 1}", f"malformed CSV row ({exc})"))
            if reader.line_num == before:  # the reader cannot move past the bad row
                break
            continue
        if not any(v.strip() for v in values):
            continue
        rows.append(
            (reader.line_num, {name: value for name, value in zip(names, values, strict=False) if name})
        )
    return rows, errors


def _csv_dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    header = text.split("\n", 1)[0]
    if "," in header:
        return csv.excel
    try:
        return csv.Sniffer().sniff(header, delimiters=_CSV_DELIMITERS)
    except csv.Error:
        return csv.excel


def record_to_article(record: Any, *, origin: str, default_id: str) -> Iterator[Item]:
    """An Article from one record; a ReadError when it has no text, a warning when a field is unusable."""
    if not isinstance(record, dict):
        yield ReadError(origin, f"record is not an object ({type(record).__name__})")
        return
    fields = {str(k).strip().lower(): v for k, v in record.items()}
    text = _text_field(fields)
    if text is None:
        yield ReadError(origin, "record has no text")
        return
    published = None
    problem = None
    try:
        published = parse_published(fields.get("published"))
    except ValueError as exc:
        problem = warning(origin, f"field 'published' ignored: {exc}")
    yield Article(
        id=_scalar(fields.get("id")) or default_id,
        text=text,
        title=collapse_spaces(_scalar(fields.get("title"))),
        url=_scalar(fields.get("url")),
        source=_scalar(fields.get("source")),
        published=published,
        published_from="record" if published else None,
        origin=origin,
    )
    if problem:
        yield problem


def _text_field(fields: dict[str, Any]) -> str | None:
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "\n\n".join(value)
        if isinstance(value, str) and value.strip():
            return sanitise(value)
    return None


def _scalar(value: Any) -> str | None:
    """A string field: strings and numbers are accepted, anything else (lists, objects) is ignored."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = sanitise(value).strip()
    return value or None


def sanitise(text: str) -> str:
    """Normalise newlines and replace lone surrogates (valid in JSON, not encodable in UTF-8)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _LONE_SURROGATE.sub("\ufffd", text)


def collapse_spaces(text: str | None) -> str | None:
    """A title is one line: whitespace runs become single spaces."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)
