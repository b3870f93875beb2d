"""ACLED's event taxonomy (data/event_types.yaml): event type, disorder type and default codes per
sub-event type."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from eventwire.resources import load_yaml


@dataclass(frozen=True, slots=True)
class SubEventType:
    name: str
    event_type: str
    disorder_type: str
    cameo: str
    plover_event: str | None
    plover_mode: str | None
    family: str


@cache
def taxonomy() -> dict[str, SubEventType]:
    out: dict[str, SubEventType] = {}
    for event_type, spec in load_yaml("event_types.yaml").items():
        for name, sub in spec["sub_event_types"].items():
            plover = sub.get("plover") or [None, None]
            out[name] = SubEventType(
                name=name,
                event_type=event_type,
                disorder_type=sub.get("disorder_type", spec["disorder_type"]),
                cameo=str(sub["cameo"]),
                plover_event=plover[0],
                plover_mode=plover[1],
                family=sub["family"],
            )
    return out


def sub_event(name: str) -> SubEventType:
    return taxonomy()[name]


def family_of(sub_event_type: str) -> str:
    entry = taxonomy().get(sub_event_type)
    return entry.family if entry else "other"


VIOLENT_EVENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
