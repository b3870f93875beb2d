"""Kinds of ReadError, told apart by the start of the reason (ReadError itself has only origin and reason).

- "skipped: ..."  a note: the input was deliberately not read (unknown extension); not a failure.
- "warning: ..."  the article was read, but one field was unusable and left empty (e.g. a bad date).
- anything else   the input or record could not be read.
"""

from __future__ import annotations

from eventwire.model import ReadError

SKIPPED_PREFIX = "skipped:"
WARNING_PREFIX = "warning:"


def skipped(origin: str, reason: str) -> ReadError:
    return ReadError(origin, f"{SKIPPED_PREFIX} {reason}")


def warning(origin: str, reason: str) -> ReadError:
    return ReadError(origin, f"{WARNING_PREFIX} {reason}")
