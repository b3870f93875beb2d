"""Cross-report event coreference: reports of one event become one event with all its sources.

    merger = Deduplicator(StoreIndex(store))     # or Deduplicator() for an in-memory index
    to_save, merged = merger.merge(events_of_one_article)

For each new event: the candidates filed under its blocking keys (``blocking``: sub-event family, week,
grid cell or country), then the decision (``decide``: hard contradictions, then support from date, place,
actors, tolls, names and wording), then the reconciliation (``reconcile``: ACLED's conservative toll, the
most precise date and place, conflicts recorded). The event merged into keeps its id; events of undated
reports, of vague dates and without any place never merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eventwire.dedup.decide import THRESHOLD, Assessment, assess, bridge, choose, passes
from eventwire.dedup.features import Features, features
from eventwire.dedup.index import CandidateIndex, MemoryIndex, StoreIndex
from eventwire.dedup.reconcile import absorb
from eventwire.model import Event

__all__ = ["CandidateIndex", "Deduplicator", "MemoryIndex", "MergeStats", "Merged", "StoreIndex", "absorb"]

POSSIBLE_DUPLICATE = "possible_duplicate"
REFOLD = True


@dataclass(slots=True)
class MergeStats:
    events: int = 0
    merged: int = 0
    folded: int = 0
    comparisons: int = 0
    ambiguous: int = 0  # fitted several known events equally well, so joined none (flagged)


@dataclass(slots=True)
class Merged:
    """What one ``merge`` call did: the events to save (new ones and updated known ones, each once), how
    many new events joined known ones, and known events folded into others (absorbed id -> kept id),
    which the store marks ``merged_into`` so that their ids keep resolving."""

    events: list[Event] = field(default_factory=list)
    merged: int = 0
    folded: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Match:
    target: Event
    fold: list[Event] = field(default_factory=list)  # known events the report shows to be the target too


class Deduplicator:
    """Merges new events into the known ones of an index."""

    def __init__(self, index: CandidateIndex | None = None) -> None:
        self.index: CandidateIndex = index if index is not None else MemoryIndex()
        self.stats = MergeStats()

    def _match(self, event: Event, mine: Features | None) -> _Match | None:
        if mine is None:
            return None
        scored: list[tuple[Assessment, str]] = []
        known_by_id: dict[str, tuple[Event, Features]] = {}
        for known, theirs in self.index.candidates(event):
            self.stats.comparisons += 1
            verdict = assess(mine, theirs)
            if verdict is not None:
                scored.append((verdict, known.event_id))
                known_by_id[known.event_id] = (known, theirs)
        chosen = choose(scored)
        if chosen is not None:
            return _Match(known_by_id[chosen][0])
        same = bridge(scored, lambda a, b: assess(known_by_id[a][1], known_by_id[b][1]))
        if same is not None and all(known_by_id[i][0].review_status == "machine" for i in same):
            return _Match(known_by_id[same[0]][0], [known_by_id[i][0] for i in same[1:]])
        if len(scored) > 1 and any(s[0].support >= THRESHOLD for s in scored):
            self.stats.ambiguous += 1
            if POSSIBLE_DUPLICATE not in event.flags:
                event.flags.append(POSSIBLE_DUPLICATE)
        return None

    def _fold(self, known: Event, other: Event, result: Merged, out: dict[str, Event]) -> None:
        """``other`` (a known event) is the same event as ``known``: into it, and out of the index."""
        absorb(known, other)
        self.index.remove(other.event_id)
        out.pop(other.event_id, None)
        for absorbed, kept in list(result.folded.items()):
            if kept == other.event_id:
                result.folded[absorbed] = known.event_id
        result.folded[other.event_id] = known.event_id
        self.stats.folded += 1

    def _now_matching(self, known: Event) -> list[Event]:
        """Known events that a merge has made recognisable as the same event as ``known``: each passes
        against it now and has no other candidate as good (an early vague report, once the event has a
        precise one)."""
        if known.review_status != "machine":
            return []
        mine = features(known)
        if mine is None:
            return []
        out = []
        for other, theirs in list(self.index.candidates(known)):
            if other.event_id == known.event_id or other.review_status != "machine":
                continue
            verdict = assess(theirs, mine)
            if verdict is None or not passes(verdict):
                continue
            rivals = [
                (v, cand.event_id)
                for cand, cand_f in self.index.candidates(other)
                if cand.event_id != other.event_id and (v := assess(theirs, cand_f)) is not None
            ]
            if choose(rivals) == known.event_id:
                out.append(other)
        return out

    def find(self, event: Event) -> Event | None:
        """The known event this one reports, or None."""
        match = self._match(event, features(event))
        return match.target if match else None

    def merge(self, events: list[Event]) -> Merged:
        """Merge new events (of one article) into the known ones."""
        result = Merged()
        out: dict[str, Event] = {}
        for event in events:
            self.stats.events += 1
            mine = features(event)
            match = self._match(event, mine)
            if match is None:
                self.index.add(event, mine)
                out[event.event_id] = event
                continue
            known = match.target
            absorb(known, event)
            for other in match.fold:
                self._fold(known, other, result, out)
            self.index.update(known)
            if REFOLD:
                for other in self._now_matching(known):
                    self._fold(known, other, result, out)
                self.index.update(known)
            result.merged += 1
            out[known.event_id] = known
        self.stats.merged += result.merged
        result.events = list(out.values())
        return result
