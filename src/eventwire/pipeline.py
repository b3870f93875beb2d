"""The extraction pipeline: one article in, its document and events out.

ingest -> clean -> nlp -> fingerprint (``prepare``) -> triggers -> (places, dates, quantities, actors)
-> events (``extract``). ``eventwire.run`` checks each prepared article against the stored ones between
the two steps, so that a near copy of a stored article is never extracted. Cross-article work (same-story
detection, dedup, storing) happens there; this module is per article and stateless apart from the
knowledge bases each stage loads once per process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventwire import actors, dates, events, places, quantities, stories
from eventwire.clean import clean
from eventwire.model import Article, Document, Event, Mentions
from eventwire.nlp import segment

# The stages in the order they run, as named in the timings of ``analyse`` (benchmarks/throughput.py).
STAGES = ("clean", "segment", "dates", "fingerprint", "triggers", "places", "quantities", "actors", "events")


@dataclass(slots=True)
class Prepared:
    """An article cleaned and segmented, with its date and its same-story fingerprint."""

    document: Document
    fingerprint: stories.Fingerprint | None


@dataclass(slots=True)
class ArticleResult:
    document: Document
    mentions: Mentions
    events: list[Event] = field(default_factory=list)
    fingerprint: stories.Fingerprint | None = None


class _Clock:
    """Adds each stage's time to ``timings`` (seconds by stage name); free when there is none."""

    __slots__ = ("clock", "timings")

    def __init__(self, timings: dict[str, float] | None, clock: Callable[[], float]) -> None:
        self.timings = timings
        self.clock = clock

    def __call__(self, stage: str, fn: Callable[..., Any], *args: Any) -> Any:
        if self.timings is None:
            return fn(*args)
        started = self.clock()
        try:
            return fn(*args)
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + self.clock() - started


def prepare(
    article: Article,
    timings: dict[str, float] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Prepared:
    """Clean, segment, date and fingerprint one article. Raises only on programming errors."""
    run = _Clock(timings, clock)
    doc = run("segment", segment, run("clean", clean, article))
    doc.doc_date, doc.doc_date_confidence, doc.doc_date_source = run("dates", dates.document_date, doc)
    return Prepared(doc, run("fingerprint", stories.fingerprint, doc.text[doc.title_end :]))


def extract(
    prepared: Prepared,
    timings: dict[str, float] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> ArticleResult:
    """Run the recognisers and the event stage on a prepared article."""
    run = _Clock(timings, clock)
    doc = prepared.document
    triggers = run("triggers", events.find_triggers, doc)
    # counts matter only where the event stage can make a candidate: they are sought only there
    counted = events.candidate_sentences(doc, triggers)
    found_places = run("places", places.find_places, doc)
    mentions = Mentions(
        places=found_places,
        dates=run("dates", dates.find_dates, doc, doc.doc_date),
        quantities=run("quantities", quantities.find_quantities, doc, counted),
        actors=run("actors", actors.find_actors, doc, doc.doc_date, found_places),
        triggers=triggers,
    )
    return ArticleResult(
        doc, mentions, run("events", events.extract_events, doc, mentions), prepared.fingerprint
    )


def analyse(
    article: Article,
    timings: dict[str, float] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> ArticleResult:
    """Run every per-article stage. Raises only on programming errors, never on odd text.

    ``timings``, when given, accumulates the seconds spent in each of ``STAGES`` as told by ``clock``
    (wall time by default; ``time.process_time`` for CPU time on a busy machine)."""
    return extract(prepare(article, timings, clock), timings, clock)


def warm_up() -> None:
    """Load every knowledge base now (once per process), so the first article is not slow."""
    places.get_gazetteer()
    actors.get_actor_dictionary()
    events.get_lexicon()
