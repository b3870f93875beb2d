"""The store's review operations on SQLite and PostgreSQL: a person's change under a row lock, merging and
splitting events, API tokens, and the read helpers behind the web page (evidence per article, day counts,
map cells). Events are built by hand here; the pipeline is exercised by the web API tests."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from eventwire.model import Article, Document, Event, Evidence
from eventwire.review import apply_review
from eventwire.store import Store, StoreError, open_store
from eventwire.store.errors import EventNotFound, ReviewConflict

STRIKE = (
    "Jets strike Raqqa\n\nCoalition jets struck a checkpoint near Raqqa on Tuesday, killing four fighters."
)
CLASH = "Fighting in Raqqa\n\nFighters clashed with coalition-backed forces near Raqqa on Tuesday; six died."


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    url = str(tmp_path / "review.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with open_store(url) as opened:
        yield opened


def add_doc(store: Store, article_id: str, text: str, source: str) -> Document:
    title, _, body = text.partition("\n\n")
    article = Article(id=article_id, text=body, title=title, source=source, published=date(2017, 5, 4))
    doc = Document(article=article, text=text, title_end=len(title), doc_date=date(2017, 5, 4), words=15)
    assert store.add_article(doc)
    return doc


def event_for(event_id: str, doc: Document, phrase: str, **fields) -> Event:
    start = doc.text.index(phrase)
    values = {
        "event_date": date(2017, 5, 2),
        "date_start": date(2017, 5, 2),
        "date_end": date(2017, 5, 2),
        "time_precision": 1,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "country": "Syria",
        "iso3": "SYR",
        "admin1": "Ar-Raqqa",
        "location": "Raqqa",
        "latitude": 35.95,
        "longitude": 39.01,
        "geo_precision": 2,
        "fatalities": 4,
        "fatalities_low": 4,
        "fatalities_high": 4,
        "article_ids": [doc.article.id],
        "sources": [doc.article.source],
        "evidence": [Evidence(doc.article.id, start, start + len(phrase), phrase, ["fatalities"])],
        **fields,
    }
    return Event(event_id=event_id, **values)


@pytest.fixture
def two_reports(store: Store) -> tuple[Document, Document]:
    strike = add_doc(store, "strike", STRIKE, "Alpha Wire")
    clash = add_doc(store, "clash", CLASH, "Beta News")
    store.save_events(
        [
            event_for("ev-strike", strike, "killing four fighters"),
            event_for("ev-clash", clash, "six died", fatalities=6, fatalities_low=6, fatalities_high=6),
        ]
    )
    return strike, clash


# --------------------------------------------------------------------------- a person's change


def test_update_event_applies_a_review_and_audits_before_and_after(store: Store, two_reports) -> None:
    confirmed = store.update_event(
        "ev-strike", lambda e: apply_review(e, "confirm"), who="alice", action="confirm"
    )
    assert confirmed.review_status == "confirmed"
    assert store.get_event("ev-strike").review_status == "confirmed"
    (entry,) = store.audit_entries("ev-strike")
    assert (entry["who"], entry["action"]) == ("alice", "confirm")
    assert entry["before"]["review_status"] == "machine"
    assert entry["after"]["review_status"] == "confirmed"
    assert entry["after"]["evidence"][0]["fields"] == ["fatalities"]


def test_update_event_refuses_unknown_merged_and_id_changing_edits(store: Store, two_reports) -> None:
    with pytest.raises(EventNotFound):
        store.update_event("nope", lambda e: e, who="alice", action="confirm")

    def rename(event: Event) -> Event:
        event.event_id = "other"
        return event

    with pytest.raises(ReviewConflict, match="id"):
        store.update_event("ev-strike", rename, who="alice", action="edit")
    store.merge_events(["ev-strike", "ev-clash"], who="alice")
    with pytest.raises(ReviewConflict, match="merged into ev-strike"):
        store.update_event("ev-clash", lambda e: e, who="alice", action="confirm")
    assert store.audit_entries("nope") == []


def test_a_failed_change_writes_nothing(store: Store, two_reports) -> None:
    def broken(event: Event) -> Event:
        event.fatalities = 99
        raise ValueError("reviewer typo")

    with pytest.raises(ValueError):
        store.update_event("ev-strike", broken, who="alice", action="edit")
    assert store.get_event("ev-strike").fatalities == 4
    assert store.audit_entries("ev-strike") == []


# --------------------------------------------------------------------------- merge and split


def test_merge_folds_events_into_the_first_and_old_ids_resolve(store: Store, two_reports) -> None:
    merged = store.merge_events(["ev-strike", "ev-clash"], who="bob")
    assert merged.event_id == "ev-strike"
    assert merged.review_status == "edited"
    assert merged.article_ids == ["strike", "clash"]
    assert merged.sources == ["Alpha Wire", "Beta News"]
    assert {e.article_id for e in merged.evidence} == {"strike", "clash"}
    assert merged.fatalities == 4  # ACLED: the most conservative report
    assert merged.conflicts["fatalities"] == [4, 6]
    assert [e.event_id for e in store.events()] == ["ev-strike"]
    assert store.get_event("ev-clash").event_id == "ev-strike"
    assert store.merged_into("ev-strike") == ["ev-clash"]
    assert [e.event_id for e in store.events(article_id="clash")] == ["ev-strike"]
    gone = store.audit_entries("ev-clash")
    assert gone[-1]["action"] == "merge" and gone[-1]["after"]["merged_into"] == "ev-strike"
    assert gone[-1]["after"]["review_status"] == "merged"
    assert store.audit_entries("ev-strike")[-1]["before"]["article_ids"] == ["strike"]


def test_merge_into_a_chosen_event_and_bad_merges(store: Store, two_reports) -> None:
    with pytest.raises(ReviewConflict, match="at least two"):
        store.merge_events(["ev-strike", "ev-strike"], who="bob")
    with pytest.raises(ReviewConflict, match="not one of"):
        store.merge_events(["ev-strike", "ev-clash"], into="ev-x", who="bob")
    with pytest.raises(EventNotFound):
        store.merge_events(["ev-strike", "ev-missing"], who="bob")
    assert store.get_event("ev-strike").review_status == "machine"  # nothing half-done
    merged = store.merge_events(["ev-strike", "ev-clash"], into="ev-clash", who="bob")
    assert merged.event_id == "ev-clash"
    assert merged.fatalities == 4


def test_split_undoes_a_merge_with_the_revived_events_own_fields(store: Store, two_reports) -> None:
    store.merge_events(["ev-strike", "ev-clash"], who="bob")
    kept, part = store.split_event("ev-strike", ["clash"], who="carol")
    assert part.event_id == "ev-clash"
    assert part.fatalities == 6
    assert part.article_ids == ["clash"] and part.sources == ["Beta News"]
    assert {e.article_id for e in part.evidence} == {"clash"}
    assert kept.article_ids == ["strike"] and kept.sources == ["Alpha Wire"]
    assert {e.article_id for e in kept.evidence} == {"strike"}
    assert "split" in kept.flags and "split" in part.flags
    assert kept.review_status == part.review_status == "edited"
    assert sorted(e.event_id for e in store.events()) == ["ev-clash", "ev-strike"]
    assert store.get_event("ev-clash").event_id == "ev-clash"
    assert store.merged_into("ev-strike") == []
    trail = store.audit_entries("ev-clash")
    assert trail[-1]["action"] == "split" and trail[-1]["after"]["split_from"] == "ev-strike"


def test_split_without_a_merged_event_makes_a_new_one(store: Store, two_reports) -> None:
    strike, clash = two_reports
    both = event_for("ev-both", strike, "killing four fighters")
    both.article_ids = ["strike", "clash"]
    both.sources = ["Alpha Wire", "Beta News"]
    start = clash.text.index("six died")
    both.evidence.append(Evidence("clash", start, start + 8, "six died", []))
    store.save_events([both])
    _kept, part = store.split_event("ev-both", ["clash"], who="carol")
    assert part.event_id not in ("ev-both", "ev-clash") and len(part.event_id) == 16
    assert store.get_event(part.event_id).article_ids == ["clash"]
    assert store.get_event("ev-both").article_ids == ["strike"]
    assert [e.event_id for e in store.events(article_id="clash") if e.event_id == part.event_id]
    (created,) = [a for a in store.audit_entries(part.event_id) if a["action"] == "split"]
    assert created["before"] is None
    with pytest.raises(ReviewConflict):
        store.split_event("ev-both", ["strike"], who="carol")  # would leave the event without articles


def test_bad_splits(store: Store, two_reports) -> None:
    with pytest.raises(ReviewConflict, match="at least one"):
        store.split_event("ev-strike", [], who="carol")
    with pytest.raises(ReviewConflict, match="not one of"):
        store.split_event("ev-strike", ["clash"], who="carol")
    with pytest.raises(ReviewConflict, match="leave at least one"):
        store.split_event("ev-strike", ["strike"], who="carol")
    with pytest.raises(EventNotFound):
        store.split_event("missing", ["strike"], who="carol")


# --------------------------------------------------------------------------- tokens


def test_tokens_are_stored_hashed_and_can_be_revoked(store: Store) -> None:
    token = store.create_token("alice")
    assert token.startswith("ew_") and len(token) > 40
    assert store.token_owner(token) == "alice"
    assert store.token_owner(token + "x") is None
    (row,) = store.tokens()
    assert row["name"] == "alice" and row["revoked_at"] is None and "token_hash" not in row
    assert token not in repr(store.tokens())
    second = store.create_token("alice")
    assert second != token
    assert store.revoke_tokens("alice") == 2
    assert store.token_owner(token) is None and store.token_owner(second) is None
    assert store.revoke_tokens("alice") == 0
    with pytest.raises(StoreError, match="name"):
        store.create_token("  ")


# --------------------------------------------------------------------------- reads for the page


def test_ingest_writes_are_audited_when_a_writer_is_named(store: Store) -> None:
    strike = add_doc(store, "strike", STRIKE, "Alpha Wire")
    event = event_for("ev-1", strike, "killing four fighters")
    store.save_events([event], who="api-user")
    changed = copy.deepcopy(event)
    changed.fatalities = changed.fatalities_high = 5
    store.save_events([changed], who="api-user")
    store.save_events([changed], who="api-user")  # unchanged: nothing written, nothing audited
    trail = store.audit_entries("ev-1")
    assert [(a["who"], a["action"]) for a in trail] == [("api-user", "ingest"), ("api-user", "ingest")]
    assert trail[0]["before"] is None and trail[1]["before"]["fatalities"] == 4
    store.save_events([event_for("ev-2", strike, "Jets strike Raqqa")])
    assert store.audit_entries("ev-2") == []  # CLI runs are recorded as runs, not per event


def test_article_evidence_day_counts_and_map_cells(store: Store, two_reports) -> None:
    spans = store.article_evidence("strike")
    assert [(s["event_id"], s["text"]) for s in spans] == [("ev-strike", "killing four fighters")]
    assert STRIKE[spans[0]["start"] : spans[0]["end"]] == "killing four fighters"
    assert store.article_evidence("strike", event_id="ev-clash") == []
    days, undated = store.day_counts()
    assert days == [(date(2017, 5, 2), 2)] and undated == 0
    assert store.day_counts(sub_event_type="Armed clash") == ([], 0)
    cells = store.map_cells(1.0)
    assert len(cells) == 1 and cells[0]["count"] == 2 and cells[0]["fatalities"] == 10
    assert store.map_cells(1.0, bbox=(0.0, 0.0, 10.0, 10.0)) == []
    assert len(store.events(bbox=(39.0, 35.0, 40.0, 36.0))) == 2
    assert len(store.events(bbox=(170.0, 35.0, 40.0, 36.0))) == 2  # across the antimeridian
    assert [e.event_id for e in store.events(event_id=["ev-clash"])] == ["ev-clash"]


def test_text_and_actor_filters_follow_edits_merges_and_codes(store: Store, two_reports) -> None:
    assert store.count_events(text="checkpoint") == 0  # article text is not searched, evidence is
    assert [e.event_id for e in store.events(text="FOUR fighters")] == ["ev-strike"]
    store.update_event(
        "ev-strike",
        lambda e: apply_review(
            e, "edit", {"notes": "Checked: Ünal's report", "actor1": "Islamic State (Syria)"}
        ),
        who="alice",
        action="edit",
    )
    assert [e.event_id for e in store.events(text="ünal")] == ["ev-strike"]  # index follows the update
    assert [e.event_id for e in store.events(text="ün")] == ["ev-strike"]  # short: LIKE on the column
    assert [e.event_id for e in store.events(actor="islamic state")] == ["ev-strike"]
    assert [e.event_id for e in store.events(text="six died")] == ["ev-clash"]
    store.merge_events(["ev-strike", "ev-clash"], who="bob")
    assert [e.event_id for e in store.events(text="six died")] == ["ev-strike"]  # merged evidence found
    assert store.count_events(country=["syr"]) == store.count_events(country="SYRIA") == 1
