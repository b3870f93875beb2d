"""The REST API on SQLite and PostgreSQL, through FastAPI's TestClient: reports go in by POST /api/articles
(the real pipeline and dedup), then every read, the review writes, tokens, the audit trail and the
security rules (401/403, size limit, host check, no file-system paths, escaping headers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventwire.store import Store, open_store
from eventwire.web import WebConfig, create_app

ENV_TOKEN = "env-secret-for-tests"

REPORTS = [
    {
        "id": "alpha-1",
        "title": "Airstrike kills five in Idlib",
        "text": "An airstrike on a market in Idlib killed five civilians on Monday, "
        "the Syrian Observatory for Human Rights said.",
        "published": "2024-03-05",
        "source": "Alpha Wire",
    },
    {
        "id": "gamma-1",
        "title": "Protesters rally in Baghdad",
        "text": "Thousands of protesters gathered in Tahrir Square in Baghdad on Friday to demand jobs and "
        "better services, witnesses said.",
        "published": "2024-02-10",
        "source": "Gamma Post",
    },
    {
        "id": "delta-1",
        "title": "Shelling hits Aleppo <b>suburb</b>",
        "text": "Artillery shells struck the <b>Sheikh Maqsoud</b> district of Aleppo on Wednesday, "
        "killing two people, a local monitor said. <script>alert('x')</script> Residents fled north.",
        "published": "2024-03-14",
        "source": "Delta Daily",
    },
]
SAME_STRIKE = {  # another outlet's report of the Idlib strike: dedup merges it
    "id": "beta-1",
    "title": "Market hit in Idlib air raid",
    "text": "Warplanes struck a crowded market in Idlib on Monday, killing at least six people, "
    "rescuers said.",
    "published": "2024-03-05",
    "source": "Beta News",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    url = str(tmp_path / "web.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with open_store(url) as opened:
        yield opened


def make_client(store: Store, **config) -> TestClient:
    settings = {"env_token": ENV_TOKEN, "allowed_hosts": ("testserver",), **config}
    return TestClient(create_app(store, WebConfig(**settings)))


@pytest.fixture
def client(store: Store) -> TestClient:
    return make_client(store)


def auth(token: str = ENV_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def loaded(client: TestClient) -> dict[str, dict]:
    """The three reports posted; their responses by article id."""
    out = {}
    for report in REPORTS:
        response = client.post("/api/articles", json=report, headers=auth())
        assert response.status_code == 201, response.text
        out[report["id"]] = response.json()
    return out


def event_of(loaded: dict[str, dict], article_id: str) -> dict:
    return loaded[article_id]["events"][0]


# --------------------------------------------------------------------------- ingest


def test_post_article_extracts_stores_and_merges_like_the_cli(
    client: TestClient, store: Store, loaded
) -> None:
    strike = event_of(loaded, "alpha-1")
    assert strike["sub_event_type"] == "Air/drone strike" and strike["location"] == "Idlib"
    assert strike["fatalities"] == 5 and strike["article_ids"] == ["alpha-1"]
    again = client.post("/api/articles", json=REPORTS[0], headers=auth())
    assert again.status_code == 200 and again.json()["added"] is False
    assert again.json()["article_id"] == "alpha-1"
    second = client.post("/api/articles", json=SAME_STRIKE, headers=auth())
    assert second.status_code == 201, second.text
    body = second.json()
    assert body["merged"] == 1
    (merged,) = body["events"]
    assert merged["event_id"] == strike["event_id"]  # ids stay stable across merges
    assert merged["article_ids"] == ["alpha-1", "beta-1"]
    assert merged["sources"] == ["Alpha Wire", "Beta News"]
    assert merged["fatalities"] == 5 and merged["conflicts"]["fatalities"] == [5, 6]
    actions = [(a["who"], a["action"]) for a in store.audit_entries()]
    assert ("EVENTWIRE_TOKEN", "add_article") in actions and ("EVENTWIRE_TOKEN", "ingest") in actions
    run = store.get_run(store.stats()["runs"])
    assert run["command"] == "api" and run["articles_new"] == 1


def test_post_article_as_text_with_query_parameters(client: TestClient) -> None:
    text = "Airstrike kills five in Idlib\n\n" + REPORTS[0]["text"]
    response = client.post(
        "/api/articles",
        content=text.encode(),
        params={"published": "2024-03-05", "source": "Plain Wire", "id": "plain-1"},
        headers={**auth(), "Content-Type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["article_id"] == "plain-1"
    article = client.get("/api/articles/plain-1").json()
    assert article["title"] == "Airstrike kills five in Idlib" and article["source"] == "Plain Wire"
    assert body["events"][0]["event_date"] == "2024-03-04"  # "Monday" resolved from the publication date


def test_post_article_rejects_bad_bodies(client: TestClient) -> None:
    bad = [
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422),
        ({"json": [REPORTS[0]]}, 422),
        ({"json": {"title": "no text"}}, 422),
        ({"json": {**REPORTS[0], "published": "someday"}}, 422),
        ({"content": b"\xff\xfe", "headers": {"Content-Type": "text/plain"}}, 422),
        ({"content": b"<p>x</p>", "headers": {"Content-Type": "text/html"}}, 415),
    ]
    for kwargs, status in bad:
        headers = {**auth(), **kwargs.pop("headers", {})}
        assert client.post("/api/articles", headers=headers, **kwargs).status_code == status, kwargs


def test_an_id_with_other_content_is_kept_apart(client: TestClient, loaded) -> None:
    changed = {**REPORTS[1], "text": REPORTS[1]["text"] + " Police watched."}
    body = client.post("/api/articles", json=changed, headers=auth()).json()
    assert body["added"] is True and body["article_id"].startswith("gamma-1@")
    assert "already holds other content" in body["notes"][0]


# --------------------------------------------------------------------------- reads


def test_list_filters_pagination_and_sort(client: TestClient, loaded) -> None:
    page = client.get("/api/events").json()
    assert page["total"] == 3 and page["limit"] == 50 and page["offset"] == 0
    dates = [e["event_date"] for e in page["events"]]
    assert dates == sorted(dates, reverse=True)  # newest first by default
    assert all(e["evidence"] is None and e["evidence_count"] >= 1 for e in page["events"])
    assert (
        client.get("/api/events", params={"sort": "event_date"}).json()["events"][0]["location"] == "Baghdad"
    )
    assert client.get("/api/events", params={"sort": "-fatalities"}).json()["events"][0]["fatalities"] == 5
    one = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert (
        one["total"] == 3
        and len(one["events"]) == 1
        and one["events"][0]["event_id"] == page["events"][1]["event_id"]
    )

    def ids(**params) -> set[str]:
        return {e["event_id"] for e in client.get("/api/events", params=params).json()["events"]}

    strike, protest = event_of(loaded, "alpha-1")["event_id"], event_of(loaded, "gamma-1")["event_id"]
    assert ids(country="IRQ") == {protest} == ids(country="iraq")
    assert ids(date_from="2024-03-01", date_to="2024-03-05") == {strike}
    assert ids(sub_event_type="Peaceful protest") == {protest}
    assert len(ids(sub_event_type=["Peaceful protest", "Air/drone strike"])) == 2
    assert ids(admin1="Idleb") == {strike}
    assert ids(actor="civilians (syria)") == {strike}
    assert ids(text="tahrir") == {protest}
    assert ids(text="50%_\\") == set()  # LIKE wildcards are matched literally
    assert ids(review_status="machine") == ids() and ids(review_status="confirmed") == set()
    assert ids(bbox="36.4,35.7,36.9,36.1") == {strike}  # Idlib, not Aleppo
    assert ids(country="") == ids()  # empty filter values are ignored
    for params in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"sort": "location"}, {"date_from": "x"},
                   {"bbox": "1,2,3"}, {"bbox": "0,95,1,96"}):  # fmt: skip
        assert client.get("/api/events", params=params).status_code == 422, params


def test_event_details_with_evidence_articles_and_history(client: TestClient, loaded) -> None:
    strike = event_of(loaded, "alpha-1")
    detail = client.get(f"/api/events/{strike['event_id']}").json()
    assert detail["articles"] == [
        {"id": "alpha-1", "title": "Airstrike kills five in Idlib", "source": "Alpha Wire", "url": None,
         "published": "2024-03-05"}
    ]  # fmt: skip
    assert detail["evidence"] and all(e["article_id"] == "alpha-1" for e in detail["evidence"])
    assert detail["evidence"][0]["fields"]
    assert [h["action"] for h in detail["history"]] == ["ingest"]
    assert detail["merged_from"] == []
    assert client.get("/api/events/nope").status_code == 404


def test_article_text_with_the_evidence_spans(client: TestClient, loaded) -> None:
    strike = event_of(loaded, "alpha-1")
    article = client.get("/api/articles/alpha-1").json()
    assert article["text"].startswith("Airstrike kills five in Idlib")
    assert article["title_end"] == len("Airstrike kills five in Idlib")
    for span in article["evidence"]:
        assert article["text"][span["start"] : span["end"]] == span["text"]
        assert span["event_id"] == strike["event_id"]
    only = client.get("/api/articles/alpha-1", params={"event_id": "other"}).json()
    assert only["evidence"] == []
    assert client.get("/api/articles/missing").status_code == 404


def test_summaries_geojson_timeline_and_map(client: TestClient, loaded) -> None:
    stats = client.get("/api/stats").json()
    assert stats["events"] == 3 and stats["articles"] == 3 and stats["by_country"] == {"Syria": 2, "Iraq": 1}
    geo = client.get("/api/events.geojson", params={"country": "SYR"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert len(features) == 2
    idlib = next(f for f in features if f["properties"]["location"] == "Idlib")
    assert idlib["geometry"]["coordinates"] == [
        idlib["properties"]["longitude"],
        idlib["properties"]["latitude"],
    ]
    timeline = client.get("/api/timeline").json()
    assert timeline["bucket"] == "day" and sum(b["count"] for b in timeline["bins"]) == 3
    assert timeline["bins"][0]["start"] == "2024-02-09" and timeline["undated"] == 0
    world = client.get("/api/map", params={"zoom": 2}).json()
    assert world["total"] == 3 and world["cell_deg"] == 22.5
    assert sum(c["count"] for c in world["clusters"]) == 3
    close = client.get("/api/map", params={"zoom": 9, "bbox": "30,30,45,40"}).json()
    singles = [c for c in close["clusters"] if c["count"] == 1]
    assert singles and all(c["event"]["event_id"] for c in singles)
    assert {c["event"]["location"] for c in singles} >= {"Idlib", "Baghdad"}
    places = client.get("/api/reference-places").json()
    assert any(p["name"] == "Damascus" and p["capital"] for p in places)


# --------------------------------------------------------------------------- review writes


def test_writes_need_a_token(client: TestClient, store: Store, loaded) -> None:
    event_id = event_of(loaded, "alpha-1")["event_id"]
    writes = [
        ("patch", f"/api/events/{event_id}", {"action": "confirm"}),
        ("post", "/api/events/merge", {"event_ids": [event_id, event_of(loaded, "delta-1")["event_id"]]}),
        ("post", f"/api/events/{event_id}/split", {"article_ids": ["alpha-1"]}),
        ("post", "/api/articles", SAME_STRIKE),
    ]
    before = len(store.audit_entries())
    for method, path, body in writes:
        missing = client.request(method, path, json=body)
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer", path
        wrong = client.request(method, path, json=body, headers=auth("not-a-token"))
        assert wrong.status_code == 403, path
        basic = client.request(method, path, json=body, headers={"Authorization": "Basic eDp5"})
        assert basic.status_code == 401, path
    assert len(store.audit_entries()) == before
    assert client.get(f"/api/events/{event_id}").json()["review_status"] == "machine"


def test_review_with_a_stored_token_is_audited_with_its_name(
    client: TestClient, store: Store, loaded
) -> None:
    token = store.create_token("alice")
    event_id = event_of(loaded, "alpha-1")["event_id"]
    confirmed = client.patch(f"/api/events/{event_id}", json={"action": "confirm"}, headers=auth(token))
    assert confirmed.status_code == 200 and confirmed.json()["review_status"] == "confirmed"
    edited = client.patch(
        f"/api/events/{event_id}",
        json={"action": "edit", "fields": {"fatalities": 6, "notes": "<b>checked</b> with a second source"}},
        headers=auth(token),
    ).json()
    assert edited["review_status"] == "edited" and edited["fatalities"] == 6
    assert edited["notes"] == "<b>checked</b> with a second source"  # stored as text; the page escapes it
    trail = store.audit_entries(event_id)
    assert [(a["who"], a["action"]) for a in trail[-2:]] == [("alice", "confirm"), ("alice", "edit")]
    assert trail[-1]["before"]["fatalities"] == 5 and trail[-1]["after"]["fatalities"] == 6
    history = client.get(f"/api/events/{event_id}").json()["history"]
    assert [h["who"] for h in history] == ["EVENTWIRE_TOKEN", "alice", "alice"]
    rejected = client.patch(f"/api/events/{event_id}", json={"action": "reject"}, headers=auth(token)).json()
    assert rejected["review_status"] == "rejected"
    assert event_id in {
        e["event_id"]
        for e in client.get("/api/events", params={"review_status": "rejected"}).json()["events"]
    }
    store.revoke_tokens("alice")
    assert (
        client.patch(f"/api/events/{event_id}", json={"action": "confirm"}, headers=auth(token)).status_code
        == 403
    )


def test_bad_reviews_are_refused_without_writing(client: TestClient, store: Store, loaded) -> None:
    event_id = event_of(loaded, "alpha-1")["event_id"]
    before = len(store.audit_entries())
    cases = [
        ({"action": "approve"}, 422),
        ({"action": "edit", "fields": {"event_id": "x"}}, 422),
        ({"action": "edit", "fields": {"fatalities": -3}}, 422),
        ({"action": "edit", "fields": {"sub_event_type": "Picnic"}}, 422),
        ({"action": "confirm", "extra": 1}, 422),
    ]
    for body, status in cases:
        response = client.patch(f"/api/events/{event_id}", json=body, headers=auth())
        assert response.status_code == status, (body, response.text)
    assert client.patch("/api/events/missing", json={"action": "confirm"}, headers=auth()).status_code == 404
    assert len(store.audit_entries()) == before


def test_merge_and_split_through_the_api(client: TestClient, store: Store, loaded) -> None:
    strike, shelling = event_of(loaded, "alpha-1")["event_id"], event_of(loaded, "delta-1")["event_id"]
    merged = client.post("/api/events/merge", json={"event_ids": [strike, shelling]}, headers=auth())
    assert merged.status_code == 200, merged.text
    assert merged.json()["article_ids"] == ["alpha-1", "delta-1"]
    assert client.get(f"/api/events/{shelling}").json()["event_id"] == strike
    assert client.get(f"/api/events/{strike}").json()["merged_from"] == [shelling]
    assert client.get("/api/events").json()["total"] == 2
    again = client.post("/api/events/merge", json={"event_ids": [strike, shelling]}, headers=auth())
    assert again.status_code == 409
    assert client.post("/api/events/merge", json={"event_ids": [strike]}, headers=auth()).status_code == 422
    split = client.post(f"/api/events/{strike}/split", json={"article_ids": ["delta-1"]}, headers=auth())
    assert split.status_code == 200, split.text
    assert split.json()["split_off"]["event_id"] == shelling
    assert split.json()["event"]["article_ids"] == ["alpha-1"]
    assert client.get("/api/events").json()["total"] == 3
    bad = client.post(f"/api/events/{strike}/split", json={"article_ids": ["gamma-1"]}, headers=auth())
    assert bad.status_code == 409
    assert {a["action"] for a in store.audit_entries(shelling)} >= {"merge", "split"}


# --------------------------------------------------------------------------- security


def test_reads_need_a_token_when_not_open(store: Store, loaded) -> None:
    closed = make_client(store, open_reads=False)
    assert closed.get("/api/events").status_code == 401
    assert closed.get("/api/events", headers=auth("wrong")).status_code == 403
    assert closed.get("/api/events", headers=auth()).json()["total"] == 3
    assert closed.get("/").status_code == 200  # the page itself asks for the token


def test_request_bodies_are_size_limited(store: Store) -> None:
    small = make_client(store, max_upload=2000)
    big = {**REPORTS[0], "text": "Shelling hit the town. " * 200}
    response = small.post("/api/articles", json=big, headers=auth())
    assert response.status_code == 413
    chunks = (b"x" * 500 for _ in range(10))  # no Content-Length: counted while streaming
    streamed = small.post("/api/articles", content=chunks, headers={**auth(), "Content-Type": "text/plain"})
    assert streamed.status_code == 413
    assert small.get("/api/stats").json()["articles"] == 0


def test_unknown_hosts_are_refused(store: Store) -> None:
    client = make_client(store, allowed_hosts=("127.0.0.1", "localhost"))
    assert client.get("/api/stats", headers={"Host": "evil.example"}).status_code == 421
    assert client.get("/api/stats", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/stats", headers={"Host": "localhost"}).status_code == 200


def test_no_file_system_path_is_reachable(client: TestClient) -> None:
    for path in (
        "/assets/../../../../etc/passwd",
        "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/leaflet/../../../../../etc/passwd",
        "/vendor/leaflet/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/api/articles/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/articles/../../etc/passwd",
        "/etc/passwd",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "root:" not in response.text


def test_page_assets_docs_and_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert 'name="eventwire-settings"' in page.text and "&quot;subEventTypes&quot;" in page.text
    assert "<script>" not in page.text.replace('<script src="', "")  # no inline script
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    for asset in (
        "/assets/app.js",
        "/assets/app.css",
        "/vendor/leaflet/leaflet.js",
        "/vendor/leaflet/leaflet.css",
    ):
        assert client.get(asset).status_code == 200, asset
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/vendor/docs/swagger-ui-bundle.js" in docs.text
    assert "cdn.jsdelivr" not in docs.text
    assert client.get("/vendor/docs/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/api/openapi.json").json()
    documented = {
        "/api/events",
        "/api/events/{event_id}",
        "/api/events.geojson",
        "/api/articles/{article_id}",
        "/api/stats",
        "/api/articles",
        "/api/events/merge",
        "/api/events/{event_id}/split",
    }
    assert documented <= set(spec["paths"])
    assert set(spec["paths"]["/api/articles"]["post"]["requestBody"]["content"]) == {
        "application/json",
        "text/plain",
    }


def test_tiles_are_allowed_by_the_csp_only_when_configured(store: Store) -> None:
    plain = make_client(store).get("/").headers["content-security-policy"]
    assert "img-src 'self' data:;" in plain
    tiled = make_client(store, tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png").get("/")
    assert "https://*.tile.example.org" in tiled.headers["content-security-policy"]
