"""Event stage: triggers -> candidates -> modality -> coding -> in-document merge.

triggers = find_triggers(doc)
events = extract_events(doc, mentions)   # mentions.triggers = triggers
"""

from __future__ import annotations

from eventwire.events.candidates import build_candidates, document_context
from eventwire.events.coding import code_candidate, describe
from eventwire.events.lexicon import get_lexicon
from eventwire.events.merge import merge_in_document
from eventwire.events.modality import ASSERTED
from eventwire.model import Document, Event, Mentions, Trigger

__all__ = ["extract_events", "find_triggers", "get_lexicon"]

_LEAD_SENTENCES = 3


def find_triggers(doc: Document) -> list[Trigger]:
    """Every trigger word in the document, with its (possibly unresolved) type; ignored terms dropped."""
    out = []
    for start, end, text, entry in get_lexicon().triggers.finditer(doc.text):
        if entry.type == "ignore":
            continue
        plover = entry.plover or (None, None)
        out.append(Trigger(start, end, text, entry.type, "", entry.cameo, plover[0], plover[1], entry.weight))
    return out


def extract_events(doc: Document, mentions: Mentions) -> list[Event]:
    ctx = document_context(doc, mentions)
    candidates = build_candidates(doc, mentions, ctx)
    body = [s for s in doc.sentences if not s.is_title][:_LEAD_SENTENCES]
    lead_end = body[-1].end if body else 0
    lead_places = [p for p in mentions.places if p.end <= lead_end and p.locational and p.place is not None]
    lead_dates = [d for d in mentions.dates if d.end <= lead_end and not d.historical]
    lead_date = lead_dates[0] if lead_dates else None
    events: list[Event] = []
    for ordinal, cand in enumerate(candidates):
        if cand.modality != ASSERTED:
            continue
        events.extend(code_candidate(cand, ctx, lead_places, lead_date, mentions.dates, ordinal))
    merged = merge_in_document(events)
    for event in merged:
        event.notes = describe(event)
    return merged
