"""Crash safety: a real ``eventwire extract`` killed with SIGKILL in the middle of a run, then run again.

Each article is stored in one transaction with its events (and the known events it merged into), so a
kill loses at most the article being written; the re-run recognises stored articles by their content hash
and does the rest. We check: no duplicate, no lost article, a consistent database (integrity and foreign
keys), and the same events as a run that was never interrupted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventwire import store, synthetic
from eventwire.store.db import normalize_url

N_ARTICLES = 200
KILL_AFTER = 30  # stored articles


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "reports.jsonl"
    synthetic.write_jsonl(synthetic.articles(N_ARTICLES, seed=7), path)
    return path


def _extract(corpus: Path, db: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "eventwire", "extract", str(corpus), "--db", db, "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _count(engine: sa.Engine, table: str) -> int:
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    except sa.exc.DBAPIError:  # not created yet, or locked for a moment
        return 0


def _kill_midway(corpus: Path, db: str, engine: sa.Engine) -> int:
    proc = _extract(corpus, db)
    deadline = time.monotonic() + 120
    try:
        while _count(engine, "articles") < KILL_AFTER:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run stored nothing in two minutes"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    stored = _count(engine, "articles")
    assert KILL_AFTER <= stored < N_ARTICLES
    return stored


def _events(db: str) -> list[dict]:
    with store.open_store(db) as st:
        records = [e.to_record() for e in st.all_events()]
    return sorted(records, key=lambda r: r["event_id"])


def _check_consistent(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        # Evidence and links point at stored events and articles (checked in SQL on both dialects).
        orphans = conn.execute(
            sa.text(
                "SELECT count(*) FROM evidence v LEFT JOIN articles a ON a.id = v.article_id "
                "LEFT JOIN events e ON e.event_id = v.event_id WHERE a.id IS NULL OR e.event_id IS NULL"
            )
        ).scalar_one()
        assert orphans == 0
        dup_hashes = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT raw_hash FROM articles GROUP BY raw_hash HAVING count(*) > 1) d"
            )
        ).scalar_one()
        assert dup_hashes == 0
        # Every event is linked to at least one stored article.
        unlinked = conn.execute(
            sa.text(
                "SELECT count(*) FROM events e WHERE NOT EXISTS "
                "(SELECT 1 FROM event_articles l WHERE l.event_id = e.event_id)"
            )
        ).scalar_one()
        assert unlinked == 0


def _crash_and_resume(corpus: Path, db: str, reference: str) -> None:
    engine = sa.create_engine(normalize_url(db))
    try:
        _kill_midway(corpus, db, engine)
        _check_consistent(engine)
        rerun = _extract(corpus, db)
        _, err = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, err
        assert f"{N_ARTICLES} articles read" in err
        _check_consistent(engine)
        with engine.connect() as conn:
            ids = conn.execute(sa.text("SELECT id FROM articles")).scalars().all()
        expected = {json.loads(line)["id"] for line in corpus.open(encoding="utf-8")}
        assert len(ids) == len(set(ids)) == N_ARTICLES  # none lost, none twice
        assert set(ids) == expected
    finally:
        engine.dispose()
    clean = _extract(corpus, reference)
    _, err = clean.communicate(timeout=600)
    assert clean.returncode == 0, err
    assert _events(db) == _events(reference)  # the same dataset as a run that never stopped


@pytest.mark.slow
def test_kill_9_then_rerun_sqlite(corpus: Path, tmp_path: Path) -> None:
    _crash_and_resume(corpus, str(tmp_path / "crash.db"), str(tmp_path / "clean.db"))


@pytest.mark.slow
@pytest.mark.postgres
def test_kill_9_then_rerun_postgresql(corpus: Path, tmp_path: Path, pg_url: str) -> None:
    _crash_and_resume(corpus, pg_url, str(tmp_path / "clean.db"))
