"""Access to the package's data files (knowledge as data), loaded once per process."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

_DATA = files("eventwire") / "data"


def data_path(name: str) -> Path:
    """Filesystem path of a bundled data file."""
    return Path(str(_DATA / name))


@cache
def load_yaml(name: str) -> Any:
    with data_path(name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty lines of a text file, without comments (from '#')."""
    out = []
    with data_path(name).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return tuple(out)


@cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV data file; lines starting with '#' are comments (sources, notes)."""
    with data_path(name).open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return tuple(rows)
