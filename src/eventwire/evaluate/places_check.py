"""re3d place check: the share of re3d Location entities in Syria and Iraq that the gazetteer resolves.

Which Location entities are places in Syria or Iraq is our annotation (gold/re3d_locations.jsonl: entity
values with their country), since re3d types spans only as "Location". A mention counts as resolved when
`eventwire.places.find_places`, run over the whole document, yields a mention overlapping the entity span
whose place lies in the annotated country.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire.evaluate.common import read_jsonl
from eventwire.model import Article, Document


class PlacesApiMissing(RuntimeError):
    """eventwire.places does not (yet) offer find_places."""


@dataclass(slots=True, frozen=True)
class Re3dDocument:
    id: str
    source: str
    title: str
    url: str
    text: str


@dataclass(slots=True, frozen=True)
class LocationEntity:
    doc_id: str
    begin: int
    end: int
    value: str


def _mongo_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_re3d_documents(root: str | Path) -> dict[str, Re3dDocument]:
    docs = {}
    for path in sorted(Path(root).glob("*/documents.json")):
        for rec in _mongo_lines(path):
            docs[rec["_id"]] = Re3dDocument(
                rec["_id"],
                rec.get("sourceName", path.parent.name),
                rec.get("title", ""),
                rec.get("sourceUrl", ""),
                rec["text"],
            )
    return docs


def load_re3d_locations(root: str | Path) -> list[LocationEntity]:
    out = []
    for path in sorted(Path(root).glob("*/entities.json")):
        for rec in _mongo_lines(path):
            if rec.get("type") == "Location":
                out.append(
                    LocationEntity(rec["documentId"], int(rec["begin"]), int(rec["end"]), rec["value"])
                )
    return out


def load_location_gold(path: str | Path) -> dict[str, str]:
    """Entity value -> ISO3 country for the Location values that name places in Syria or Iraq."""
    return {rec["value"]: rec["iso3"] for rec in read_jsonl(path)}


def _find_places() -> Callable[..., Any]:
    try:
        from eventwire import places
    except ImportError as exc:
        raise PlacesApiMissing(f"eventwire.places cannot be imported ({exc})") from exc
    finder = getattr(places, "find_places", None)
    if finder is None:
        raise PlacesApiMissing("eventwire.places has no find_places yet")
    return finder


def _mentions(finder: Callable[..., Any], doc: Re3dDocument) -> list[Any]:
    """find_places over one document, given as a Document whose text is the re3d text (offsets agree)."""
    document = Document(article=Article(id=doc.id, text=doc.text), text=doc.text)
    try:
        return list(finder(document))
    except TypeError as exc:
        params = list(inspect.signature(finder).parameters)
        raise PlacesApiMissing(f"find_places{tuple(params)} does not take a Document ({exc})") from None


def _place_iso3(mention: Any) -> str | None:
    place = getattr(mention, "place", None)
    return getattr(place, "iso3", None) if place is not None else None


@dataclass(slots=True)
class PlaceCheckScores:
    mentions: int
    resolved: int
    by_country: dict[str, tuple[int, int]] = field(default_factory=dict)
    unresolved: dict[str, int] = field(default_factory=dict)  # value -> times unresolved
    without_countries: tuple[int, int] = (0, 0)  # the same, leaving out the names "Syria" and "Iraq"

    @property
    def share(self) -> float | None:
        return self.resolved / self.mentions if self.mentions else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentions": self.mentions,
            "resolved": self.resolved,
            "share": self.share,
            "by_country": {k: list(v) for k, v in self.by_country.items()},
            "without_country_names": list(self.without_countries),
            "unresolved": self.unresolved,
        }


COUNTRY_NAMES = frozenset({"Syria", "Iraq", "Syrian Arab Republic"})


def score_places(
    documents: dict[str, Re3dDocument],
    entities: list[LocationEntity],
    gold: dict[str, str],
    finder: Callable[..., Any] | None = None,
) -> PlaceCheckScores:
    """Resolve the gold Syria/Iraq Location mentions with find_places (or the given finder)."""
    finder = finder or _find_places()
    wanted = [e for e in entities if e.value in gold and e.doc_id in documents]
    mentions_by_doc = {doc_id: _mentions(finder, documents[doc_id]) for doc_id in {e.doc_id for e in wanted}}
    by_country: dict[str, list[int]] = {}
    unresolved: dict[str, int] = {}
    resolved = right_wo = total_wo = 0
    for entity in wanted:
        iso3 = gold[entity.value]
        ok = any(
            getattr(m, "start", -1) < entity.end
            and entity.begin < getattr(m, "end", -1)
            and _place_iso3(m) == iso3
            for m in mentions_by_doc[entity.doc_id]
        )
        resolved += ok
        counts = by_country.setdefault(iso3, [0, 0])
        counts[0] += ok
        counts[1] += 1
        if entity.value not in COUNTRY_NAMES:
            total_wo += 1
            right_wo += ok
        if not ok:
            unresolved[entity.value] = unresolved.get(entity.value, 0) + 1
    return PlaceCheckScores(
        mentions=len(wanted),
        resolved=resolved,
        by_country={k: (v[0], v[1]) for k, v in sorted(by_country.items())},
        unresolved=dict(sorted(unresolved.items(), key=lambda kv: -kv[1])),
        without_countries=(right_wo, total_wo),
    )


def format_place_scores(scores: PlaceCheckScores) -> str:
    right_wo, total_wo = scores.without_countries
    lines = [
        f"re3d Location entities in Syria/Iraq resolved: {scores.resolved}/{scores.mentions}"
        + (f" ({scores.share:.1%})" if scores.share is not None else ""),
        f"  leaving out the country names: {right_wo}/{total_wo}",
    ]
    for iso3, (right, total) in scores.by_country.items():
        lines.append(f"  {iso3}: {right}/{total}")
    if scores.unresolved:
        lines.append("  unresolved: " + ", ".join(f"{v} ({n})" for v, n in scores.unresolved.items()))
    return "\n".join(lines)
