"""Same-story detection: syndicated copies and near-duplicate articles count once.

Before an article is extracted, its cleaned body (title left out: syndicating outlets rewrite headlines) is
cut into overlapping word 5-grams ("shingles"). A MinHash signature of the shingle set is stored with the
article and filed under LSH band keys, so that a new article meets only the stored articles that share a
band, never all of them. Each of those candidates is then compared exactly, on the shingles of its stored
text. The new article is a near copy of a stored one when it brings nothing of its own:

- at least COPY_CONTAINMENT (0.7) of its shingles are in the stored article, and
- no stretch of it that the stored article lacks is longer than NOVEL_RUN_MAX (12) shingles: reworded
  phrases, a byline or a dateline are short stretches (n new words make n + 4 new shingles), a sentence of
  its own (nine words or more) is not.

Both texts need MIN_SHINGLES shingles; shorter texts count as copies only when identical, through the
content hash. Why these values (tests/test_stories.py pins them on texts written for the tests): a
syndicated copy of a short report with a byline and two phrases reworded keeps only 0.73 of its shingles
in the original (each edit costs up to five), so containment alone would need a low threshold; but an
update of a story with one new paragraph (a higher toll, arrests) keeps 0.81 while carrying new facts. The
longest new stretch tells them apart: 6 and 11 shingles for the copies, 32 for the update. Two outlets'
own reports of one event share under 0.05 of their shingles.

LSH with 32 bands of 3 rows finds a pair with Jaccard similarity 0.5 with probability 0.986
(1 - (1 - 0.5^3)^32), 0.4 with 0.88, and two unrelated texts (0.01) with 0.00003; a copy that is a short
extract of a long original (Jaccard under 0.3) may be missed, and is then extracted as its own report.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS = 96
BANDS = 32
ROWS = PERMUTATIONS // BANDS
COPY_CONTAINMENT = 0.7
NOVEL_RUN_MAX = 12  # shingles: a passage of its own of nine words or more is news, not a copy
MIN_SHINGLES = 10

_WORD = re.compile(r"\w+", re.UNICODE)
_ASCII_WORD = re.compile(rb"\w+")  # on ASCII bytes, what _WORD finds in ASCII text


def _seeded(n: int) -> list[tuple[int, int]]:
    """Fixed (odd multiplier, offset) pairs: signatures must be the same in every process and release."""
    out = []
    for i in range(n):
        digest = hashlib.blake2b(f"eventwire-minhash-{i}".encode(), digest_size=16).digest()
        out.append((int.from_bytes(digest[:8], "big") | 1, int.from_bytes(digest[8:], "big")))
    return out


_HASHES = _seeded(PERMUTATIONS)
# The same pairs as columns: numpy's uint64 arithmetic wraps modulo 2**64 (multiply-shift on 64 bits), so
# the signature is computed for all shingles at once, 15x faster than a Python loop and with the same values.
_MULTIPLIERS = np.array([a for a, _ in _HASHES], dtype=np.uint64)[:, None]
_OFFSETS = np.array([b for _, b in _HASHES], dtype=np.uint64)[:, None]
_SHIFT = np.uint64(32)


def shingle_sequence(text: str) -> tuple[int, ...]:
    """64-bit hashes of the text's overlapping word 5-grams in text order (lower-cased; punctuation
    ignored)."""
    if text.isascii():
        # lower() changes no ASCII character's class, so the text is lowered and encoded once
        words = _ASCII_WORD.findall(text.lower().encode("ascii"))
    else:  # lowering a whole text could split a word ("İ" becomes "i" and a combining dot)
        words = [w.lower().encode("utf-8", "surrogatepass") for w in _WORD.findall(text)]
    # the UTF-8 of words joined by spaces is their UTF-8 joined by spaces: each word is encoded once
    blake2b, from_bytes, join = hashlib.blake2b, int.from_bytes, b" ".join
    return tuple(
        [
            from_bytes(blake2b(join(words[i : i + SHINGLE_WORDS]), digest_size=8).digest(), "big")
            for i in range(len(words) - SHINGLE_WORDS + 1)
        ]
    )


def shingles(text: str) -> frozenset[int]:
    return frozenset(shingle_sequence(text))


def signature(shingle_set: Iterable[int]) -> tuple[int, ...]:
    """MinHash: per hash function ((a * x + b) mod 2**64, top 32 bits), the least value over the shingles."""
    values = np.fromiter(shingle_set, dtype=np.uint64)
    if not values.size:
        raise ValueError("signature of an empty shingle set")  # min() of nothing, as before
    hashed = _MULTIPLIERS * values  # shape (PERMUTATIONS, shingles); then in place, no more temporaries
    hashed += _OFFSETS
    hashed >>= _SHIFT
    return tuple(hashed.min(axis=1).tolist())


def band_keys(sig: Sequence[int]) -> tuple[str, ...]:
    out = []
    for band in range(BANDS):
        rows = sig[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(b"".join(v.to_bytes(4, "big") for v in rows), digest_size=8).hexdigest()
        out.append(f"{band}:{digest}")
    return tuple(out)


@dataclass(slots=True, frozen=True)
class Fingerprint:
    shingles: frozenset[int]
    signature: tuple[int, ...]
    bands: tuple[str, ...]
    sequence: tuple[int, ...] = ()  # the shingles in text order (not stored)

    def encoded(self) -> str:
        """The signature as stored: 96 hex words of 8 digits."""
        return "".join(f"{v:08x}" for v in self.signature)


def fingerprint(body: str) -> Fingerprint | None:
    """The fingerprint of an article body; None when it is too short to match on anything but its hash."""
    sequence = shingle_sequence(body)
    sh = frozenset(sequence)
    if len(sh) < MIN_SHINGLES:
        return None
    sig = signature(sh)
    return Fingerprint(sh, sig, band_keys(sig), sequence)


def similarity(new: frozenset[int], old: frozenset[int]) -> tuple[float, float]:
    """(Jaccard similarity, share of the new article's shingles found in the old one)."""
    if not new or not old:
        return 0.0, 0.0
    shared = len(new & old)
    return shared / len(new | old), shared / len(new)


def longest_novel_run(sequence: Sequence[int], old: frozenset[int]) -> int:
    """The longest stretch of consecutive shingles of the new text that the old one lacks: a reworded
    phrase or a byline makes a short one, a sentence of its own a long one."""
    longest = run = 0
    for shingle in sequence:
        run = run + 1 if shingle not in old else 0
        longest = max(longest, run)
    return longest


def is_copy(new: Fingerprint, old: frozenset[int]) -> bool:
    """Is the article of ``new`` a near copy of the article whose shingles are ``old``?"""
    if len(new.shingles) < MIN_SHINGLES or len(old) < MIN_SHINGLES:
        return False
    if similarity(new.shingles, old)[1] < COPY_CONTAINMENT:
        return False
    return longest_novel_run(new.sequence or tuple(new.shingles), old) <= NOVEL_RUN_MAX


class ArticleStore(Protocol):
    """What StoryIndex needs from eventwire.store.Store."""

    def articles_sharing_bands(self, bands: Sequence[str]) -> list[str]: ...

    def article_bodies(self, article_ids: Sequence[str]) -> dict[str, str]: ...


class StoryIndex:
    """Finds the stored (or pending) article a new one is a near copy of.

    Pending articles are the originals accepted in this run and not stored yet (a batch analysed by worker
    processes); ``saved(article_id)`` hands one over to the store."""

    # Shingles of stored articles met as candidates, most recent last: templated or syndicated reports meet
    # the same stored articles again and again, and shingling a body costs more than the comparison.
    STORED_CACHE = 1024

    def __init__(self, store: ArticleStore | None = None) -> None:
        self._store = store
        self._pending: dict[str, Fingerprint] = {}
        self._pending_bands: dict[str, list[str]] = {}
        self._stored: OrderedDict[str, frozenset[int]] = OrderedDict()
        self.comparisons = 0

    def _stored_shingles(self, article_ids: list[str]) -> dict[str, frozenset[int]]:
        assert self._store is not None
        out: dict[str, frozenset[int]] = {}
        for article_id in article_ids:
            if article_id in self._stored:
                self._stored.move_to_end(article_id)
                out[article_id] = self._stored[article_id]
        missing = [a for a in article_ids if a not in out]
        if missing:
            for article_id, body in self._store.article_bodies(missing).items():
                out[article_id] = self._stored[article_id] = shingles(body)
        while len(self._stored) > self.STORED_CACHE:
            self._stored.popitem(last=False)
        return out

    def find_copy(self, fp: Fingerprint | None) -> str | None:
        """The id of the article ``fp``'s article copies (the most similar one), or None."""
        if fp is None:
            return None
        candidates: dict[str, frozenset[int] | None] = {}
        for band in fp.bands:
            for article_id in self._pending_bands.get(band, ()):
                candidates[article_id] = self._pending[article_id].shingles
        if self._store is not None:
            stored = [a for a in self._store.articles_sharing_bands(fp.bands) if a not in candidates]
            candidates.update(self._stored_shingles(stored))
        best: tuple[float, str] | None = None
        for article_id in sorted(candidates):
            old = candidates[article_id] or frozenset()
            self.comparisons += 1
            if is_copy(fp, old):
                contained = similarity(fp.shingles, old)[1]
                if best is None or contained > best[0]:
                    best = (contained, article_id)
        return best[1] if best else None

    def remember(self, article_id: str, fp: Fingerprint | None) -> None:
        """An original accepted in this run: matched by later articles until it is saved."""
        if fp is None:
            return
        self._pending[article_id] = fp
        for band in fp.bands:
            self._pending_bands.setdefault(band, []).append(article_id)

    def forget(self, article_id: str) -> None:
        """Drop a pending article: saved (the store answers for it now) or failed (never stored)."""
        fp = self._pending.pop(article_id, None)
        if fp is None:
            return
        for band in fp.bands:
            ids = self._pending_bands.get(band, [])
            if article_id in ids:
                ids.remove(article_id)
            if not ids:
                self._pending_bands.pop(band, None)

    saved = forget
