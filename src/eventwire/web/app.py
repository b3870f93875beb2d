"""The FastAPI app: the REST API under /api, its OpenAPI docs at /docs, and the page at /.

Reads are open when the server listens on a loopback address (the default); every write needs a token
(see ``auth``) and is recorded in the audit table with the token's name. Bodies are size-limited, SQL is
built by SQLAlchemy with bound parameters, and nothing in the API takes a file-system path: static files
come only from two fixed package folders.
"""

# No `from __future__ import annotations` here: FastAPI reads the route signatures, whose annotations
# name types local to create_app (Writer), at definition time.
import hashlib
import html
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from xstatic.pkg import leaflet as xstatic_leaflet

from eventwire import __version__
from eventwire.events.taxonomy import taxonomy
from eventwire.ingest.records import record_to_article
from eventwire.ingest.text import article_from_text
from eventwire.model import Article, Event
from eventwire.review import ReviewError, apply_review
from eventwire.store import ORDERS, ArticleConflict, Store, StoreError
from eventwire.store.errors import EventNotFound, ReviewConflict
from eventwire.web import aggregate, schemas
from eventwire.web.auth import TokenCheck
from eventwire.web.ingest import Ingestor
from eventwire.web.reference import reference_places

STATIC = files("eventwire.web") / "static"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_GEOJSON = 100_000
PG_COUNT_CAP = 10_000
SortOrder = Literal[ORDERS]  # type: ignore[valid-type]


@dataclass(slots=True)
class WebConfig:
    env_token: str | None = None  # the EVENTWIRE_TOKEN value, accepted besides stored tokens
    max_upload: int = 2_000_000  # bytes in one request body
    open_reads: bool = True  # False: reads need a token too (a server reachable beyond this machine)
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_HOSTS  # Host headers served; None: any
    tiles: str | None = None  # map tile URL template ({z}/{x}/{y}); None: plain background
    tiles_attribution: str = ""
    # GET /api/events counts matches exactly up to this many, then reports an estimate (total_is_estimate).
    # "auto": PG_COUNT_CAP on PostgreSQL, where a count must visit every matching row (~60 ms for 85k) and
    # the planner's estimate is close; exact on SQLite, whose counts come from covering indexes and FTS
    # and which has no estimate to give. None or 0: always exact.
    count_cap: int | Literal["auto"] | None = "auto"


# --------------------------------------------------------------------------- guard middleware


class _Guard:
    """Host check (against DNS rebinding of a localhost server), request body size limit, and security
    headers on every response."""

    def __init__(self, app: ASGIApp, config: WebConfig, csp: str) -> None:
        self.app = app
        self.config = config
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        allowed = self.config.allowed_hosts
        if allowed is not None and _host_name(headers.get("host", "")) not in allowed:
            await _plain(send, 421, "this server does not answer for that host name")
            return
        limit = self.config.max_upload
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _plain(send, 413, f"request body larger than {limit} bytes")
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        docs = scope["path"] in ("/docs", "/redoc")  # Swagger UI and ReDoc need their inline scripts

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not docs:
                    extra.append((b"content-security-policy", self.csp.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            if not started:
                await _plain(send, 413, f"request body larger than {limit} bytes")


class _TooLarge(Exception):
    pass


def _host_name(host: str) -> str:
    if host.startswith("["):  # [::1]:8000
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _plain(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _csp(config: WebConfig) -> str:
    images = "'self' data:"
    if config.tiles:
        scheme, _, rest = config.tiles.partition("://")
        host = rest.split("/", 1)[0].replace("{s}", "*")
        images += f" {scheme}://{host}"
    return (
        f"default-src 'self'; img-src {images}; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


# --------------------------------------------------------------------------- query parameters


def _values(values: list[str] | None) -> list[str] | None:
    kept = [v.strip() for v in values or [] if v.strip()]
    return kept or None


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise HTTPException(422, "bbox must be west,south,east,north in degrees") from None
    if not (-90 <= south <= north <= 90 and -540 <= west <= 540 and -540 <= east <= 540):
        raise HTTPException(422, "bbox out of range")
    if east - west >= 360:
        return (-180.0, south, 180.0, north)
    wrap = lambda lon: ((lon + 180.0) % 360.0) - 180.0  # noqa: E731 - Leaflet's bounds can pass 180
    return (wrap(west), south, wrap(east), north)


def event_filters(
    date_from: Annotated[date | None, Query(description="first event_date, inclusive")] = None,
    date_to: Annotated[date | None, Query(description="last event_date, inclusive")] = None,
    country: Annotated[list[str] | None, Query(description="country name or ISO3 code; repeatable")] = None,
    admin1: Annotated[list[str] | None, Query(description="first-level region; repeatable")] = None,
    event_type: Annotated[list[str] | None, Query(description="ACLED event type; repeatable")] = None,
    sub_event_type: Annotated[list[str] | None, Query(description="ACLED sub-event type; repeatable")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="substring of an actor name")] = None,
    text: Annotated[
        str | None, Query(max_length=200, description="substring of notes, place, actors or evidence")
    ] = None,
    review_status: Annotated[
        list[str] | None, Query(description="machine, confirmed, edited, rejected; repeatable")
    ] = None,
    bbox: Annotated[
        str | None, Query(description="west,south,east,north: events with a point inside")
    ] = None,
) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "date_from": date_from,
        "date_to": date_to,
        "country": _values(country),
        "admin1": _values(admin1),
        "event_type": _values(event_type),
        "sub_event_type": _values(sub_event_type),
        "actor": (actor or "").strip() or None,
        "text": (text or "").strip() or None,
        "review_status": _values(review_status),
        "bbox": _bbox(bbox),
    }
    return {k: v for k, v in filters.items() if v is not None}


Filters = Annotated[dict[str, Any], Depends(event_filters)]


# --------------------------------------------------------------------------- records


def event_out(event: Event, *, with_evidence: bool = False) -> dict[str, Any]:
    record = event.to_record()
    record["evidence_count"] = len(event.evidence)
    if with_evidence:
        record["evidence"] = [{**e.to_record(), "fields": list(e.fields)} for e in event.evidence]
    else:
        record.pop("evidence")
    return record


def _article_from_json(body: bytes) -> tuple[Article, list[str]]:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise HTTPException(422, "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise HTTPException(422, "the body must be one JSON object (an article)")
    try:
        model = schemas.ArticleIn.model_validate(value)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None
    data = model.model_dump(mode="json", exclude_none=True)
    items = list(record_to_article(data, origin="api", default_id=""))
    articles = [i for i in items if isinstance(i, Article)]
    notes = [str(i) for i in items if not isinstance(i, Article)]
    if not articles:
        raise HTTPException(422, notes[0] if notes else "the article has no text")
    return articles[0], notes


def _article_from_text(body: bytes, request: Request) -> Article:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(422, "a text/plain body must be UTF-8") from None
    if not text.strip():
        raise HTTPException(422, "the article has no text")
    params = request.query_params
    article = article_from_text(text.replace("\r\n", "\n"), article_id="", origin="api")
    if params.get("title"):
        article = Article(id="", text=text.strip("\n"), title=" ".join(params["title"].split()), origin="api")
    if params.get("published"):
        try:
            article.published = date.fromisoformat(params["published"])
        except ValueError:
            raise HTTPException(422, "published must be a date YYYY-MM-DD") from None
        article.published_from = "record"
    article.url = params.get("url") or None
    article.source = params.get("source") or None
    article.id = params.get("id") or ""
    return article


# --------------------------------------------------------------------------- the app


def create_app(store: Store, config: WebConfig | None = None) -> FastAPI:
    config = config or WebConfig()
    app = FastAPIOffline(
        title="eventwire",
        version=__version__,
        description="Conflict events extracted from news reports, with their evidence. Reads are open on "
        "localhost; writes need `Authorization: Bearer TOKEN` and are audited.",
        openapi_url="/api/openapi.json",
        static_url="/vendor/docs",
    )
    check_token = TokenCheck(store, config.env_token)
    Writer = Annotated[str, Depends(check_token)]

    def reader(request: Request) -> None:
        if not config.open_reads:
            check_token(request)

    api: list[Any] = [Depends(reader)]
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="eventwire-count")
    ingestor = Ingestor(store)
    page = _page(config)
    count_cap = config.count_cap
    if count_cap == "auto":
        count_cap = PG_COUNT_CAP if store.dialect == "postgresql" else None
    count_cap = count_cap or None

    @app.exception_handler(EventNotFound)
    def _not_found(_request: Request, exc: EventNotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(ReviewConflict)
    @app.exception_handler(ArticleConflict)
    def _conflict(_request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(ReviewError)
    def _invalid(_request: Request, exc: ReviewError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    # ------------------------------------------------------------------ reads

    @app.get("/api/events", response_model=schemas.EventPage, dependencies=api, tags=["events"])
    def list_events(
        filters: Filters,
        sort: SortOrder = "-event_date",
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        """Events matching every filter given, one page at a time (merged events left out). ``total`` is
        exact unless ``total_is_estimate``: past the server's count cap (``eventwire serve --count-cap``)
        it is the database's estimate."""
        # The count and the page run at once on two connections: the count is often the slower.
        counted = pool.submit(store.count_events_capped, count_cap, **filters)
        found = store.events(**filters, order=sort, limit=limit, offset=offset)
        total, estimate = counted.result()
        if estimate:  # an estimate below what this page shows would contradict it
            total = max(total, offset + len(found) + (len(found) == limit))
        return {
            "total": total,
            "total_is_estimate": estimate,
            "limit": limit,
            "offset": offset,
            "events": [event_out(e) for e in found],
        }

    @app.get("/api/events.geojson", dependencies=api, tags=["events"], response_class=Response)
    def events_geojson(
        filters: Filters,
        sort: SortOrder = "-event_date",
        limit: Annotated[int, Query(ge=1, le=MAX_GEOJSON)] = 10_000,
    ) -> Response:
        """A GeoJSON FeatureCollection of the matching events that have a point (RFC 7946)."""
        features = [
            {
                "type": "Feature",
                "id": e.event_id,
                "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]},
                "properties": event_out(e),
            }
            for e in store.events(**filters, order=sort, limit=limit)
            if e.latitude is not None and e.longitude is not None
        ]
        body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
        return Response(body, media_type="application/geo+json")

    @app.get("/api/events/{event_id}", response_model=schemas.EventDetail, dependencies=api, tags=["events"])
    def get_event(event_id: str) -> dict[str, Any]:
        """One event with its evidence, its articles and its review history. The id of an event that was
        merged into another gives that event."""
        event = store.get_event(event_id)
        if event is None:
            raise EventNotFound(f"no event {event_id}")
        refs = []
        for article_id in dict.fromkeys([*event.article_ids, *(e.article_id for e in event.evidence)]):
            art = store.article(article_id)
            if art is not None:
                refs.append(
                    {
                        "id": art.id,
                        "title": art.title,
                        "source": art.source,
                        "url": art.url,
                        "published": art.published,
                    }
                )
        history = [
            {"at": a["at"], "who": a["who"], "action": a["action"]}
            for a in store.audit_entries(event.event_id)
        ]
        return {
            **event_out(event, with_evidence=True),
            "articles": refs,
            "merged_from": store.merged_into(event.event_id),
            "history": history,
        }

    @app.get(
        "/api/articles/{article_id:path}",
        response_model=schemas.ArticleOut,
        dependencies=api,
        tags=["articles"],
    )
    def get_article(
        article_id: str,
        event_id: Annotated[str | None, Query(description="only this event's evidence spans")] = None,
    ) -> dict[str, Any]:
        """A stored article: its cleaned text and the evidence spans that events have in it."""
        art = store.article(article_id)
        if art is None:
            raise HTTPException(404, f"no article {article_id}")
        return {
            "id": art.id,
            "title": art.title,
            "url": art.url,
            "source": art.source,
            "published": art.published,
            "doc_date": art.doc_date,
            "text": art.text,
            "title_end": art.title_end,
            "words": art.words,
            "evidence": store.article_evidence(art.id, event_id),
        }

    stats_cache: dict[str, Any] = {}

    @app.get("/api/stats", dependencies=api, tags=["summaries"])
    def stats() -> dict[str, Any]:
        """Totals and event counts by type, sub-event type, country, month and review status."""
        stamp = store.data_stamp()  # the full counts take ~1 s on 100k events: redo them only after writes
        if stats_cache.get("stamp") != stamp:
            stats_cache.update(stamp=stamp, stats=store.stats())
        return stats_cache["stats"]

    @app.get("/api/timeline", response_model=schemas.Timeline, dependencies=api, tags=["summaries"])
    def timeline(filters: Filters) -> dict[str, Any]:
        """Event counts over time for the filters (bins of a day, week, month or year: at most ~120)."""
        days, undated = store.day_counts(**filters)
        bucket, bins = aggregate.timeline(days)
        return {"bucket": bucket, "bins": bins, "undated": undated}

    @app.get("/api/map", response_model=schemas.MapClusters, dependencies=api, tags=["summaries"])
    def map_clusters(filters: Filters, zoom: Annotated[int, Query(ge=0, le=22)] = 2) -> dict[str, Any]:
        """Clusters of the matching events for a map at this zoom level (give ``bbox`` for the view)."""
        cell = aggregate.cell_degrees(zoom)
        found = aggregate.clusters(store.map_cells(cell, **filters), cell)
        singles = [c["event_id"] for c in found if c["event_id"] is not None]
        points = {
            e.event_id: {
                "event_id": e.event_id,
                "sub_event_type": e.sub_event_type,
                "location": e.location,
                "event_date": e.event_date,
            }
            for e in (store.events(event_id=singles) if singles else [])
        }
        for c in found:
            c["event"] = points.get(c.pop("event_id"))
        return {"zoom": zoom, "cell_deg": cell, "total": sum(c["count"] for c in found), "clusters": found}

    @app.get("/api/reference-places", dependencies=api, tags=["summaries"])
    def places_for_the_map() -> list[dict[str, Any]]:
        """Capitals and cities of 1M+ people (GeoNames, CC BY 4.0): labels for a map without tiles."""
        return reference_places()

    # ------------------------------------------------------------------ writes

    @app.post(
        "/api/articles",
        response_model=schemas.IngestOut,
        status_code=201,
        tags=["articles"],
        dependencies=api,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": schemas.ArticleIn.model_json_schema()},
                    "text/plain": {
                        "schema": {"type": "string"},
                        "description": "the first meaningful line is the title (as for .txt inputs); "
                        "query parameters id, title, published, url, source",
                    },
                },
            }
        },
    )
    async def post_article(request: Request, who: Writer) -> JSONResponse:
        """Add a report: it is cleaned, its events extracted and merged with stored events as by
        `eventwire extract`. Sending the same report again changes nothing (200, added: false)."""
        body = await request.body()
        kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        notes: list[str] = []
        if kind == "application/json":
            article, notes = _article_from_json(body)
        elif kind in ("text/plain", ""):
            article = _article_from_text(body, request)
        else:
            raise HTTPException(415, "send application/json or text/plain")
        if not article.id:
            article.id = "api-" + hashlib.sha256(article.raw_hash.encode()).hexdigest()[:12]
        result = await run_in_threadpool(ingestor.ingest, article, who=who)
        out = {
            "article_id": result.article_id,
            "added": result.added,
            "events": [event_out(e) for e in result.events],
            "merged": result.merged,
            "notes": [*notes, *result.notes],
        }
        content = schemas.IngestOut.model_validate(out).model_dump(mode="json")
        return JSONResponse(content, status_code=201 if result.added else 200)

    @app.patch("/api/events/{event_id}", response_model=schemas.EventOut, dependencies=api, tags=["review"])
    def review_event(event_id: str, body: schemas.ReviewIn, who: Writer) -> dict[str, Any]:
        """Review an event: confirm it, correct fields (edit), or reject it. Audited."""
        change: Callable[[Event], Event] = lambda e: apply_review(e, body.action, body.fields)  # noqa: E731
        return event_out(
            store.update_event(event_id, change, who=who, action=body.action), with_evidence=True
        )

    @app.post("/api/events/merge", response_model=schemas.EventOut, dependencies=api, tags=["review"])
    def merge_events(body: schemas.MergeIn, who: Writer) -> dict[str, Any]:
        """Merge events that report the same event; the others' ids resolve to the survivor. Audited."""
        return event_out(store.merge_events(body.event_ids, into=body.into, who=who), with_evidence=True)

    @app.post(
        "/api/events/{event_id}/split", response_model=schemas.SplitOut, dependencies=api, tags=["review"]
    )
    def split_event(event_id: str, body: schemas.SplitIn, who: Writer) -> dict[str, Any]:
        """Split the reports of some articles off into an event of their own. Audited."""
        kept, part = store.split_event(event_id, body.article_ids, who=who)
        return {
            "event": event_out(kept, with_evidence=True),
            "split_off": event_out(part, with_evidence=True),
        }

    # ------------------------------------------------------------------ the page

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(page)

    app.mount("/assets", StaticFiles(directory=str(STATIC)), name="assets")
    app.mount("/vendor/leaflet", StaticFiles(directory=xstatic_leaflet.BASE_DIR), name="leaflet")
    app.add_middleware(_Guard, config=config, csp=_csp(config))
    return app


def _page(config: WebConfig) -> str:
    """index.html with the page's settings in a meta tag (no inline script, so the CSP can forbid them)."""
    settings = {
        "tiles": config.tiles,
        "tilesAttribution": config.tiles_attribution,
        "openReads": config.open_reads,
        "maxUpload": config.max_upload,
        "version": __version__,
        "subEventTypes": {name: sub.event_type for name, sub in taxonomy().items()},
    }
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    return template.replace("{{settings}}", html.escape(json.dumps(settings), quote=True))
