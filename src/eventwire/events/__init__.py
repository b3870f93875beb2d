"""Event stage: triggers -> candidates -> modality -> coding -> in-document merge.

triggers = find_triggers(doc)
events = extract_events(doc, mentions)   # mentions.triggers = triggers
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from eventwire.actors import get_actor_dictionary, localise_actor
from eventwire.events.candidates import (
    LEAD_SENTENCES,
    build_candidates,
    candidate_sentences,
    document_context,
    has_own_date,
    is_result,
    lead_index,
    told_as_known,
    unanchored,
)
from eventwire.events.coding import code_candidate, describe
from eventwire.events.lexicon import get_lexicon
from eventwire.events.merge import merge_in_document, place_level, places_compatible, take_place, unidentified
from eventwire.events.modality import ASSERTED
from eventwire.events.taxonomy import VIOLENT_EVENT_TYPES, family_of
from eventwire.model import Document, Event, Mentions, PlaceMention, Trigger

__all__ = ["candidate_sentences", "extract_events", "find_triggers", "get_lexicon"]

# "March" the month, not a protest march: a day or year next to it, or a word that introduces a date
_MONTH_BEFORE = re.compile(
    r"(?:\d|\b(?:in|on|of|since|until|till|by|from|to|early|late|mid|last|next|this|through|between|"
    r"during|before|after|and|or))[\s-]*$",
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(r"^[\s,]*\d")


def _is_month(text: str, start: int, end: int) -> bool:
    if text[start:end] != "March":
        return False
    return bool(
        _MONTH_AFTER.match(text[end : end + 6]) or _MONTH_BEFORE.search(text[max(0, start - 12) : start])
    )


def find_triggers(doc: Document) -> list[Trigger]:
    """Every trigger word in the document, with its (possibly unresolved) type; ignored terms dropped."""
    out = []
    for start, end, text, entry in get_lexicon().triggers.finditer(doc.text):
        if entry.type == "ignore" or _is_month(doc.text, start, end):
            continue
        plover = entry.plover or (None, None)
        out.append(Trigger(start, end, text, entry.type, "", entry.cameo, plover[0], plover[1], entry.weight))
    return out


def _refer_back(events: list[Event], coded: list[Event], *, result: bool) -> bool:
    """Attach a referring mention's evidence and counts to the latest event of its family; False when the
    report has told no such event yet (then the mention stands as an event of its own)."""
    from eventwire.dedup import absorb

    if not coded:
        return True
    family = family_of(coded[0].sub_event_type)
    if result:
        # a bare toll: the outcome of the violent event told just before it
        earlier = [e for e in events if e.event_type in VIOLENT_EVENT_TYPES]
    else:
        earlier = [e for e in events if family_of(e.sub_event_type) == family]
        if not earlier and coded[0].event_type in VIOLENT_EVENT_TYPES:
            # "the attack", "the gunman was shot dead": a definite mention of the violence told before,
            # whose own typing ("attack" read as violence against civilians) was less informed
            earlier = [e for e in events if e.event_type in VIOLENT_EVENT_TYPES]
    if not earlier:
        return False
    target = earlier[-1]
    for event in coded:
        # the earlier event keeps its own date and place: the reference borrowed them from the lead
        _date_of(target, event)
        event.geo_precision = None
        absorb(target, event, within_report=True)
    return True


def _date_of(target: Event, event: Event) -> None:
    """A referring mention happened when the event it refers to did."""
    event.date_start, event.date_end, event.event_date = target.date_start, target.date_end, target.event_date
    event.time_precision = target.time_precision


def _place_back(events: list[Event], coded: list[Event]) -> None:
    """A definite mention that adds only a place ("the raids targeted the town of Milis in Idlib province")
    gives it to the latest event of its kind when that one was told less precisely (the country, the
    province) and the places agree; otherwise it tells nothing to code."""
    from eventwire.dedup import absorb

    if not coded:
        return
    family = family_of(coded[0].sub_event_type)
    earlier = [e for e in events if family_of(e.sub_event_type) == family]
    if not earlier:
        return
    target = earlier[-1]
    for event in coded:
        if place_level(event) <= place_level(target) or not places_compatible(target, event):
            continue
        take_place(target, event)
        _date_of(target, event)
        absorb(target, event, within_report=True)


_LABEL = re.compile(r"^\s*(?:[\w'’.-]+\s+){0,2}[\w'’.-]+:\s")


def _topic_label(text: str, cand) -> bool:
    """A headline's story label before a colon ("Sahel crisis: Aid groups warn ...", "Gaza war: Talks
    resume ..."): it names the running story the report belongs to, not an event of this report."""
    if not cand.sentence.is_title:
        return False
    m = _LABEL.match(text, cand.sentence.start, cand.sentence.end)
    return m is not None and cand.trigger.end <= m.end()


# "this senseless act of violence", "these cowardly acts of terror": the deed told before, named again
_ACT_OF = re.compile(
    r"\b(?:this|these|that|those|such)\s+(?:[\w'’-]+\s+){0,2}acts?\s+of\s+(?:[\w'’-]+\s+)?$", re.I
)


def _same_kind(told: Event, mention: Event) -> bool:
    """Whether a later mention can be an event told before: the same kind of deed, or a mention typed only
    from the report's context ("the attack"), which may be any kind."""
    return family_of(told.sub_event_type) == family_of(mention.sub_event_type) or (
        "type_from_context" in mention.flags
    )


def _headline_told_again(doc: Document, events: list[Event]) -> list[Event]:
    """A headline names its event's place loosely, by the province or its capital ("Bombing in Diyala"
    over "a car bomb in the town of Khalis in Diyala province"): a violent event told only in
    the headline is the body's event of its kind in the same province, on a compatible date and with
    compatible actors (the body's place, told more precisely, stands), unless the body tells violence at the
    headline's own place."""
    from eventwire.dedup import absorb
    from eventwire.events.merge import actors_compatible, dates_compatible

    title = [s for s in doc.sentences if s.is_title]
    if not title:
        return events
    start, end = title[0].start, title[-1].end

    def in_title(event: Event) -> bool:
        return bool(event.evidence) and all(start <= ev.start < end for ev in event.evidence)

    body = [e for e in events if not in_title(e)]
    out: list[Event] = []
    for event in events:
        same = []
        told_there = any(b.event_type in VIOLENT_EVENT_TYPES and places_compatible(b, event) for b in body)
        if in_title(event) and event.event_type in VIOLENT_EVENT_TYPES and event.admin1 and not told_there:
            same = [
                b
                for b in body
                if b.event_type in VIOLENT_EVENT_TYPES
                and b.admin1 == event.admin1
                and place_level(b) == 3
                and not places_compatible(b, event)
                and _same_kind(b, event)
                and dates_compatible(b, event)
                and actors_compatible(b, event)
            ]
        if not same:
            out.append(event)
            continue
        for name in ("country", "iso3", "admin1", "location", "latitude", "longitude", "geonameid"):
            setattr(event, name, getattr(same[0], name))
        event.geo_precision = None
        absorb(same[0], event, within_report=True)
    return out


def _act_told_before(text: str, cand) -> bool:
    """A demonstrative "act of ..." with no date or place of its own refers to an event already told."""
    if not _ACT_OF.search(text, max(cand.sentence.start, cand.trigger.start - 80), cand.trigger.start):
        return False
    return unanchored(cand)


def _definite_undated(text: str, cand) -> bool:
    """A definite mention ("the deadly bombings in Kabul", "these raids on the camp") that brings no date of
    its own: told as known, it points back to an event the report has told."""
    return told_as_known(text, cand) and not has_own_date(cand)


def _placed_back(events: list[Event], coded: list[Event]) -> bool:
    """A definite, undated mention of violence at a place of an event told before ("the 2 March bombings
    in Kabul" ... "the deadly bombings in Kabul") is that event (ACLED: one event per place and day; the
    mention takes its date). False when no earlier violent event of the report is at that place."""
    from eventwire.dedup import absorb

    if not coded or any(e.event_type not in VIOLENT_EVENT_TYPES or place_level(e) < 3 for e in coded):
        return False
    earlier = [e for e in events if e.event_type in VIOLENT_EVENT_TYPES and place_level(e) == 3]
    targets = []
    for event in coded:
        same = [e for e in earlier if places_compatible(e, event) and _same_kind(e, event)]
        if not same:
            return False
        targets.append(same[-1])
    for target, event in zip(targets, coded, strict=True):
        _date_of(target, event)
        absorb(target, event, within_report=True)
    return True


def _main_place(lead: list[PlaceMention], everywhere: list[PlaceMention]) -> list[PlaceMention]:
    """The place an event stated without one falls back to: of the lead's most specific places, the one the
    report names most often (one place, not one event per place of the lead)."""
    if not lead:
        return []
    ranked = sorted(lead, key=lambda p: p.geo_precision)
    specific = [p for p in ranked if p.geo_precision == ranked[0].geo_precision]
    counts = Counter(p.place.geonameid for p in everywhere if p.place is not None and p.locational)
    return [max(specific, key=lambda p: (counts[p.place.geonameid], -p.start))]


def extract_events(doc: Document, mentions: Mentions) -> list[Event]:
    if any(d.dateline for d in mentions.dates):
        # the dateline glued to the first sentence dates the report, not the events told after it
        mentions = dataclasses.replace(mentions, dates=[d for d in mentions.dates if not d.dateline])
    for place in mentions.places:
        # "US and Syrian forces", "the Deir ez-Zor Military Council": a name inside an actor's is not where
        if place.locational and any(
            a.kind == "actor" and a.start <= place.start and place.end <= a.end for a in mentions.actors
        ):
            place.locational = False
    ctx = document_context(doc, mentions)
    candidates = build_candidates(doc, mentions, ctx)
    body = [s for s in doc.sentences if not s.is_title][:LEAD_SENTENCES]
    lead_end = body[-1].end if body else 0
    lead_places = _main_place(
        [
            p
            for p in mentions.places
            if p.end <= lead_end
            and p.locational
            and p.place is not None
            and not any(a.start <= p.start and p.end <= a.end for a in mentions.actors)
        ],
        mentions.places,
    )
    lead_dates = [d for d in mentions.dates if d.end <= lead_end and not d.historical]
    lead_date = lead_dates[0] if lead_dates else None
    last_of_lead = lead_index(doc)
    events: list[Event] = []
    for ordinal, cand in enumerate(candidates):
        if cand.modality != ASSERTED or _topic_label(doc.text, cand):
            continue
        coded = code_candidate(cand, ctx, lead_places, lead_date, mentions.dates, ordinal)
        if cand.places_reference:
            _place_back(events, coded)
            continue
        if _definite_undated(doc.text, cand) and _placed_back(events, coded):
            continue
        if (
            not cand.reference
            and _act_told_before(doc.text, cand)
            and _refer_back(events, coded, result=False)
        ):
            continue
        if cand.reference:
            result = is_result(doc.text, cand)
            if _refer_back(events, coded, result=result):
                continue
            if cand.sentence.index > last_of_lead:
                continue  # "the attacks come from the region": refers to nothing told, outside the lead
        events.extend(coded)
    merged = merge_in_document(_headline_told_again(doc, events))
    _name_the_perpetrator(merged, ctx.main_actor, mentions)
    for event in merged:
        event.notes = describe(event)
    return merged


_PERPETRATED = frozenset({"Explosions/Remote violence", "Violence against civilians"})


def _name_the_perpetrator(events: list[Event], main_actor: str | None, mentions: Mentions) -> None:
    """A report about attacks by one armed group ("Daesh targeted families out shopping for Eid") names the
    perpetrator of its unattributed attacks and bombings: when the report names exactly one non-state armed
    group, it stands for "Unidentified Armed Group" there (flagged, so a reviewer sees where it came from)."""
    armed = {a.actor for a in mentions.actors if a.kind == "actor" and a.inter in (2, 3)}
    if len(armed) != 1 or main_actor not in armed or unidentified(main_actor):
        return  # "armed men" named throughout a report are no named group
    info = get_actor_dictionary().info(main_actor)
    for event in events:
        if event.sub_event_type == "Air/drone strike":
            continue  # an armed group has no aircraft: a strike from the air is never lent to it
        if event.event_type in _PERPETRATED and (event.actor1 or "").startswith("Unidentified"):
            named = localise_actor(main_actor, event.country, event.date_start)  # "Islamic State (Iraq)"
            if event.actor2 in (main_actor, named):
                continue
            event.actor1 = named
            event.inter1 = info.inter_in(event.country) if info else event.inter1
            event.flags.append("actor_from_report")
