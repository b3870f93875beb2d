"""A quick, exact pre-check for case-insensitive regular expressions on ASCII text.

``re.IGNORECASE`` makes Python's regex engine fold the case of every character it compares, and an
alternation of many words becomes several times slower than the same pattern without the flag. On ASCII
text, a pattern whose letters are all lower case matches case-insensitively only where its case-sensitive
twin matches the lower-cased text (``lower()`` changes no offset and nothing but A-Z, so ``\\w``, ``\\s``,
``\\d`` and ``\\b`` read the same). A group scoped ``(?-i:...)`` only makes the twin match more often, never
less. So when the twin finds nothing, the pattern finds nothing; otherwise the pattern itself runs, and the
answer is always the pattern's own.

The twin is made only for patterns whose parsed form shows it is safe: no upper-case literal, no non-ASCII
literal that has case (it may fold to ASCII: the Kelvin sign matches "k"), no character range that reaches
A-Z or beyond ASCII, nothing unknown. Anything else, and every non-ASCII text, goes straight to the pattern.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache

try:  # the parser of the re module (private, stable in CPython 3.11+); without it, no twin is made
    from re import _constants as _sre_constants
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover
    _sre_parser = None  # type: ignore[assignment]
    _sre_constants = None  # type: ignore[assignment]

_UPPER = range(ord("A"), ord("Z") + 1)


class Caseless:
    """Wraps a compiled pattern; ``search``, ``finditer`` and ``fullmatch`` answer as the pattern's own do,
    faster when the text is ASCII and the pattern case-insensitive (see the module's doc)."""

    __slots__ = ("_twin", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._twin = twin(pattern)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._twin is not None and text.isascii() and self._twin.search(text.lower(), pos, endpos) is None:
            return None
        return self.pattern.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if self._twin is not None and text.isascii() and self._twin.search(text.lower(), pos, endpos) is None:
            return iter(())  # no match anywhere
        return self.pattern.finditer(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        twin = self._twin
        if twin is not None and text.isascii() and twin.fullmatch(text.lower(), pos, endpos) is None:
            return None
        return self.pattern.fullmatch(text, pos, endpos)


def twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The case-sensitive twin of a case-insensitive pattern, or None when there is none that is safe."""
    if not pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str) or _sre_parser is None:
        return None
    try:
        parsed = _sre_parser.parse(pattern.pattern, pattern.flags)
        if not _safe(parsed):
            return None
        return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    except Exception:  # an unexpected parse tree: no twin, the pattern alone answers
        return None


@lru_cache(maxsize=64)
def cached_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``twin``, made once per pattern (for callers that lower the text themselves, once per text)."""
    return twin(pattern)


def _safe_code(code: int) -> bool:
    """A literal the twin may keep: ASCII but not A-Z, or a character without case ("–"), which
    IGNORECASE matches with itself only, never with an ASCII character."""
    if code < 128:
        return code not in _UPPER
    char = chr(code)
    return char.lower() == char == char.upper() and char.casefold() == char


def _safe(items) -> bool:  # items: a parsed subpattern or a list of (op, argument)
    c = _sre_constants
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL):
            if not _safe_code(av):
                return False
        elif op is c.IN:
            for kind, arg in av:
                if kind in (c.LITERAL, c.NOT_LITERAL):
                    if not _safe_code(arg):
                        return False
                elif kind is c.RANGE:
                    lo, hi = arg
                    if hi >= 128 or not (hi < _UPPER.start or lo >= _UPPER.stop):
                        return False
                elif kind not in (c.NEGATE, c.CATEGORY):
                    return False
        elif op is c.BRANCH:
            if not all(_safe(branch) for branch in av[1]):
                return False
        elif op is c.SUBPATTERN:
            if not _safe(av[3]):
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if not _safe(av[2]):
                return False
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if not _safe(av[1]):
                return False
        elif op is c.ATOMIC_GROUP:
            if not _safe(av):
                return False
        elif op not in (c.AT, c.ANY, c.GROUPREF):
            return False
    return True
