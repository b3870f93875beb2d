"""Triggers -> candidates: decide each trigger's sub-event type and link its arguments in the sentence.

A candidate is one reported event in one sentence: the trigger that names it, the actors on either side, the
places, dates and counts around it, and who the sentence attributes it to. Several triggers of one sentence
that describe the same incident ("airstrikes ... targeted ... killing") become one candidate.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise

from eventwire.events.classifier import OUT_OF_SCOPE, get_type_model
from eventwire.events.lexicon import get_lexicon
from eventwire.events.modality import ASSERTED, accidental, attributed, intended, modality
from eventwire.events.taxonomy import family_of, taxonomy
from eventwire.model import ActorMention, Candidate, Document, Mentions, PlaceMention, Sentence, Trigger
from eventwire.resources import load_yaml

_STATE_INTERS = {1}
_CIVILIAN_WORDS = re.compile(
    r"\b(?:civilians?|residents?|villagers?|passers-?by|worshippers|children|women|families|"
    r"students|journalists?|farmers|shepherds|displaced|refugees|aid workers?|doctors|patients|"
    r"(?:local|civilian|unarmed) population|inhabitants|locals)\b",
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
# the place nouns in the plural too: "captured three villages", "seized two districts"
_TERRITORY_OBJECT = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:towns?|city|cities|villages?|districts?|areas?|regions?|provinces?|governorates?|"
    r"bases?|airbases?|airports?|hills?|neighbou?rhoods?|positions?|territory|territories|checkpoints?|"
    r"crossings?|dams?|fields?|border|outskirts|control)\b",
    re.IGNORECASE,
)
_OUT_OF = re.compile(r"^\W*(?:\w+\W+){0,5}?(?:out of|from)\b", re.IGNORECASE)


# After "surrendered" no object: the subject gave itself up ("surrendered to troops", "surrendered on Monday")
_GAVE_THEMSELVES_UP = re.compile(
    r"^(?:\s+themselves)?(?:\s+(?:to|on|in|at|with|after|under|before|en masse|last|this|yesterday|today|"
    r"and)\b|\s*[,.;]|\s*$)",
    re.IGNORECASE,
)

_BARE_EXPLOSION = re.compile(r"(?:explosions?|blasts?|detonat\w*|explosives?)", re.IGNORECASE)


@dataclass(slots=True)
class DocContext:
    """What the whole document says, used where a sentence is silent."""

    main_actor: str | None = None  # the armed non-state actor the report is about
    main_state_actor: str | None = None
    dominant_mode: str | None = None
    modes: list[tuple[int, int, str]] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)  # every place of the report, in text order
    mode_starts: list[int] = field(default_factory=list)


def document_context(doc: Document, mentions: Mentions) -> DocContext:
    ctx = DocContext(places=mentions.places)
    armed = Counter(a.actor for a in mentions.actors if a.kind == "actor" and a.inter in (2, 3, 4))
    state = Counter(a.actor for a in mentions.actors if a.kind == "actor" and a.inter in _STATE_INTERS)
    ctx.main_actor = armed.most_common(1)[0][0] if armed else None
    ctx.main_state_actor = state.most_common(1)[0][0] if state else None
    lex = get_lexicon()
    ctx.modes = [(s, e, mode) for s, e, _, mode in lex.modes.finditer(doc.text)]
    ctx.mode_starts = [s for s, _, _ in ctx.modes]
    # The report's weapon: what it names most, explosions and blasts aside (they follow every weapon).
    counts = Counter(
        mode
        for s, e, mode in ctx.modes
        if mode != "firearms" and not (mode == "explosives" and _BARE_EXPLOSION.fullmatch(doc.text[s:e]))
    )
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


def _mode_near(
    ctx: DocContext, sentence: Sentence, trigger: Trigger, *, skip_explosives: bool = False
) -> str | None:
    """The weapon named closest to the trigger inside its sentence (not the trigger word itself when it is
    only an explosion: "explosions" says nothing about what exploded)."""
    best = None
    best_distance = None
    modes = ctx.modes  # in text order
    for k in range(bisect_left(ctx.mode_starts, sentence.start), len(modes)):
        s, e, mode = modes[k]
        if s >= sentence.end:
            break
        if e > sentence.end:
            continue
        if skip_explosives and s < trigger.end and trigger.start < e:
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


def _borrowed_mode(ctx: DocContext, actors: list[ActorMention], trigger: Trigger) -> str | None:
    """The report's weapon for a sentence that names none. Not its aircraft when the sentence's perpetrator
    is a non-state group and no state force is named in it ("blasts ... which the group said it
    carried out" in a report that also tells of army airstrikes): armed groups have no air force, and
    their bombings are ACLED's remote explosives (Codebook: Air/drone strike is by aircraft; drones are
    named as such)."""
    mode = ctx.dominant_mode
    if mode == "aerial" and _non_state_perpetrator(actors, trigger):
        return "explosives"
    return mode


def _non_state_perpetrator(actors: list[ActorMention], trigger: Trigger) -> bool:
    if any(a.inter in (1, 8) for a in actors):
        return False
    return any(a.inter in (2, 3, 4) and a.end <= trigger.start for a in actors)


def resolve_type(
    trigger: Trigger, doc: Document, sentence: Sentence, actors: list[ActorMention], ctx: DocContext
) -> str | None:
    """The ACLED sub-event type a trigger reports here, or None when it reports no event."""
    kind = trigger.sub_event_type
    text = doc.text
    after = text[trigger.end : sentence.end]
    if kind == "@explosion":
        mode = _mode_near(ctx, sentence, trigger, skip_explosives=True)
        mode = mode if mode in _MODE_TYPES else _borrowed_mode(ctx, actors, trigger)
        if mode in _MODE_TYPES and mode != "drone":
            return _MODE_TYPES[mode]
        return "Remote explosive/landmine/IED"
    if kind in ("@strike", "@attack"):
        mode = _mode_near(ctx, sentence, trigger)
        if mode in _MODE_TYPES:
            return _MODE_TYPES[mode]
        if kind == "@attack" or mode == "firearms":
            return _ground_violence(trigger, sentence, actors, ctx, after, text)
        borrowed = _borrowed_mode(ctx, actors, trigger)
        if borrowed in _MODE_TYPES:
            return _MODE_TYPES[borrowed]
        return None
    if kind == "@capture":
        if _PEOPLE_AFTER.match(after):
            return "Abduction/forced disappearance" if _actor1_non_state(actors, trigger) else "Arrests"
        if _TERRITORY_OBJECT.match(after) or _place_follows(doc, trigger, sentence):
            return _territory_type(actors, trigger, ctx, text[sentence.start : trigger.start])
        return None
    if kind == "@territory":
        low = trigger.text.lower()
        if low.startswith("surrender") and _GAVE_THEMSELVES_UP.match(after):
            # "50 militants surrendered to the army": people who give themselves up (ACLED counts surrenders
            # among agreements); "surrendered the town to the rebels" stays a transfer of territory
            return "Agreement"
        if low in ("drove", "expelled", "pushed out") and not _OUT_OF.match(after):
            return None
        return _territory_type(actors, trigger, ctx, text[sentence.start : trigger.start])
    if kind == "Disrupted weapons use":
        lex = get_lexicon()
        if (
            lex.disruption_verb.match(trigger.text)
            and _mode_near(ctx, sentence, trigger) is None
            and not lex.disruption_object.search(sentence.text)
        ):
            return None  # "intercepted 20 smugglers": no weapon, no disrupted weapons use
        return kind
    if kind in ("Peaceful protest",) and _PROTEST_WORDS.search(sentence.text) is None:
        return kind  # e.g. "hunger strike": the trigger itself names the protest
    return kind


_ARMED_TARGET_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,5}?(?:soldiers?|troops|forces|army|police(?:men)?|officers|militants|fighters|rebels|"
    r"insurgents|jihadists|checkpoints?|bases?|barracks|positions?|outposts?|posts?|patrols?|garrison|"
    r"frontlines?|front lines?|military|peshmerga|guards?|militia(?:men)?)\b",
    re.IGNORECASE,
)
SOFT_TARGET_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,6}?(?:civilians?|market(?:place)?s?|mosques?|church(?:es)?|schools?|hospitals?|"
    r"restaurants?|caf[eé]s?|funerals?|weddings?|shops?|bus(?:es)?|homes?|houses?|villages?|shrines?|"
    r"worshippers|mourners|pilgrims|crowds?|petrol station|gas station|hotels?|refugees?|displaced|"
    r"aid convoy|convoy of aid|residents|passengers|journalists?|students|children|women|families|"
    r"neighbou?rhoods?|camps?|population|inhabitants|locals|residential|apartments?|apartment blocks?|"
    r"kindergartens?|universit(?:y|ies)|clinics?|baker(?:y|ies)|bread queues?|shoppers|farmers|fishermen|"
    r"bars?|nightclubs?|stadiums?|cinemas?|bus stations?|bus stops?|beach(?:es)?)\b",
    re.IGNORECASE,
)
_PEOPLE_KILLED = re.compile(
    r"\bkill(?:ed|ing)\s+(?:at\s+least\s+|more\s+than\s+|over\s+|some\s+|nearly\s+|about\s+)?"
    r"[\w,-]+\s+(?:(?:more|other|innocent)\s+)?(?:people|persons|shoppers)\b",
    re.IGNORECASE,
)
_PASSIVE_HEAD = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_TERROR = re.compile(
    r"\b(?:terror(?:ist)?\s+attacks?|acts? of terror|terrorism|innocent|barbaric|atrocit(?:y|ies)|"
    r"massacre)\b",
    re.IGNORECASE,
)
_HORS_DE_COMBAT = re.compile(
    r"^\W*(?:[\w,-]+\W+){0,3}?(?:former|retired|ex-|off-duty|captured|captive|detained|imprisoned)\b|"
    r"\b(?:they|who|which|that) had been (?:holding|detaining|keeping)\b|"
    r"\b(?:prisoners?|captives?|detainees?)\b",
    re.IGNORECASE,
)
_RESULT_CLAUSE = re.compile(r",\s+(?:killing|wounding|injuring|leaving)\b", re.IGNORECASE)
_BOMBING_MODES = {"suicide": "Suicide bomb", "explosives": "Remote explosive/landmine/IED"}


def _ground_violence(
    trigger: Trigger,
    sentence: Sentence,
    actors: list[ActorMention],
    ctx: DocContext,
    after: str,
    doc_text: str,
) -> str | None:
    """What a generic "attack"/"killed"/"shooting" is, by its target (ACLED's hierarchy): against armed
    forces, an Armed clash; against civilians or civilian places, violence against civilians (a bombing when
    the report's weapon is a bomb: "the attack on a market, claimed by Daesh" in a report about car bombs)."""
    head = doc_text[sentence.start : trigger.start]
    passive = bool(_PASSIVE_HEAD.search(head))
    if passive:
        # "a camp for refugees was attacked by militiamen": the target stands before the trigger
        after = " " + head[max(0, len(head) - 80) :]
    # the target is what the trigger governs, not the toll of a result clause ("attacked a patrol, killing
    # two soldiers and a civilian interpreter": an attack on the patrol)
    result = _RESULT_CLAUSE.search(after)
    target_end = trigger.end + result.start() if result and not passive else sentence.end
    armed_after = _armed_target(actors, trigger) or bool(_ARMED_TARGET_AFTER.match(after))
    if armed_after and _HORS_DE_COMBAT.search(after[:120]):
        # "shot dead a dozen retired soldiers they had seized": people out of the fight (former,
        # captured, held) are no armed opponent; killing them is violence against civilians (ACLED)
        return "Attack"
    soft_after = (
        bool(SOFT_TARGET_AFTER.match(after))
        or any(a.inter == 7 and trigger.end <= a.start < target_end for a in actors)
        or bool(_TERROR.search(sentence.text))
    )
    if armed_after and not soft_after:
        return "Armed clash"
    armed_actor = any(a.inter in (1, 2, 3, 4, 8) for a in actors)
    # "Daesh claimed dual attacks in the commercial area ... which killed at least 28 people": an armed
    # group, no armed opponent named, and the dead are people at large: violence against civilians
    one_sided = armed_actor and not armed_after and bool(_PEOPLE_KILLED.search(sentence.text))
    soft_after = soft_after or (one_sided and sum(a.inter in (1, 2, 3, 4, 8) for a in actors) == 1)
    if soft_after or _targets_civilians(sentence.text, actors) or (armed_actor and not armed_after):
        if ctx.dominant_mode in _BOMBING_MODES:
            return _BOMBING_MODES[ctx.dominant_mode]
        return "Attack" if (soft_after or _targets_civilians(sentence.text, actors)) else "Armed clash"
    if COMMUNAL_VIOLENCE.fullmatch(trigger.text):
        return "Attack"  # "30 killed in intercommunal violence": a community's militia against people
    return _BOMBING_MODES.get(ctx.dominant_mode or "")


# Violence between communities (triggers.yaml): unnamed, its perpetrators are a communal militia (ACLED).
COMMUNAL_VIOLENCE = re.compile(r"(?:inter[\s-]?)?(?:communal|ethnic|sectarian|tribal) violence", re.I)


def _place_follows(doc: Document, trigger: Trigger, sentence: Sentence) -> bool:
    """True when a capitalised name follows the trigger closely ("seized Maskanah")."""
    after = doc.text[trigger.end : min(sentence.end, trigger.end + 40)]
    return bool(re.match(r"^\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+|village\s+of\s+)?[A-Z][\w'-]+", after))


def _actor1_non_state(actors: list[ActorMention], trigger: Trigger) -> bool:
    before = [a for a in actors if a.end <= trigger.start]
    return bool(before) and before[-1].inter not in _STATE_INTERS


STATE_NOUNS = re.compile(
    r"\b(?:troops|soldiers|army|armed forces|military|police|government(?:'s)? forces|security forces|"
    r"gendarmes?|gendarmerie|marines|junta|regime|national guard|"
    r"counter-?terrorism (?:forces|troops|units))\b",
    re.IGNORECASE,
)
NON_STATE_NOUNS = re.compile(
    r"\b(?:rebels?|militants?|insurgents?|jihadists?|fighters|militia(?:men|s)?|guerrill?as?|gangs?|"
    r"gang members|bandits|separatists|extremists|terrorists|resistance forces|armed groups?)\b",
    re.IGNORECASE,
)
_REGAIN_VERB = re.compile(r"^(?:re|regain|took back|taken back|seized back|restored|liberat)", re.IGNORECASE)


def _territory_type(actors: list[ActorMention], trigger: Trigger, ctx: DocContext, head: str = "") -> str:
    """Who took the place decides (ACLED): state forces regain territory, anyone else overtakes it. With no
    known actor, the words for the side ("troops", "rebels") in the clause before the trigger, then the verb
    ("recaptured", "retook" say the place was the taker's before), then the report's main armed group."""
    before = [a for a in actors if a.end <= trigger.start and a.kind == "actor"]
    actor = before[-1] if before else None
    if actor is not None:
        return (
            "Government regains territory"
            if actor.inter in _STATE_INTERS
            else "Non-state actor overtakes territory"
        )
    state = [m.end() for m in STATE_NOUNS.finditer(head)]
    other = [m.end() for m in NON_STATE_NOUNS.finditer(head)]
    if state or other:
        return (
            "Government regains territory"
            if max(state or [-1]) > max(other or [-1])
            else ("Non-state actor overtakes territory")
        )
    if _REGAIN_VERB.match(trigger.text):
        return "Government regains territory"
    return "Non-state actor overtakes territory" if ctx.main_actor else "Government regains territory"


def _attribution_spans(sentence: Sentence, text: str) -> list[tuple[int, int]]:
    """Parts of a sentence that only say who reports: "according to X", "X said"."""
    spans = []
    s_text = sentence.text
    for m in re.finditer(r"according to [^,.;]+|\bquot\w+ (?:the )?[^,.;]{0,40}? as saying\b", s_text, re.I):
        spans.append((sentence.start + m.start(), sentence.start + m.end()))
    m = re.search(
        r",\s*(?:the\s+)?[^,]{0,60}\b(?:said|says|reported|announced|added|stated)\b[^,]*[.]?$", s_text
    )
    if m:
        spans.append((sentence.start + m.start(), sentence.start + m.end()))
    m = _COMMENTARY.match(s_text)
    if m:
        spans.append((sentence.start + m.start(), sentence.start + m.end()))
    return spans


# Who comments on an event is not in it: "The United States strongly condemns the attacks ...", "Minister
# X welcomes news that ...", "We are concerned by reports of ...". The span runs to the commenting verb.
_COMMENTARY = re.compile(
    r"^\W*(?:[\w'’.-]+\s+){0,9}?(?:strongly\s+|utterly\s+|firmly\s+|also\s+|today\s+|again\s+)?"
    r"(?:condemn(?:s|ed)?|welcome(?:s|d)?|denounce(?:s|d)?|deplore(?:s|d)?|mourn(?:s|ed)?|praise(?:s|d)?|"
    r"comment(?:s|ed)? on|urge(?:s|d)?|call(?:s|ed)? (?:on|for)|express(?:es|ed)?|accuse(?:s|d)?|"
    r"reiterate(?:s|d)?|applaud(?:s|ed)?|(?:is|are|was|were) (?:deeply )?(?:concerned|alarmed|appalled|"
    r"saddened)|offer(?:s|ed)?|extend(?:s|ed)?|stand(?:s)? with|condole(?:s|d)?)\b",
    re.IGNORECASE,
)


# Between two deeds of one kind told side by side: a coordination that opens a new noun phrase
_NEXT_DEED = re.compile(r",\s*(?:and|as well as)\s+(?:the|a|an|its|their)\b|;\s*", re.IGNORECASE)


def _another_deed(text: str, sentence: Sentence, first: Trigger, second: Trigger, dates: _Spans) -> bool:
    """Whether two triggers of one kind in one sentence tell two events: coordinated noun phrases, each with a
    date of its own ("the shelling of a school in Idlib on Tuesday, and the shelling of
    a clinic in Ariha on Friday"). ACLED codes one event per day and place."""
    if second.start <= first.end:
        return False
    joint = _NEXT_DEED.search(text, first.end, second.start)
    if joint is None:
        return False
    before = [
        d for d in dates.inside(max(sentence.start, first.start - 80), joint.start()) if not d.historical
    ]
    after = [
        d for d in dates.inside(joint.end(), sentence.end) if not d.historical and d.start < second.end + 40
    ]
    return bool(before) and bool(after) and before[-1].date_start != after[0].date_start


def _state_measure(trigger: Trigger) -> bool:
    """A restriction or a mobilisation with no ACLED event of its own (a curfew, a state of emergency, troops
    sent in): in a report of a disaster it is the relief effort, not coercion or a build-up of force."""
    return trigger.sub_event_type in ("Other", "Change to group/activity") and trigger.plover_event in (
        "COERCE",
        "MOBILIZE",
    )


_BATTLE_NOUN = re.compile(
    r"(?:fighting|clash(?:es)?|battles?|combat|firefights?|shootouts?|gunfights?|gun battles?|crossfire|"
    r"exchanges? of fire|hostilities)",
    re.IGNORECASE,
)
_JOINED_VERB = re.compile(r"\b(?:and|then|before|later)\s+$", re.IGNORECASE)


def _killed_in_the_fighting(text: str, ground: Candidate, civilians: Candidate | None) -> bool:
    """Whether the sentence's killing of civilians is its battle's toll: the battle named as a noun ("Fighting
    between the army and the RSF killed 25 civilians", "clashes left ... dead") before a killing word whose
    subject it is, not a second deed joined to it ("militants clashed with troops and killed ...")."""
    if civilians is None or civilians.trigger.sub_event_type != "Attack":
        return False
    if civilians.trigger.text.lower() not in _RESULT_WORDS or civilians.trigger.start < ground.trigger.end:
        return False
    if not _BATTLE_NOUN.fullmatch(ground.trigger.text):
        return False
    return not _JOINED_VERB.search(text, ground.trigger.end, civilians.trigger.start)


LEAD_SENTENCES = 3  # the headline and the first sentences state the report's main events


def lead_index(doc: Document) -> int:
    """Index of the lead's last sentence: the headline and the first ``LEAD_SENTENCES`` of the body."""
    body = [s for s in doc.sentences if not s.is_title]
    return body[min(len(body), LEAD_SENTENCES) - 1].index if body else 0


def candidate_sentences(doc: Document, triggers: list[Trigger]) -> list[Sentence]:
    """The sentences ``build_candidates`` can make a candidate in: those with a trigger, and the lead (where
    the type model may propose one). A sentence's counts are read only there, sought only there."""
    last_of_lead = lead_index(doc)
    starts = [s.start for s in doc.sentences]
    chosen = {bisect_right(starts, t.start) - 1 for t in triggers}
    return [s for k, s in enumerate(doc.sentences) if k in chosen or s.index <= last_of_lead]


def build_candidates(doc: Document, mentions: Mentions, ctx: DocContext) -> list[Candidate]:
    """One candidate per reported event per sentence, with its arguments (in ``candidate_sentences`` only)."""
    by_start = sorted(mentions.triggers, key=lambda t: t.start)
    starts = [t.start for t in by_start]
    candidates: list[Candidate] = []
    last_of_lead = lead_index(doc)
    actor_spans, place_spans = _Spans(mentions.actors), _Spans(mentions.places)
    date_spans, quantity_spans = _Spans(mentions.dates), _Spans(mentions.quantities)
    accident_told = False  # an accident told earlier: "the blasts" after it are that accident
    for sentence in doc.sentences:
        lo = bisect_left(starts, sentence.start)
        hi = bisect_left(starts, sentence.end)
        triggers = by_start[lo:hi]
        in_lead = sentence.index <= last_of_lead
        if not triggers and not in_lead:
            continue  # the model proposes events only where a report states its news: the lead
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
        hedged = False  # a trigger here that is negated, planned, hypothetical...: nothing to propose
        for trigger in triggers:
            rel_start = trigger.start - sentence.start
            mod = modality(sentence.text, rel_start, rel_start + (trigger.end - trigger.start))
            hedged = hedged or mod != ASSERTED
            head = doc.text[sentence.start : trigger.start]
            if mod == ASSERTED and intended(head, trigger.text):
                mod = "intended"  # "an offensive to retake Mosul", "the mission to recapture the city"
            elif mod == ASSERTED and attributed(head) and DEFINITE_BEFORE.search(head[-60:]):
                # "the army blamed ISWAP for the killing of fishermen": blame for an event told elsewhere
                # ("Syria accused Israel of bombarding an area west of Damascus" still reports one)
                mod = "attributed"
            elif mod == ASSERTED and trigger.sub_event_type.startswith("@") and accidental(sentence.text):
                mod = "accident"  # "flash floods swept the area, killing thousands"
                # told with no armed actor, the accident is what the report is about ("Army kills 125 ...
                # Breaks Siege on Power Plant" is no accident, whatever its "plant" says)
                accident_told = accident_told or not any(a.inter in _ORGANISED for a in actors)
            elif mod == ASSERTED and _state_measure(trigger) and accidental(sentence.text):
                mod = "accident"  # "a state of emergency was declared as wildfires spread": disaster relief
            elif (
                mod == ASSERTED
                and accident_told
                and trigger.sub_event_type.startswith("@")
                and DEFINITE_BEFORE.search(head[-40:] + " ")
            ):
                mod = "accident"  # "... explosions tore through an industrial area. The blasts killed 50"
            if _YEAR_NAMED.search(head[-60:]) or _EARLIER_ONE.search(head[-80:]):
                hedged = True  # a past event recalled: nor may the model propose it as the news
                continue
            if _elaboration(doc.text, sentence, trigger):
                continue
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
                trigger.sub_event_type if trigger.sub_event_type.startswith("@") else None,
            )
            family = family_of(sub_type)
            current = chosen.get(family)
            if current is not None and _another_deed(
                doc.text, sentence, current.trigger, resolved, date_spans
            ):
                family += "+"  # "the shelling in Idlib on Tuesday, and the shelling in Ariha on Friday"
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
        _settle_protest(doc, sentence, chosen)
        _settle_sentence(doc, sentence, chosen, mentions)
        model_scores, statement = _consult_model(doc, sentence, chosen, propose=in_lead and not hedged)
        for cand in chosen.values():
            _taker_decides(doc, cand, actors, ctx)
        # "killing 12 militants" after "airstrikes ..." is the result of the strike, not another event.
        # ("a response to the attack that targeted US forces in Palmyra about a week ago" is another event.)
        ground = chosen.get("ground")
        if (
            len(chosen) > 1
            and ground is not None
            and ground.trigger.weight < 0.7
            and ground.trigger.text.lower() in _RESULT_WORDS
        ):
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
        if (
            ground is not None
            and "ground" in chosen
            and _killed_in_the_fighting(doc.text, ground, chosen.get("civilians"))
        ):
            # "fighting ... killed 25 civilians": the battle's toll (ACLED), not an attack
            del chosen["civilians"]
        cands = list(chosen.values())
        # A place inside an actor's name ("US Central Command", "Iraqi forces") is not where things happen.
        own_places = [
            pm
            for pm in place_spans.inside(sentence.start, sentence.end)
            if not any(a.start <= pm.start and pm.end <= a.end for a in actors_all)
        ]
        support = get_type_model().thresholds.support if in_lead else 2.0  # the model anchors in the lead

        batch = cands
        while batch:
            kept = 0
            places = _share_out(own_places, batch)
            dates = _share_out(date_spans.inside(sentence.start, sentence.end), batch)
            counts = _own_counts(doc.text, quantity_spans.inside(sentence.start, sentence.end), batch)
            for i, cand in enumerate(batch):
                cand.actors = actors
                cand.places = places[i]
                cand.dates = dates[i]
                cand.quantities = counts[i]
                cand.claimants = claimants
                kind = _reference_kind(doc.text, cand, attribution)
                cand.reference = kind == "reference" or is_result(doc.text, cand)
                if cand.reference:
                    # "The attack came as the monitor reported that troops had executed 48 people": the counts
                    # of a clause after the mention tell another event
                    cand.quantities = [
                        q
                        for q in cand.quantities
                        if q.start < cand.trigger.end
                        or not _LATER_CLAUSE.search(doc.text, cand.trigger.end, q.start)
                    ]
                if statement and not _told_in_full(cand):
                    continue
                cand.type_support = model_scores.get(cand.trigger.sub_event_type, 0.0)
                confirmed = cand.type_support >= support
                if cand.reference or _supported(cand, in_lead, confirmed):
                    candidates.append(cand)
                    kept += 1
                elif kind == "placed":
                    cand.places_reference = True
                    candidates.append(cand)
                    kept += 1
            proposed = None
            if not kept and batch is cands and in_lead and not hedged and not statement:
                # every trigger of a lead sentence lacked support ("troops withdrew from the base", with
                # no taker a transfer needs): the model's own reading, when sure enough, stands in
                label = _fallback_label(model_scores, cands)
                proposed = _propose(doc, sentence, label) if label else None
                if proposed is not None:
                    _taker_decides(doc, proposed, actors, ctx)
            batch = [proposed] if proposed is not None else []
    return candidates


# A statement ("the ministry condemned the 2 March bombing in Kirkuk") is no event of its own, but a
# government's statement is also how many incidents reach the record: what it dates and places stands.
_STATEMENTS = frozenset({"DIPLOMACY", "CLAIM"})
_PROPOSED_WEIGHT = 0.6  # a type the model proposes is as weak as a generic trigger: it needs anchors


def _consult_model(
    doc: Document, sentence: Sentence, chosen: dict[str, Candidate], *, propose: bool
) -> tuple[dict[str, float], bool]:
    """Let the sentence-type model (events.classifier) correct the lexicon where it is confident: an
    out-of-scope reading ("the ministry blamed the rebels for the bombing", a factory blast) drops the
    sentence's events; a strongly preferred ACLED type re-types a candidate whose own type the model finds
    unlikely; and a sentence with no event word the lexicon knows, but whose type the model is sure of,
    gets a candidate whose trigger is the word that speaks most for that type (when ``propose``: in the
    lead, where reports state their news, and with no hedged trigger in the sentence). Returns the model's
    scores (in the lead, a type it finds likely enough anchors a candidate: see ``_supported``) and whether
    the sentence reads as a statement (diplomacy, a claim of responsibility): its events stand only when
    told in full (``_told_in_full``)."""
    model = get_type_model()
    limits = model.thresholds
    scores = model.scores(sentence.text)
    label = max(scores, key=scores.__getitem__)
    p = scores[label]
    if label in OUT_OF_SCOPE:
        if p < limits.veto:
            return scores, False
        if label in _STATEMENTS:
            return scores, True  # the caller keeps only incidents the statement tells in full
        for family, cand in list(chosen.items()):
            # arms seized, intercepted, found or cleared are Disrupted weapons use in ACLED whatever the
            # story around them (a police raid, a demining campaign) reads like
            if cand.trigger.sub_event_type != "Disrupted weapons use":
                del chosen[family]
        return scores, False
    if chosen:
        if p >= limits.retype and len(chosen) == 1:
            ((family, cand),) = chosen.items()
            if (
                cand.trigger.sub_event_type != label
                and scores.get(cand.trigger.sub_event_type, 0.0) < limits.keep
            ):
                _retype(cand, label)
                del chosen[family]
                chosen[family_of(label)] = cand
        return scores, False
    if not propose or p < limits.propose:
        return scores, False
    proposed = _propose(doc, sentence, label)
    if proposed is not None:
        chosen[family_of(label)] = proposed
    return scores, False


def _propose(doc: Document, sentence: Sentence, label: str) -> Candidate | None:
    """A candidate of the model's type ``label`` for a sentence, its trigger the word that speaks most for
    that type; None when that word is not asserted (negated, planned...) or the sentence has none."""
    cue = get_type_model().cue(sentence.text, label)
    where = (
        re.search(r"(?<![\w-])" + re.escape(cue) + r"(?![\w-])", sentence.text, re.IGNORECASE)
        if cue
        else None
    )
    if where is None:
        return None
    start, end = sentence.start + where.start(), sentence.start + where.end()
    if modality(sentence.text, where.start(), where.end()) != ASSERTED:
        return None
    entry = taxonomy()[label]
    trigger = Trigger(
        start,
        end,
        doc.text[start:end],
        label,
        entry.event_type,
        entry.cameo,
        entry.plover_event,
        entry.plover_mode,
        _PROPOSED_WEIGHT,
        "@model",
    )
    return Candidate(doc, sentence, trigger)


def _taker_decides(doc: Document, cand: Candidate, actors: list[ActorMention], ctx: DocContext) -> None:
    """Who took a place decides between ACLED's two territorial types for a type the model proposed, as it
    does for a trigger's (``_territory_type``): the model reads that territory changed hands, not who holds it
    now. The taker is the sentence's subject, the first side it names (a proposal's trigger word may stand
    anywhere: "troops entered the town after the militants fled")."""
    if cand.trigger.resolved_from != "@model" or cand.trigger.sub_event_type not in _TERRITORY_CHANGE:
        return
    start = cand.sentence.start
    sides = [(a.start, a.inter in _STATE_INTERS) for a in actors if a.kind == "actor"]
    for nouns, is_state in ((STATE_NOUNS, True), (NON_STATE_NOUNS, False)):
        m = nouns.search(doc.text, start, cand.sentence.end)
        if m:
            sides.append((m.start(), is_state))
    if not sides:
        return
    kind = "Government regains territory" if min(sides)[1] else "Non-state actor overtakes territory"
    if kind != cand.trigger.sub_event_type:
        _retype(cand, kind)


def _fallback_label(scores: dict[str, float], failed: list[Candidate]) -> str | None:
    """The model's type for a lead sentence whose lexicon candidates all lacked support: its top label when
    that is an ACLED type other than theirs and probable enough to propose an event on its own."""
    label = max(scores, key=scores.__getitem__) if scores else None
    if label is None or label in OUT_OF_SCOPE or scores[label] < get_type_model().thresholds.propose:
        return None
    return None if any(c.trigger.sub_event_type == label for c in failed) else label


@dataclass(frozen=True, slots=True)
class _ProtestCues:
    protest: re.Pattern[str]
    violent: re.Pattern[str]
    lethal: re.Pattern[str]
    intervention: re.Pattern[str]
    blocking: re.Pattern[str]


@cache
def _protest_cues() -> _ProtestCues:
    data = load_yaml("protest_cues.yaml")

    def compiled(name: str) -> re.Pattern[str]:
        return re.compile(r"(?<![\w-])(?:" + "|".join(data[name]) + r")(?![\w])", re.IGNORECASE)

    return _ProtestCues(*(compiled(n) for n in ("protest", "violent", "lethal", "intervention", "blocking")))


# Who blocks the road in "police blocked the roads to the square": the force, not the demonstrators
_FORCE_BEFORE = re.compile(
    r"\b(?:police(?:men)?|officers|security forces|troops|soldiers|army|authorities|gendarme\w*)\b"
    r"[^,;]{0,40}$",
    re.IGNORECASE,
)


def _blocked_by_demonstrators(sentence_text: str) -> bool:
    """Roads, railways or streets blocked in a protest sentence by the demonstrators themselves."""
    return any(
        not _FORCE_BEFORE.search(sentence_text, 0, m.start())
        for m in _protest_cues().blocking.finditer(sentence_text)
    )


_STRONG_PROTEST = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies)|marchers|sit-?ins?|rioters?)\b", re.I
)


# What a demonstration is about, when that is an arrest or a killing told before it ("demanding the release
# of detained activists", "protesting the arrest of a journalist", "over the killing of a student"): words of
# force there tell the grievance, not how the demonstration went.
_GRIEVANCE = re.compile(
    r"\b(?:(?:demand\w*|call\w* for|urg\w*|seek\w*|press\w* for)\s+(?:the\s+)?(?:release|freedom)\s+of"
    r"|(?:against|over|protest\w*|condemn\w*|denounc\w*|angered by|outraged by|following|after|to mark)"
    r"\s+(?:the\s+|a\s+|last\s+\w+'s\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:arrests?|detentions?|killings?|deaths?|jailing|imprisonment|shootings?|abductions?|kidnappings?|"
    r"crackdown|disappearance)\s+(?:of|on)\b)[^,;.]*",
    re.IGNORECASE,
)


def protest_type(sentence_text: str) -> str:
    """ACLED's sub-event type of the demonstration a sentence reports (data/protest_cues.yaml)."""
    cues = _protest_cues()
    # the grievance blanked out, offsets kept (the road-blocking test reads what stands before a cue)
    sentence_text = _GRIEVANCE.sub(lambda m: " " * len(m.group()), sentence_text)
    if cues.violent.search(sentence_text) or _blocked_by_demonstrators(sentence_text):
        return "Violent demonstration"
    if cues.lethal.search(sentence_text):
        return "Excessive force against protesters"
    if cues.intervention.search(sentence_text):
        return "Protest with intervention"
    return "Peaceful protest"


def _settle_protest(doc: Document, sentence: Sentence, chosen: dict[str, Candidate]) -> None:
    """A demonstration told with the words of fighting or arrests ("protesters clashed with police",
    "police arrested 180 demonstrators") is one demonstration event, typed by how it went."""
    riot = chosen.get("protest")
    if (
        riot
        and riot.trigger.sub_event_type == "Violent demonstration"
        and not _protest_cues().protest.search(sentence.text)
    ):
        # "settlers set fire to the offices of ...": destruction with no demonstration in sight
        _retype(riot, "Looting/property destruction")
        chosen["other"] = chosen.pop("protest")
        return
    families = {"protest", "ground", "arrest"} & chosen.keys()
    if "civilians" in chosen and chosen["civilians"].trigger.sub_event_type == "Attack":
        families.add("civilians")  # "security forces killed several protesters"
    if not families:
        return
    text = sentence.text
    if not _protest_cues().protest.search(text):
        return
    if "protest" not in chosen and not _STRONG_PROTEST.search(text):
        return
    if chosen.get("protest") and chosen["protest"].trigger.sub_event_type == "Mob violence":
        return  # a mob is not a demonstration
    if "protest" not in chosen and not _STRONG_PROTEST.search(text):
        return
    base = chosen.get("protest") or chosen.get("ground") or chosen.get("civilians") or chosen["arrest"]
    entry = taxonomy()[protest_type(text)]
    base.trigger = replace(
        base.trigger,
        sub_event_type=entry.name,
        event_type=entry.event_type,
        cameo=entry.cameo,
        plover_event=entry.plover_event,
        plover_mode=entry.plover_mode,
    )
    for family in families:
        del chosen[family]
    chosen["protest"] = base


_TERRITORY_CHANGE = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
_MOB_SUBJECT = re.compile(
    r"\b(?:mobs?|crowds?|villagers|residents|townspeople|locals|youths|men|supporters|worshippers|students|"
    r"vigilantes?|neighbou?rs|gangs? of|hundreds of|dozens of people)\b",
    re.IGNORECASE,
)
_RELEASE_BEFORE = re.compile(
    r"\b(?:releas\w*|freed|free|exchange\w*|swap\w*|return\w*)\b(?:\W+\w+){0,6}\W*$", re.IGNORECASE
)
_ORGANISED = frozenset({1, 2, 3, 8})


def _retype(cand: Candidate, sub_event_type: str) -> None:
    entry = taxonomy()[sub_event_type]
    cand.trigger = replace(
        cand.trigger,
        sub_event_type=entry.name,
        event_type=entry.event_type,
        cameo=entry.cameo,
        plover_event=entry.plover_event,
        plover_mode=entry.plover_mode,
    )


def _settle_sentence(
    doc: Document, sentence: Sentence, chosen: dict[str, Candidate], mentions: Mentions
) -> None:
    """ACLED's hierarchy among the events one sentence states (Codebook: the more specific event wins):
    a battle that changed who holds the place is the territorial event, and a place taken with no fight told
    (after its holders withdrew, "without resistance") a Non-violent transfer of territory; a weapon that
    was defused, intercepted or seized is Disrupted weapons use, not its use; a chemical agent makes any
    strike a Chemical weapon event; a mob's violence is Mob violence; hostages or prisoners released under a
    deal are the Agreement, not an abduction or an arrest."""
    text = doc.text
    territory = chosen.get("territory")
    if territory and territory.trigger.sub_event_type in _TERRITORY_CHANGE:
        unopposed = _UNOPPOSED.search(sentence.text)
        if unopposed and "ground" not in chosen and not _FOUGHT.search(_UNOPPOSED.sub(" ", sentence.text)):
            # "the militants took the town after the army pulled out": taken without a fight (ACLED)
            _retype(territory, "Non-violent transfer of territory")
        chosen.pop("ground", None)
    killed = [
        q
        for q in mentions.quantities
        if sentence.start <= q.start < sentence.end and q.counts in ("killed", "injured") and not q.aggregate
    ]
    if "disrupted" in chosen and not killed:
        for family in ("remote", "bombing"):
            chosen.pop(family, None)
    violent = [f for f in ("remote", "bombing", "ground") if f in chosen]
    # the sentence's weapons are looked for only when there is a strike to retype
    chemical = violent and any(
        m[3] == "chemical" and not _PRIOR_EVENT.search(text[max(sentence.start, m[0] - 40) : m[0]])
        for m in get_lexicon().modes.finditer(text, sentence.start, sentence.end)
    )
    if chemical and violent:
        keep = chosen[violent[0]]
        _retype(keep, "Chemical weapon")
        for family in violent:
            del chosen[family]
        chosen["remote"] = keep
    for family in ("civilians", "ground"):
        cand = chosen.get(family)
        if cand is None or cand.trigger.sub_event_type not in ("Attack", "Armed clash"):
            continue
        head = text[sentence.start : cand.trigger.start]
        organised = any(
            a.inter in _ORGANISED and a.start < cand.trigger.start
            for a in mentions.actors
            if sentence.start <= a.start < sentence.end
        )
        if _MOB_SUBJECT.search(head) and not organised:
            _retype(cand, "Mob violence")
            chosen["protest"] = chosen.pop(family)
    for family in ("civilians", "arrest"):
        cand = chosen.get(family)
        if cand is None or cand.trigger.sub_event_type not in ("Abduction/forced disappearance", "Arrests"):
            continue
        if "agreement" in chosen or _RELEASE_BEFORE.search(text[sentence.start : cand.trigger.start]):
            del chosen[family]


# A place taken without a fight: after its holders left, or with no resistance told
_UNOPPOSED = re.compile(
    # the holders left: a force, not residents fleeing ("as civilians left their homes")
    r"\b(?:after|following|as|once|when)\s+(?:[\w'’-]+\s+){0,4}?(?:troops|forces|soldiers|army|police|"
    r"fighters|militants|rebels|militia\w*|guards|garrison|units|gendarmes|jihadists|insurgents|peshmerga)\s+"
    r"(?:had\s+|have\s+|has\s+)?(?:withdr\w+|pull(?:ed|ing)?\s+out|retreat\w*|abandon\w*|vacat\w*|"
    r"evacuat\w*|left|fled)\b|"
    r"\b(?:after|following)\s+(?:the\s+)?(?:withdrawal|pull-?out|retreat|departure)\s+of\b|"
    r"\bwithout\s+(?:a\s+fight|any\s+fighting|fighting|(?:any\s+)?resistance|(?:firing\s+)?a\s+shot)\b|"
    r"\b(?:no|not\s+(?:encounter|meet|face)\w*\s+any|met\s+no|faced\s+no|encountered\s+no)\s+resistance\b",
    re.IGNORECASE,
)
# Fighting told in the same sentence: the place was taken in a battle after all
_FOUGHT = re.compile(
    r"\b(?:clash\w*|fight(?:s|ing)?|fought|attack\w*|assault\w*|battl\w*|offensive|under\s+(?:heavy\s+)?fire|"
    r"shell\w*|gunfire|exchange\s+of\s+fire|airstrikes?|air\s+strikes?|killed|killing|kill)\b",
    re.IGNORECASE,
)

# "missiles fired at an air base after a chemical attack": the chemical attack is an earlier event
_PRIOR_EVENT = re.compile(
    r"\b(?:after|following|days after|in (?:retaliation|response) (?:for|to)|in revenge for)\s+"
    r"(?:(?:the|a|an|last\s+\w+'s|its|their)\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
# An earlier event the news is set against: "the attack came two weeks after a similar bombing", "days
# after a previous raid". A day or two before is still news ("arrests a day after a church bombing"), and a
# bare "since a ..." also opens ordinary clauses ("since a truce broke down").
_EARLIER_ONE = re.compile(
    r"\b(?:weeks?|months?|years?)\s+(?:after|since)\s+(?:an?|the)\s+(?:[\w'’-]+\s+){0,2}$"
    r"|\b(?:an?|the)\s+(?:similar|previous|earlier|prior)\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
# An event named by its year ("the scene of a deadly 2017 chemical attack", "since the 2014 massacre"): a
# past event the report recalls as background, not its news. Not a head count that looks like a year ("the
# 2000 soldiers attacked", "the 1950 protesters marched").
_YEAR_NAMED = re.compile(
    r"\b(?:the|a|an|its|their|his|her|this|that)\s+(?:[\w'’-]+\s+){0,2}(?:19|20)\d\d\s+"
    r"(?!(?:[\w'’-]+\s+)?(?:people|persons|men|women|children|soldiers|troops|fighters|militants|rebels|"
    r"protesters|demonstrators|marchers|police(?:men)?|officers|civilians|members|residents|workers|students)\b)"
    r"(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
_PARTICIPLE_AFTER_COMMA = re.compile(r",\s*(?:\w+ly\s+)?$")


def _elaboration(text: str, sentence: Sentence, trigger: Trigger) -> bool:
    """A generic participle after a comma ("..., targeting local security forces", "..., killing three")
    elaborates the clause before it; it states no event of its own."""
    return (
        trigger.sub_event_type.startswith("@")
        and trigger.text.lower().endswith("ing")
        and bool(_PARTICIPLE_AFTER_COMMA.search(text[sentence.start : trigger.start]))
    )


# What may stand between a killing word and its count: "killed at least five", "wounding some 20"
_COUNT_RIGHT_AFTER = re.compile(
    r"\s+(?:(?:at\s+least|more\s+than|some|nearly|about|around|over|up\s+to|an\s+estimated)\s+)?",
    re.IGNORECASE,
)


def _own_counts(text: str, counts: list, cands: list[Candidate]) -> list[list]:
    """The counts of a sentence for each of its events: all of them, except that a count right after a
    killing word joined as a second deed is that event's toll alone ("militants clashed with troops and
    killed five civilians": five dead in the attack, none told for the clash)."""
    out = [list(counts) for _ in cands]
    if len(cands) < 2:
        return out
    for q in counts:
        owners = [
            i
            for i, c in enumerate(cands)
            if c.trigger.text.lower() in _RESULT_WORDS
            and c.trigger.end <= q.start
            and _COUNT_RIGHT_AFTER.fullmatch(text, c.trigger.end, q.start)
            # a second deed of the sentence's subject ("... and killed"), not what another one did ("a
            # massacre that the opposition says killed hundreds")
            and _JOINED_VERB.search(text, max(0, c.trigger.start - 12), c.trigger.start)
        ]
        if len(owners) == 1:
            for i in range(len(cands)):
                if i != owners[0]:
                    out[i] = [x for x in out[i] if x is not q]
    return out


def _share_out(items: list, cands: list[Candidate]) -> list[list]:
    """Give each place or date of a sentence to the trigger nearest to it, when the sentence reports
    several events ("the strikes were launched in response to a December 13 ambush in Palmyra": the date and
    the place are the ambush's)."""
    if len(cands) <= 1:
        return [list(items) for _ in cands]
    out: list[list] = [[] for _ in cands]

    def distance(item, cand: Candidate) -> int:
        t = cand.trigger
        return item.start - t.end if item.start >= t.end else int((t.start - item.end) * 1.5)

    for item in items:
        best = min(range(len(cands)), key=lambda i: abs(distance(item, cands[i])))
        out[best].append(item)
    return out


# A definite description of an event already told: "the strikes", "these nighttime airstrikes", "the latest
# attack". Up to three modifiers may stand between the determiner and the trigger.
DEFINITE_BEFORE = re.compile(
    r"\b(?:the|these|those|this|that|such|its|their)\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE
)
INDEFINITE_BEFORE = re.compile(r"\b(?:a|an|new|another|fresh|series of|wave of|two|three|\d+)\s+", re.I)
_WEAK_WEIGHT = 0.8  # triggers below this need an argument that anchors them to a real incident


_RESULT_WORDS = frozenset({"killed", "killing", "wounded", "injured", "died", "dead", "deaths"})


def is_result(text: str, cand: Candidate) -> bool:
    """A bare toll ("two soldiers were killed by a suspected ISIS member") with no date or place of its own
    tells the outcome of an event already reported."""
    if cand.trigger.text.lower() not in _RESULT_WORDS or cand.trigger.weight >= _WEAK_WEIGHT:
        return False
    return unanchored(cand)


def has_own_date(cand: Candidate) -> bool:
    """A date of the candidate's own, not history."""
    return any(not d.historical for d in cand.dates)


def placed_below_country(cand: Candidate) -> bool:
    """A known place below the country where the candidate happened (ACLED geo precision 1-2)."""
    return any(pm.locational and pm.place is not None and pm.geo_precision <= 2 for pm in cand.places)


def unanchored(cand: Candidate) -> bool:
    """Neither a date of its own nor a known place other than a country: a mention of something told."""
    if has_own_date(cand):
        return False
    return not any(pm.locational and pm.place is not None and pm.relation != "country" for pm in cand.places)


def told_as_known(text: str, cand: Candidate) -> bool:
    """A definite mention ("the strikes", "these raids"), not an indefinite one ("a new wave of raids")."""
    before = text[max(cand.sentence.start, cand.trigger.start - 60) : cand.trigger.start]
    m = DEFINITE_BEFORE.search(before)
    return m is not None and not INDEFINITE_BEFORE.search(before[m.start() :])


def _reference_kind(text: str, cand: Candidate, attribution: list[tuple[int, int]]) -> str | None:
    """What a definite mention is: "reference" when it brings neither a date of its own nor a resolved place
    in its clause, "placed" when it brings a place but no date; None otherwise. Dates inside "..., the
    ministry said in a statement on Friday" date the statement, not the event."""
    if not told_as_known(text, cand):
        return None
    own_dates = [
        d
        for d in cand.dates
        if not d.historical and not any(s <= d.start and d.end <= e for s, e in attribution)
    ]
    if own_dates:
        return None
    has_place = any(
        pm.locational
        and pm.place is not None
        and pm.relation != "country"
        and not _SUBORDINATE_BEFORE.search(text[cand.sentence.start : pm.start])
        for pm in cand.places
    )
    return "placed" if has_place else "reference"


# After a referring mention, a clause opened by one of these tells another fact: "The attack came as the
# monitor reported that troops had executed 48 people".
_LATER_CLAUSE = re.compile(
    r"\b(?:came|comes|come)\s+(?:as|after|amid|(?:\w+\s+)?(?:days?|weeks?|months?)\s+after)\b"
    r"|\b(?:amid|while|whereas)\b",
    re.I,
)
# A place after one of these in its sentence belongs to a subordinate clause about another fact ("... had been
# captured by ISIS when the group advanced on Tiyas").
_SUBORDINATE_BEFORE = re.compile(r"\b(?:when|where|which|who|whom|whose|after|before|since|because)\b", re.I)


def _told_in_full(cand: Candidate) -> bool:
    """Whether a candidate has a date of its own and a place below the country."""
    return has_own_date(cand) and placed_below_country(cand)


def _supported(cand: Candidate, in_lead: bool, confirmed: bool = False) -> bool:
    """Whether a trigger reports a particular incident. In the headline and lead, specific words
    ("airstrike", "clashes") do alone; elsewhere, and for generic words ("attack", "killed", "hit",
    "seized") anywhere, something must anchor it: a date, a place below the country, a count of the dead or
    of strikes, actors on both sides, or the sentence-type model reading the sentence as an event of the
    candidate's type (``confirmed``). Generic words need two of these outside the lead."""
    weight = cand.trigger.weight
    if weight >= _WEAK_WEIGHT and in_lead:
        return True
    points = int(confirmed)
    points += has_own_date(cand)
    points += placed_below_country(cand)
    points += any(q.counts in ("killed", "injured", "strikes") and not q.aggregate for q in cand.quantities)
    before = [a for a in cand.actors if a.start < cand.trigger.start]
    after = [a for a in cand.actors if a.start >= cand.trigger.end]
    points += bool(before) and bool(after)
    if not any(pm.locational and pm.place is not None for pm in cand.places):
        # a named place the gazetteer does not know: "captured Kilinochchi", "entered the town of Ber"
        points += _place_follows(cand.document, cand.trigger, cand.sentence)
    if weight >= _WEAK_WEIGHT:
        return points >= 1
    return points >= (1 if weight >= 0.6 or in_lead else 2)
