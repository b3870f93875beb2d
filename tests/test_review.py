"""Review rules (eventwire.review) and the page's server-side summaries (eventwire.web.aggregate)."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.model import Event
from eventwire.review import ReviewError, apply_review
from eventwire.web import aggregate


def an_event(**fields) -> Event:
    values = {
        "event_id": "ev",
        "event_date": date(2024, 3, 4),
        "date_start": date(2024, 3, 4),
        "date_end": date(2024, 3, 4),
        "time_precision": 1,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "fatalities": 5,
        "fatalities_low": 5,
        "fatalities_high": 5,
        "cameo": "195",
        "flags": ["new_evidence"],
        **fields,
    }
    return Event(**values)


def test_actions_set_the_review_status() -> None:
    assert apply_review(an_event(), "confirm").review_status == "confirmed"
    assert apply_review(an_event(), "reject").review_status == "rejected"
    assert apply_review(an_event(), "confirm", {"notes": "checked"}).review_status == "edited"
    assert apply_review(an_event(), "confirm").flags == []  # the reviewer has seen the new evidence
    with pytest.raises(ReviewError, match="unknown action"):
        apply_review(an_event(), "approve")


def test_edits_are_checked_and_keep_the_record_consistent() -> None:
    edited = apply_review(an_event(), "edit", {"event_date": "2024-03-10", "fatalities": 7})
    assert (edited.event_date, edited.date_start, edited.date_end) == (date(2024, 3, 10),) * 3
    assert (edited.fatalities_low, edited.fatalities, edited.fatalities_high) == (5, 7, 7)
    moved = apply_review(an_event(), "edit", {"sub_event_type": "Armed clash"})
    assert moved.event_type == "Battles" and moved.cameo != "195"
    unknown = apply_review(an_event(), "edit", {"event_date": None})
    assert unknown.date_start is None and unknown.date_end is None
    for bad in (
        {"event_id": "other"},
        {"evidence": []},
        {"fatalities": -1},
        {"fatalities": "5"},
        {"latitude": 91},
        {"time_precision": 4},
        {"sub_event_type": "Picnic"},
        {"event_type": "Protests"},
        {"event_date": "yesterday"},
        {"date_start": "2024-03-05"},
        {"assoc_actor_1": "not a list"},
        {"civilian_targeting": "yes"},
    ):
        with pytest.raises(ReviewError):
            apply_review(an_event(), "edit", bad)


def test_timeline_bins_are_contiguous_and_coarsen_with_the_span() -> None:
    bucket, bins = aggregate.timeline([(date(2024, 3, 1), 2), (date(2024, 3, 4), 1)])
    assert bucket == "day" and [b["count"] for b in bins] == [2, 0, 0, 1]
    bucket, bins = aggregate.timeline([(date(2020, 1, 15), 3), (date(2023, 6, 2), 4), (date(2023, 6, 30), 1)])
    assert bucket == "month" and bins[0]["start"] == date(2020, 1, 1) and bins[-1]["end"] == date(2023, 6, 30)
    assert sum(b["count"] for b in bins) == 8 and bins[-1]["count"] == 5
    assert len(bins) == 42
    assert aggregate.timeline([]) == ("day", [])
    assert aggregate.choose_bucket(date(2000, 1, 1), date(2024, 1, 1)) == "year"
    assert aggregate.choose_bucket(date(2024, 1, 1), date(2024, 9, 1)) == "week"


def test_clusters_join_rows_of_a_cell_and_close_neighbours() -> None:
    def row(gx, gy, event_type, count, lat, lon, event_id="e"):
        bounds = {"south": lat, "north": lat, "west": lon, "east": lon}
        return {"gx": gx, "gy": gy, "event_type": event_type, "count": count, "fatalities": count, "lat": lat,
                "lon": lon, "event_id": event_id, **bounds}  # fmt: skip

    cells = [
        row(0, 0, "Battles", 3, 0.9, 0.9),
        row(0, 0, "Protests", 1, 0.9, 0.9),
        row(1, 0, "Battles", 1, 1.1, 1.1, "near"),  # 0.28 cells away from the big one: joins it
        row(5, 5, "Riots", 1, 5.5, 5.5, "alone"),
    ]
    found = aggregate.clusters(cells, 1.0)
    assert [(c["count"], c["event_type"], c["event_id"]) for c in found] == [
        (5, "Battles", None),
        (1, "Riots", "alone"),
    ]
    assert found[0]["types"] == {"Battles": 4, "Protests": 1}
    assert found[0]["bounds"] == (0.9, 0.9, 1.1, 1.1)
    assert aggregate.cell_degrees(0) == 90.0 and aggregate.cell_degrees(2) == 22.5
