"""The extraction pipeline: one article in, its document and events out.

ingest -> clean -> nlp -> (places, dates, quantities, actors, triggers) -> events
Cross-article work (dedup, storing) happens in ``eventwire.run``; this module is per article and
stateless apart from the knowledge bases each stage loads once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eventwire import actors, dates, events, places, quantities
from eventwire.clean import clean
from eventwire.model import Article, Document, Event, Mentions
from eventwire.nlp import segment


@dataclass(slots=True)
class ArticleResult:
    document: Document
    mentions: Mentions
    events: list[Event] = field(default_factory=list)


def analyse(article: Article) -> ArticleResult:
    """Run every per-article stage. Raises only on programming errors, never on odd text."""
    doc = segment(clean(article))
    doc.doc_date, doc.doc_date_confidence, doc.doc_date_source = dates.document_date(doc)
    mentions = Mentions(
        places=places.find_places(doc),
        dates=dates.find_dates(doc, doc.doc_date),
        quantities=quantities.find_quantities(doc),
        actors=actors.find_actors(doc, doc.doc_date),
        triggers=events.find_triggers(doc),
    )
    return ArticleResult(doc, mentions, events.extract_events(doc, mentions))


def warm_up() -> None:
    """Load every knowledge base now (once per process), so the first article is not slow."""
    places.get_gazetteer()
    actors.get_actor_dictionary()
    events.get_lexicon()
