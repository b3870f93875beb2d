"""Writing events to files: JSONL, ACLED-style CSV, GeoJSON and Parquet, chosen by the file extension.

Every format is written to a temporary file beside the target and renamed over it, so a failed or
interrupted export never leaves a half-written file under the requested name.
"""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from eventwire.model import Event
from eventwire.store.acled import CSV_COLUMNS, acled_row

_PARQUET_BATCH = 10_000


def output_format(path: str | Path) -> str:
    """The format for a path (".jsonl", ".csv", ".geojson" or ".parquet"); ValueError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in _WRITERS:
        known = ", ".join(_WRITERS)
        shown = f"'{suffix}'" if suffix else "no extension"
        raise ValueError(f"cannot write events to {path}: unsupported output format ({shown}); use {known}")
    return suffix


def check_output_path(path: str | Path) -> None:
    """Fail early (ValueError) for an unsupported extension or a missing directory."""
    output_format(path)
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise ValueError(f"cannot write {path}: directory {parent} does not exist")


def write_events(
    events: Iterable[Event], path: str | Path, *, updated_at: Mapping[str, datetime] | None = None
) -> int:
    """Write events to ``path`` in the format its extension names; return how many were written.

    ``updated_at`` gives each event's last update time (event_id -> datetime) for the CSV ``timestamp``
    column; events without one get the time of the export. GeoJSON leaves out events without
    coordinates (their number is in the collection's ``events_without_coordinates`` member)."""
    writer = _WRITERS[output_format(path)]
    with _atomic(Path(path).expanduser()) as tmp:
        return writer(events, tmp, updated_at or {})


@contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp creates 0600 files; exports are meant to be shared like any other output.
        tmp.chmod(target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- formats


def _write_jsonl(events: Iterable[Event], path: Path, _updated: Mapping[str, datetime]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for event in events:
            fh.write(json.dumps(event.to_record(), ensure_ascii=False))
            fh.write("\n")
            count += 1
    return count


def _write_csv(events: Iterable[Event], path: Path, updated: Mapping[str, datetime]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for event in events:
            writer.writerow(acled_row(event, updated.get(event.event_id)))
            count += 1
    return count


def _has_point(event: Event) -> bool:
    lat, lon = event.latitude, event.longitude
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def _write_geojson(events: Iterable[Event], path: Path, _updated: Mapping[str, datetime]) -> int:
    """A FeatureCollection streamed feature by feature (RFC 7946: [longitude, latitude])."""
    written = left_out = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        for event in events:
            if not _has_point(event):
                left_out += 1
                continue
            feature = {
                "type": "Feature",
                "id": event.event_id,
                "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
                "properties": event.to_record(),
            }
            fh.write(("\n" if not written else ",\n") + json.dumps(feature, ensure_ascii=False))
            written += 1
        fh.write(f'\n], "events_without_coordinates": {left_out}}}\n')
    return written


@cache
def _parquet_schema() -> Any:
    import pyarrow as pa

    text, strings = pa.string(), pa.list_(pa.string())
    span = pa.struct([("article_id", text), ("start", pa.int64()), ("end", pa.int64()), ("text", text)])
    types = {
        "event_id": text, "event_date": pa.date32(), "date_start": pa.date32(), "date_end": pa.date32(),
        "time_precision": pa.int32(), "event_type": text, "sub_event_type": text,
        "actor1": text, "assoc_actor_1": strings, "inter1": pa.int32(),
        "actor2": text, "assoc_actor_2": strings, "inter2": pa.int32(),
        "civilian_targeting": pa.bool_(), "country": text, "iso3": text, "admin1": text, "location": text,
        "latitude": pa.float64(), "longitude": pa.float64(), "geonameid": pa.int64(),
        "geo_precision": pa.int32(), "fatalities": pa.int64(), "fatalities_low": pa.int64(),
        "fatalities_high": pa.int64(), "quantities": text, "cameo": text, "plover_event": text,
        "plover_mode": text, "claimed_by": strings, "article_ids": strings, "sources": strings,
        "notes": text, "evidence": pa.list_(span), "confidence": pa.float64(), "review_status": text,
        "flags": strings, "conflicts": text, "source_count": pa.int32(),
    }  # fmt: skip
    return pa.schema(list(types.items()))


def _parquet_row(event: Event) -> dict[str, Any]:
    """The event record with dates as dates and the two free-form objects as JSON strings."""
    row = {name: getattr(event, name) for name in _parquet_schema().names}
    row["quantities"] = json.dumps(event.quantities, ensure_ascii=False)
    row["conflicts"] = json.dumps(event.conflicts, ensure_ascii=False)
    row["evidence"] = [e.to_record() for e in event.evidence]
    return row


def _write_parquet(events: Iterable[Event], path: Path, _updated: Mapping[str, datetime]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    count = 0
    iterator = iter(events)
    with pq.ParquetWriter(str(path), schema) as writer:
        while batch := [_parquet_row(e) for e in islice(iterator, _PARQUET_BATCH)]:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


_WRITERS: dict[str, Callable[[Iterable[Event], Path, Mapping[str, datetime]], int]] = {
    ".jsonl": _write_jsonl,
    ".csv": _write_csv,
    ".geojson": _write_geojson,
    ".parquet": _write_parquet,
}
