"""From raw name matches to resolved place mentions.

Steps, all per document:
1. Context: which countries the report is about (country names, demonyms such as "Syrian", divisions and
   large places whose name is unambiguous), and anchor coordinates of unambiguous mentions.
2. Homonyms: each candidate is scored on the document's countries, nearness to the anchors, population and
   feature type; "Homs province" / "the provinces of Homs and Raqqa" prefer the division.
3. Readings that are not places are dropped (tiny far-away villages called "Most"; a name that is part of a
   person's or organisation's name: "Lloyd Austin", "USA Today"); uses that are places but not locations are
   kept with ``locational=False`` (datelines, "Damascus said", "US forces", "Washington attributed").
4. The phrase around each mention gives its relation and ACLED precision ("near X", "30 km south of X").
5. Names no gazetteer knows, in a slot where a place is expected ("the village of X", "near X"), are tried
   with a fuzzy match against the document's countries, and otherwise kept with no coordinates.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from eventwire.caseless import Caseless
from eventwire.model import PlaceMention
from eventwire.places.gazetteer import ADMIN1, COUNTRY, FOCUS_COUNTRIES, Gazetteer
from eventwire.places.matcher import BREAK, RawMatch, Token, find_raw
from eventwire.places.normalize import ARTICLE, name_keys
from eventwire.resources import load_lines, load_yaml

# Fuzzy fallback thresholds (rapidfuzz ratio on normalised keys), chosen on the cases in
# tests/test_places_fuzzy.py: one wrong letter in a 9-letter name passes, "Hamas" vs "Hama" does not.
FUZZY_MIN_LEN = 6
FUZZY_THRESHOLD_SHORT = 90.0  # keys of 6-7 letters
FUZZY_THRESHOLD_LONG = 86.0  # keys of 8 letters or more (articles not counted)

_DIRECTION = r"(?:north|south|east|west)(?:[- ]?(?:east|west))?|northeast|northwest|southeast|southwest"
_PLACE_NOUN = (
    r"(?:city|town|village|hamlet|district|neighbou?rhood|suburb|area|region|province|governorate|camp|"
    r"settlement|outpost|base|airbase|port city|capital|desert|countryside|border town|oil field|"
    r"(?:\w+-held|\w+-controlled|\w+ly-held)\s+(?:\w+\s+)?(?:town|city|village|area))"
)
_OF_PLACE = rf"(?:the\s+)?(?:(?:\w+\s+){{0,2}}{_PLACE_NOUN}\s+of\s+)?"
# Relation phrases that end right before a mention: (pattern, relation label or group, precision).
_RELATIONS: list[tuple[re.Pattern[str], str | None, int]] = [
    (re.compile(rf"(\d+(?:[.,]\d+)?\s*-?\s*(?:km|kms|kilometres?|kilometers?|miles?|mi)\b(?:\s*\([^)]*\))?\s+"
                rf"(?:{_DIRECTION})\s+of)\s+{_OF_PLACE}$", re.I), None, 2),
    (re.compile(rf"\b((?:{_DIRECTION})\s+of)\s+{_OF_PLACE}$", re.I), None, 2),
    (re.compile(rf"\b(?:on\s+)?the\s+(outskirts)\s+of\s+{_OF_PLACE}$", re.I), "outskirts", 2),
    (re.compile(rf"\b(outskirts|edge|edges|environs)\s+of\s+{_OF_PLACE}$", re.I), "outskirts", 2),
    (re.compile(rf"\b(?:in\s+)?the\s+(vicinity|area|countryside|surroundings)\s+of\s+{_OF_PLACE}$", re.I),
     None, 2),
    (re.compile(rf"\b(near|nearby|close to|outside|around|next to|just outside|on the road to|"
                rf"on the road from|"
                rf"along the road to|between)\s+{_OF_PLACE}$", re.I), None, 2),
    (re.compile(rf"\b(in|at|inside|within|into|across|throughout|over)\s+{_OF_PLACE}$", re.I), "in", 1),
    (re.compile(rf"\b(to|towards|toward|from)\s+{_OF_PLACE}$", re.I), None, 1),
    # "shelled the town of X"
    (re.compile(rf"\bthe\s+(?:\w+\s+){{0,2}}{_PLACE_NOUN}\s+of\s+$", re.I), "in", 1),
]  # fmt: skip
# Words each relation pattern cannot match without (any word of each group, lower-cased), in the order of
# _RELATIONS: on ASCII text a pattern whose words are absent is skipped, with the same result (most
# mentions are preceded by "in" or "at", which six costlier patterns are tried before).
_DIGITS = tuple("0123456789")
_RELATION_NEEDS: list[tuple[tuple[str, ...], ...]] = [
    (_DIGITS, ("north", "south", "east", "west"), ("of",)),
    (("north", "south", "east", "west"), ("of",)),
    (("outskirts",), ("of",)),
    (("outskirts", "edge", "environs"), ("of",)),
    (("vicinity", "area", "countryside", "surroundings"), ("of",)),
    (("near", "close to", "outside", "around", "next to", "on the road", "along the road", "between"),),
    (),
    (),
    (("of",),),
]
# The same patterns behind their quick pre-check on ASCII text (eventwire.caseless: the same answers).
_QUICK_RELATIONS = [(Caseless(pattern), label, precision) for pattern, label, precision in _RELATIONS]
_NORMALISE_RELATION = {"vicinity": "near", "surroundings": "near", "area": "near", "nearby": "near",
                       "close to": "near", "next to": "near", "just outside": "outside", "edge": "outskirts",
                       "edges": "outskirts", "environs": "outskirts", "toward": "towards"}  # fmt: skip
_COUNTRYSIDE_AFTER = re.compile(r"^(?:'s)?\s+(countryside|outskirts|suburbs|environs|area|region)\b", re.I)
_PART_BEFORE = re.compile(
    rf"\b((?:{_DIRECTION})(?:ern)?|central|(?:north|south)-?(?:east|west)ern)\s+$", re.I
)

_ADMIN_AFTER = re.compile(r"^\s*(?:province|provinces|governorate|governorates|prov\.|muhafazat)\b", re.I)
_ADMIN_BEFORE = re.compile(r"\b(?:provinces?|governorates?)\s+of\s+(?:the\s+)?$", re.I)
# "Plateau state", "Kidal region": a division word that also tells whose division it is (admin_divisions.yaml)
_DIVISION_AFTER = re.compile(
    r"^\s+(?P<word>state|department|region|county)\b"
    r"(?!\s*-?\s*(?:media|television|tv|news|run|owned|agency|broadcaster|radio)\b)",
    re.I,
)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_SHIP_PREFIX = re.compile(r"\b(?:USS|USNS|HMS|HMCS|HMAS|HMNZS|INS|RFS|FS|TCG|MV|MT)\s+$")
_LIST_JOIN = re.compile(r"^\s*(?:\([^)]{0,30}\))?\s*(?:,|,?\s*and|,?\s*or|&)\s*$")

_DATELINE_AFTER = re.compile(
    r"^(?:\s*,\s*[A-Z][\w .]{0,30})?\s*(?:\((?:AFP|AP|Reuters|dpa|Xinhua|ANI|UPI|IANS|TASS)\)\s*)?"
    r"(?:[—–]|-{1,2}\s|:\s|,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|\d))"
)
# "WASHINGTON/BEIRUT —": a dateline naming two cities
_DATELINE_PLACES_BEFORE = re.compile(r"(?:[A-Z][A-Z .'-]{1,30}/)+")
_DATELINE_PLACES_AFTER = re.compile(r"^(?:/[A-Z][A-Z .'-]{1,30}?(?=[/ ,—–-]))+")
_GOVERNMENT_VERB = re.compile(
    r"^(?:['’]s\s+)?(?:\s+and\s+(?:its|their)\s+(?:allies|partners|backers))?"  # "Washington and its allies"
    r"\s*(?:has|have|had|is|was|will|would|could|did|does|do|also|then|now|previously|repeatedly|"
    r"has\s+long|swiftly|quickly)?\s*(?:been\s+)?(?:said|says|say|saying|attributed|attributes|announced|announces|"
    r"accused|accuses|blamed|blames|claimed|claims|denied|denies|warned|warns|insisted|insists|condemned|"
    r"condemns|responded|responds|rejected|rejects|agreed|agrees|stated|states|confirmed|confirms|vowed|vows|"
    r"urged|urges|demanded|demands|wants|wanted|believes|believed|hopes|fears|threatened|threatens|"
    r"focused|focusing|backed|backs|supports|supported|sees|views|considers|argued|argues|signed|"
    r"welcomed|welcomes|praised|criticised|criticized|announced|ordered|orders|decided|sent|sends|"
    r"approved|imposed|sanctioned|retaliated|reacted|regards|called|calls|asked|asks|requested|pledged|"
    r"promised|refused|refuses|declined|acknowledged|admitted|reported|reports|told|tells|responded|"
    r"realize|realise|realizes|realises|know|knows|understand|understands|recognize|recognise|"
    r"intervened|intervenes|intervene)\b"
    r"(?!\s+by\b)",  # "one in Baghdad claimed by Daesh": a place the passive verb is about
    re.I,
)
_ACTOR_AFTER = re.compile(
    r"^(?:['’]s)?[\s-]+(?:-?led|-?backed|-?based|-?allied|-?aligned|-?sponsored|forces|force|troops|soldiers|"
    r"military(?!\s+(?:air|base|airfield|airport|post|camp|installation|site))|army|navy|government|regime|administration|officials?|authorities|leadership|leaders?|"
    r"president|presidency|ministry|minister|ministers|embassy|envoy|ambassador|diplomats?|spokesman|"
    r"spokeswoman|spokesperson|governor|commanders?|intelligence|security services|jets|warplanes|aircraft|"
    r"drones|airstrikes|air strikes|strikes|bombers|helicopters|personnel|citizens|nationals|civilian|"
    r"interpreter|contractors?|allies|partners|coalition|delegation|negotiators|team|officers)\b",
    re.I,
)
# A country as the subject of an action or a possessor is a state acting, not a location.
_COUNTRY_ACTOR_AFTER = re.compile(
    r"^(?:[\'’]s\s+[a-z]|\s+(?:has|have|had|is|was|will|would|must|should|can|could|also|then|now|still|"
    r"conducted|conducts|carried|carries|launched|launches|struck|strikes|hit|hits|bombed|bombs|targeted|"
    r"targets|killed|kills|deployed|deploys|led|leads|continued|continues|maintains|remains|intervened|"
    r"withdrew|withdraws|pulled|reaffirms|reaffirmed|seeks|sought|used|uses|began|begins|started|plans|"
    r"planned|intends|aims|tried|tries|sent|sends|provided|provides|supplied|supplies|armed|arms|trained|"
    r"trains|helped|helps|assisted|assists|joined|joins)\b)"
)
_ADVERB = re.compile(r"^\s+[a-z]+ly\b(?=\s)")
_BACKER_BEFORE = re.compile(r"\b(?:backed|supported|aided|armed|funded|helped|assisted)\s+by\s+(?:the\s+)?$")
# "the defence ministry in Moscow said": the seat of a government, not where the event happened
_SEAT_BEFORE = re.compile(
    r"\b(?:ministry|ministries|government|officials?|spokesm[ae]n|spokeswoman|authorities|embassy|"
    r"headquarters)\s+in\s+$",
    re.I,
)
# "near the US embassy in Baghdad", "an attack on the ministry in Kabul": the seat is where it happened
_SITE_OF_EVENT = re.compile(
    r"\b(?:near|at|outside|inside|on|against|targeting|targeted|around|into|toward|towards|hit|struck|"
    r"stormed|attacked|bombed|shelled)\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’.-]+\s+){0,3}$",
    re.I,
)
# "mercenaries from Saudi Arabia and Jordan": where people come from, not where the event happened
_ORIGIN_BEFORE = re.compile(
    r"\b(?:mercenaries|fighters|militants|jihadists|volunteers|nationals|citizens|recruits)\b[^.;]{0,30}?"
    r"\bfrom\s+(?:the\s+)?(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s*(?:,\s*|\s+and\s+))*$"
)
_SPEECH_AFTER = re.compile(
    r"^,?\s+(?:said|says|explained|added|noted|told|wrote|argued|stressed|continued)\b"
)
_ORG_OF_BEFORE = re.compile(
    r"\b(?:Temple|University|Bank|Ministry|Department|Council|Museum|Governor|Mayor|College|School|Bishop|"
    r"King|Prince|Emir|Sultan|Secretary|Minister|Embassy|Consulate)\s+of\s+(?:the\s+)?$"
)
_PLACE_TYPE_WORDS = frozenset(
    [
        "province",
        "provinces",
        "governorate",
        "governorates",
        "city",
        "town",
        "village",
        "district",
        "region",
        "area",
        "airport",
        "airbase",
        "airfield",
        "base",
        "dam",
        "camp",
        "desert",
        "mountains",
        "mountain",
        "river",
        "valley",
        "countryside",
        "border",
        "crossing",
    ]
)
_LEADING_OK = frozenset(
    [
        "in",
        "near",
        "at",
        "from",
        "to",
        "of",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "on",
        "by",
        "for",
        "into",
        "with",
        "outside",
        "around",
        "across",
        "between",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "rural",
        "greater",
        "upper",
        "lower",
        "old",
        "new",
        "downtown",
        "inner",
        "besieged",
        "rebel-held",
    ]
)
# Where a place is expected: unknown names in these slots are kept (fuzzy matched or without coordinates).
_UNKNOWN_SLOT = re.compile(
    r"\b(?:(?:town|village|city|hamlet|district|neighbou?rhood|suburb|area|region|camp|settlement)\s+of|"
    r"near|outskirts\s+of|vicinity\s+of|outside|in|at|from|towards?|around)\s+"
    r"((?:(?i:al|el|ad|ar|as|ash|az|at)[-\s])?[A-Z][\w'’‘ʿ-]+(?:\s+(?:(?i:al|el|ad|ar|as|ash|az|at)[-\s])?[A-Z][\w'’‘ʿ-]+){0,3})"
)
_STRONG_SLOT = re.compile(
    r"(?:town|village|city|hamlet|district|neighbou?rhood|suburb|camp|settlement|region|area)\s+of\s+$|"
    r"(?:near|outskirts\s+of|vicinity\s+of)\s+(?:the\s+)?$",
    re.I,
)


@dataclass(slots=True)
class _Mention:
    raw: RawMatch
    text: str
    ids: tuple[int, ...]
    admin_cue: bool = False
    division: str | None = None  # the division word after the name ("state"), when admin_divisions lists it
    chosen: int | None = None
    score: float = 0.0
    main_name: bool = False  # the chosen place carries the matched name as its own (or a curated alias)
    qualifier: str | None = None  # "Palmyra in central Syria", "Palmyra, Syria": the country the text names


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular approximation: within a few percent below 1000 km, which is all the scoring needs."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _before(text: str, pos: int, width: int = 80) -> str:
    """Up to ``width`` characters before ``pos`` on its line (the newline search stays in the window)."""
    start = max(0, pos - width)
    return text[max(start, text.rfind("\n", start, pos) + 1) : pos]


def resolve_text(g: Gazetteer, text: str) -> list[PlaceMention]:
    """All toponyms in ``text``, resolved, with relation, precision and the locational flag."""
    tokens, raws = find_raw(g, text)
    named = {t for r in raws for t in range(r.first, r.last + 1)}
    ending: dict[int, list[int]] = {}  # token index -> keys of the names that end there
    for r in raws:
        ending.setdefault(r.last, []).append(r.key_id)
    mentions = [m for m in (_mention(g, text, tokens, r, named, ending) for r in raws) if m is not None]
    context, own_weight = _country_context(g, text, tokens, mentions)
    _mark_admin_cues(text, mentions)
    anchors = _anchors(g, mentions)
    _mark_qualifiers(g, text, tokens, mentions)
    title_lines = _title_case_lines(text, tokens, mentions)
    dominant = _dominant_country(context)
    kept: list[_Mention] = []
    chosen: dict[tuple[int, bool], tuple[int | None, float, bool]] = {}  # same name, same doc: same reading
    for m in mentions:
        k = (m.raw.key_id, m.admin_cue)
        if k not in chosen:
            _choose(g, m, context, anchors)
            chosen[k] = (m.chosen, m.score, m.main_name)
        m.chosen, m.score, m.main_name = chosen[k]
        if m.chosen is not None and _accept(g, text, tokens, m, context, own_weight, dominant, title_lines):
            kept.append(m)
    kept = _drop_contradicted_by_direction(g, text, kept)
    out = [_to_place_mention(g, text, m) for m in kept]
    out.extend(_unknown_names(g, text, out, context))
    out.sort(key=lambda pm: pm.start)
    _mark_government_lists(text, out)
    return out


_DIRECTION_GAP = re.compile(
    rf"\s*,?\s*(?:(?:about|some|around|nearly|roughly)\s+)?(?:\d+(?:[.,]\d+)?\s*-?\s*"
    rf"(?:km|kms|kilometres?|kilometers?|miles?)\s+)?({_DIRECTION})\s+of\s+(?:the\s+)?(?:(?:city|town|capital)\s+of\s+)?",
    re.I,
)
_PART_OF_GAP = re.compile(
    r"\s+(?:neighbou?rhood|district|quarter|suburb)\s+of\s+(?:the\s+)?(?:(?:\w+\s+){0,2}(?:city|town|capital)\s+of\s+)?",
    re.I,
)
# "Sabboura, an area outside Damascus", "Kafr Batna, a town near Damascus"
_APPOSITIVE_GAP = re.compile(
    r"\s*,\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:area|town|village|suburb|district|neighbou?rhood|city)\s+"
    r"(?:just\s+)?(?:outside|near|close\s+to|on\s+the\s+outskirts\s+of|in)\s+(?:the\s+)?(?:(?:city|capital)\s+of\s+)?",
    re.I,
)
_BEARINGS = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225,
             "west": 270, "northwest": 315}  # fmt: skip


def _bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Compass bearing from point 1 to point 2, in degrees (flat approximation, fine below 1000 km)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return math.degrees(math.atan2(x, y)) % 360


def _drop_contradicted_by_direction(g: Gazetteer, text: str, kept: list[_Mention]) -> list[_Mention]:
    """ "Adra east of Damascus": a reading of Adra that lies south of Damascus (Dar'a, once called Adra) or
    hundreds of km away is a homonym; the name stays unresolved and the event is placed by the anchor.
    The same for a part of a city read far from it ("the Sulaymaniyah neighbourhood of Aleppo").
    Curated sites and countries are kept; so is a reading within 15 km of the anchor (direction is noise
    at that range)."""
    drop: set[int] = set()
    for m, nxt in itertools.pairwise(kept):
        mm = _DIRECTION_GAP.fullmatch(text, m.raw.end, nxt.raw.start)
        inside = mm is None and (
            _PART_OF_GAP.fullmatch(text, m.raw.end, nxt.raw.start) is not None
            or _APPOSITIVE_GAP.fullmatch(text, m.raw.end, nxt.raw.start) is not None
        )
        if (mm is None and not inside) or m.chosen is None or nxt.chosen is None:
            continue
        i, j = m.chosen, nxt.chosen
        if g.feature_of(i)[0] in "SL" or g.feature_of(i) in (COUNTRY, ADMIN1) or not g.geonameid[i]:
            continue
        if g.feature_of(j) == COUNTRY or math.isnan(g.lat[i]) or math.isnan(g.lat[j]):
            continue
        distance = _distance_km(g.lat[j], g.lon[j], g.lat[i], g.lon[i])
        if distance <= 15:
            continue
        if inside:  # "the Sulaymaniyah neighbourhood of Aleppo" is not Sulaymaniyah, Iraq
            if distance > 60:
                drop.add(id(m))
            continue
        assert mm is not None
        said = _BEARINGS.get(re.sub(r"[- ]", "", mm.group(1).lower()))
        off = (
            abs((_bearing(g.lat[j], g.lon[j], g.lat[i], g.lon[i]) - said + 180) % 360 - 180)
            if said is not None
            else 0
        )
        if distance > 250 or off > 67.5:
            drop.add(id(m))
    return [m for m in kept if id(m) not in drop]


# --------------------------------------------------------------------------- candidates and context


def _mention(
    g: Gazetteer, text: str, tokens: list[Token], raw: RawMatch, named: set[int], ending: dict[int, list[int]]
) -> _Mention | None:
    if text[raw.end - 2 : raw.end] in ("'s", "’s"):  # the possessive is not part of the name
        raw.end -= 2
    span = text[raw.start : raw.end]
    if _SHIP_PREFIX.search(text, max(0, raw.start - 8), raw.start):
        return None  # "the USS Porter", "HMS Diamond": a ship named after a place
    if (
        span.endswith(" Sea")
        and _THE_BEFORE.search(text, max(0, raw.start - 5), raw.start)
        and not _ADMIN_AFTER.match(text[raw.end : raw.end + 20])
        and not _DIVISION_AFTER.match(text[raw.end : raw.end + 20])
    ):
        return None  # "a ship attacked in the Red Sea": the sea, not Egypt's or Sudan's Red Sea division
    exact = g.exact.get(raw.key_id)
    if exact is not None and span.replace(".", "").replace(" ", "") not in exact:
        return None  # "US" must be written "US", not "Us"
    if (
        _embedded_in_name(text, tokens, raw, named)
        and not _country_before(g, tokens, raw.first - 1, ending)
        and not _region_place_before(g, raw.first - 1, ending)
    ):
        return None
    return _Mention(raw, span, tuple(g.candidates(raw.key_id)))


def _country_before(g: Gazetteer, tokens: list[Token], i: int, ending: dict[int, list[int]]) -> bool:
    """ "Syria's Aleppo", "Syrian Deir ez-Zor": a country or its demonym right before a name does not make
    it a person's or an organisation's name."""
    if i < 0:
        return False
    if tokens[i].capital and tokens[i].norm in g.demonyms:
        return True
    return any(g.feature_of(c) == COUNTRY for key in ending.get(i, ()) for c in g.candidates(key))


def _region_place_before(g: Gazetteer, i: int, ending: dict[int, list[int]]) -> bool:
    """ "in Azaz Aleppo province" (scraped text that lost its comma): a town of the conflict region right
    before the name is a list, not a person's first name."""
    return any(
        g.country_code(c) in FOCUS_COUNTRIES and g.population[c] >= 10_000
        for key in ending.get(i, ())
        for c in g.candidates(key)[: min(20, g.main_count[key])]
    )


def _embedded_in_name(text: str, tokens: list[Token], raw: RawMatch, named: set[int]) -> bool:
    """A capitalised word right before the name that is not a place word: "Lloyd Austin", "Josh Earnest"."""
    i = raw.first - 1
    if i < 0 or tokens[i].norm == BREAK or not tokens[i].capital:
        return False  # a lowercase word or punctuation
    if i in named and text[tokens[i].end : raw.start] == "-":
        return False  # two names joined: "the Syria-Iraq border", "the Iran-Iraq war"
    word = text[tokens[i].start : tokens[i].end]
    if word.lower() in _LEADING_OK or word.isupper():
        return False
    # The first word of a sentence is capitalised anyway ("Despite Palmyra's fall ..."); a title's
    # abbreviation ("Adm. Brad Cooper") does not end a sentence.
    before = text[: tokens[i].start].rstrip(" \"'“‘(")
    if not before or before[-1] in "!?:\n":
        return False
    if before[-1] == ".":
        last_word = before[max(0, before.rfind(" ") + 1) :].lower()
        return last_word in _abbreviations()
    return True


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(line.lower() for line in load_lines("abbreviations.txt"))


_DEMONYM_WORDS = 3  # the longest demonym in words ("Papua New Guinean")


def _demonym_countries(g: Gazetteer, tokens: list[Token], *, gated: bool = True) -> list[str]:
    """The country of each demonym in the text, longest first: "South Sudanese" is South Sudan's and says
    nothing about Sudan, "Bissau-Guinean" nothing about Guinea."""
    firsts = g.demonym_first_words
    out = []
    i, n = 0, len(tokens)
    while i < n:
        step = 1
        tok = tokens[i]
        if tok.capital and (not gated or tok.norm.partition(" ")[0] in firsts):
            for size in range(min(_DEMONYM_WORDS, n - i), 0, -1):
                words = tokens[i : i + size]
                if size > 1 and not all(t.capital for t in words):
                    continue
                cc = g.demonyms.get(" ".join(t.norm for t in words))
                if cc:
                    out.append(cc)
                    step = size
                    break
        i += step
    return out


def _country_context(
    g: Gazetteer, text: str, tokens: list[Token], mentions: list[_Mention]
) -> tuple[Counter[str], Counter[tuple[int, str]]]:
    """Weights of the countries the report is about, and how much of each a name gives (name key, country).

    A country named as an actor ("US forces", "Washington said") says little about where things happen,
    so it weighs a quarter of a locational mention. The share of each name lets a name's own mentions be
    left out when judging it: "Fua" named five times is no evidence that a report about Syria is about
    Egypt, where the only Fua of the gazetteer lies.
    """
    ctx: Counter[str] = Counter()
    own: Counter[tuple[int, str]] = Counter()
    for cc in _demonym_countries(g, tokens):
        ctx[cc] += 1
    for m in mentions:
        # Places that carry the name as their own name speak for the context ("Homs" is Syria's, although
        # Al Khums in Libya was once called Homs).
        if (m.raw.key_id in g.common_keys or (m.text.isupper() and len(m.text) <= 4)) and not any(
            g.country_code(i) in FOCUS_COUNTRIES or g.feature_of(i) in (COUNTRY, ADMIN1) for i in m.ids[:50]
        ):
            continue  # "And", "AQI": a word or an acronym says nothing about the report's countries
        n_main = g.main_count[m.raw.key_id]
        main = m.ids[:n_main] if n_main else m.ids
        state = next((i for i in main if g.feature_of(i) == COUNTRY), None)
        # a country's name is that country, whatever villages abroad share it ("Mali", "Sudan", "Lebanon")
        countries = {g.country_code(state)} if state is not None else {g.country_code(i) for i in main}
        if len(countries) != 1:
            continue
        (cc,) = countries
        best = m.ids[0] if state is None else state
        feat = g.feature_of(best)
        if feat == COUNTRY:
            after = text[m.raw.end : m.raw.end + 60]
            actor = (
                _ACTOR_AFTER.match(after)
                or _COUNTRY_ACTOR_AFTER.match(after)
                or _GOVERNMENT_VERB.match(after)
            )
            weight = 0.5 if actor else 2.0
        elif feat == ADMIN1 or feat[0] in "SL" or not g.geonameid[best] or g.population[best] >= 50_000:
            weight = 2.0
        elif g.population[best] >= 5_000:
            weight = 1.0
        else:
            continue
        ctx[cc] += weight
        own[(m.raw.key_id, cc)] += weight
    return ctx, own


@cache
def _division_countries() -> dict[str, frozenset[str]]:
    return {word: frozenset(codes) for word, codes in load_yaml("admin_divisions.yaml").items()}


def _mark_admin_cues(text: str, mentions: list[_Mention]) -> None:
    """ "Homs province", "the provinces of Homs, Deir ez-Zor and Raqqa", "Homs and Hama provinces"."""
    for i, m in enumerate(mentions):
        after = text[m.raw.end : m.raw.end + 20]
        division = _DIVISION_AFTER.match(after)
        if division:
            m.admin_cue, m.division = True, division.group("word").lower()
            continue
        if (
            _ADMIN_AFTER.match(after)
            or _ADMIN_BEFORE.search(_before(text, m.raw.start, 40))
            or (
                i > 0
                and mentions[i - 1].admin_cue
                and _LIST_JOIN.match(text[mentions[i - 1].raw.end : m.raw.start])
            )
        ):
            m.admin_cue = True
    for i in range(len(mentions) - 2, -1, -1):  # "Homs and Hama provinces"
        m, nxt = mentions[i], mentions[i + 1]
        if (
            not m.admin_cue
            and nxt.admin_cue
            and re.match(r"^\s*provinces|^\s*governorates", text[nxt.raw.end : nxt.raw.end + 20], re.I)
            and _LIST_JOIN.match(text[m.raw.end : nxt.raw.start])
        ):
            m.admin_cue = True


_QUALIFIER_GAP = re.compile(
    r"\s*(?:,\s*|\s+in\s+(?:the\s+)?(?:(?:central|northern|southern|eastern|western|north|south|east|west|"
    r"north-?east(?:ern)?|north-?west(?:ern)?|south-?east(?:ern)?|south-?west(?:ern)?)\s+)?(?:part of\s+)?)",
    re.IGNORECASE,
)


_DEMONYM_KIND_BEFORE = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:towns?|villages?|cit(?:y|ies)|districts?|neighbou?rhoods?|suburbs?)\s+of\s+$"
)


def _mark_qualifiers(g: Gazetteer, text: str, tokens: list[Token], mentions: list[_Mention]) -> None:
    """A name followed by its country ("Palmyra, Syria", "near Palmyra in central Syria") or after its
    country's demonym ("the Syrian town of Palmyra") is that country's, whatever else the report is about;
    every mention of the same name shares the reading. A name whose every reading lies elsewhere ("the
    besieged Syrian towns of Fua", where the gazetteer's only Fua is in Egypt) is an unknown place, and
    its qualifier is a country no candidate has (so no reading is accepted)."""
    by_key: dict[int, str] = {}
    for m, nxt in itertools.pairwise(mentions):
        if g.feature_of(nxt.ids[0]) != COUNTRY or g.feature_of(m.ids[0]) == COUNTRY:
            continue
        if _QUALIFIER_GAP.fullmatch(text, m.raw.end, nxt.raw.start):
            cc = g.country_code(nxt.ids[0])
            if any(g.country_code(i) == cc for i in m.ids[:300]):
                by_key.setdefault(m.raw.key_id, cc)
    token_at = {t.start: t for t in tokens}
    for m in mentions:
        if m.raw.key_id in by_key or g.feature_of(m.ids[0]) == COUNTRY:
            continue
        mm = _DEMONYM_KIND_BEFORE.search(_before(text, m.raw.start, 40))
        tok = token_at.get(m.raw.start - len(_before(text, m.raw.start, 40)) + mm.start(1)) if mm else None
        cc = g.demonyms.get(tok.norm) if tok is not None else None
        if cc is not None:
            by_key[m.raw.key_id] = cc
    for m in mentions:
        m.qualifier = by_key.get(m.raw.key_id)


def _anchors(g: Gazetteer, mentions: list[_Mention]) -> list[tuple[float, float]]:
    """Coordinates of mentions with a single plausible reading (one candidate, or one country and big)."""
    out = []
    for m in mentions:
        best = m.ids[0]
        if g.feature_of(best) == COUNTRY:
            continue
        if len(m.ids) == 1 or (len({g.country_code(i) for i in m.ids}) == 1 and g.population[best] >= 50_000):
            lat, lon = g.lat[best], g.lon[best]
            if not math.isnan(lat):
                out.append((round(lat, 1), round(lon, 1)))
    return list(dict.fromkeys(out))[:30]


def _choose(g: Gazetteer, m: _Mention, context: Counter[str], anchors: list[tuple[float, float]]) -> None:
    total = sum(context.values()) or 1
    has_admin = any(g.feature_of(i) == ADMIN1 for i in m.ids)
    n_main = g.main_count[m.raw.key_id]
    best, best_score, best_main = None, -math.inf, False
    for rank, i in enumerate(m.ids[:300]):  # main-name candidates first, then by population
        score = 1.0 if rank < n_main else 0.0  # "Palmyra" is Palmyra's name; Mason, Ohio was Palmyra once
        cc = g.country_code(i)
        feat = g.feature_of(i)
        share = context.get(cc, 0) / total
        score += 4.0 * share + (1.0 if cc in context else 0.0)
        score += 0.5 * math.log10(g.population[i] + 1)
        if m.qualifier is not None:
            score += 8.0 if cc == m.qualifier else -2.0
        if feat == COUNTRY:
            score += 3.0
        elif feat == ADMIN1:
            score += 10.0 if m.admin_cue else -1.0
            if m.division is not None and cc in _division_countries().get(m.division, ()):
                score += 3.0  # "Plateau state": Nigeria's, not Benin's Plateau department
        elif feat[0] in "SL" or not g.geonameid[i]:
            score += 2.0  # curated sites: named on purpose
        if m.admin_cue and has_admin and feat != ADMIN1:
            score -= 5.0
        if i in g.capitals:
            score += 0.5
        if anchors and rank < 30 and feat != COUNTRY and not math.isnan(g.lat[i]):
            score += _anchor_bonus(g.lat[i], g.lon[i], anchors)
        if score > best_score:
            best, best_score, best_main = i, score, rank < n_main
    m.chosen, m.score, m.main_name = best, best_score, best_main


def _anchor_bonus(lat: float, lon: float, anchors: list[tuple[float, float]]) -> float:
    """1.5 within 150 km of an anchor, 0.75 within 400 km, else 0 (stops at the first anchor in 150 km)."""
    bonus = 0.0
    for a, b in anchors:
        d = _distance_km(lat, lon, a, b)
        if d < 150:
            return 1.5
        if d < 400:
            bonus = 0.75
    return bonus


def _title_case_lines(text: str, tokens: list[Token], mentions: list[_Mention]) -> set[int]:
    """Line starts of headline-style lines, where capitals say nothing about names: most words other than
    the matched names are capitalised."""
    in_names = {t for m in mentions for t in range(m.raw.first, m.raw.last + 1)}
    lines: dict[int, list[bool]] = {}
    line_start, next_newline = 0, text.find("\n")  # tokens come in text order: walk the lines along
    for n, tok in enumerate(tokens):
        while 0 <= next_newline < tok.start:
            line_start = next_newline + 1
            next_newline = text.find("\n", line_start)
        if tok.is_word and n not in in_names:
            lines.setdefault(line_start, []).append(tok.capital)
    return {s for s, caps in lines.items() if len(caps) >= 4 and sum(caps) / len(caps) >= 0.6}


def _accept(
    g: Gazetteer,
    text: str,
    tokens: list[Token],
    m: _Mention,
    context: Counter[str],
    own_weight: Counter[tuple[int, str]],
    dominant: tuple[str, float] | None,
    title_lines: set[int],
) -> bool:
    """Is this a place reading at all? Far-away small places named like ordinary words are not."""
    i = m.chosen
    assert i is not None
    feat = g.feature_of(i)
    pop = g.population[i]
    curated = feat[0] in "SL" or feat in (COUNTRY, ADMIN1) or not g.geonameid[i]
    before = _before(text, m.raw.start, 40)
    locative = bool(_LOCATIVE_BEFORE.search(before))
    multi = m.raw.last > m.raw.first
    if _line_start(text, m.raw.start) in title_lines and not (multi or curated or locative or pop >= 200_000):
        return False
    after = text[m.raw.end : m.raw.end + 30]
    if not curated and not multi and i not in g.capitals and _SPEECH_AFTER.match(after):
        return False  # "Austin explained": a person
    if not curated and not multi and not m.main_name and _ARTICLE_NAME_AFTER.match(after):
        return False  # "Deir al-Adas": the first word of a longer name, not Bandar-e Deyr (once "Deir")
    cc = g.country_code(i)
    if (
        not curated
        and pop < 100_000
        and not (locative and cc in FOCUS_COUNTRIES)  # "the southern city of Daraa Sputnik": run-on text
        and _followed_by_name(text, m.raw.end)
        and not _followed_by_place(g, text, m.raw.end)  # "in Azaz Aleppo province": a comma lost
    ):
        return False  # "Thomson Reuters", "Seymour Johnson Air Force Base"
    if not curated and text[m.raw.end : m.raw.end + 1] == "." and f"{m.text.lower()}." in _abbreviations():
        return False  # "Adm.", "Gen.": a title
    if (
        not curated
        and not m.main_name
        and (m.text.isupper() or (cc not in FOCUS_COUNTRIES and pop < 100_000))
    ):
        return False  # an acronym, or a far-away place's rare alternate name ("Bel" for Bell, California)
    if (
        _ORG_OF_BEFORE.search(before)
        and not curated
        and (cc not in FOCUS_COUNTRIES or context.get(cc, 0) < 2)
    ):
        return False  # "Temple of Bel": part of a name, and nowhere near the report's countries
    if m.qualifier is not None and cc != m.qualifier and feat != COUNTRY:
        return False  # "the Syrian town of Fua": not Fuwwah, Egypt, the only Fua the gazetteer has
    weight = context.get(cc, 0)
    others = weight - own_weight.get((m.raw.key_id, cc), 0)  # what the rest of the report says of cc
    if not curated and m.qualifier is None and _foreign_to_dominant(cc, others, pop, dominant):
        return False  # "Fuaa" in a report about Syria is not Fuwwah, Egypt; "Arab" is not Arab, Alabama
    if not curated and cc not in FOCUS_COUNTRIES and weight < 2:
        if not multi and m.raw.key_id in g.common_keys and pop < 500_000:
            return False  # "And", "Hunter", "Hamlet": English words before far-away towns
        if m.text.isupper() and len(m.text) <= 4:
            return False  # "AQI": an acronym, not a town abroad
        if weight == 0 and pop < 100_000:
            return False  # a small town in a country the report never mentions ("Urem" is not Ourém, Brazil)
    if curated or pop >= 100_000 or (weight >= 1 and cc in FOCUS_COUNTRIES) or (weight >= 2 and pop >= 1_000):
        return True
    if cc in FOCUS_COUNTRIES and (m.raw.key_id, i) in g.aliased:
        return True  # a spelling listed on purpose in place_aliases.csv: GeoNames gives many of these towns
        # no population ("Tal Afar", "Hawija"), so size cannot vouch for them
    if m.main_name and cc in FOCUS_COUNTRIES and pop >= 10_000:
        return True  # a town of the conflict region under its own name, in a report with no other clue
    return locative and (pop >= 15_000 or (multi and pop >= 1_000))


def _dominant_country(context: Counter[str]) -> tuple[str, float] | None:
    """The country a report is plainly about: weight 4 or more, and half the weight of all its countries."""
    if not context:
        return None
    main, main_weight = context.most_common(1)[0]
    if main_weight < 4 or main_weight < 0.5 * sum(context.values()):
        return None
    return main, main_weight


# Syria and Iraq: one theatre of the war against the Islamic State, so a town of one in a report about the
# other is no homonym for that reason alone.
_ONE_THEATRE = frozenset({"SY", "IQ"})


def _foreign_to_dominant(cc: str, weight: float, pop: int, dominant: tuple[str, float] | None) -> bool:
    """A small town abroad, in a report that is plainly about one other country: a homonym, not the place.
    Never-mentioned countries give way below 200,000 people; countries named only in passing (a quarter of
    the main country's weight) below 50,000 when they lie outside the conflict region."""
    if dominant is None or cc == dominant[0]:
        return False
    if cc in _ONE_THEATRE and dominant[0] in _ONE_THEATRE:
        return False  # "pushed ISIL out of Kobane" in a report about Iraq: one war, two countries
    if weight == 0:
        return pop < 200_000
    return cc not in FOCUS_COUNTRIES and weight < 0.25 * dominant[1] and pop < 50_000


# --------------------------------------------------------------------------- relations and flags


_ARTICLE_NAME_AFTER = re.compile(r"^[ ](?:al|el|ad|ed|ar|er|as|es|ash|esh|at|et|az|ez|an|en)-[A-Z]", re.I)
_TAGS_BEFORE = re.compile(r"(?:^|[.!?\s])Tags:?\s+((?:[\w'’-]+\s+){0,12})$")
_FUNCTION_WORDS = frozenset(
    ["the", "a", "an", "of", "in", "on", "at", "for", "to", "from", "with", "by", "and", "or", "were", "was",
     "is", "are", "has", "have", "had"]
)  # fmt: skip


def _in_tag_list(text: str, start: int) -> bool:
    """A name in a news page's keyword list run into the text ("... spying. Tags Syria Islamic State
    activists murder video Palmyra The Islamic State group..."): the list holds no function word."""
    mm = _TAGS_BEFORE.search(_before(text, start, 120))
    return bool(mm) and not any(w.lower() in _FUNCTION_WORDS for w in mm.group(1).split())


# "born ... in Mosul", "a native of Amarah", "he hails from Basra": where a person comes from, not where
# anything in the report happened (no comma between: "born in 1977, he was killed in Mosul" is a place)
_BIRTHPLACE_BEFORE = re.compile(
    r"\b(?:born\b[^.;,!?]{0,160}?\bin|native of|hails? from|hailing from)\s+"
    r"(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$",
    re.I,
)
_PLACE_NOUN_OF_BEFORE = re.compile(r"\b(?:city|town|village|province|governorate|district)\s+of\s+$", re.I)
_STANCE_BEFORE = re.compile(r"\b(?:pro|anti)-$", re.I)


def _to_place_mention(g: Gazetteer, text: str, m: _Mention) -> PlaceMention:
    i = m.chosen
    assert i is not None
    place = g.place(i)
    relation, precision = _relation(text, m.raw.start, m.raw.end)
    feat = place.feature
    if feat in (COUNTRY, ADMIN1) or feat == "L.RGN":
        precision = 3
        if feat == COUNTRY:
            relation = "country"
    locational = True
    after = text[m.raw.end : m.raw.end + 60]
    if "." in m.text and after.startswith("."):
        after = after[1:]  # "U.S. forces": the abbreviation's last dot
    after = _ADVERB.sub("", after, count=1)  # "The United States officially announced"
    if _is_dateline(text, m.raw.start, m.raw.end):
        relation, locational = "dateline", False
    elif _BIRTHPLACE_BEFORE.search(_before(text, m.raw.start, 200)):
        locational = False  # "born ... in Mosul": a person's origin
    elif _in_tag_list(text, m.raw.start):
        locational = False  # "Tags Syria Islamic State murder video Palmyra": a page's keywords
    elif _STANCE_BEFORE.search(_before(text, m.raw.start, 8)):
        locational = False  # "pro-Damascus media", "anti-Assad": a side, not a place
    elif _ORG_OF_BEFORE.search(_before(text, m.raw.start, 40)):
        locational = False  # "Temple of Bel", "University of Mosul": a name's part
    elif _ACTOR_AFTER.match(after):
        locational = False  # "US forces", "US-led", "Iraq's leadership", "Homs governor"
    elif precision == 2 and feat not in (COUNTRY, ADMIN1):
        pass  # "east of Damascus said the Observatory", "east of Damascus Monitoring group": a place
    elif (
        _followed_by_name(text, m.raw.end)
        and not _followed_by_place(g, text, m.raw.end)
        and not _PLACE_NOUN_OF_BEFORE.search(_before(text, m.raw.start, 30))
    ):
        locational = False  # "USA Today", "Baghdad Operations Command"
    elif (feat == COUNTRY or i in g.capitals) and _GOVERNMENT_VERB.match(after):
        locational = False  # "Damascus said", "Washington attributed"
    elif (
        (feat == COUNTRY or i in g.capitals)
        and (seat := _SEAT_BEFORE.search(_before(text, m.raw.start, 40)))
        and not _SITE_OF_EVENT.search(_before(text, m.raw.start - len(seat.group()), 30))
    ):
        locational = False  # "the defence ministry in Moscow said", not "struck near the embassy in ..."
    elif feat == COUNTRY and _ORIGIN_BEFORE.search(_before(text, m.raw.start)):
        locational = False  # "foreign mercenaries from Saudi Arabia and Jordan"
    elif feat == COUNTRY and (
        _COUNTRY_ACTOR_AFTER.match(after) or _BACKER_BEFORE.search(_before(text, m.raw.start))
    ):
        locational = (
            False  # "The United States has 900 troops", "Russia's failed strategy", "backed by Russia"
        )
    score = max(0.05, min(1.0, m.score / 10.0))
    return PlaceMention(
        m.raw.start, m.raw.end, m.text, place, relation, precision, locational, round(score, 3)
    )


def _relation(text: str, start: int, end: int) -> tuple[str | None, int]:
    before = _before(text, start)
    lowered = before.lower() if before.isascii() else None  # beyond ASCII, IGNORECASE folds more
    has = lowered.__contains__ if lowered is not None else None
    for (pattern, label, precision), needs in zip(_QUICK_RELATIONS, _RELATION_NEEDS, strict=True):
        # map() over the words, not a generator: this runs nine times for every mention
        if has is not None and not all([any(map(has, group)) for group in needs]):
            continue
        mm = pattern.search(before)
        if mm:
            rel = label or re.sub(r"\s+", " ", mm.group(1).lower())
            rel = _NORMALISE_RELATION.get(rel, rel)
            return rel, precision
    if _COUNTRYSIDE_AFTER.match(text[end : end + 20]):
        return "countryside", 2
    part = _PART_BEFORE.search(before[-20:])
    if part:
        return part.group(1).lower(), 1  # "eastern Aleppo": a part of the place, coded as the place
    return None, 1


_SCRAPED_DATELINE_BEFORE = re.compile(r"(?:^|\d|\bupdated\b[^.]{0,25})\s*$", re.I)


def _is_dateline(text: str, start: int, end: int) -> bool:
    before = text[_line_start(text, start) : start].strip(" *_\"'“")
    name = text[start:end]
    if (
        name.isupper()
        and len(name) >= 4
        and _CAPITALISED_AFTER.match(text[end : end + 3])
        and _SCRAPED_DATELINE_BEFORE.search(before[-40:])
    ):
        return True  # a scraped page lost the dash: "Last updated at Oct 082017 MOSCOW Some 120 ..."
    if before and not _DATELINE_PLACES_BEFORE.fullmatch(before):
        return False
    return bool(_DATELINE_AFTER.match(_DATELINE_PLACES_AFTER.sub("", text[end : end + 80], count=1)))


# Precompiled: these run for most mentions (module-level re calls pay a cache look-up each time).
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|near|at|of|from|to|outside|around|towards?)\s+(?:the\s+)?$")
_CAPITALISED_AFTER = re.compile(r"^ [A-Z][a-z]")
_NAME_AFTER = re.compile(r"^[ ]([A-Z][a-z]+)\b")


def _followed_by_name(text: str, end: int) -> bool:
    mm = _NAME_AFTER.match(text[end : end + 30])
    if not mm:
        return False
    word = mm.group(1).lower()
    # "in Aleppo Earlier two persons...", "Kill 12 in Aleppo On Friday": a sentence run on, not a name
    return word not in _PLACE_TYPE_WORDS and word not in _common_words()


def _followed_by_place(g: Gazetteer, text: str, end: int) -> bool:
    mm = _NAME_AFTER.match(text[end : end + 30])
    if not mm:
        return False
    for key in name_keys(mm.group(1)):
        kid = g.key_id(key)
        if kid is not None:  # under its own name ("Barrage" was once a name of Al Qanatir, Egypt)
            main = g.candidates(kid)[: g.main_count[kid]]
            if any(g.country_code(i) in FOCUS_COUNTRIES and g.population[i] >= 50_000 for i in main):
                return True
    return False


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """English function words, reporting verbs, weekdays and months (the list eventwire.dedup leaves out)."""
    return frozenset(load_lines("similarity_stopwords.txt")) - {"today"}  # "USA Today" is a name


def _mark_government_lists(text: str, mentions: list[PlaceMention]) -> None:
    """Lists before a government verb ("Moscow and Damascus have been focused on"): all are governments."""
    for i in range(len(mentions) - 2, -1, -1):
        m, nxt = mentions[i], mentions[i + 1]
        if (
            m.locational
            and not nxt.locational
            and nxt.relation != "dateline"
            and m.place is not None
            and m.place.feature in (COUNTRY, "P.PPL", "P.PPLC")
            and _LIST_JOIN.match(text[m.end : nxt.start])
            and _GOVERNMENT_VERB.match(text[nxt.end : nxt.end + 60])
        ):
            m.locational = False


# --------------------------------------------------------------------------- unknown names


def _unknown_names(
    g: Gazetteer, text: str, found: list[PlaceMention], context: Counter[str]
) -> list[PlaceMention]:
    """Names in a place slot that no exact key matched: fuzzy match within the report's countries, or keep
    the name with no coordinates when the slot is unambiguous ("the village of X", "near X")."""
    covered = [(pm.start, pm.end) for pm in found]
    focus = [cc for cc, n in context.most_common(3) if n >= 2 and cc in FOCUS_COUNTRIES]
    out: list[PlaceMention] = []
    for mm in _UNKNOWN_SLOT.finditer(text):
        start, end = mm.span(1)
        if any(s < end and start < e for s, e in covered):
            continue
        name = mm.group(1).rstrip("-'’")
        end = start + len(name)
        keys = name_keys(name)
        if not keys or keys[0].split()[0] in g.stopkeys or keys[0] in g.stopkeys:
            continue
        # a name the gazetteer knows exactly was judged already: its rejected reading does not come back
        # through the fuzzy door ("Bani Zeid" of Aleppo is not Bani Zayd in the West Bank)
        known = g.key_id(keys[0]) is not None
        idx = _fuzzy(g, keys[0], focus) if focus and not known else None
        relation, precision = _relation(text, start, end)
        if idx is not None:
            place = g.place(idx)
            if place.feature in (COUNTRY, ADMIN1):
                precision = 3
            out.append(PlaceMention(start, end, text[start:end], place, relation, precision, True, 0.5))
        elif _STRONG_SLOT.search(text[max(0, start - 40) : start]):
            out.append(PlaceMention(start, end, text[start:end], None, relation, precision, True, 0.3))
        covered.append((start, end))
    return out


def fuzzy_threshold(key: str) -> float | None:
    """Minimum rapidfuzz ratio for a key of this length, or None when it is too short to risk it."""
    letters = len(key.replace(" ", ""))
    if letters < FUZZY_MIN_LEN:
        return None
    return FUZZY_THRESHOLD_SHORT if letters < 8 else FUZZY_THRESHOLD_LONG


def _fuzzy(g: Gazetteer, key: str, countries: list[str]) -> int | None:
    """Best place for a misspelt key among the keys of the given countries (blocked by first letter)."""
    bare = " ".join(t for t in key.split() if t != ARTICLE)
    threshold = fuzzy_threshold(bare)
    if threshold is None:
        return None
    best: tuple[float, str] | None = None
    for cc in countries:
        choices = _fuzzy_block(g, cc, bare[:1])
        hit = process.extractOne(bare, choices, scorer=fuzz.ratio, score_cutoff=threshold)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], hit[0])
    if best is None:
        return None
    kid = g.key_id(best[1])
    if kid is None:
        return None
    ids = [i for i in g.candidates(kid) if g.country_code(i) in countries]
    return ids[0] if ids else None


def _fuzzy_block(g: Gazetteer, cc: str, first: str) -> list[str]:
    cache = g.__dict__.setdefault("_fuzzy_blocks", {})
    block = cache.get((cc, first))
    if block is None:
        block = [k for k in g.iter_fuzzy_keys([cc]) if k[:1] == first and ARTICLE not in k.split()]
        cache[(cc, first)] = block
    return block
