"""The typed records that flow between the pipeline's stages.

ingest -> Article -> clean -> Document (cleaned text + sentences)
       -> mentions (places, dates, quantities, actors, triggers)
       -> Candidate (one trigger with its arguments) -> Event -> dedup -> store

Every offset is a character offset into ``Document.text``, the cleaned text that is
stored as the article's text, so that evidence spans can be shown in the stored article.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# --------------------------------------------------------------------------- input


@dataclass(slots=True)
class Article:
    """One report as read from an input, before cleaning."""

    id: str
    text: str  # body text as read (HTML already reduced to text); titles excluded
    title: str | None = None
    url: str | None = None
    source: str | None = None  # outlet
    published: date | None = None
    published_from: str | None = None  # where the date came from: "metadata", "record", "html", ...
    origin: str = ""  # file path and record locator, for messages
    language: str = "en"

    @property
    def raw_hash(self) -> str:
        """Content hash of what was read: title and body. Re-reading the same report gives the same hash."""
        h = hashlib.sha256()
        h.update((self.title or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
        h.update(self.text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()


@dataclass(slots=True, frozen=True)
class ReadError:
    """An input that could not be read, or part of one. Reported as one line; never raised to the user."""

    origin: str  # file path (and line or record number when known)
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


# --------------------------------------------------------------------------- cleaned text


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int


@dataclass(slots=True, frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    is_title: bool = False  # the headline (first sentence of a document with a title)


@dataclass(slots=True)
class Document:
    """An article after cleaning: the text that is stored, and how it maps back to what was read."""

    article: Article
    text: str  # cleaned text; starts with the title line when the article has one
    # Segments (clean_start, raw_start, length): text[clean_start:clean_start+length] equals
    # raw[raw_start:raw_start+length] where raw is the title + "\n\n" + body as read.
    offset_map: list[tuple[int, int, int]] = field(default_factory=list)
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # raw spans dropped, with the reason
    sentences: list[Sentence] = field(default_factory=list)
    title_end: int = 0  # text[:title_end] is the title; 0 when there is none
    doc_date: date | None = None  # resolved document date (publication)
    doc_date_confidence: float = 0.0
    doc_date_source: str | None = None
    words: int = 0

    def raw_offset(self, clean_offset: int) -> int | None:
        """Map a cleaned-text offset back to the text as read (None if it falls nowhere)."""
        for cstart, rstart, length in self.offset_map:
            if cstart <= clean_offset <= cstart + length:
                return rstart + (clean_offset - cstart)
        return None

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None


# --------------------------------------------------------------------------- mentions


@dataclass(slots=True)
class Place:
    """A gazetteer entry."""

    name: str
    country: str | None  # English country name
    iso3: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    geonameid: int | None = None
    feature: str = (
        "P"  # GeoNames feature class/code: P populated place, A admin area, S site, PCLI country...
    )
    population: int = 0
    admin2: str | None = None


@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place | None  # None when no gazetteer knows the name
    relation: str | None = None  # "near", "outskirts", "30 km south of", "in" ...
    geo_precision: int = 1  # ACLED: 1 the place itself, 2 near / part of a region, 3 region or country
    locational: bool = True  # False for uses such as "Damascus said" (the government)
    score: float = 1.0


@dataclass(slots=True)
class DateMention:
    start: int
    end: int
    text: str
    date_start: date
    date_end: date
    time_precision: int  # ACLED: 1 day, 2 week or part of a month (<= 15 days), 3 month
    historical: bool = False  # an explicit past date ("in May 2015") not relative to the report
    year_only: bool = False
    dateline: bool = False  # the report's own dateline, glued to its first sentence: dates no event


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    text: str
    best: int
    low: int
    high: int
    counts: str  # "killed", "injured", "captured", "strikes", "targets", "munitions", "aircraft", ...
    who: str | None = None  # "civilians", "militants", "soldiers", "children", "women", ...
    aggregate: bool = False  # a total over a period, never one event's figure
    # index (in the same list) of the count this one is included in, never added; -1 when that count is not
    # given ("two women were among the dead")
    part_of: int | None = None


@dataclass(slots=True)
class ActorMention:
    start: int
    end: int
    text: str
    actor: str  # canonical name
    inter: int  # ACLED inter code
    country: str | None = None
    kind: str = "actor"  # "actor" or "source" (a claimant such as a monitor or ministry)


@dataclass(slots=True)
class Trigger:
    start: int
    end: int
    text: str
    sub_event_type: str
    event_type: str
    cameo: str | None = None
    plover_event: str | None = None
    plover_mode: str | None = None
    weight: float = 1.0
    resolved_from: str | None = None  # the resolver ("@attack", ...) when the type came from context


# --------------------------------------------------------------------------- events


@dataclass(slots=True)
class Evidence:
    article_id: str
    start: int
    end: int
    text: str
    fields: list[str] = field(default_factory=list)  # which fields this span supports

    def to_record(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Candidate:
    """One trigger in one sentence with the arguments found around it."""

    document: Document
    sentence: Sentence
    trigger: Trigger
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    claimants: list[ActorMention] = field(default_factory=list)  # who the sentence says told it
    modality: str = "asserted"  # "asserted", "negated", "hypothetical", "future", "generic", ...
    # A definite mention with nothing new ("these nighttime airstrikes", "the strikes"): it refers back to
    # an event the report already stated, and adds its evidence to it rather than making a new event.
    reference: bool = False
    # A definite mention that adds only where, with too little else to stand alone ("the raids targeted the
    # town of Milis in Idlib province"): it places an event the report told less precisely, or nothing.
    places_reference: bool = False
    # How probable the sentence-type model finds the trigger's type for this sentence (0 when not asked).
    type_support: float = 0.0


EVENT_FIELDS: tuple[str, ...] = (
    "event_id", "event_date", "date_start", "date_end", "time_precision",
    "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "civilian_targeting",
    "country", "iso3", "admin1", "location", "latitude", "longitude", "geonameid", "geo_precision",
    "fatalities", "fatalities_low", "fatalities_high", "quantities",
    "cameo", "plover_event", "plover_mode",
    "claimed_by", "article_ids", "sources", "notes", "evidence", "confidence", "review_status",
)  # fmt: skip


@dataclass(slots=True)
class Event:
    """One coded event: the record contract of the JSONL output (field names exact)."""

    event_id: str
    # None, with the flag "date_unknown", when neither the text nor the report's date tells when it happened.
    event_date: date | None
    date_start: date | None
    date_end: date | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: list[str] = field(default_factory=list)
    inter2: int | None = None
    civilian_targeting: bool = False
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    geo_precision: int | None = None
    fatalities: int = 0
    fatalities_low: int = 0
    fatalities_high: int = 0
    quantities: dict[str, int] = field(default_factory=dict)
    cameo: str | None = None
    plover_event: str | None = None
    plover_mode: str | None = None
    claimed_by: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    review_status: str = "machine"
    # Beyond the contract: provenance and reconciliation details, stored and exported as extra columns.
    flags: list[str] = field(default_factory=list)  # e.g. "country_only", "year_unknown"
    conflicts: dict[str, Any] = field(default_factory=dict)
    # Independent reports behind the event: distinct outlets, each article without a named outlet counting
    # as one of its own (near copies of a stored article are never counted: see eventwire.stories).
    source_count: int = 1
    # How explicitly the report tells it (trigger, actor, place, date, attribution), before the sentence-type
    # model's share in ``confidence``: the in-report merge keeps the type of the more explicit mention.
    # Working state of the event stage, not stored.
    explicitness: float = 0.0

    def to_record(self) -> dict[str, Any]:
        """The JSONL record: the contract's fields in order, then the extras."""
        rec: dict[str, Any] = {}
        for name in EVENT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif name == "evidence":
                value = [e.to_record() for e in value]
            elif isinstance(value, list | dict):
                value = type(value)(value)
            rec[name] = value
        rec["flags"] = list(self.flags)
        rec["conflicts"] = dict(self.conflicts)
        rec["source_count"] = self.source_count
        return rec

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Event:
        data = dict(rec)
        for name in ("event_date", "date_start", "date_end"):
            if isinstance(data.get(name), str):
                data[name] = date.fromisoformat(data[name])
        data["evidence"] = [
            Evidence(e["article_id"], e["start"], e["end"], e["text"]) for e in data.get("evidence") or []
        ]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(slots=True)
class Mentions:
    """Everything the recognisers found in one document, handed to the event stage."""

    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
