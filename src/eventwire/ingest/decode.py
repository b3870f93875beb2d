"""Bytes -> text for every reader: size cap, empty and binary detection, UTF-8 then charset fallback."""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata
from pathlib import Path
from typing import BinaryIO

from eventwire.model import ReadError

# UTF-16/32 text legitimately contains NUL bytes, so a byte-order mark is honoured before the binary test.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 8192
# Above this share of control or replacement characters the "text" is really binary data.
_MAX_JUNK_RATIO = 0.05
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def read_bytes(path: Path, max_bytes: int) -> bytes | ReadError:
    """The file's bytes, or a ReadError when it is too large or cannot be read (never reads past the cap)."""
    origin = str(path)
    try:
        with path.open("rb") as fh:
            size = _size(fh)
            if size is not None and size > max_bytes:
                return ReadError(origin, f"too large ({size} bytes > {max_bytes} byte cap)")
            data = fh.read(max_bytes + 1)
    except IsADirectoryError:
        return ReadError(origin, "is a directory")
    except OSError as exc:
        return ReadError(origin, f"unreadable: {exc.strerror or exc}")
    except ValueError as exc:  # a path with a NUL byte
        return ReadError(origin, f"unreadable: {exc}")
    if len(data) > max_bytes:  # size unknown in advance (pipes, /proc files)
        return ReadError(origin, f"too large (over the {max_bytes} byte cap)")
    return data


def _size(fh: BinaryIO) -> int | None:
    """Size of a regular file, None for pipes and devices (whose size is only known by reading)."""
    try:
        st = os.fstat(fh.fileno())
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def decode(data: bytes, origin: str) -> str | ReadError:
    """Decode bytes to text with newlines normalised to "\\n"; ReadError for empty or binary input."""
    if not data.strip():
        return ReadError(origin, "empty file")
    text = _decode_text(data)
    if text is None:
        return ReadError(origin, "binary file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ReadError(origin, "empty file")
    if _junk_ratio(text[:_SAMPLE]) > _MAX_JUNK_RATIO:
        return ReadError(origin, "binary file")
    return text


def _decode_text(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:_SAMPLE]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best)


def _junk_ratio(sample: str) -> float:
    if not sample:
        return 0.0
    junk = 0
    for ch in sample:
        if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in _TEXT_CONTROLS):
            junk += 1
    return junk / len(sample)
