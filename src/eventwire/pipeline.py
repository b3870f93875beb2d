"""The extraction pipeline: one article in, its document and events out.

ingest -> clean -> nlp -> fingerprint (``prepare``) -> (places, dates, quantities, actors, triggers) -> events
(``extract``). ``eventwire.run`` checks each prepared article against the stored ones between the two
steps, so that a near copy of a stored article is never extracted. Cross-article work (same-story
detection, dedup, storing) happens there; this module is per article and stateless apart from the
knowledge bases each stage loads once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eventwire import actors, dates, events, places, quantities, stories
from eventwire.clean import clean
from eventwire.model import Article, Document, Event, Mentions
from eventwire.nlp import segment


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


def prepare(article: Article) -> Prepared:
    """Clean, segment, date and fingerprint one article. Raises only on programming errors."""
    doc = segment(clean(article))
    doc.doc_date, doc.doc_date_confidence, doc.doc_date_source = dates.document_date(doc)
    return Prepared(doc, stories.fingerprint(doc.text[doc.title_end :]))


def extract(prepared: Prepared) -> ArticleResult:
    """Run the recognisers and the event stage on a prepared article."""
    doc = prepared.document
    mentions = Mentions(
        places=places.find_places(doc),
        dates=dates.find_dates(doc, doc.doc_date),
        quantities=quantities.find_quantities(doc),
        actors=actors.find_actors(doc, doc.doc_date),
        triggers=events.find_triggers(doc),
    )
    return ArticleResult(doc, mentions, events.extract_events(doc, mentions), prepared.fingerprint)


def analyse(article: Article) -> ArticleResult:
    """Run every per-article stage. Raises only on programming errors, never on odd text."""
    return extract(prepare(article))


def warm_up() -> None:
    """Load every knowledge base now (once per process), so the first article is not slow."""
    places.get_gazetteer()
    actors.get_actor_dictionary()
    events.get_lexicon()
