"""FA-KES (Salem et al. 2019): governorate of the main event and casualty totals, credible articles only.

The main event of an article is the first its text tells, among its predicted events with a toll (the
first told of all when none has one), passing over the events eventwire flags as background: a news report
tells its news in the headline and the lead. (Until 2026-12 it was the event with the most fatalities;
`governorate_right_most_fatal` keeps that figure for comparison.) Its
admin1 is compared with the crowd-coded `location` after both are normalised to one key per governorate;
FA-KES has no "Rural Damascus" label, so Rural Damascus counts as Damascus there.

Casualties: FA-KES codes nb_civilians and nb_noncivilians (nb_children and nb_women are subsets of the
civilians: in the dev file they never exceed nb_civilians), so the article's total deaths are
nb_civilians + nb_noncivilians. It is compared, within 10 %, with the main event's fatalities and, as a
second figure, with the sum of fatalities over all the article's events.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eventwire.evaluate.common import normalise_governorate, predictions_by_article, safe_ratio

TOLERANCE = 0.10


@dataclass(slots=True, frozen=True)
class FakesArticle:
    id: str
    title: str
    text: str
    source: str
    published: date | None
    location: str
    deaths: int  # nb_civilians + nb_noncivilians
    label: int


def _int(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def parse_fakes_date(value: str) -> date | None:
    """FA-KES dates are M/D/YY."""
    try:
        return datetime.strptime(value.strip(), "%m/%d/%y").date()
    except ValueError:
        return None


def _unique_id(unit_id: str, seen: set[str]) -> str:
    """The dev file repeats a few unit_ids; later rows get a suffix so each article keeps its own id."""
    candidate, n = unit_id, 1
    while candidate in seen:
        n += 1
        candidate = f"{unit_id}-{n}"
    seen.add(candidate)
    return candidate


def load_fakes(path: str | Path, credible_only: bool = True) -> list[FakesArticle]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    articles = [
        FakesArticle(
            id=_unique_id(r["unit_id"].strip(), seen),
            title=r.get("article_title") or "",
            text=r.get("article_content") or "",
            source=r.get("source") or "",
            published=parse_fakes_date(r.get("date") or ""),
            location=(r.get("location") or "").strip(),
            deaths=_int(r.get("nb_civilians")) + _int(r.get("nb_noncivilians")),
            label=_int(r.get("label")),
        )
        for r in rows
    ]
    return [a for a in articles if a.label == 1] if credible_only else articles


def _news(preds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in preds if "background" not in (p.get("flags") or [])] or preds


def _told_at(pred: dict[str, Any], article_id: str | None) -> int:
    """Where the article first tells the event: its earliest evidence offset in that article."""
    starts = [
        int(ev.get("start") or 0)
        for ev in pred.get("evidence") or []
        if article_id is None or ev.get("article_id") == article_id
    ]
    return min(starts, default=1 << 62)


def main_event(preds: list[dict[str, Any]], article_id: str | None = None) -> dict[str, Any] | None:
    """The article's main event: the first told of its news events with a toll, else the first told
    (ties keep the order of ``preds``). Background events are passed over unless they are all there is."""
    news = _news(preds)
    with_toll = [p for p in news if int(p.get("fatalities") or 0) > 0] or news
    return min(with_toll, key=lambda p: _told_at(p, article_id)) if with_toll else None


def most_fatal_event(preds: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The news event with the most fatalities (the first on ties): the former main-event rule."""
    news = _news(preds)
    return max(news, key=lambda p: int(p.get("fatalities") or 0)) if news else None


def within(predicted: int, gold: int, tolerance: float = TOLERANCE) -> bool:
    return abs(predicted - gold) <= tolerance * gold


@dataclass(slots=True)
class FakesScores:
    articles: int
    with_event: int
    governorate_right: int
    governorate_right_strict: int  # Rural Damascus not counted as Damascus
    with_deaths: int
    main_event_deaths_within: int
    summed_deaths_within: int
    governorate_right_most_fatal: int = 0  # the governorate of most_fatal_event instead
    wrong_governorates: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def governorate_accuracy(self) -> float | None:
        return safe_ratio(self.governorate_right, self.articles)

    @property
    def deaths_agreement(self) -> float | None:
        return safe_ratio(self.main_event_deaths_within, self.with_deaths)

    @property
    def summed_deaths_agreement(self) -> float | None:
        return safe_ratio(self.summed_deaths_within, self.with_deaths)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "with_event": self.with_event,
            "governorate_right": self.governorate_right,
            "governorate_right_strict": self.governorate_right_strict,
            "governorate_right_most_fatal": self.governorate_right_most_fatal,
            "governorate_accuracy": self.governorate_accuracy,
            "with_deaths": self.with_deaths,
            "main_event_deaths_within_10pct": self.main_event_deaths_within,
            "summed_deaths_within_10pct": self.summed_deaths_within,
            "deaths_agreement": self.deaths_agreement,
            "summed_deaths_agreement": self.summed_deaths_agreement,
            "wrong_governorates": [list(w) for w in self.wrong_governorates],
        }


def score_fakes(articles: list[FakesArticle], predictions: list[dict[str, Any]]) -> FakesScores:
    by_article = predictions_by_article(predictions)
    scores = FakesScores(len(articles), 0, 0, 0, 0, 0, 0)
    for article in articles:
        preds = by_article.get(article.id, [])
        event = main_event(preds, article.id)
        gold_key = normalise_governorate(article.location, fold_rural_damascus=True)
        scores.with_event += event is not None
        most_fatal = most_fatal_event(preds)
        scores.governorate_right_most_fatal += (
            gold_key is not None
            and normalise_governorate(
                most_fatal.get("admin1") if most_fatal else None, fold_rural_damascus=True
            )
            == gold_key
        )
        predicted_admin1 = event.get("admin1") if event else None
        if (
            gold_key is not None
            and normalise_governorate(predicted_admin1, fold_rural_damascus=True) == gold_key
        ):
            scores.governorate_right += 1
            scores.governorate_right_strict += normalise_governorate(predicted_admin1) == gold_key
        else:
            scores.wrong_governorates.append((article.id, article.location, predicted_admin1))
        if article.deaths > 0:
            scores.with_deaths += 1
            main_deaths = int(event.get("fatalities") or 0) if event else 0
            total_deaths = sum(int(p.get("fatalities") or 0) for p in preds)
            scores.main_event_deaths_within += within(main_deaths, article.deaths)
            scores.summed_deaths_within += within(total_deaths, article.deaths)
    return scores


def format_fakes_scores(scores: FakesScores) -> str:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    return "\n".join(
        [
            f"FA-KES (label 1): {scores.articles} articles, {scores.with_event} with at least one event",
            f"  governorate of the main event right: {scores.governorate_right}/{scores.articles} "
            f"({pct(scores.governorate_accuracy)}); strict (Rural Damascus != Damascus) "
            f"{scores.governorate_right_strict}",
            f"  deaths within 10 % (main event): {scores.main_event_deaths_within}/{scores.with_deaths} "
            f"({pct(scores.deaths_agreement)}); summed over the article's events: "
            f"{scores.summed_deaths_within}/{scores.with_deaths} ({pct(scores.summed_deaths_agreement)})",
        ]
    )
