"""Finding input files and reading each into articles; every failure is a ReadError value."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from eventwire.ingest.decode import decode, read_bytes
from eventwire.ingest.errors import skipped
from eventwire.ingest.feeds import read_feed
from eventwire.ingest.html import read_html
from eventwire.ingest.records import read_csv, read_json, read_jsonl
from eventwire.ingest.text import article_from_text
from eventwire.model import Article, ReadError

DEFAULT_MAX_BYTES = 20_000_000
STDIN = Path("-")  # iter_input_files passes the stdin marker through as this path
STDIN_ID = "stdin"

Item = Article | ReadError
# A reader gets the path, the raw bytes and their decoded text.
Reader = Callable[[Path, bytes, str], Iterable[Item]]


def _read_txt(path: Path, data: bytes, text: str) -> Iterable[Item]:
    return [article_from_text(text, article_id=path.stem, origin=str(path))]


READERS: dict[str, Reader] = {
    ".txt": _read_txt,
    ".html": lambda path, data, text: read_html(path, text),
    ".htm": lambda path, data, text: read_html(path, text),
    ".jsonl": lambda path, data, text: read_jsonl(path, text),
    ".ndjson": lambda path, data, text: read_jsonl(path, text),
    ".json": lambda path, data, text: read_json(path, text),
    ".csv": lambda path, data, text: read_csv(path, text),
    ".xml": lambda path, data, text: read_feed(path, data),
    ".rss": lambda path, data, text: read_feed(path, data),
    ".atom": lambda path, data, text: read_feed(path, data),
}


def iter_input_files(paths: Iterable[str]) -> Iterator[Path | ReadError]:
    """Input files in a stable order: given files as given, directories walked recursively and sorted.

    Hidden entries inside directories are passed over. Missing or unreadable paths and unknown extensions
    come out as ReadErrors (the latter with a "skipped: unknown extension" reason). "-" comes out as STDIN.
    """
    seen: set[Path] = set()
    for name in paths:
        if name == "-":
            yield STDIN
            continue
        path = Path(name)
        try:
            if path.is_dir():
                yield from _walk(path, seen)
            else:
                yield from _given_file(path, seen)
        except (OSError, ValueError) as exc:  # ValueError: a name with a NUL byte
            yield ReadError(str(name), f"unreadable: {getattr(exc, 'strerror', None) or exc}")


def _given_file(path: Path, seen: set[Path]) -> Iterator[Path | ReadError]:
    if not path.exists():
        broken = path.is_symlink()
        yield ReadError(str(path), "no such file or directory" + (" (broken link)" if broken else ""))
    elif not path.is_file():
        yield ReadError(str(path), "not a regular file")
    else:
        yield from _accept(path, seen)


def _walk(top: Path, seen: set[Path]) -> Iterator[Path | ReadError]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(top, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (ReadError(e.filename or str(root), f"unreadable: {e.strerror or e}") for e in errors)
        errors.clear()
        for name in sorted(files):
            if not name.startswith("."):
                yield from _accept(Path(root) / name, seen)
    yield from (ReadError(e.filename or str(top), f"unreadable: {e.strerror or e}") for e in errors)


def _accept(path: Path, seen: set[Path]) -> Iterator[Path | ReadError]:
    if path.suffix.lower() not in READERS:
        yield skipped(str(path), f"unknown extension {path.suffix or '(none)'!r}")
        return
    key = path.resolve()
    if key not in seen:  # the same file named twice (a file and its directory) is read once
        seen.add(key)
        yield path


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Articles from one file, chosen by extension; problems come out as ReadErrors, never exceptions."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield skipped(str(path), f"unknown extension {path.suffix or '(none)'!r}")
        return
    data = read_bytes(path, max_bytes)
    if isinstance(data, ReadError):
        yield data
        return
    text = decode(data, str(path))
    if isinstance(text, ReadError):
        yield text
        return
    yield from _guarded(lambda: reader(path, data, text), str(path))


def read_stdin(stream: IO[Any] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """One plain-text article from standard input (or ``stream``, text or binary), with id "stdin"."""
    origin = "<stdin>"
    stream = sys.stdin if stream is None else stream
    if stream is None:  # the interpreter was started without a standard input
        yield ReadError(origin, "no standard input")
        return
    source = getattr(stream, "buffer", stream)
    try:
        data = source.read(max_bytes + 1)
    except (OSError, ValueError) as exc:  # closed or unreadable stream
        yield ReadError(origin, f"unreadable: {exc}")
        return
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > max_bytes:
        yield ReadError(origin, f"too large (over the {max_bytes} byte cap)")
        return
    text = decode(data, origin)
    if isinstance(text, ReadError):
        yield text
        return
    yield from _guarded(lambda: [article_from_text(text, article_id=STDIN_ID, origin=origin)], origin)


def read_inputs(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Every article of every input (files, directories, "-" for stdin), with the ReadErrors in between."""
    for item in iter_input_files(paths):
        if isinstance(item, ReadError):
            yield item
        elif item == STDIN:
            yield from read_stdin(max_bytes=max_bytes)
        else:
            yield from read_path(item, max_bytes=max_bytes)


def _guarded(read: Callable[[], Iterable[Item]], origin: str) -> Iterator[Item]:
    """The reader boundary: a parser failing on odd input reports the file instead of stopping the run."""
    try:
        yield from read()
    except Exception as exc:  # third-party parsers raise many types on malformed input
        yield ReadError(origin, f"could not be parsed ({type(exc).__name__}: {_short(str(exc))})")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
