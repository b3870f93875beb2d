"""Candidates -> coded events: roles, place, date, counts, codes, notes and confidence.

ACLED's rules applied here: actor1 acts and actor2 is acted upon; an unnamed perpetrator stays
"Unidentified Armed Group (Country)", never invented; a report naming several places gives one event per
place; unknown tolls are coded 0; fatalities take the conservative figure.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import date

from eventwire import actors as actor_dictionary
from eventwire import dates as date_stage
from eventwire import places as place_stage
from eventwire.events.candidates import (
    COMMUNAL_VIOLENCE,
    NON_STATE_NOUNS,
    SOFT_TARGET_AFTER,
    STATE_NOUNS,
    DocContext,
)
from eventwire.events.classifier import get_type_model
from eventwire.events.merge import unidentified
from eventwire.events.taxonomy import taxonomy
from eventwire.model import (
    ActorMention,
    Candidate,
    DateMention,
    Document,
    Event,
    Evidence,
    PlaceMention,
    Quantity,
)
from eventwire.quantities import fatality_totals, killed_counts

_GENERIC_GROUP = re.compile(
    r"\b(?:the (?:terrorist |jihadist |extremist |militant )?(?:group|organi[sz]ation)|the militants|"
    r"the jihadists|the terrorists|the extremists|its (?:fighters|militants|members))\b",
    re.IGNORECASE,
)
_QUANTITY_KEYS = {
    "strikes": "strikes",
    "targets": "targets",
    "munitions": "munitions",
    "aircraft": "aircraft",
    "vehicles": "vehicles",
    "tanks": "vehicles",
    "injured": "injured",
    "captured": "captured",
    "arrested": "arrested",
    "abducted": "abducted",
}
# Sub-event types that always have a perpetrator: unnamed, it is ACLED's "Unidentified Armed Group".
_NEEDS_PERPETRATOR = frozenset(
    {
        "Attack",
        "Abduction/forced disappearance",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
        "Armed clash",
    }
)


_PASSIVE_AUX = re.compile(
    r"\b(?:was|were|been|being|is|are|got|get)\s+(?:(?:\w+ly|also|reportedly|allegedly)\s+)?$", re.I
)
# "by" that introduces the agent: straight after the trigger ("airstrikes by Russian jets"), or after a
# passive participle and a few words ("were killed by a suspected ISIS member").
_AGENT_BY = re.compile(
    r"^\s*(?:(?:[\w'’-]+\s+){0,3}?)by\s+(?:the\s+|a\s+|an\s+)?(?:suspected\s+|alleged\s+|unknown\s+)?$",
    re.I,
)
_DIRECT_BY = re.compile(r"^\s*(?:carried out\s+|launched\s+|conducted\s+)?by\s+(?:the\s+)?$", re.I)
_CLAIMED_BY = re.compile(r"\bclaimed\s+by\s+(?:the\s+)?$", re.I)
_CLAIMS_AFTER = re.compile(r"^\s+(?:has\s+|have\s+|had\s+|later\s+|also\s+)?claimed\b", re.I)
_ACCUSED_OF = re.compile(r"^\s+(?:of|for)\s+(?:(?:carrying out|launching|conducting|an?|the)\s+)?$", re.I)
# "US service members were hurt in the ambush": the actor before a nominal trigger suffered it
_SUFFERED = re.compile(
    r"^\s+(?:[\w'’-]+\s+){0,4}?(?:(?:was|were|has been|have been|had been|is|are)\s+)?(?:\w+ly\s+)?"
    r"(?:killed|wounded|hurt|injured|hit|targeted|struck|caught|trapped|attacked|ambushed)"
    r"\s+(?:in|by|during|at)\s+(?:the\s+|an?\s+|this\s+|that\s+)?$",
    re.I,
)
_WHEN_AGENT = re.compile(
    r"\b(?:when|as|after)\s+(?:an?\s+|the\s+)?(?:(?:suspected|lone|unknown|suicide)\s+)?$", re.I
)
_REMOTE_TYPES = frozenset({"Air/drone strike", "Shelling/artillery/missile attack"})


def _state_like(a: ActorMention | None) -> bool:
    return a is not None and a.inter in (1, 8)


def _shelling_group(actor1: ActorMention | None, trigger) -> bool:
    """An armed group named as the subject of shelling fired it: armed groups have mortars and rockets (ACLED
    codes their shelling with them as actor1), if not aircraft."""
    return (
        actor1 is not None
        and actor1.inter in (2, 3, 4)
        and trigger.sub_event_type == "Shelling/artillery/missile attack"
    )


_ARMED_INTERS = (1, 2, 3, 4, 8)
# Verbs of comment on an event told as their object ("which condemned the 2 March bombings")
_COMMENTED = re.compile(
    r"\b(?:condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|deplor(?:e|es|ed|ing)|mourn(?:s|ed|ing)?|"
    r"welcom(?:e|es|ed|ing)|prais(?:e|es|ed|ing)|investigat(?:e|es|ed|ing)|inquir(?:y|e|es|ed) into|"
    r"comment(?:s|ed|ing)? on|react(?:s|ed|ing)? to|respond(?:s|ed|ing)? to)\b",
    re.I,
)


def _roles(cand: Candidate, ctx: DocContext) -> tuple[ActorMention | None, ActorMention | None]:
    """(actor1, actor2) of the candidate, with ACLED's rule that civilians are never actor1: they are the
    victims of political violence, never its perpetrators (ACLED Codebook, "Actors": civilians are always
    actor2). "blamed the army for killing 14 civilians in a raid", "villagers came under shelling by the
    militia": the armed actor named around the trigger acts, the civilians suffer."""
    actor1, actor2 = _positional_roles(cand, ctx)
    own = _self_reported(cand)
    if own is not None and own.actor != (actor1.actor if actor1 else None):
        # "Russia says it killed 7 Nusra Front commanders": the source tells its own deed; who the position
        # rules made the actor is then the one acted upon
        target = actor1 if actor1 is not None and actor1.start > own.end else actor2
        return own, target
    if actor1 is not None and actor1.end <= cand.trigger.start:
        between = cand.document.text[actor1.end : cand.trigger.start]
        if _COMMENTED.search(between) and not _ACCUSED_OF.match(between):
            # "the council passed a motion which condemned the bombings in Kabul": who
            # comments on an event is no party to it (ACLED codes the event's actors, not its critics)
            actor1 = None
    if actor1 is None or actor1.inter != 7:
        return actor1, actor2
    trig = cand.trigger
    armed_before = [a for a in cand.actors if a.start < trig.start and a.inter in _ARMED_INTERS]
    armed_after = [a for a in cand.actors if a.start >= trig.end and a.inter in _ARMED_INTERS]
    if armed_before:
        return armed_before[-1], actor1
    if actor2 is not None and actor2.inter in _ARMED_INTERS:
        return actor2, actor1
    return (armed_after[0] if armed_after else None), actor1


# A source that tells its own deed: "Russia says it killed ...", "the ministry said its jets had destroyed
# ...", headline style "Russia says kills ...": the verb of saying and what may stand before the deed.
_SAYS_OWN = re.compile(
    r"\s+(?:says|said|claims|claimed|announced|reports|reported|stated)\s+(?:on\s+\w+\s+)?(?:that\s+)?"
    r"(?:(?:it|they)\s+|(?:its|their)\s+(?:own\s+)?(?:forces|troops|jets|warplanes|aircraft|planes|army|"
    r"military|fighters|units|soldiers|drones|navy|air\s+force|artillery)\s+)?"
    r"(?:(?:had|has|have)\s+(?:been\s+)?)?(?:\w+ly\s+)?",
    re.IGNORECASE,
)
# The deed, when the trigger comes later in its clause ("says kills 7 commanders in an air strike").
_DEED_VERB = re.compile(
    r"(?:kill|destroy|strike|struck|hit|bomb|target|shell|pound|carr(?:y|ie)|conduct|launch|eliminat|"
    r"neutrali[sz]|captur|seiz|liberat|retak|retook|repel|repuls|shot\s+down|down|intercept|raid|attack)"
    r"\w*\b[^.;:!?]*$",
    re.IGNORECASE,
)


def _self_reported(cand: Candidate) -> ActorMention | None:
    """The source of the sentence when it tells its own deed as the trigger's subject: an armed actor (or
    a government, which acts through its forces) named right before a verb of saying whose clause goes on
    with the deed, with at most "it" or "its jets" between ("Russia says rebels killed ..." is no own deed:
    another subject comes first)."""
    text = cand.document.text
    trig = cand.trigger
    speakers = [*cand.claimants, *(a for a in cand.actors if a.end <= trig.start)]
    for c in sorted(speakers, key=lambda a: a.start, reverse=True):
        if c.end > trig.start or c.inter not in _ARMED_INTERS:
            continue
        gap = text[c.end : trig.start]
        m = _SAYS_OWN.match(gap)
        if m is None or len(gap) > 120:
            continue
        rest = gap[m.end() :]
        if not rest or _DEED_VERB.match(rest):
            info = actor_dictionary.get_actor_dictionary().info(c.actor)
            if info is not None and info.speaks_for:
                # CENTCOM tells what US forces did: the forces are the actor (ACLED names armed actors)
                return dataclasses.replace(c, actor=info.speaks_for, kind="actor")
            return c
    return None


def _positional_roles(cand: Candidate, ctx: DocContext) -> tuple[ActorMention | None, ActorMention | None]:
    """(actor1, actor2) from the actors of the candidate's sentence, by position around the trigger.

    Active voice: the actor before the trigger acts, the first one after it is acted upon. Passive voice
    ("were killed by X", "has been encircled by the army", "strikes by Russian jets"): the "by" phrase acts.
    Air and artillery strikes are carried out by forces that have aircraft and artillery: a nominal trigger
    whose only state actor follows it ("In 10 airstrikes, coalition bombers targeted ...") has it as actor1.
    """
    trig = cand.trigger
    text = cand.document.text
    # An actor that starts before the trigger acts ("US warplanes pounded": the trigger overlaps the actor).
    before = [a for a in cand.actors if a.start < trig.start]
    after = [a for a in cand.actors if a.start >= trig.end]
    head = text[max(cand.sentence.start, trig.start - 40) : trig.start]
    passive = bool(_PASSIVE_AUX.search(head))
    sides = list({(a.start, a.end): a for a in after if a.kind == "actor"}.values())
    if (
        not [a for a in before if a.kind == "actor"]
        and len(sides) >= 2
        and _BETWEEN.match(text, trig.end, sides[0].start)
        and _AND_ONLY.fullmatch(text, sides[0].end, sides[1].start)
    ):
        return sides[0], sides[1]  # "fighting between the army and the RSF": the two sides, in order
    agent = None
    for a in after:
        between = text[trig.end : a.start]
        if _DIRECT_BY.match(between) or (passive and _AGENT_BY.match(between)):
            agent = a
            break
    if agent is None:
        # "an attack ..., for which Daesh has claimed responsibility", "one in Baghdad claimed by Daesh":
        # ACLED codes the claimant of an attack as its perpetrator
        agent = next(
            (
                a
                for a in after
                if _CLAIMED_BY.search(text[trig.end : a.start])
                or _CLAIMS_AFTER.match(text[a.end : a.end + 40])
            ),
            None,
        )
        if agent is not None:
            return agent, next((a for a in after if a.actor != agent.actor and a.start < agent.start), None)
    if agent is None:
        # "Syria has accused Israel of bombarding ...": the accused is the one said to have acted
        agent = next((a for a in before if _ACCUSED_OF.match(text[a.end : trig.start])), None)
        if agent is not None:
            return agent, next((a for a in after if a.actor != agent.actor), None)
    if agent is not None:
        rest = [a for a in before if a.actor != agent.actor]
        return agent, (rest[-1] if rest else None)
    if passive and before:
        # "soldiers were killed on Saturday when a gunman opened fire on ...": the clause says who acted
        agent = next(
            (a for a in after if a.inter in (1, 2, 3, 4, 8) and _WHEN_AGENT.search(text[trig.end : a.start])),
            None,
        )
        victims = [a for a in before if agent is None or a.actor != agent.actor]
        if agent is not None and victims:
            return agent, next((a for a in victims if a.inter != 7), victims[-1])
        return None, before[-1]  # "militants were encircled": the actor named is the one acted upon
    if before and _SUFFERED.match(text[before[-1].end : trig.start]):
        return None, before[-1]
    actor1 = actor2 = None
    if before:
        actor1 = before[-1]
        # "Syrian forces, aided by Russia and Hezbollah, took ..." : the head is the first actor of the clause
        first = before[0]
        if first is not actor1 and re.search(
            r"\b(?:aided|backed|supported|assisted)\s+by\b", text[first.end : actor1.start]
        ):
            actor1 = first
    others = [a for a in after if actor1 is None or a.actor != actor1.actor]
    if others:
        actor2 = others[0]
    if trig.sub_event_type in _REMOTE_TYPES and not _state_like(actor1) and not _shelling_group(actor1, trig):
        states = [a for a in others if _state_like(a)]
        if states:
            target = actor1 or next((a for a in others if a is not states[0]), None)
            return states[0], target
    return actor1, actor2


def _associates(cand: Candidate, actor1: ActorMention | None, actor2: ActorMention | None) -> list[str]:
    """Partners of actor1 in support ("aided by Russia and Hezbollah", "US-led coalition")."""
    if actor1 is None:
        return []
    text = cand.document.text
    out = []
    for a in cand.actors:
        if a is actor1 or a is actor2 or a.actor in (actor1.actor, actor2.actor if actor2 else None):
            continue
        between = text[min(a.end, actor1.end) : max(a.start, actor1.start)]
        if (
            a.start > actor1.end
            and re.search(r"\b(?:aided|backed|supported|assisted|alongside|with)\b", between)
            and a.start < cand.trigger.start
            and a.actor not in out
        ):
            out.append(a.actor)
    return out


# Between a bare "troops" and the trigger it is the subject of: at most two words, no punctuation and no
# preposition ("troops drove ...", "soldiers reportedly stormed ..."; not "two soldiers, in a ... attack").
_SUBJECT_GAP = re.compile(
    r"(?:\s+(?!(?:in|of|on|at|with|by|from|for|to|and|the|a|an)\b)[\w'’-]+){0,2}\s+", re.I
)
_FORCE_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_ONE_SIDED_TYPES = _FORCE_TYPES - {"Battles"}


_BETWEEN = re.compile(r"\s+(?:[\w-]+\s+){0,2}?between\s+", re.IGNORECASE)
_AND_ONLY = re.compile(r"\s+and\s+(?:the\s+)?", re.IGNORECASE)
_BARE_STATE_SIDE = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:between|with|against)\s+(?:the\s+)?(?:[\w-]+\s+)?"
    r"(?P<noun>" + STATE_NOUNS.pattern + r")",
    re.IGNORECASE,
)


def _inter_of(name: str | None) -> int | None:
    """The ACLED inter code of a canonical or template name; None when the dictionary does not know it."""
    info = actor_dictionary.get_actor_dictionary().info(name) if name else None
    return info.inter if info else None


def _bare_force(country: str, noun: str, on: date | None) -> str | None:
    """The force a bare "police", "troops" or "the army" stands for in ``country``: its police or military."""
    states = actor_dictionary.get_actor_dictionary()
    branch = "police" if _POLICE_NOUN.fullmatch(noun) else "military"
    return states.role(country, branch, on) or states.role(country, "military", on)


def _battle_sides(
    cand: Candidate, country: str, on: date | None, name1: str | None, name2: str | None
) -> tuple[str | None, str | None]:
    """Civilians are never a side of a battle (ACLED: they are killed in it, the toll says so); a bare
    "the army", "troops" or "police" among the words of a battle with no state actor named is the country's
    force ("fighting between the army and the RSF", "militants clashed with troops")."""
    if _inter_of(name2) == 7:
        name2 = None
    if _inter_of(name1) == 7:
        name1 = None
    if 1 in (_inter_of(name1), _inter_of(name2)):
        return name1, name2
    text = cand.document.text
    # "fighting between the army and the RSF", "militants clashed with troops": the state side named bare
    side = _BARE_STATE_SIDE.match(text, cand.trigger.end, cand.sentence.end)
    if side is None:
        return name1, name2
    state = _bare_force(country, side.group("noun"), on)
    if state is None:
        return name1, name2
    if name2 is None:
        return name1, state
    if name1 is None or unidentified(name1):
        return state, name2
    return name1, name2


# Who a count may name that is not a civilian ("abducted five soldiers").
_ARMED_VICTIMS = frozenset({"soldiers", "police", "militants"})
_POLICE_NOUN = re.compile(r"police|gendarmes?|gendarmerie", re.IGNORECASE)
_DEMONSTRATION_TYPES = frozenset({"Protests", "Riots"})
_CROWD_INTERS = (5, 6)  # rioters, protesters
_STATE_INTERS = (1, 8)  # state forces, at home or abroad
_FORCE_INTERS = (1, 2, 3, 4, 8)


def _demonstration_roles(
    event_type: str,
    sub_event_type: str,
    name1: str | None,
    name2: str | None,
    assoc1: list[str],
    country: str,
    sentence_text: str,
) -> tuple[str | None, str | None]:
    """ACLED's actors of a demonstration: the crowd is "Protesters (<country>)" in a protest, "Rioters
    (<country>)" in a riot, named or not. It is actor1, and the force that intervened or that the rioters
    fought is actor2, except when force against protesters is the event (the force is actor1, the protesters
    actor2). A named group that marches is associated with the crowd (added to ``assoc1``); the government
    a peaceful protest is aimed at is no party to it."""
    crowd = f"{'Protesters' if event_type == 'Protests' else 'Rioters'} ({country})"
    sides = [
        (position, name, _inter_of(name))
        for position, name in enumerate((name1, name2))
        if name and _inter_of(name) not in _CROWD_INTERS
    ]
    force = next((name for _, name, inter in sides if inter in _STATE_INTERS), None)
    acted_on = next((name for position, name, _ in sides if position == 1), None)
    for position, name, inter in sides:
        # "Hamas supporters rallied", "students of the union marched": the group is the crowd's
        marching = position == 0 and name != force and inter not in _STATE_INTERS
        if marching and sub_event_type != "Mob violence" and name not in assoc1:
            assoc1.append(name)
    if sub_event_type == "Excessive force against protesters":
        armed = next((name for _, name, inter in sides if inter in _FORCE_INTERS), None)
        return armed, crowd
    if sub_event_type == "Peaceful protest":
        return crowd, None
    if sub_event_type == "Mob violence":
        if acted_on or force or STATE_NOUNS.search(sentence_text):
            return crowd, acted_on or force  # "a mob attacked a police station": not civilians
        return crowd, f"Civilians ({country})"  # "a mob lynched a man accused of theft"
    if sub_event_type == "Violent demonstration":
        return crowd, force or acted_on
    return crowd, force  # Protest with intervention


def _acting_force(name: str | None, when) -> str | None:
    """Governments fight through their forces: "the Government of Iraq's liberation of Tikrit" is coded as
    Military Forces of Iraq (ACLED names the armed actor, not the cabinet)."""
    dictionary = actor_dictionary.get_actor_dictionary()
    info = dictionary.info(name) if name else None
    if info is None or info.kind != "government body" or not info.country:
        return name
    return dictionary.role(info.country, "military", when) or name


def _led_by(name: str | None, associates: list[str]) -> tuple[str | None, list[str]]:
    """A coalition acts through the state that leads it: that state is the actor, the coalition associated
    ("US-led coalition": Military Forces of the United States, with International Coalition against ISIS)."""
    info = actor_dictionary.get_actor_dictionary().info(name) if name else None
    if info is None or not info.lead:
        return name, associates
    return info.lead, [name, *(a for a in associates if a != name)]


def _fatalities(quantities: list[Quantity]) -> tuple[int, int, int, bool]:
    """(best, low, high, civilians) over the killed-counts of one event's sentences."""
    # "37 terrorists, including two senior militants": the two are part of the 37, never added
    killed = killed_counts(quantities)
    if not killed:
        return 0, 0, 0, False
    best, low, high = fatality_totals(killed)
    civilians = any((q.who or "") in ("civilians", "children", "women") for q in killed)
    return best, low, high, civilians


def _quantities(quantities: list[Quantity]) -> dict[str, int]:
    out: dict[str, int] = {}
    for q in quantities:
        key = _QUANTITY_KEYS.get(q.counts)
        if key is None or q.aggregate:
            continue
        out[key] = max(out.get(key, 0), q.best)
    return out


def event_id(article_hash: str, *parts: object) -> str:
    h = hashlib.sha1(article_hash.encode())
    for part in parts:
        h.update(b"\x1f" + str(part).encode())
    return h.hexdigest()[:16]


def describe(event: Event) -> str:
    """The event's notes: one sentence in eventwire's own words, built from its coded fields."""
    verb = {
        "Air/drone strike": "carried out an air or drone strike",
        "Shelling/artillery/missile attack": "fired artillery, rockets or missiles",
        "Armed clash": "clashed",
        "Government regains territory": "regained territory",
        "Non-state actor overtakes territory": "took control of territory",
        "Remote explosive/landmine/IED": "was involved in an explosive device attack",
        "Suicide bomb": "carried out a suicide bombing",
        "Grenade": "carried out a grenade attack",
        "Chemical weapon": "used a chemical weapon",
        "Attack": "attacked",
        "Abduction/forced disappearance": "abducted people",
        "Sexual violence": "committed sexual violence",
        "Arrests": "made arrests",
        "Peaceful protest": "protested",
        "Protest with intervention": "protested and were dispersed",
        "Excessive force against protesters": "used force against protesters",
        "Violent demonstration": "rioted",
        "Mob violence": "engaged in mob violence",
        "Agreement": "reached an agreement",
        "Disrupted weapons use": "disrupted a weapons use",
        "Headquarters or base established": "established a base",
        "Non-violent transfer of territory": "took over territory without fighting",
        "Looting/property destruction": "looted or destroyed property",
        "Change to group/activity": "changed its organisation or activity",
    }.get(event.sub_event_type, "was involved in an event")
    who = event.actor1 or "An unidentified actor"
    target = ""
    if event.actor2 and event.sub_event_type not in ("Armed clash",):
        target = f" targeting {event.actor2}"
    elif event.actor2:
        target = f" with {event.actor2}"
    where = (
        f" near {event.location}"
        if event.location and (event.geo_precision or 1) >= 2
        else (f" in {event.location}" if event.location else "")
    )
    if event.event_date is None:
        when = "On an unknown date"
    elif event.time_precision == 1:
        when = f"On {event.event_date.isoformat()}"
    elif event.time_precision == 2:
        when = f"Around {event.event_date.isoformat()}"
    else:
        when = f"In {event.event_date.strftime('%B %Y')}"
    toll = f"; {event.fatalities} reported killed" if event.fatalities else ""
    source = f" (according to {', '.join(event.claimed_by)})" if event.claimed_by else ""
    return f"{when}, {who} {verb}{target}{where}{toll}{source}."


def _explicitness(cand: Candidate, actor1, place: PlaceMention | None, when: DateMention | None) -> float:
    score = 0.35 * cand.trigger.weight
    score += 0.2 if actor1 is not None else 0.0
    score += 0.15 if place is not None and place.place is not None else 0.0
    score += 0.05 if place is not None and place.geo_precision == 1 else 0.0
    precision = when.time_precision if when is not None else None
    score += 0.15 if precision == 1 else (0.08 if precision == 2 else 0.0)
    score += 0.1 if cand.claimants else 0.0
    return round(min(score, 1.0), 3)


def _confidence(cand: Candidate, explicitness: float) -> float:
    """Explicitness blended with the sentence-type model's probability for the candidate's type: of two
    events told in one sentence ("militants stormed a base and seized its depot"), the one the sentence is
    about ranks first."""
    share = get_type_model().thresholds.rank
    return round((1.0 - share) * explicitness + share * cand.type_support, 3)


def code_candidate(
    cand: Candidate,
    ctx: DocContext,
    lead_places: list[PlaceMention],
    lead_date: DateMention | None,
    all_dates: list[DateMention],
    ordinal: int,
) -> list[Event]:
    """The events a candidate reports: one per place (ACLED), or none if its date is year-only history."""
    doc: Document = cand.document
    trig = cand.trigger
    when = date_stage.event_date(doc, cand.sentence, trig.start, all_dates, lead_date=lead_date)
    if when is not None and when.year_only:
        return []
    entry = taxonomy()[trig.sub_event_type]
    actor1, actor2 = _roles(cand, ctx)
    actor1_name = actor1.actor if actor1 else None
    if (
        actor1 is None
        and _GENERIC_GROUP.search(doc.text[cand.sentence.start : trig.start])
        and ctx.main_actor
    ):
        actor1_name = ctx.main_actor
    actor2_name = actor2.actor if actor2 else None
    sentence_text = doc.text[cand.sentence.start : cand.sentence.end]
    if (
        actor2 is None
        and (
            _GENERIC_GROUP.search(sentence_text)
            or NON_STATE_NOUNS.search(sentence_text)
            or trig.sub_event_type == "Government regains territory"
        )
        and ctx.main_actor
        and ctx.main_actor != actor1_name
    ):
        # "the militants ... encircled by the Syrian Army", "troops drove jihadists out of": the report's
        # armed group, named elsewhere in it. Territory the state regains was held by someone: in a report
        # about one armed group, that group (ACLED: actor2 of Government regains territory is the side that
        # lost it)
        actor2_name = ctx.main_actor
    best, low, high, civilian_dead = _fatalities(cand.quantities)
    locations = place_stage.locate_event(
        doc,
        cand.sentence,
        cand.places,
        fallback=lead_places,
        anchor=trig.start,
        exclude=[(a.start, a.end) for a in cand.actors],
        earlier=[pm for pm in ctx.places if pm.end <= cand.sentence.start],
    ) or [None]
    events = []
    for index, place in enumerate(locations):
        on = when.date_start if when is not None else None
        country = place.place.country if place is not None and place.place is not None else None
        acting = actor1_name
        # the words right before the trigger, outside any named actor ("troops drove ...", not "US forces")
        near = doc.text[max(cand.sentence.start, trig.start - 40) : trig.start]
        named = any(a.end > trig.start - 40 and a.start < trig.start for a in cand.actors)
        subject = [m for m in STATE_NOUNS.finditer(near) if _SUBJECT_GAP.fullmatch(near[m.end() :])]
        if acting is None and country and not named and subject:
            # bare "troops", "the army", "police" act for the state where the event happened
            acting = _bare_force(country, subject[-1].group(), on)
        name1 = actor_dictionary.localise_actor(acting, country, on) if acting else None
        name2 = actor_dictionary.localise_actor(actor2_name, country, on) if actor2_name else None
        if entry.event_type == "Battles" and country:
            name1, name2 = _battle_sides(cand, country, on, name1, name2)
        civilian_targeting = trig.sub_event_type in (
            "Attack",
            "Sexual violence",
            "Abduction/forced disappearance",
        )
        armed_victims = any(q.who in _ARMED_VICTIMS for q in cand.quantities)
        if (
            name2 is None
            and country
            and (
                # an attack, abduction or sexual violence on people not named
                (civilian_targeting and not armed_victims)
                # "a landmine killed two children": the civilians it hit (never in a battle: civilians
                # killed in fighting are its toll, not a side)
                or (civilian_dead and not armed_victims and entry.event_type in _ONE_SIDED_TYPES)
                # "one jet bombed a school for girls": a strike from the air or by artillery aimed at a
                # civilian place targets civilians (ACLED: actor2 Civilians, civilian targeting)
                or (
                    trig.sub_event_type in _REMOTE_TYPES
                    and SOFT_TARGET_AFTER.match(doc.text[trig.end : cand.sentence.end])
                )
            )
        ):
            name2 = f"Civilians ({country})"
        if name1 is None and trig.sub_event_type in _NEEDS_PERPETRATOR:
            name1 = actor_dictionary.unidentified(country)  # ACLED: never invent a perpetrator
            if country and COMMUNAL_VIOLENCE.fullmatch(trig.text):
                name1 = f"Unidentified Communal Militia ({country})"
        if entry.event_type in _FORCE_TYPES:
            name1 = _acting_force(name1, on)
            name2 = _acting_force(name2, on)
        name1, assoc1 = _led_by(name1, _associates(cand, actor1, actor2))
        name2, assoc2 = _led_by(name2, [])
        if entry.event_type in _DEMONSTRATION_TYPES and country:
            name1, name2 = _demonstration_roles(
                entry.event_type, trig.sub_event_type, name1, name2, assoc1, country, sentence_text
            )
        info1 = actor_dictionary.resolve_actor(name1, on) if name1 else None
        info2 = actor_dictionary.resolve_actor(name2, on) if name2 else None
        if (
            entry.event_type == "Violence against civilians"
            and (name1 is None or name1.startswith("Unidentified"))
            and info2 is not None
            and info2.inter in (2, 3, 4)
        ):
            # "militants shot dead three women ... who had fled IS": in violence against civilians an armed
            # group named after the trigger is the perpetrator, and the victims are civilians
            name1, info1 = name2, info2
            name2 = f"Civilians ({country})" if country else None
            info2 = actor_dictionary.resolve_actor(name2, on) if name2 else None
        civilian_targeting = civilian_targeting or civilian_dead or (info2 is not None and info2.inter == 7)
        ev = Event(
            event_id="",
            event_date=date_stage.acled_point_date(when.date_start, when.date_end, when.time_precision)
            if when is not None
            else None,
            date_start=when.date_start if when is not None else None,
            date_end=when.date_end if when is not None else None,
            time_precision=when.time_precision if when is not None else None,
            event_type=entry.event_type,
            sub_event_type=trig.sub_event_type,
            actor1=name1,
            assoc_actor_1=assoc1,
            assoc_actor_2=assoc2,
            inter1=info1.inter_in(country) if info1 else None,
            actor2=name2,
            inter2=info2.inter_in(country) if info2 else None,
            civilian_targeting=civilian_targeting,
            fatalities=best,
            fatalities_low=low,
            fatalities_high=high,
            quantities=_quantities(cand.quantities),
            cameo=trig.cameo,
            plover_event=trig.plover_event,
            plover_mode=trig.plover_mode,
            claimed_by=list(dict.fromkeys(c.actor for c in cand.claimants)),
            article_ids=[doc.article.id],
            sources=[doc.article.source] if doc.article.source else [],
            evidence=[
                Evidence(
                    doc.article.id, cand.sentence.start, cand.sentence.end, cand.sentence.text, ["event"]
                )
            ],
        )
        if place is not None:
            _apply_place(ev, place)
        if when is not None and date_stage.before_the_news(doc, when):
            ev.flags.append("background")  # told as background: more than a month before the report
        if trig.resolved_from:
            ev.flags.append("type_from_context")  # a generic word ("attack", "explosion"): type from context
        if when is None:
            ev.flags.append("date_unknown")  # no date in the text and no publication date: never guessed
        elif doc.doc_date is None:
            ev.flags.append("year_unknown")
        ev.explicitness = _explicitness(cand, actor1, place, when)
        ev.confidence = _confidence(cand, ev.explicitness)
        ev.event_id = event_id(
            doc.article.raw_hash, ordinal, index, ev.sub_event_type, ev.date_start, ev.location
        )
        events.append(ev)
    return events


def _apply_place(ev: Event, mention: PlaceMention) -> None:
    ev.geo_precision = mention.geo_precision
    ev.flags.extend(place_stage.place_flags(mention))
    place = mention.place
    if place is None:
        ev.location = mention.text  # kept as written; coordinates stay null
        return
    ev.country = place.country
    ev.iso3 = place.iso3
    ev.admin1 = place.admin1
    ev.location = place.name
    ev.latitude = place.latitude
    ev.longitude = place.longitude
    ev.geonameid = place.geonameid
