"""Scorers of eventwire.evaluate, tested on gold and predictions written here."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from eventwire.evaluate import cli as eval_cli
from eventwire.evaluate import report
from eventwire.evaluate.case import CaseSnippet, score_case, weighted_f1
from eventwire.evaluate.common import max_weight_assignment, normalise_governorate
from eventwire.evaluate.events import score_events
from eventwire.evaluate.fakes import FakesArticle, main_event, score_fakes
from eventwire.evaluate.gold import GoldFormatError, load_gold, parse_gold_document
from eventwire.evaluate.places_check import LocationEntity, Re3dDocument, score_places
from eventwire.evaluate.plover import PloverRecord, score_plover
from eventwire.evaluate.run import ExtractFailed
from eventwire.model import Place, PlaceMention

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "gold"

# A realistic strike and a capture, in one report published 2017-03-10 (our own example).
STRIKE = {
    "id": "strike",
    "required": True,
    "sub_event_types": ["Air/drone strike"],
    "date": {"start": "2017-03-08", "end": "2017-03-08"},
    "time_precision": 1,
    "place": {"lat": 35.9528, "lon": 39.0079, "tolerance_km": 25, "name": "Raqqa"},
    "geo_precision": 2,
    "actor1": ["United States|Coalition"],
    "actor2": ["Islamic State"],
    "fatalities": 12,
    "quantities": {"strikes": 4},
}
CAPTURE = {
    "id": "capture",
    "required": True,
    "sub_event_types": ["Non-state actor overtakes territory"],
    "date": {"start": "2017-03-06", "end": "2017-03-07"},
    "place": {"admin1": "Ar-Raqqa", "country": "Syria"},
    "actor1": ["Syrian Democratic Forces"],
}


def gold_doc(*events: dict[str, Any], doc_id: str = "doc1") -> Any:
    return parse_gold_document(
        {"doc_id": doc_id, "dataset": "test", "published": "2017-03-10", "events": list(events)}
    )


def pred(**fields: Any) -> dict[str, Any]:
    """A predicted event record matching STRIKE unless fields say otherwise."""
    record = {
        "event_id": "p-strike",
        "event_date": "2017-03-08",
        "date_start": "2017-03-08",
        "date_end": "2017-03-08",
        "time_precision": 1,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of the United States",
        "assoc_actor_1": ["International Coalition against ISIS"],
        "actor2": "Islamic State (Syria)",
        "assoc_actor_2": [],
        "country": "Syria",
        "admin1": "Ar Raqqah",
        "location": "Ar Raqqah",
        "latitude": 35.95,
        "longitude": 39.01,
        "geo_precision": 2,
        "fatalities": 12,
        "quantities": {"strikes": 4},
        "article_ids": ["doc1"],
        "confidence": 0.8,
    }
    record.update(fields)
    return record


def capture_pred(**fields: Any) -> dict[str, Any]:
    """A predicted event record matching CAPTURE unless fields say otherwise."""
    record = {
        "event_id": "p-capture",
        "event_date": "2017-03-07",
        "date_start": "2017-03-07",
        "date_end": "2017-03-07",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": "Syrian Democratic Forces",
        "assoc_actor_1": [],
        "admin1": "Ar-Raqqa",
        "latitude": 35.83,
        "longitude": 38.55,
        "fatalities": 0,
        "quantities": {},
    }
    record.update(fields)
    return pred(**record)


# --------------------------------------------------------------------------- events


def test_perfect_prediction_scores_one() -> None:
    scores = score_events([gold_doc(STRIKE, CAPTURE)], [pred(), capture_pred()])
    assert (scores.recall, scores.precision, scores.f1) == (1.0, 1.0, 1.0)
    assert scores.missed == [] and scores.false_positive_events == []
    assert scores.fatalities == (1, 1)
    assert scores.quantities == {"strikes": (1, 1)}
    assert scores.time_precision == (1, 1)
    assert scores.location_within_km == (1, 1)


@pytest.mark.parametrize(
    ("check", "wrong"),
    [
        ("type", {"sub_event_type": "Shelling/artillery/missile attack"}),
        ("date", {"event_date": "2017-03-02", "date_start": "2017-03-02", "date_end": "2017-03-03"}),
        ("place", {"latitude": 36.20, "longitude": 37.16}),  # Aleppo, about 170 km away
        ("actors", {"actor1": "Military Forces of Russia", "assoc_actor_1": []}),
    ],
)
def test_each_check_failing_alone_is_diagnosed(check: str, wrong: dict[str, Any]) -> None:
    scores = score_events([gold_doc(STRIKE)], [pred(**wrong)])
    assert scores.recall == 0.0
    assert [(m.gold_id, m.reason) for m in scores.missed] == [("strike", check)]
    assert scores.false_positives == 1 and scores.precision == 0.0


def test_two_failed_checks_and_no_prediction_are_told_apart() -> None:
    two_wrong = pred(sub_event_type="Armed clash", latitude=36.2, longitude=37.16)
    assert score_events([gold_doc(STRIKE)], [two_wrong]).missed[0].reason == "several"
    assert score_events([gold_doc(STRIKE)], []).missed[0].reason == "no prediction"


def test_admin1_and_country_places() -> None:
    gold = gold_doc(CAPTURE)
    assert score_events([gold], [capture_pred(admin1="Raqqa Governorate")]).recall == 1.0
    assert score_events([gold], [capture_pred(admin1="Aleppo")]).missed[0].reason == "place"
    country_level = dict(STRIKE, place={"country": "Syria"})
    assert score_events([gold_doc(country_level)], [pred(latitude=None, longitude=None)]).recall == 1.0
    assert score_events([gold_doc(country_level)], [pred(country="Iraq")]).recall == 0.0


def test_armed_clash_sides_may_be_swapped_but_captor_and_captured_may_not() -> None:
    clash = dict(STRIKE, sub_event_types=["Armed clash"], actor1=["Syrian Democratic Forces"])
    swapped = pred(
        sub_event_type="Armed clash", actor1="Islamic State (Syria)", actor2="Syrian Democratic Forces"
    )
    assert score_events([gold_doc(clash)], [swapped]).recall == 1.0
    capture = dict(CAPTURE, actor2=["Islamic State"])
    reversed_capture = capture_pred(actor1="Islamic State (Syria)", actor2="Syrian Democratic Forces")
    assert score_events([gold_doc(capture)], [reversed_capture]).missed[0].reason == "actors"


def test_optional_events_neither_reward_nor_penalise() -> None:
    optional = dict(CAPTURE, required=False)
    gold = [gold_doc(STRIKE, optional)]
    without = score_events(gold, [pred()])
    with_optional_hit = score_events(gold, [pred(), capture_pred()])
    assert without.gold_required == with_optional_hit.gold_required == 1
    for scores in (without, with_optional_hit):
        assert (scores.recall, scores.precision, scores.false_positives) == (1.0, 1.0, 0)
    assert with_optional_hit.matched_optional_only == 1
    assert with_optional_hit.missed == []  # an optional event left unmatched is no miss either
    assert without.missed == []


def test_unmatched_violent_prediction_is_a_false_positive_and_non_violent_is_not_counted() -> None:
    extra_strike = pred(
        event_id="p-2", event_date="2017-03-01", date_start="2017-03-01", date_end="2017-03-01"
    )
    agreement = pred(event_id="p-3", sub_event_type="Agreement", event_type="Strategic developments")
    scores = score_events([gold_doc(STRIKE)], [pred(), extra_strike, agreement])
    assert (scores.true_positives, scores.false_positives, scores.predicted_violent) == (1, 1, 2)
    assert scores.precision == 0.5 and scores.recall == 1.0
    assert [fp.pred_id for fp in scores.false_positive_events] == ["p-2"]


def test_one_prediction_matches_one_gold_event_per_document() -> None:
    second = dict(STRIKE, id="strike-2")
    scores = score_events([gold_doc(STRIKE, second)], [pred()])
    assert scores.matched_required == 1 and scores.recall == 0.5


def test_dates_are_judged_on_the_prediction_citing_the_gold_evidence() -> None:
    """A match needs the date, so dates are judged on the event found by type, actors and evidence."""
    source = "Header line.\nUS jets struck Raqqa on Wednesday, killing 12 militants. Other news."
    sentence = "US jets struck Raqqa on Wednesday, killing 12 militants."
    start = source.index(sentence)
    gold = gold_doc({**STRIKE, "evidence": [[start, start + len(sentence)]]})
    # The pipeline's own offsets differ (boilerplate cleaned away): the text decides.
    cited = [{"article_id": "doc1", "start": 0, "end": len(sentence), "text": sentence}]
    texts = {"doc1": source}

    right = score_events([gold], [pred(evidence=cited)], texts=texts)
    assert right.dated == (1, 1) and right.recall == 1.0

    wrong_day = pred(evidence=cited, event_date="2017-03-01", date_start="2017-03-01", date_end="2017-03-01")
    scores = score_events([gold], [wrong_day], texts=texts)
    assert scores.dated == (0, 1) and scores.missed[0].reason == "date"

    wrong_precision = pred(evidence=cited, date_end="2017-03-09", time_precision=2)
    assert score_events([gold], [wrong_precision], texts=texts).dated == (0, 1)

    elsewhere = [{"article_id": "doc1", "start": 0, "end": 11, "text": "Header line."}]
    not_found = score_events([gold], [pred(evidence=elsewhere, event_date="2017-03-01")], texts=texts)
    assert not_found.dated == (0, 0)  # no prediction codes it: its date is not judged


def test_pooled_gold_figures_add_counts_not_percentages() -> None:
    from eventwire.evaluate.report import Section, pooled_section

    seeds = Section("Events: seeds gold (seeds.jsonl)", counts={"located": (7, 7), "dated": (12, 12)})
    re3d = Section("Events: re3d gold (re3d.jsonl)", counts={"located": (18, 19), "dated": (20, 21)})
    pooled = pooled_section([seeds, re3d])
    assert pooled.summary[0][:2] == ("seeds + re3d: located within 25 km", "25/26 (96.2%)")
    assert pooled.summary[1][1] == "32/33 (97.0%)"


def test_assignment_is_optimal_not_greedy() -> None:
    # Greedy on row 0 would take column 0 and leave row 1 unmatched.
    assert max_weight_assignment([[5.0, 4.0], [3.0, 0.0]]) == [(0, 1), (1, 0)]
    assert max_weight_assignment([[0.0, 0.0]]) == []
    assert max_weight_assignment([[1.0], [2.0], [0.5]]) == [(1, 0)]


def test_merge_group_merged_and_wrong_merge_caught() -> None:
    ambush_a = dict(STRIKE, id="ambush", merge_group="g1")
    ambush_b = dict(STRIKE, id="ambush", merge_group="g1")
    gold = [gold_doc(ambush_a, doc_id="a"), gold_doc(ambush_b, doc_id="b"), gold_doc(STRIKE, doc_id="c")]
    merged = pred(event_id="m1", article_ids=["a", "b"])
    other = pred(event_id="m2", article_ids=["c"])
    scores = score_events(gold, [merged, other])
    assert scores.merged_groups == ["g1"] and scores.wrong_merges == []
    assert scores.recall == 1.0 and scores.precision == 1.0

    split = score_events(gold, [pred(event_id="x", article_ids=["a"]), pred(event_id="y", article_ids=["b"])])
    assert split.unmerged_groups == ["g1"]

    over_merged = score_events(gold, [pred(event_id="all", article_ids=["a", "b", "c"])])
    assert over_merged.wrong_merges == [("all", ["a/ambush", "b/ambush", "c/strike"])]


def test_gold_format_errors_are_reported() -> None:
    with pytest.raises(GoldFormatError, match="sub_event_types"):
        gold_doc(dict(STRIKE, sub_event_types=["Airstrike"]))
    with pytest.raises(GoldFormatError, match="date"):
        gold_doc(dict(STRIKE, date={"start": "2017-03-09", "end": "2017-03-08"}))
    with pytest.raises(GoldFormatError, match="place"):
        gold_doc(dict(STRIKE, place={"tolerance_km": 5}))


def test_repository_gold_files_load_and_hold_no_text() -> None:
    seeds, re3d = load_gold(GOLD / "seeds.jsonl"), load_gold(GOLD / "re3d.jsonl")
    assert len(seeds) == 5 and len(re3d) >= 25
    assert sum(1 for d in re3d if d.events) >= 25
    for doc in seeds + re3d:
        for event in doc.events:
            assert all(0 <= s < e for s, e in event.evidence)
    allowed = {"doc_id", "dataset", "published", "source", "events"}
    for line in (GOLD / "re3d.jsonl").read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) <= allowed


# --------------------------------------------------------------------------- CASE


def test_case_weighted_f1_on_a_small_confusion() -> None:
    # gold A A B C / predicted A B B none: F1 A = B = 2/3, C = 0; weighted (2*2/3 + 2/3 + 0) / 4 = 0.5
    labels = ["Air/drone strike", "Armed clash", "Arrests", "Grenade"]
    gold = ["Air/drone strike", "Air/drone strike", "Armed clash", "Arrests"]
    predicted = ["Air/drone strike", "Armed clash", "Armed clash", "(no event)"]
    weighted, macro, per_class = weighted_f1(gold, predicted, labels)
    assert weighted == pytest.approx(0.5)
    assert macro == pytest.approx((2 / 3 + 2 / 3) / 3)
    assert [c.support for c in per_class] == [2, 1, 1, 0]


def test_case_scores_labels_from_highest_confidence_event_and_out_of_scope() -> None:
    snippets = [
        CaseSnippet("1", "...", "AIR_STRIKE"),
        CaseSnippet("3", "...", "AIR_STRIKE"),
        CaseSnippet("5", "...", "ARMED_CLASH"),
        CaseSnippet("7", "...", "ARREST"),
        CaseSnippet("9", "...", "DIPLO"),
        CaseSnippet("11", "...", "NATURAL_DISASTER"),
    ]
    preds = [
        {"article_ids": ["1"], "sub_event_type": "Air/drone strike", "confidence": 0.9},
        {"article_ids": ["1"], "sub_event_type": "Armed clash", "confidence": 0.4},
        {"article_ids": ["3"], "sub_event_type": "Armed clash", "confidence": 0.7},
        {"article_ids": ["5"], "sub_event_type": "Armed clash", "confidence": 0.7},
        {"article_ids": ["11"], "sub_event_type": "Attack", "confidence": 0.5},
    ]
    scores = score_case(snippets, preds)
    assert scores.weighted_f1 == pytest.approx(0.5)
    assert scores.accuracy == pytest.approx(0.5)
    assert (scores.out_of_scope, scores.out_of_scope_no_event) == (2, 1)
    assert scores.confusion["AIR_STRIKE"] == {"Air/drone strike": 1, "Armed clash": 1}
    assert scores.confusion["ARREST"] == {"(no event)": 1}


# --------------------------------------------------------------------------- FA-KES


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Idleb", "idlib"),
        ("Idlib Governorate", "idlib"),
        ("Deir Ezzor", "deir ez-zor"),
        ("Deir-ez-Zor", "deir ez-zor"),
        ("Dayr az Zawr", "deir ez-zor"),
        ("Dara", "daraa"),
        ("Daraa", "daraa"),
        ("Al Hasakeh", "hasakah"),
        ("hasakeh", "hasakah"),
        ("Ar-Raqqa", "raqqa"),
        ("Raqqa Province", "raqqa"),
        ("Lattakia", "latakia"),
        ("As-Sweida", "sweida"),
        ("Tartous", "tartus"),
        ("Damascus", "damascus"),
        ("Rural Damascus", "rural damascus"),
        ("Damascus Countryside", "rural damascus"),
        ("Gotham", None),
        (None, None),
    ],
)
def test_governorate_spellings_normalise(name: str | None, key: str | None) -> None:
    assert normalise_governorate(name) == key


def test_fakes_folds_rural_damascus_and_compares_main_event_deaths() -> None:
    assert normalise_governorate("Rif Dimashq", fold_rural_damascus=True) == "damascus"
    articles = [
        FakesArticle("a", "", "", "", None, "damascus", 20, 1),
        FakesArticle("b", "", "", "", None, "idlib", 58, 1),
        FakesArticle("c", "", "", "", None, "aleppo", 0, 1),
    ]
    preds = [
        {"article_ids": ["a"], "admin1": "Rural Damascus", "fatalities": 19},  # within 10 %
        {"article_ids": ["b"], "admin1": "Idleb", "fatalities": 40},
        {"article_ids": ["b"], "admin1": "Hama", "fatalities": 40},  # tie: the first is the main event
        {"article_ids": ["b"], "admin1": "Idleb", "fatalities": 18},
    ]
    scores = score_fakes(articles, preds)
    assert (scores.governorate_right, scores.governorate_right_strict) == (2, 1)
    assert scores.with_deaths == 2
    assert scores.main_event_deaths_within == 1  # b: 40 against 58
    assert scores.summed_deaths_within == 1  # b: 98 against 58; a: 19 against 20


def test_fakes_main_event_is_the_first_told_with_a_toll() -> None:
    def pred(admin1: str, fatalities: int, start: int, *flags: str) -> dict:
        evidence = [{"article_id": "a", "start": start, "end": start + 10}, {"article_id": "z", "start": 0}]
        return {"article_ids": ["a"], "admin1": admin1, "fatalities": fatalities, "evidence": evidence,
                "flags": list(flags)}  # fmt: skip

    preds = [
        pred("Hama", 0, 0),  # told first, no toll
        pred("Aleppo", 48, 900),  # the most fatal, told late ("earlier this week ... executed 48")
        pred("Idleb", 4, 40),  # the lead's toll
        pred("Homs", 9, 10, "background"),
    ]
    assert main_event(preds, "a")["admin1"] == "Idleb"
    assert main_event([preds[0]], "a")["admin1"] == "Hama"  # no toll anywhere: the first told
    assert main_event([preds[3]], "a")["admin1"] == "Homs"  # only background: that
    scores = score_fakes([FakesArticle("a", "", "", "", None, "idlib", 4, 1)], preds)
    assert (scores.governorate_right, scores.main_event_deaths_within) == (1, 1)
    assert scores.governorate_right_most_fatal == 0


# --------------------------------------------------------------------------- PLOVER and places


def test_plover_event_mode_and_actor_agreement() -> None:
    records = [
        PloverRecord(
            "p0",
            "G1",
            "Jets struck Gaza.",
            "ASSAULT",
            "aerial",
            (("Israeli jets", "ISR"),),
            (("Gaza", "PSE"),),
        ),
        PloverRecord("p1", "G2", "Jordan agreed.", "AGREE", None, (("Jordan", "JOR"),), ()),
        PloverRecord("p2", "G3", "Students marched.", "PROTEST", "demo-spon", (("students", "TUR"),), ()),
    ]
    preds = [
        {
            "article_ids": ["p0"],
            "plover_event": "COERCE",
            "confidence": 0.9,
            "actor1": "Police Forces of Israel",
        },
        {
            "article_ids": ["p0"],
            "plover_event": "ASSAULT",
            "plover_mode": "aerial",
            "confidence": 0.6,
            "actor1": "Military Forces of Israel",
            "actor2": "Civilians (Palestine)",
        },
        {
            "article_ids": ["p2"],
            "plover_event": "PROTEST",
            "plover_mode": "demo-org",
            "actor1": "Protesters (Turkey)",
        },
    ]
    scores = score_plover(records, preds)
    assert (scores.event_right_any, scores.event_right_top) == (2, 1)
    assert (scores.focus_records, scores.focus_right_any) == (2, 2)
    assert (scores.mode_right, scores.with_mode) == (1, 2)
    assert (scores.source_agrees, scores.with_source) == (2, 3)
    assert scores.per_event == {"AGREE": (0, 1), "ASSAULT": (1, 1), "PROTEST": (1, 1)}


def test_plover_records_of_one_sentence_share_its_events() -> None:
    """The second record of a repeated sentence is stored as a copy and extracts nothing of its own."""
    text = "Rebels kidnapped two engineers and set off a bomb in the capital."
    records = [
        PloverRecord("p0", "G1", text, "COERCE", "detain", (), ()),
        PloverRecord("p1", "G1", text, "ASSAULT", "explosives", (), ()),
    ]
    preds = [
        {"article_ids": ["p0"], "plover_event": "COERCE", "confidence": 0.6},
        {"article_ids": ["p0"], "plover_event": "ASSAULT", "confidence": 0.5},
    ]
    scores = score_plover(records, preds)
    assert scores.per_event == {"ASSAULT": (1, 1), "COERCE": (1, 1)}
    assert scores.event_right_top == 1


def test_place_check_counts_mentions_resolved_in_the_right_country() -> None:
    text = "Strikes hit Mosul and Raqqa; Paris condemned them."
    docs = {"d": Re3dDocument("d", "test", "", "", text)}
    entities = [LocationEntity("d", 12, 17, "Mosul"), LocationEntity("d", 22, 27, "Raqqa")]
    entities.append(LocationEntity("d", 29, 34, "Paris"))  # not in the Syria/Iraq gold: not counted
    mosul = Place("Mosul", "Iraq", "IRQ", "Nineveh", 36.34, 43.12)
    wrong_raqqa = Place("Raqqa", "Somewhere", "XXX", None, 0.0, 0.0)

    def finder(doc: Any) -> list[PlaceMention]:
        assert doc.text == text
        return [PlaceMention(12, 17, "Mosul", mosul), PlaceMention(22, 27, "Raqqa", wrong_raqqa)]

    scores = score_places(docs, entities, {"Mosul": "IRQ", "Raqqa": "SYR"}, finder=finder)
    assert (scores.resolved, scores.mentions) == (1, 2)
    assert scores.by_country == {"IRQ": (1, 1), "SYR": (0, 1)}
    assert scores.unresolved == {"Raqqa": 1}


def test_places_subcommand_skips_clearly_without_the_gazetteer_api(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from eventwire.evaluate import places_check

    def missing() -> None:
        raise places_check.PlacesApiMissing("eventwire.places has no find_places yet")

    monkeypatch.setattr(places_check, "_find_places", missing)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "documents.json").write_text(
        json.dumps({"_id": "d", "title": "t", "text": "Mosul"}) + "\n", encoding="utf-8"
    )
    (tmp_path / "src" / "entities.json").write_text(
        json.dumps({"documentId": "d", "begin": 0, "end": 5, "type": "Location", "value": "Mosul"}) + "\n",
        encoding="utf-8",
    )
    locations = tmp_path / "loc.jsonl"
    locations.write_text(json.dumps({"value": "Mosul", "iso3": "IRQ"}) + "\n", encoding="utf-8")
    assert eval_cli.main(["places", "--re3d", str(tmp_path), "--locations", str(locations)]) == 0
    assert "skipped: eventwire.places has no find_places yet" in capsys.readouterr().err


# --------------------------------------------------------------------------- CLI and report


def test_eval_events_cli_scores_a_predictions_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"doc_id": "doc1", "dataset": "t", "events": [STRIKE]}) + "\n", encoding="utf-8"
    )
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps(pred()) + "\n", encoding="utf-8")
    assert eval_cli.main(["events", "--gold", str(gold), "--pred", str(preds), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["recall"], out["precision"], out["f1"]) == (1.0, 1.0, 1.0)
    assert eval_cli.main(["events", "--gold", str(gold)]) == 2  # neither --pred nor --texts
    assert eval_cli.main(["events", "--gold", str(tmp_path / "missing.jsonl"), "--pred", str(preds)]) == 2


def test_eval_parser_plugs_into_a_main_parser() -> None:
    parser = argparse.ArgumentParser(prog="eventwire")
    eval_cli.add_eval_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", "case", "--gold", "dev.tsv", "--pred", "p.jsonl"])
    assert (args.command, args.eval_command, args.gold, args.pred) == (
        "eval",
        "case",
        Path("dev.tsv"),
        Path("p.jsonl"),
    )


def test_report_says_not_run_when_extraction_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def failing(*args: Any, **kwargs: Any) -> None:
        raise ExtractFailed("`-m eventwire extract ...` exited with 1: no such command")

    for name in ("run_case", "run_fakes", "run_plover", "run_gold_documents"):
        monkeypatch.setattr(report, name, failing)
    shared = tmp_path / "shared"
    (shared / "eval" / "case2021-task2").mkdir(parents=True)
    (shared / "eval" / "case2021-task2" / "dev.tsv").write_text("id\tEventSnippet\tSubType\n1\tx\tARREST\n")
    sections = report.build_sections(shared, GOLD, tmp_path / "work")
    text = report.render(sections, "test")
    assert "## CASE 2021" in text and "Not run: `-m eventwire extract ...` exited with 1" in text
    assert "| CASE 2021 | not run |" in text


# --------------------------------------------------------------------------- against ../shared


def _re3d_texts(shared: Path) -> dict[str, str]:
    from eventwire.evaluate.places_check import load_re3d_documents

    return {k: v.text for k, v in load_re3d_documents(shared / "eval" / "re3d").items()}


def test_gold_documents_and_offsets_exist_in_the_dev_texts(shared_dir: Path) -> None:
    seeds = shared_dir / "corpus" / "seeds"
    for doc in load_gold(GOLD / "seeds.jsonl"):
        text = (seeds / f"{doc.doc_id}.txt").read_text(encoding="utf-8")
        assert all(e <= len(text) for event in doc.events for _, e in event.evidence)
    texts = _re3d_texts(shared_dir)
    for doc in load_gold(GOLD / "re3d.jsonl"):
        assert doc.doc_id in texts
        assert all(e <= len(texts[doc.doc_id]) for event in doc.events for _, e in event.evidence)


def test_re3d_location_gold_values_occur_as_location_entities(shared_dir: Path) -> None:
    from eventwire.evaluate.places_check import load_location_gold, load_re3d_locations

    values = {e.value for e in load_re3d_locations(shared_dir / "eval" / "re3d")}
    gold = load_location_gold(GOLD / "re3d_locations.jsonl")
    assert set(gold) <= values
    assert set(gold.values()) == {"IRQ", "SYR"}


def test_dev_files_load(shared_dir: Path) -> None:
    from eventwire.evaluate.case import load_case
    from eventwire.evaluate.fakes import load_fakes
    from eventwire.evaluate.plover import load_plover

    ev = shared_dir / "eval"
    assert len(load_case(ev / "case2021-task2" / "dev.tsv")) == 509
    fakes = load_fakes(ev / "fa-kes" / "dev.csv")
    assert len(fakes) == 208 and len({a.id for a in fakes}) == 208
    assert all(normalise_governorate(a.location) for a in fakes)
    records = load_plover(ev / "plover" / "PLOVER_GSR_CAMEO.json")
    assert len(records) == 322 and len({r.article_id for r in records}) == 322


def test_a_near_copy_is_credited_with_its_originals_events(tmp_path: Path) -> None:
    from eventwire.evaluate.case import CaseSnippet, predicted_labels
    from eventwire.evaluate.run import run_case

    report = (
        "Government troops and rebel fighters clashed for several hours near the town of Saraqib on "
        "Tuesday, leaving at least a dozen combatants dead on both sides, according to local monitors."
    )
    snippets = [
        CaseSnippet(
            "1", report + " Residents said the fighting resumed before dawn on Wednesday.", "ARMED_CLASH"
        ),
        CaseSnippet("2", report, "ARMED_CLASH"),  # the same report cut short: stored as a copy of 1
        CaseSnippet("3", "The weather in the capital was mild and sunny all week long.", "NATURAL_DISASTER"),
    ]
    run = run_case(snippets, tmp_path)
    labels = predicted_labels(run.predictions)
    assert labels["1"] == labels["2"] == "Armed clash"
    assert "3" not in labels
