"""Actor dictionary: alias matching with date validity, claimants, and ACLED's actor names and inter codes.

Knowledge lives in ``data/actors.yaml`` and ``data/states.csv`` (sources noted there): the YAML file is
written by hand; the CSV file gives every country's demonyms, names and short forms of its forces, from which
the loader fills whatever the YAML file leaves out (the military, police and government of each country).
At load, every alias, every country adjective
combined with a role noun ("Syrian troops", "Russian aircraft", "Turkish-backed"), every generic phrase
("government forces"), template ("civilians") and anaphor ("the ministry") goes into ONE Aho-Corasick
automaton, so a document is read once whatever the size of the dictionary.

Matching rules:
- The text is normalised without losing offsets: hyphens and dashes count as spaces, runs of spaces count as
  one, punctuation other than ``. ' &`` separates words, and case is folded. Keys start with a space, so a
  match always starts on a word; the end is checked against the next character.
- Tokens of an alias written with two or more capitals ("IS", "SDF", "U.S.", "MoD") must appear exactly so.
- Where matches overlap, the longest wins; then explicit aliases beat patterns, generic phrases and templates.
- Validity: an alias or entry limited to dates only matches when the document date falls inside them; with
  no date, the current naming applies.
- Generic phrases and templates take the country the document is about: the country whose names and
  adjectives it uses most, weighted down for states that mostly act abroad in this reporting. Where country
  names overlap ("South Sudan" contains "Sudan"), only the longest counts.
- An alias may be limited to documents about given countries (``only_in``): "CPC" is the Central African
  rebel coalition in a report about the Central African Republic, and nothing elsewhere.
- Descriptions ("the troops", "militants", "rebels", "gang members") refer back to the nearest earlier actor
  of their group (else the nearest later one), else to the host state's role or a template of the host.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

import ahocorasick

from eventwire.model import ActorMention, Document, PlaceMention
from eventwire.resources import load_csv, load_yaml

DATA_FILE = "actors.yaml"
STATES_FILE = "states.csv"
COUNTRIES_FILE = "acled_countries.csv"
# Roles the loader fills for every country in states.csv: (role, canonical name pattern, kind, group).
GENERATED_ROLES = (
    ("military", "Military Forces of {of}", "state military", "military"),
    ("police", "Police Forces of {of}", "police", "police"),
    ("government", "Government of {of}", "government body", "government"),
)
NO_MILITARY = "-"  # states.csv: the country has no army; its police fill the military role
SOURCE = "source"  # ActorMention.kind of a claimant
ACTOR = "actor"

# Kinds whose inter code turns into 8 (External/Other forces) when they act outside their own country.
_STATE_KINDS = frozenset({"state military", "police", "military command"})

# Priority among targets that share one key: ignore hides everything, explicit aliases beat patterns.
_PRIORITY = {"ignore": 100, "actor": 50, "role": 40, "template": 30, "generic": 20, "anaphor": 10}

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_APOSTROPHES = "\u2019\u2018\u02bc`\u00b4"
_TRANSLATE = str.maketrans({**{c: " " for c in _DASHES}, **{c: "'" for c in _APOSTROPHES}})
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")  # several spaces, or one tab/newline/odd space
# Punctuation separates words; an apostrophe only belongs to a word inside it ("Hay'at", "Russia's"),
# so an opening quote ('Islamic State') separates too.
_SEPARATOR = re.compile(r"[^\w\s.'&]|(?<!\w)'")
_TEMPLATE_NAME = re.compile(r"^(?P<bare>.+?) \((?P<country>[^()]+)\)$")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class ActorInfo:
    """What the dictionary knows about one canonical actor."""

    name: str
    inter: int  # ACLED inter code at home (0: not an ACLED actor, e.g. a monitor or news agency)
    country: str | None
    kind: str  # "state military", "police", "armed group", "coalition", "civilians", "monitor", ...
    wikidata: str | None = None
    claimant: bool = False  # reports attribute facts to it ("according to ...")
    speaks_for: str | None = None  # the actor a claimant speaks for (CENTCOM -> US forces)
    lead: str | None = None  # coalitions: the state coded as actor1, the coalition being associated
    family: str | None = None  # branches of one organisation ("Islamic State")
    groups: tuple[str, ...] = ()  # what anaphors may refer back to ("defence ministry", "monitor")
    valid_from: date | None = None
    valid_until: date | None = None

    def valid_on(self, when: date | None) -> bool:
        return _valid(self.valid_from, self.valid_until, when)

    def inter_in(self, country: str | None) -> int:
        """ACLED's inter code for an event in ``country``: state forces abroad are External/Other (8)."""
        if (
            self.inter == 1
            and self.kind in _STATE_KINDS
            and country
            and self.country
            and country != self.country
        ):
            return 8
        return self.inter


@dataclass(frozen=True, slots=True)
class _Template:
    pattern: str  # "Civilians ({country})"
    bare: str  # "Civilians"
    inter: int
    kind: str
    claimant: bool = False

    def name(self, country: str | None) -> str:
        return self.pattern.format(country=country) if country else self.bare

    def info(self, country: str | None) -> ActorInfo:
        return ActorInfo(self.name(country), self.inter, country, self.kind, claimant=self.claimant)


@dataclass(frozen=True, slots=True)
class _Target:
    """One meaning of an automaton key."""

    how: str  # "actor", "role", "generic", "template", "anaphor", "ignore", "cue"
    ref: str  # actor name, role, template bare name, anaphor group, or cue country
    country: str | None = None  # the adjective's country (role and template patterns)
    exact: tuple[tuple[int, str], ...] = ()  # (offset in the key, token) that must match with case
    span_end: int | None = None  # mention covers key[:span_end] only (adjective of "Russian airstrikes")
    valid_from: date | None = None
    valid_until: date | None = None
    weight: float = 1.0  # cues: how much one mention says about the document's country
    fallback: str | None = None  # anaphors: actor when nothing in the document is referred to
    fallback_role: str | None = None  # anaphors: the host country's role instead
    fallback_template: str | None = None  # anaphors: a template of the host country instead
    inters: tuple[int, ...] = ()  # anaphors: refer back to any named actor with one of these inter codes
    hosts: tuple[str, ...] = ()  # only in documents about one of these countries

    @property
    def priority(self) -> int:
        return _PRIORITY.get(self.how, 0)


@dataclass(slots=True)
class _Match:
    start: int  # offsets in the normalised text without its leading space
    end: int
    targets: list[_Target]


@dataclass(slots=True)
class _Normalised:
    lower: str  # " " + normalised text, case folded
    cased: str  # " " + normalised text
    # (offset, shift) in the normalised text without its leading space:
    # from that offset on, original offset = offset + shift
    breaks: list[tuple[int, int]] = field(default_factory=list)

    def original(self, pos: int) -> int:
        shift = 0
        lo, hi = 0, len(self.breaks)
        while lo < hi:  # last break at or before pos
            mid = (lo + hi) // 2
            if self.breaks[mid][0] <= pos:
                lo = mid + 1
            else:
                hi = mid
        if lo:
            shift = self.breaks[lo - 1][1]
        return pos + shift


# --------------------------------------------------------------------------- helpers


def _valid(valid_from: date | None, valid_until: date | None, when: date | None) -> bool:
    """Validity with inclusive bounds; without a date the current naming (open-ended) applies."""
    if when is None:
        return valid_until is None
    return (valid_from is None or valid_from <= when) and (valid_until is None or when <= valid_until)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


_STATE_KEYS = ("adjectives", "names", "host_weight")


def _split(cell: str | None) -> list[str]:
    """The values of a states.csv cell: "Nigerian|Nigeria's"."""
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def _possessive(name: str) -> str:
    """ "Kenya's", "the Philippines' " - the form reports put before a force ("Mali's army")."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _flatten(items: Iterable[Any]) -> Iterable[Any]:
    """Aliases, with YAML anchors of shared lists inlined ([ISWAP, *islamic_state])."""
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _normalise(text: str) -> _Normalised:
    """Case-folded text for matching, as long as ``cased``; runs of spaces collapse, their shifts recorded."""
    text = text.translate(_TRANSLATE)
    breaks: list[tuple[int, int]] = []
    if _SPACE_RUN.search(text):
        pieces: list[str] = []
        last = shift = 0
        for m in _SPACE_RUN.finditer(text):
            pieces.append(text[last : m.start()])
            pieces.append(" ")
            extra = m.end() - m.start() - 1
            if extra:  # what follows the collapsed run sits ``extra`` characters further on in the original
                breaks.append((m.start() - shift + 1, shift + extra))
                shift += extra
            last = m.end()
        pieces.append(text[last:])
        text = "".join(pieces)
    cased = " " + _SEPARATOR.sub(" ", text)
    lower = cased.lower()
    if len(lower) != len(cased):  # a few characters change length when folded ("İ"); keep them as they are
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in cased)
    return _Normalised(lower, cased, breaks)


def _key(alias: str) -> tuple[str, str]:
    """(case-folded key, cased key) of an alias, normalised like the text, with the leading space."""
    norm = _normalise(alias.strip())
    return norm.lower.rstrip(), norm.cased.rstrip()


def _exact_tokens(cased_key: str) -> tuple[tuple[int, str], ...]:
    """Tokens written with two or more capitals must match with case ("IS", "U.S.", "MoD")."""
    if sum(c.isupper() for c in cased_key) < 2:  # most keys: nothing to check
        return ()
    out = []
    for m in re.finditer(r"\S+", cased_key):
        token = m.group()
        if sum(1 for c in token if c.isupper()) >= 2:
            out.append((m.start(), token))
    return tuple(out)


# --------------------------------------------------------------------------- the dictionary


class ActorDictionary:
    """The loaded dictionary: canonical actors, role tables and one automaton over every key."""

    def __init__(self, data: dict[str, Any], states: Iterable[dict[str, str]] = ()) -> None:
        self.actors: dict[str, ActorInfo] = {}
        self.states: dict[str, dict[str, list[tuple[str, date | None, date | None]]]] = {}
        self.templates: dict[str, _Template] = {}
        self.families: dict[str, dict[str, str]] = {}
        self.generated: set[str] = set()  # canonical names the loader made from states.csv
        self._keys: dict[str, list[_Target]] = {}
        self._load_actors(data.get("actors") or [])
        specs = self._state_specs(data.get("states") or {}, states)
        self._check_references()
        self._load_templates(data.get("templates") or [])
        self._load_states(specs, data.get("role_nouns") or {})
        self._load_generic(data.get("generic") or {})
        self._load_anaphors(data.get("anaphors") or [])
        for phrase in data.get("ignore") or []:
            self._add(phrase, _Target("ignore", ""))
        self._automaton = ahocorasick.Automaton()
        for key, targets in self._keys.items():
            targets.sort(key=lambda t: -t.priority)
            self._automaton.add_word(key, (len(key) - 1, tuple(targets)))
        self._automaton.make_automaton()

    # ----------------------------------------------------------------- loading

    def _add(self, alias: str, target: _Target) -> None:
        lower, cased = _key(alias)
        span_end = target.span_end
        if span_end is not None:  # given as a length in the alias; convert to the normalised key
            span_end = len(_key(alias[:span_end])[0]) - 1
        self._add_key(lower, cased, target, span_end)

    def _add_key(self, lower: str, cased: str, target: _Target, span_end: int | None = None) -> None:
        if len(lower) <= 1:
            return
        exact = tuple((off - 1, tok) for off, tok in _exact_tokens(cased))
        if exact or span_end is not None:
            target = dataclasses.replace(target, exact=exact, span_end=span_end)
        self._keys.setdefault(lower, []).append(target)

    def _load_actors(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            valid = entry.get("valid") or {}
            info = ActorInfo(
                name=entry["name"],
                inter=int(entry["inter"]),
                country=entry.get("country"),
                kind=entry.get("kind", "armed group"),
                wikidata=entry.get("wikidata"),
                claimant=bool(entry.get("claimant", False)),
                speaks_for=entry.get("speaks_for"),
                lead=entry.get("lead"),
                family=entry.get("family"),
                groups=tuple(entry.get("groups") or ()),
                valid_from=_as_date(valid.get("from")),
                valid_until=_as_date(valid.get("until")),
            )
            self._add_actor(info, entry.get("aliases") or [])
            if info.family:
                for country in entry.get("family_countries") or []:  # branches active in several countries
                    self.families.setdefault(info.family, {})[country] = info.name

    def _add_actor(self, info: ActorInfo, aliases: list[Any]) -> None:
        if info.name in self.actors:
            raise ValueError(f"{DATA_FILE}: duplicate actor {info.name!r}")
        self.actors[info.name] = info
        if info.family and info.country:
            self.families.setdefault(info.family, {})[info.country] = info.name
        self._add(
            info.name, _Target("actor", info.name, valid_from=info.valid_from, valid_until=info.valid_until)
        )
        for alias in _flatten(aliases):
            if isinstance(alias, dict):  # {alias, from, until, only_in}: limits of this alias only
                target = _Target(
                    "actor",
                    info.name,
                    valid_from=_as_date(alias.get("from")) or info.valid_from,
                    valid_until=_as_date(alias.get("until")) or info.valid_until,
                    hosts=tuple(alias.get("only_in") or ()),
                )
                self._add(str(alias["alias"]), target)
            else:
                target = _Target("actor", info.name, valid_from=info.valid_from, valid_until=info.valid_until)
                self._add(str(alias), target)

    def _check_references(self) -> None:
        for info in self.actors.values():
            for ref in (info.speaks_for, info.lead):
                if ref and ref not in self.actors:
                    raise ValueError(f"{DATA_FILE}: {info.name!r} refers to unknown actor {ref!r}")

    def _state_specs(
        self, states: dict[str, Any], rows: Iterable[dict[str, str]]
    ) -> dict[str, dict[str, Any]]:
        """The hand-written states, then every country of states.csv: roles the YAML file leaves out are
        filled with generated actors ("Police Forces of Jordan"), and countries it lacks get all three."""
        specs: dict[str, dict[str, Any]] = {}
        for country, spec in states.items():
            names = [str(n) for n in spec.get("names") or []]
            specs[country] = {
                "roles": {k: list(v or []) for k, v in spec.items() if k not in _STATE_KEYS},
                "adjectives": [str(a) for a in spec.get("adjectives") or []],
                "names": names,
                "attributive": [],
                "possessive": [_possessive(n) for n in names],
                "host_weight": float(spec.get("host_weight", 1.0)),
            }
        countries = {row["name"] for row in load_csv(COUNTRIES_FILE)}
        for row in rows:
            country = row["country"]
            if country not in countries:
                raise ValueError(f"{STATES_FILE}: {country!r} is not a country of {COUNTRIES_FILE}")
            spec = specs.get(country)
            if spec is None:
                names = _split(row["names"])
                spec = specs[country] = {
                    "roles": {},
                    "adjectives": _split(row["adjectives"]),
                    "names": names + _split(row["capitals"]),
                    "attributive": names,  # "Kenya police", "Pakistan Army"
                    "possessive": [_possessive(n) for n in names],
                    "host_weight": float(row.get("host_weight") or 1.0),
                }
            self._fill_roles(country, row, spec["roles"])
        return specs

    def _fill_roles(self, country: str, row: dict[str, str], roles: dict[str, list[dict[str, Any]]]) -> None:
        of = row.get("of") or country
        no_army = row.get("military", "").strip() == NO_MILITARY
        for role, pattern, kind, group in GENERATED_ROLES:
            if role == "military" and no_army:
                continue
            aliases = _split(row.get(role, ""))
            if role in roles:
                if aliases:
                    raise ValueError(
                        f"{STATES_FILE}: {country!r} {role}: {DATA_FILE} defines it; alias it there"
                    )
                continue
            name = pattern.format(of=of)
            if name not in self.actors:
                # a country without an army: its police are the forces that "troops" and "soldiers" name
                groups = (group, "military") if no_army and role == "police" else (group,)
                self._add_actor(ActorInfo(name, 1, country, kind, groups=groups), aliases)
                self.generated.add(name)
            elif aliases:
                raise ValueError(
                    f"{STATES_FILE}: {country!r} {role}: {name!r} is in {DATA_FILE}; alias it there"
                )
            roles[role] = [{"actor": name}]
        if no_army and "military" not in roles and "police" in roles:
            roles["military"] = roles["police"]

    def _load_templates(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            template = _Template(
                entry["name"], entry["bare"], int(entry["inter"]), entry["kind"], bool(entry.get("claimant"))
            )
            self.templates[template.bare] = template
            for alias in entry.get("aliases") or []:
                self._add(str(alias), _Target("template", template.bare))

    def _load_states(self, specs: dict[str, dict[str, Any]], role_nouns: dict[str, Any]) -> None:
        for country, spec in specs.items():
            roles: dict[str, list[tuple[str, date | None, date | None]]] = {}
            for role, rows in spec["roles"].items():
                roles[role] = []
                for row in rows:
                    if row["actor"] not in self.actors:
                        raise ValueError(
                            f"{DATA_FILE}: state {country!r} role {role!r}: unknown {row['actor']!r}"
                        )
                    roles[role].append((row["actor"], _as_date(row.get("from")), _as_date(row.get("until"))))
            self.states[country] = roles
            for word in spec["adjectives"] + spec["names"]:
                self._add(word, _Target("cue", country, weight=spec["host_weight"]))
            for role, nouns in role_nouns.items():
                self._add_patterns(country, role, nouns, spec)

    def _add_patterns(self, country: str, role: str, nouns: dict[str, Any], spec: dict[str, Any]) -> None:
        """Country adjective + role noun: "Iraqi security forces", "Russian aircraft", "Turkish-backed";
        also "Kenya police" and "Mali's army" for the countries of states.csv and possessives."""
        template = nouns.get("template")
        resolved_role = nouns.get("role", role)
        if template is None and not self.states[country].get(resolved_role):
            return
        how, ref = ("template", template) if template else ("role", resolved_role)
        if role == "backed":
            words = spec["adjectives"] + (spec["names"] if nouns.get("also_names") else [])
        else:
            words = spec["adjectives"] + spec["attributive"] + spec["possessive"]
        # Keys are normalised piece by piece: " word" + " noun" is the key of "word noun" (and of
        # "word-backed", hyphens being spaces), which keeps loading some 50,000 patterns fast.
        target = _Target(how, ref, country)
        noun_keys = [_key(n) for n in nouns.get("nouns") or []]
        head_keys = [_key(n) for n in nouns.get("head") or []]
        for word in dict.fromkeys(words):
            word_lower, word_cased = _key(word)
            for lower, cased in noun_keys:
                self._add_key(word_lower + lower, word_cased + cased, target)
            for lower, cased in head_keys:
                self._add_key(word_lower + lower, word_cased + cased, target, span_end=len(word_lower) - 1)

    def _load_generic(self, generic: dict[str, list[str]]) -> None:
        for role, phrases in generic.items():
            for phrase in phrases or []:
                self._add(phrase, _Target("generic", role))

    def _load_anaphors(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            fallback = entry.get("fallback")
            if fallback and fallback not in self.actors:
                raise ValueError(f"{DATA_FILE}: anaphor fallback {fallback!r} is not an actor")
            template = entry.get("fallback_template")
            if template and template not in self.templates:
                raise ValueError(f"{DATA_FILE}: anaphor fallback_template {template!r} is not a template")
            target = _Target(
                "anaphor",
                entry.get("refers_to") or "",
                fallback=fallback,
                fallback_role=entry.get("fallback_role"),
                fallback_template=template,
                inters=tuple(int(i) for i in entry.get("refers_to_inter") or ()),
            )
            for alias in entry.get("aliases") or []:
                self._add(str(alias), target)

    # ----------------------------------------------------------------- look-ups

    def role(self, country: str | None, role: str, when: date | None) -> str | None:
        """The actor that fills ``role`` for ``country`` on ``when`` ("military" of Syria in 2025)."""
        for name, start, until in self.states.get(country or "", {}).get(role, []):
            if _valid(start, until, when):
                return name
        return None

    def info(self, name: str) -> ActorInfo | None:
        """ActorInfo of a canonical or template name ("Civilians (Syria)"); None when unknown."""
        known = self.actors.get(name)
        if known is not None:
            return known
        if name in self.templates:
            return self.templates[name].info(None)
        m = _TEMPLATE_NAME.match(name)
        if m and m.group("bare") in self.templates:
            return self.templates[m.group("bare")].info(m.group("country"))
        return None

    # ----------------------------------------------------------------- matching

    def _raw_matches(self, norm: _Normalised, when: date | None) -> tuple[list[_Match], Counter[str]]:
        lower, cased = norm.lower, norm.cased
        size = len(lower)
        matches: list[_Match] = []
        cue_hits: list[_Match] = []
        for last, (key_len, targets) in self._automaton.iter(lower):
            after = last + 1
            if after < size and (lower[after].isalnum() or lower[after] == "_"):
                continue
            start = last - key_len + 1  # first character of the alias (its key starts with the space before)
            kept = []
            cue_targets = []
            for t in targets:
                if t.exact and any(
                    cased[start + off : start + off + len(tok)] != tok for off, tok in t.exact
                ):
                    continue
                if t.how == "cue":
                    cue_targets.append(t)
                elif _valid(t.valid_from, t.valid_until, when):
                    kept.append(t)
            if kept:
                matches.append(_Match(start - 1, after - 1, kept))
            if cue_targets:
                cue_hits.append(_Match(start - 1, after - 1, cue_targets))
        cues: Counter[str] = Counter()
        # "South Sudan" says nothing about Sudan, "Guinea-Bissau" nothing about Guinea: longest cue only
        for m in self._longest(cue_hits) if len(cue_hits) > 1 else cue_hits:
            for t in m.targets:
                cues[t.ref] += t.weight
        return matches, cues

    @staticmethod
    def _longest(matches: list[_Match]) -> list[_Match]:
        """Non-overlapping matches, longest first, then leftmost."""
        matches.sort(key=lambda m: (m.start - m.end, m.start))
        taken: list[tuple[int, int]] = []
        chosen = []
        for m in matches:
            if any(m.start < e and s < m.end for s, e in taken):
                continue
            taken.append((m.start, m.end))
            chosen.append(m)
        chosen.sort(key=lambda m: m.start)
        return chosen

    def _resolve(self, target: _Target, host: str | None, when: date | None) -> ActorInfo | None:
        if target.how == "actor":
            return self.actors[target.ref]
        if target.how == "role":
            name = self.role(target.country, target.ref, when)
            return self.actors[name] if name else None
        if target.how == "generic":
            name = self.role(host, target.ref, when)
            return self.actors[name] if name else None
        if target.how == "template":
            return self.templates[target.ref].info(target.country or host)
        return None

    def _pick(self, targets: list[_Target], host: str | None, when: date | None) -> ActorInfo | None:
        """The best meaning of a match: highest priority; among equals, the one of the document's country."""
        top = targets[0].priority
        options = [
            info
            for t in targets
            if t.priority == top
            and (not t.hosts or host in t.hosts)
            and (info := self._resolve(t, host, when))
        ]
        if not options:
            lower = [t for t in targets if t.priority < top]
            return self._pick(lower, host, when) if lower else None
        for info in options:  # "Kurdish forces": the SDF in Syria, the Peshmerga in Iraq
            if info.country == host:
                return info
        for info in options:
            # "ISIS" (an alias the branches share) or "al-Qaeda" (the transnational root) in a report about
            # Chad or Mali: the family's branch active there. A branch's own alias stays that branch.
            shared = info.country is None or sum(1 for o in options if o.family == info.family) > 1
            branch = self.families.get(info.family or "", {}).get(host or "") if shared else None
            if branch and self.actors[branch].valid_on(when):
                return self.actors[branch]
        return options[0]

    def find(self, text: str, when: date | None, host_hint: str | None = None) -> list[ActorMention]:
        """Every actor and claimant named in ``text``, in order, with offsets into ``text``. ``host_hint``:
        the country the report's places lie in, for a report whose words name no country ("clashes in El
        Fasher": bare "the army" and "the RSF" are Sudan's)."""
        if not text:
            return []
        norm = _normalise(text)
        matches, cues = self._raw_matches(norm, when)
        host = cues.most_common(1)[0][0] if cues else host_hint
        resolved: list[tuple[_Match, ActorInfo]] = []
        anaphors: list[_Match] = []
        for m in self._longest(matches):
            if m.targets[0].how == "ignore":
                continue
            if m.targets[0].how == "anaphor":
                anaphors.append(m)
                continue
            info = self._pick(m.targets, host, when)
            if info is not None:
                resolved.append((m, info))
        for m in anaphors:
            info = self._antecedent(m, resolved, host, when)
            if info is not None:
                resolved.append((m, info))
        resolved.sort(key=lambda pair: pair[0].start)
        for i in range(1, len(resolved)):
            (before, named), (m, _) = resolved[i - 1], resolved[i]
            # "ATMIS troops", "Wagner soldiers", "ADF militants": a bare word after a name is that name's
            if (
                before.targets[0].how == "actor"
                and m.targets[0].how in ("generic", "anaphor")
                and not norm.lower[before.end + 1 : m.start + 1].strip()
            ):
                resolved[i] = (m, named)
        mentions = _merge_adjacent(text, [self._mention(text, norm, m, info) for m, info in resolved])
        return self._coordinated(text, mentions, when)

    def _coordinated(self, text: str, mentions: list[ActorMention], when: date | None) -> list[ActorMention]:
        """ "American and Syrian troops", "Iraqi, Kurdish and US forces": the adjectives before the one the
        matcher read share its noun, so each names an actor of its own."""
        out: list[ActorMention] = []
        for m in mentions:
            _, _, noun = m.text.partition(" ")
            if not noun:  # a pattern that spans only the adjective ("Syrian" of "Syrian warplanes")
                following = _FOLLOWING_WORD.match(text[m.end : m.end + 40])
                noun = following.group(1) if following else ""
            pos = m.start
            extra: list[ActorMention] = []
            while noun and m.kind == "actor":
                before = _COORDINATED_BEFORE.search(text, max(0, pos - 40), pos)
                if before is None:
                    break
                word = before.group("word")
                found = self.find(f"{word} {noun}", when) if word[:1].isupper() else []
                if len(found) != 1 or found[0].start != 0 or found[0].actor == m.actor:
                    break
                start = before.start("word")
                extra.append(
                    dataclasses.replace(
                        found[0], start=start, end=start + len(word), text=text[start : start + len(word)]
                    )
                )
                pos = start
            out.extend(reversed(extra))
            out.append(m)
        return out

    def _antecedent(
        self, m: _Match, resolved: list[tuple[_Match, ActorInfo]], host: str | None, when: date | None
    ) -> ActorInfo | None:
        """What "the ministry" refers to: the nearest earlier mention of its group (or, for descriptions such
        as "militants", of a named actor with one of its inter codes), else the nearest later one (headlines
        name "MoD" before the body names the ministry), else the host's role, template or a fixed actor."""
        target = m.targets[0]
        candidates = [
            (other.start, info)
            for other, info in resolved
            if (target.ref and target.ref in info.groups)
            or (
                target.inters
                and info.inter in target.inters
                and info.name in self.actors
                and not info.claimant
            )
        ]
        before = [c for c in candidates if c[0] < m.start]
        if before:
            return max(before, key=lambda c: c[0])[1]
        if candidates:
            return min(candidates, key=lambda c: c[0])[1]
        if target.fallback_role:
            name = self.role(host, target.fallback_role, when)
            if name:
                return self.actors[name]
        if target.fallback_template:
            return self.templates[target.fallback_template].info(host)
        return self.actors.get(target.fallback) if target.fallback else None

    @staticmethod
    def _mention(text: str, norm: _Normalised, m: _Match, info: ActorInfo) -> ActorMention:
        end = m.end
        span_end = m.targets[0].span_end
        if span_end is not None and m.targets[0].how in ("role", "template"):
            end = m.start + span_end
        start = norm.original(m.start)
        stop = norm.original(end - 1) + 1
        return ActorMention(
            start=start,
            end=stop,
            text=text[start:stop],
            actor=info.name,
            inter=info.inter,
            country=info.country,
            kind=SOURCE if info.claimant else ACTOR,
        )


_FOLLOWING_WORD = re.compile(r"\s+([\w'’-]+)")  # the word after a mention (precompiled: hot)
_COORDINATED_BEFORE = re.compile(r"\b(?P<word>[\w'’-]+)(?:,\s+|\s+and\s+|,\s+and\s+)\Z")


def _merge_adjacent(text: str, mentions: list[ActorMention]) -> list[ActorMention]:
    """One mention for "FARDC soldiers", "Tatmadaw troops", "al-Shabaab insurgents": an alias and a
    description of the same actor next to each other name it once."""
    out: list[ActorMention] = []
    for m in mentions:
        last = out[-1] if out else None
        if (
            last is not None
            and last.actor == m.actor
            and last.kind == m.kind
            and not text[last.end : m.start].strip()
        ):
            out[-1] = dataclasses.replace(last, end=m.end, text=text[last.start : m.end])
        else:
            out.append(m)
    return out


# --------------------------------------------------------------------------- public API


@cache
def get_actor_dictionary() -> ActorDictionary:
    """The actor dictionary, loaded and indexed once per process."""
    return ActorDictionary(load_yaml(DATA_FILE), load_csv(STATES_FILE))


def find_actors(
    doc: Document, when: date | None, places: list[PlaceMention] | None = None
) -> list[ActorMention]:
    """Every actor and claimant in ``doc.text`` (one pass), named as on ``when`` (the document date). The
    report's ``places`` give the host country when no word of the report names one."""
    counts = Counter(p.place.country for p in places or () if p.locational and p.place is not None)
    hint = counts.most_common(1)[0][0] if counts else None
    return get_actor_dictionary().find(doc.text, when, hint)


@lru_cache(maxsize=4096)
def resolve_actor(name: str, when: date | None) -> ActorInfo | None:
    """ActorInfo for a canonical name ("Islamic State (Syria)", "Civilians (Iraq)") or an alias ("ISIS",
    "Syrian army" on ``when``); None when the dictionary does not know it."""
    dictionary = get_actor_dictionary()
    info = dictionary.info(name)
    if info is not None:
        return info
    mentions = dictionary.find(name, when)
    if len(mentions) == 1 and mentions[0].text.strip() == name.strip():
        return dictionary.info(mentions[0].actor)
    return None


def claimant_name(mention: ActorMention) -> str:
    """The canonical name to put in ``claimed_by`` for a mention used as a source of facts."""
    return mention.actor


def unidentified(country: str | None) -> str:
    """ACLED's name for an unnamed perpetrator: "Unidentified Armed Group (Syria)"."""
    return f"Unidentified Armed Group ({country})" if country else "Unidentified Armed Group"


def localise_actor(name: str, country: str | None, when: date | None = None) -> str:
    """The branch of a multi-country organisation acting in ``country`` ("Islamic State (Iraq)" for an
    event in Iraq), or the template with that country ("Civilians" -> "Civilians (Iraq)"); else ``name``."""
    dictionary = get_actor_dictionary()
    info = dictionary.info(name)
    if info is None or not country:
        return name
    if info.family:
        return dictionary.families.get(info.family, {}).get(country, name)
    if name in dictionary.templates:
        return dictionary.templates[name].name(country)
    m = _TEMPLATE_NAME.match(name)
    if m and m.group("bare") in dictionary.templates:
        # "Civilians (United States)" from "US ... civilians" in a strike on Syria: the event's country
        return dictionary.templates[m.group("bare")].name(country)
    return name


def words_per_second(texts: Iterable[str], when: date | None = None, repeat: int = 1) -> float:
    """Matching speed over ``texts`` (for benchmarks and the test that keeps it honest)."""
    dictionary = get_actor_dictionary()
    batch = list(texts)
    words = sum(len(t.split()) for t in batch) * repeat
    began = time.perf_counter()
    for _ in range(repeat):
        for text in batch:
            dictionary.find(text, when)
    return words / max(time.perf_counter() - began, 1e-9)
