"""Request and response bodies of the REST API: what /docs shows and what FastAPI validates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class EvidenceOut(BaseModel):
    article_id: str
    start: int = Field(description="character offset into the stored article text")
    end: int
    text: str
    fields: list[str] = Field(default_factory=list, description="the event fields this span supports")


class EventOut(BaseModel):
    """One event, ACLED-style (see the README's event record). Dates are null when unknown."""

    model_config = ConfigDict(extra="allow")

    event_id: str
    event_date: date | None
    date_start: date | None
    date_end: date | None
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    assoc_actor_1: list[str] = []
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: list[str] = []
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
    quantities: dict[str, int] = {}
    cameo: str | None = None
    plover_event: str | None = None
    plover_mode: str | None = None
    claimed_by: list[str] = []
    article_ids: list[str] = []
    sources: list[str] = []
    notes: str = ""
    evidence: list[EvidenceOut] | None = Field(
        None, description="in event details; null in lists (see evidence_count)"
    )
    evidence_count: int = 0
    confidence: float = 0.5
    review_status: str = "machine"
    flags: list[str] = []
    conflicts: dict[str, Any] = {}


class EventPage(BaseModel):
    total: int = Field(description="events matching the filters, all pages")
    total_is_estimate: bool = Field(
        False, description="total is the database's estimate: more events matched than the server counts"
    )
    limit: int
    offset: int
    events: list[EventOut]


class ArticleRef(BaseModel):
    id: str
    title: str | None
    source: str | None
    url: str | None
    published: date | None


class HistoryEntry(BaseModel):
    at: datetime
    who: str
    action: str


class EventDetail(EventOut):
    articles: list[ArticleRef] = []
    merged_from: list[str] = Field([], description="ids of events merged into this one")
    history: list[HistoryEntry] = Field([], description="the audit trail of this event, oldest first")


class ArticleSpan(BaseModel):
    event_id: str
    start: int
    end: int
    text: str
    fields: list[str] = []


class ArticleOut(BaseModel):
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: date | None
    doc_date: date | None
    text: str = Field(description="the cleaned text; evidence offsets point into it")
    title_end: int = Field(description="text[:title_end] is the title")
    words: int
    evidence: list[ArticleSpan]


class TimelineBin(BaseModel):
    start: date
    end: date
    count: int


class Timeline(BaseModel):
    bucket: Literal["day", "week", "month", "year"]
    bins: list[TimelineBin]
    undated: int = Field(description="matching events whose date is unknown")


class MapPoint(BaseModel):
    event_id: str
    sub_event_type: str
    location: str | None
    event_date: date | None


class MapCluster(BaseModel):
    lat: float
    lon: float
    count: int
    fatalities: int
    event_type: str = Field(description="the most frequent event type in the cluster")
    types: dict[str, int]
    bounds: tuple[float, float, float, float] = Field(description="south, west, north, east")
    event: MapPoint | None = Field(None, description="the event itself when the cluster holds one")


class MapClusters(BaseModel):
    zoom: int
    cell_deg: float
    total: int
    clusters: list[MapCluster]


class ReviewIn(BaseModel):
    """confirm: the event is right (with fields, it becomes "edited"); edit: correct fields; reject: not an
    event (or not one worth keeping). ``fields`` may correct any field but ids, articles, sources and
    evidence."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["confirm", "edit", "reject"]
    fields: dict[str, Any] = Field(default_factory=dict)


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_ids: list[str] = Field(min_length=2, max_length=100)
    into: str | None = Field(None, description="the event that survives (default: the first id)")


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article_ids: list[str] = Field(min_length=1, max_length=1000, description="articles to split off")


class SplitOut(BaseModel):
    event: EventOut = Field(description="the event with its remaining articles")
    split_off: EventOut = Field(description="the event made of the articles split off")


class ArticleIn(BaseModel):
    """One report, as in a .json input of `eventwire extract`."""

    id: str | None = Field(None, max_length=300, description="default: derived from the content")
    title: str | None = Field(None, max_length=1000)
    text: str = Field(min_length=1)
    published: date | None = Field(None, description="needed to resolve relative dates such as 'Tuesday'")
    url: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=300, description="the outlet")


class IngestOut(BaseModel):
    article_id: str
    added: bool = Field(description="false when the same report was already stored")
    events: list[EventOut] = Field(description="the article's events as stored, merged ones included")
    merged: int = Field(description="how many of its events were merged into events already stored")
    notes: list[str] = []
