"""Shared test fixtures.

- ``shared_dir``: the development data in ../shared; tests that use it skip when it is absent.
- ``pg_url``: a PostgreSQL URL from EVENTWIRE_TEST_PG_URL. Without it the test skips, except in CI
  (CI=true), where a missing server is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", REPO.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (development data) is not present")
    return SHARED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def _pg_base_url() -> str | None:
    url = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI run without EVENTWIRE_TEST_PG_URL: PostgreSQL tests must not be skipped in CI")
        pytest.skip("EVENTWIRE_TEST_PG_URL is not set (no PostgreSQL server for this run)")
    return url


@pytest.fixture
def pg_url() -> str:
    """A fresh, empty PostgreSQL schema for one test, dropped afterwards."""
    base = _pg_base_url()
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # a server that is configured but down is a failure, not a skip
        pytest.fail(f"PostgreSQL at EVENTWIRE_TEST_PG_URL is not reachable: {exc}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()
