"""Where the Deduplicator finds candidates: in memory, or in the store's ``event_blocks`` table.

Both file events under the same blocking keys (``blocking``), so a run against a database compares each new
event with exactly the events an in-memory run would, without loading the store into memory: each new event
costs one indexed query for the few events filed under its neighbourhood's keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from eventwire.dedup.blocking import index_keys, query_keys
from eventwire.dedup.features import Features, features
from eventwire.model import Event


class CandidateIndex(Protocol):
    def candidates(self, event: Event) -> Iterable[tuple[Event, Features]]: ...

    def add(self, event: Event, feats: Features | None = None) -> None: ...

    def update(self, event: Event) -> None: ...

    def remove(self, event_id: str) -> None: ...


class BlockStore(Protocol):
    """What StoreIndex needs from eventwire.store.Store."""

    def events_in_blocks(self, keys: Sequence[str]) -> list[Event]: ...


class MemoryIndex:
    """Events and their features by id, and event ids by blocking key (insertion-ordered, so results do not
    depend on hashing)."""

    def __init__(self) -> None:
        self._events: dict[str, tuple[Event, Features]] = {}
        self._keys: dict[str, list[str]] = {}
        self._blocks: dict[str, dict[str, None]] = {}

    def __len__(self) -> int:
        return len(self._events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._events

    def candidates(self, event: Event) -> Iterable[tuple[Event, Features]]:
        seen: set[str] = set()
        for key in query_keys(event):
            for event_id in self._blocks.get(key, ()):
                if event_id not in seen:
                    seen.add(event_id)
                    yield self._events[event_id]

    def add(self, event: Event, feats: Features | None = None) -> None:
        feats = feats or features(event)
        if feats is None:
            return
        keys = index_keys(event)
        self._events[event.event_id] = (event, feats)
        self._keys[event.event_id] = keys
        for key in keys:
            self._blocks.setdefault(key, {})[event.event_id] = None

    def update(self, event: Event) -> None:
        """Re-file an event whose date, place or evidence changed (after a merge)."""
        self.remove(event.event_id)
        self.add(event)

    def remove(self, event_id: str) -> None:
        self._events.pop(event_id, None)
        for key in self._keys.pop(event_id, ()):
            block = self._blocks.get(key)
            if block is not None:
                block.pop(event_id, None)
                if not block:
                    del self._blocks[key]

    def clear(self) -> None:
        self._events.clear()
        self._keys.clear()
        self._blocks.clear()


class StoreIndex:
    """Candidates from the store, plus the events of this run not yet saved (``pending``).

    The caller saves what ``Deduplicator.merge`` returns and then calls ``saved()``; until then the changed
    events live in memory and take precedence over their stored versions."""

    def __init__(self, store: BlockStore) -> None:
        self._store = store
        self._pending = MemoryIndex()
        self._removed: set[str] = set()  # folded into another event, not saved yet

    def candidates(self, event: Event) -> Iterable[tuple[Event, Features]]:
        yield from self._pending.candidates(event)
        keys = query_keys(event)
        if not keys:
            return
        for stored in self._store.events_in_blocks(keys):
            if stored.event_id in self._pending or stored.event_id in self._removed:
                continue
            feats = features(stored)
            if feats is not None:
                yield stored, feats

    def add(self, event: Event, feats: Features | None = None) -> None:
        self._pending.add(event, feats)

    def update(self, event: Event) -> None:
        self._pending.update(event)

    def remove(self, event_id: str) -> None:
        self._pending.remove(event_id)
        self._removed.add(event_id)

    def saved(self) -> None:
        self._pending.clear()
        self._removed.clear()
