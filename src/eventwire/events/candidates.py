"""Triggers -> candidates: decide each trigger's sub-event type and link its arguments in the sentence.

A candidate is one reported event in one sentence: the trigger that names it, the actors on either side, the
places, dates and counts around it, and who the sentence attributes it to. Several triggers of one sentence
that describe the same incident ("airstrikes ... targeted ... killing") become one candidate.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from eventwire.events.lexicon import get_lexicon
from eventwire.events.modality import ASSERTED, modality
from eventwire.events.taxonomy import family_of, taxonomy
from eventwire.model import ActorMention, Candidate, Document, Mentions, Sentence, Trigger

_STATE_INTERS = {1}
_CIVILIAN_WORDS = re.compile(
    r"\b(?:civilians?|residents?|villagers?|passers-?by|worshippers|children|women|families|"
    r"students|journalists?|farmers|shepherds|displaced|refugees|aid workers?|doctors|patients)\b",
    re.IGNORECASE,
)
_PEOPLE_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:people|persons?|men|women|children|members?|militants?|fighters?|suspects?|"
    r"civilians?|soldiers?|officers?|leaders?|commanders?|journalists?|activists?|workers?|"
    r"individuals?|prisoners?|detainees?|hostages?|crew|pilots?|operatives?|terrorists?|jihadists?|him|her|them)\b",
    re.IGNORECASE,
)
_PASSIVE_BY = re.compile(r"^\W*(?:\w+\W+){0,6}?by\s+$|\bby\s*$", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"\b(?:according to|said|says|told|reported|claimed|announced|stated|confirmed|quoted)\b", re.IGNORECASE
)
_PROTEST_WORDS = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies)|marchers|crowds?)\b", re.IGNORECASE)
_TERRITORY_OBJECT = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:town|city|village|district|area|region|province|governorate|base|airbase|"
    r"airport|hill|neighbou?rhood|positions?|territory|checkpoint|crossing|dam|field|border|outskirts|control)\b",
    re.IGNORECASE,
)
_OUT_OF = re.compile(r"^\W*(?:\w+\W+){0,5}?(?:out of|from)\b", re.IGNORECASE)


@dataclass(slots=True)
class DocContext:
    """What the whole document says, used where a sentence is silent."""

    main_actor: str | None = None  # the armed non-state actor the report is about
    main_state_actor: str | None = None
    dominant_mode: str | None = None
    modes: list[tuple[int, int, str]] = field(default_factory=list)
    mode_starts: list[int] = field(default_factory=list)


def document_context(doc: Document, mentions: Mentions) -> DocContext:
    ctx = DocContext()
    armed = Counter(a.actor for a in mentions.actors if a.kind == "actor" and a.inter in (2, 3, 4))
    state = Counter(a.actor for a in mentions.actors if a.kind == "actor" and a.inter in _STATE_INTERS)
    ctx.main_actor = armed.most_common(1)[0][0] if armed else None
    ctx.main_state_actor = state.most_common(1)[0][0] if state else None
    lex = get_lexicon()
    ctx.modes = [(s, e, mode) for s, e, _, mode in lex.modes.finditer(doc.text)]
    ctx.mode_starts = [s for s, _, _ in ctx.modes]
    counts = Counter(mode for _, _, mode in ctx.modes if mode not in ("firearms",))
    ctx.dominant_mode = counts.most_common(1)[0][0] if counts else None
    return ctx


class _Spans:
    """Mentions (anything with .start and .end) by position: the ones inside a sentence in a bisect when
    they come sorted by start, as every recogniser returns them; a full scan otherwise. Same order."""

    __slots__ = ("items", "starts")

    def __init__(self, items: list) -> None:
        self.items = items
        starts = [x.start for x in items]
        self.starts = starts if all(a <= b for a, b in pairwise(starts)) else None

    def inside(self, start: int, end: int) -> list:
        if self.starts is None:
            return [x for x in self.items if start <= x.start and x.end <= end]
        out = []
        items = self.items
        for k in range(bisect_left(self.starts, start), len(items)):
            x = items[k]
            if x.start > end:
                break
            if x.end <= end:
                out.append(x)
        return out


def _mode_near(ctx: DocContext, sentence: Sentence, trigger: Trigger) -> str | None:
    """The weapon named closest to the trigger inside its sentence."""
    best = None
    best_distance = None
    modes = ctx.modes  # in text order
    for k in range(bisect_left(ctx.mode_starts, sentence.start), len(modes)):
        s, e, mode = modes[k]
        if s >= sentence.end:
            break
        if e > sentence.end:
            continue
        distance = trigger.start - e if e <= trigger.start else s - trigger.end
        distance = abs(distance)
        if best_distance is None or distance < best_distance:
            best, best_distance = mode, distance
    return best


_MODE_TYPES = {
    "suicide": "Suicide bomb",
    "chemical": "Chemical weapon",
    "drone": "Air/drone strike",
    "aerial": "Air/drone strike",
    "artillery": "Shelling/artillery/missile attack",
    "explosives": "Remote explosive/landmine/IED",
    "grenade": "Grenade",
}


def _targets_civilians(sentence_text: str, actors: list[ActorMention]) -> bool:
    if any(a.inter == 7 for a in actors):
        return True
    return bool(_CIVILIAN_WORDS.search(sentence_text))


def _armed_target(actors: list[ActorMention], trigger: Trigger) -> bool:
    return any(a.inter in (1, 2, 3, 4, 8) and a.start > trigger.end for a in actors)


def resolve_type(
    trigger: Trigger, doc: Document, sentence: Sentence, actors: list[ActorMention], ctx: DocContext
) -> str | None:
    """The ACLED sub-event type a trigger reports here, or None when it reports no event."""
    kind = trigger.sub_event_type
    text = doc.text
    after = text[trigger.end : sentence.end]
    if kind in ("@strike", "@attack"):
        mode = _mode_near(ctx, sentence, trigger)
        if mode in _MODE_TYPES:
            return _MODE_TYPES[mode]
        if kind == "@attack" or mode == "firearms":
            if _targets_civilians(sentence.text, actors) and not _armed_target(actors, trigger):
                return "Attack"
            if any(a.inter in (1, 2, 3, 4, 8) for a in actors):
                return "Armed clash"
            return None
        if ctx.dominant_mode in _MODE_TYPES:
            return _MODE_TYPES[ctx.dominant_mode]
        return None
    if kind == "@capture":
        if _PEOPLE_AFTER.match(after):
            return "Abduction/forced disappearance" if _actor1_non_state(actors, trigger) else "Arrests"
        if _TERRITORY_OBJECT.match(after) or _place_follows(doc, trigger, sentence):
            return _territory_type(actors, trigger, ctx)
        return None
    if kind == "@territory":
        low = trigger.text.lower()
        if low in ("drove", "expelled", "pushed out") and not _OUT_OF.match(after):
            return None
        return _territory_type(actors, trigger, ctx)
    if kind in ("Peaceful protest",) and _PROTEST_WORDS.search(sentence.text) is None:
        return kind  # e.g. "hunger strike": the trigger itself names the protest
    return kind


def _place_follows(doc: Document, trigger: Trigger, sentence: Sentence) -> bool:
    """True when a capitalised name follows the trigger closely ("seized Maskanah")."""
    after = doc.text[trigger.end : min(sentence.end, trigger.end + 40)]
    return bool(re.match(r"^\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+|village\s+of\s+)?[A-Z][\w'-]+", after))


def _actor1_non_state(actors: list[ActorMention], trigger: Trigger) -> bool:
    before = [a for a in actors if a.end <= trigger.start]
    return bool(before) and before[-1].inter not in _STATE_INTERS


def _territory_type(actors: list[ActorMention], trigger: Trigger, ctx: DocContext) -> str:
    before = [a for a in actors if a.end <= trigger.start and a.kind == "actor"]
    actor = before[-1] if before else None
    if actor is None:
        return "Non-state actor overtakes territory" if ctx.main_actor else "Government regains territory"
    return (
        "Government regains territory"
        if actor.inter in _STATE_INTERS
        else "Non-state actor overtakes territory"
    )


def _attribution_spans(sentence: Sentence, text: str) -> list[tuple[int, int]]:
    """Parts of a sentence that only say who reports: "according to X", "X said"."""
    spans = []
    s_text = sentence.text
    for m in re.finditer(r"according to [^,.;]+", s_text, re.IGNORECASE):
        spans.append((sentence.start + m.start(), sentence.start + m.end()))
    m = re.search(
        r",\s*(?:the\s+)?[^,]{0,60}\b(?:said|says|reported|announced|added|stated)\b[^,]*[.]?$", s_text
    )
    if m:
        spans.append((sentence.start + m.start(), sentence.start + m.end()))
    return spans


def build_candidates(doc: Document, mentions: Mentions, ctx: DocContext) -> list[Candidate]:
    """One candidate per reported event per sentence, with its arguments."""
    by_start = sorted(mentions.triggers, key=lambda t: t.start)
    starts = [t.start for t in by_start]
    candidates: list[Candidate] = []
    actor_spans, place_spans = _Spans(mentions.actors), _Spans(mentions.places)
    date_spans, quantity_spans = _Spans(mentions.dates), _Spans(mentions.quantities)
    for sentence in doc.sentences:
        lo = bisect_left(starts, sentence.start)
        hi = bisect_left(starts, sentence.end)
        triggers = by_start[lo:hi]
        if not triggers:
            continue
        actors_all = actor_spans.inside(sentence.start, sentence.end)
        attribution = _attribution_spans(sentence, doc.text)
        claimants = [a for a in actors_all if a.kind == "source"]
        actors = [
            a
            for a in actors_all
            if a.kind == "actor" and not any(s <= a.start and a.end <= e for s, e in attribution)
        ]
        claimants += [
            a
            for a in actors_all
            if a.kind == "actor" and any(s <= a.start and a.end <= e for s, e in attribution)
        ]
        chosen: dict[str, Candidate] = {}
        for trigger in triggers:
            rel_start = trigger.start - sentence.start
            mod = modality(sentence.text, rel_start, rel_start + (trigger.end - trigger.start))
            sub_type = resolve_type(trigger, doc, sentence, actors, ctx)
            if sub_type is None:
                continue
            entry = taxonomy()[sub_type]
            resolved = Trigger(
                trigger.start,
                trigger.end,
                trigger.text,
                sub_type,
                entry.event_type,
                trigger.cameo or entry.cameo,
                trigger.plover_event or entry.plover_event,
                trigger.plover_mode or entry.plover_mode,
                trigger.weight,
            )
            family = family_of(sub_type)
            current = chosen.get(family)
            if current is None:
                cand = Candidate(doc, sentence, resolved, modality=mod)
                chosen[family] = cand
            else:
                # Keep the most specific trigger of the family; a hedged one never overrides an asserted one.
                if (mod == ASSERTED, resolved.weight) > (
                    current.modality == ASSERTED,
                    current.trigger.weight,
                ):
                    current.trigger = resolved
                    current.modality = mod
        # "killing 12 militants" after "airstrikes ..." is the result of the strike, not another event.
        if len(chosen) > 1 and "ground" in chosen and chosen["ground"].trigger.weight < 0.7:
            del chosen["ground"]
        if (
            (
                len(chosen) > 1
                and "civilians" in chosen
                and chosen["civilians"].trigger.sub_event_type == "Attack"
            )
            and any(f in chosen for f in ("remote", "bombing"))
            and chosen["civilians"].trigger.weight < 0.8
        ):
            del chosen["civilians"]
        for cand in chosen.values():
            cand.actors = actors
            cand.places = place_spans.inside(sentence.start, sentence.end)
            cand.dates = date_spans.inside(sentence.start, sentence.end)
            cand.quantities = quantity_spans.inside(sentence.start, sentence.end)
            cand.claimed_by = [c.actor for c in claimants]
            candidates.append(cand)
    return candidates
