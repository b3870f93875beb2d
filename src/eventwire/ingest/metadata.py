"""The --metadata CSV (id,published[,title,url,source]) and how it and --published complete articles."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from eventwire.ingest.decode import decode, read_bytes
from eventwire.ingest.published import parse_published
from eventwire.model import Article, ReadError

METADATA_FIELDS = ("title", "url", "source")
_METADATA_MAX_BYTES = 200_000_000
# Placeholders that mean "not known": they must not override what an article already has.
_MISSING = frozenset({"", "unknown", "n/a", "na", "none", "null", "-", "?"})


def load_metadata(path: str) -> tuple[dict[str, dict[str, Any]], list[ReadError]]:
    """Rows by article id: {"published": date, "title": str, "url": str, "source": str} (fields present only).

    Extra columns are ignored. A bad date gives a ReadError naming the row; the row's other fields and all
    other rows are kept.
    """
    data = read_bytes(Path(path), _METADATA_MAX_BYTES)
    if isinstance(data, ReadError):
        return {}, [data]
    text = decode(data, path)
    if isinstance(text, ReadError):
        return {}, [text]
    reader = csv.DictReader(io.StringIO(text))
    names = [(n or "").strip().lstrip("\ufeff").lower() for n in reader.fieldnames or []]
    if "id" not in names:
        return {}, [ReadError(path, "metadata has no 'id' column")]
    reader.fieldnames = names
    meta: dict[str, dict[str, Any]] = {}
    errors: list[ReadError] = []
    try:
        for row in reader:
            fields, error = _row(row, f"{path}:{reader.line_num}")
            if error:
                errors.append(error)
            if fields is not None:
                meta.setdefault(fields.pop("id"), {}).update(fields)
    except csv.Error as exc:
        errors.append(ReadError(f"{path}:{reader.line_num}", f"malformed CSV ({exc}); rest of file not read"))
    return meta, errors


def _row(row: dict[str | None, Any], origin: str) -> tuple[dict[str, Any] | None, ReadError | None]:
    article_id = _value(row.get("id"))
    if article_id is None:
        if any(_value(v) for k, v in row.items() if k):
            return None, ReadError(origin, "metadata row without an id")
        return None, None  # a blank line
    fields: dict[str, Any] = {"id": article_id}
    for name in METADATA_FIELDS:
        value = _value(row.get(name))
        if value is not None:
            fields[name] = value
    error = None
    try:
        published = parse_published(_value(row.get("published")))
    except ValueError as exc:
        error = ReadError(origin, f"bad published date for {article_id!r}: {exc}")
    else:
        if published is not None:
            fields["published"] = published
    return fields, error


def _value(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return None if value.lower() in _MISSING else value


def apply_metadata(
    article: Article, meta: dict[str, dict[str, Any]], default_published: date | None
) -> Article:
    """The article completed from its metadata row (which overrides) and the default publication date
    (only where it has none); ``published_from`` says where the date came from."""
    fields = meta.get(article.id, {})
    changes: dict[str, Any] = {name: fields[name] for name in METADATA_FIELDS if fields.get(name)}
    if fields.get("published"):
        changes["published"] = fields["published"]
        changes["published_from"] = "metadata"
    elif article.published is not None:
        changes["published_from"] = article.published_from or "record"
    elif default_published is not None:
        changes["published"] = default_published
        changes["published_from"] = "default"
    return replace(article, **changes) if changes else article
