"""What `eventwire watch` polls: folders and files on disk, and feeds at http(s) URLs.

A poll returns the items that are new or changed since the stamps recorded for the source: a file's size
and modification time, a feed entry's content hash. Items are read with the same readers as `extract`.
A SourceError means the source as a whole failed this time (missing folder, HTTP error, not a feed); a bad
file or entry inside a source is an ordinary read error of that item, not a failure of the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from eventwire import ingest
from eventwire.ingest.feeds import read_feed
from eventwire.model import Article, ReadError
from eventwire.watch.fetch import FetchError, fetch

Item = Article | ReadError


class SourceError(Exception):
    """The whole source failed this poll; the message is one line for the user."""


@dataclass(slots=True)
class Change:
    """A new or changed item of a source; ``read`` gives its articles (and read errors)."""

    key: str
    stamp: str | None  # None: not recorded, so the item comes back at every poll (e.g. an unreadable folder)
    read: Callable[[], Iterable[Item]]


@dataclass(slots=True)
class Poll:
    changes: list[Change]
    # Validators for the next request (feeds): stored only once every change has been ingested.
    etag: str | None = None
    last_modified: str | None = None


class Source(Protocol):
    key: str

    def poll(self, state: Mapping[str, Any], seen: Mapping[str, str]) -> Poll: ...


def is_url(name: str) -> bool:
    return "://" in name


def make_source(name: str, *, timeout: float = 30.0) -> Source:
    """A source for a command-line argument: an http(s) URL is a feed, anything else a path."""
    if is_url(name):
        scheme = urlsplit(name).scheme.lower()
        if scheme not in ("http", "https"):
            raise ValueError(f"unsupported URL scheme {scheme!r} (http and https feeds, or paths)")
        return FeedSource(name, timeout=timeout)
    return PathSource(Path(name))


class PathSource:
    """A folder (walked recursively, as `extract` does) or a single file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.key = str(path.resolve())

    def poll(self, state: Mapping[str, Any], seen: Mapping[str, str]) -> Poll:
        if not self.path.exists():
            raise SourceError("no such file or directory")
        if not self.path.is_dir() and not self.path.is_file():
            raise SourceError("not a regular file or directory")
        changes: list[Change] = []
        for entry in ingest.iter_input_files([str(self.path)]):
            if isinstance(entry, ReadError):
                # A skipped file (unknown extension) is noted once; an unreadable folder at every poll.
                skipped = entry.reason.startswith(ingest.SKIPPED_PREFIX)
                key = str(Path(entry.origin).resolve()) if skipped else entry.origin
                if not skipped or seen.get(key) != "skipped":
                    changes.append(Change(key, "skipped" if skipped else None, lambda e=entry: [e]))
                continue
            try:
                info = entry.stat()
            except OSError as exc:  # removed between the listing and now
                changes.append(Change(str(entry), None, lambda e=entry, x=exc: [ReadError(str(e), str(x))]))
                continue
            key, stamp = str(entry.resolve()), f"{info.st_size}:{info.st_mtime_ns}"
            if seen.get(key) != stamp:
                changes.append(Change(key, stamp, lambda e=entry: ingest.read_path(e)))
        return Poll(changes)


class FeedSource:
    """An RSS or Atom feed at an http(s) URL, fetched conditionally."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        self.url = self.key = url
        self.timeout = timeout

    def poll(self, state: Mapping[str, Any], seen: Mapping[str, str]) -> Poll:
        try:
            got = fetch(
                self.url,
                etag=state.get("etag"),
                last_modified=state.get("last_modified"),
                timeout=self.timeout,
            )
        except FetchError as exc:
            raise SourceError(str(exc)) from None
        if got.data is None:  # 304 Not Modified
            return Poll([], got.etag, got.last_modified)
        path = Path(urlsplit(self.url).path or "feed")
        try:
            items = read_feed(path, got.data, origin=self.url)
        except Exception as exc:  # the parser's own failure on odd bytes
            raise SourceError(f"could not be parsed ({type(exc).__name__})") from None
        whole = [i for i in items if isinstance(i, ReadError) and i.origin == self.url]
        if whole and whole[0].reason != "feed has no entries":
            raise SourceError(whole[0].reason)
        return Poll(_entry_changes(items, seen), got.etag, got.last_modified)


def _entry_changes(items: list[Item], seen: Mapping[str, str]) -> list[Change]:
    """One change per new or changed entry: an article with the warnings that follow it, or an entry that
    could not be read (keyed by its position, reported once)."""
    groups: list[list[Item]] = []
    for item in items:
        if isinstance(item, ReadError) and item.reason.startswith(ingest.WARNING_PREFIX) and groups:
            groups[-1].append(item)
        else:
            groups.append([item])
    changes: list[Change] = []
    for group in groups:
        head = group[0]
        if isinstance(head, Article):
            key, stamp = head.id, head.raw_hash
        elif ":entry " in head.origin:
            key, stamp = head.origin, head.reason
        else:
            continue  # the "no entries" note of an empty feed
        if seen.get(key) != stamp:
            changes.append(Change(key, stamp, lambda g=group: g))
    return changes
