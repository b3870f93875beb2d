"""`eventwire watch` (issue 9): folders and RSS/Atom feeds polled into the database, incrementally.

Feeds are served by a local HTTP server in a thread (127.0.0.1, a free port) that gives an ETag and a
Last-Modified header and answers conditional requests with 304; the reports are short texts written for
these tests. In-process tests drive the Watcher with a fake clock to check the schedule and the backoff;
the real CLI runs in subprocesses to check that the state survives a new process and that SIGTERM stops
the loop cleanly.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from eventwire.run import RunSummary
from eventwire.store import Store, open_store
from eventwire.watch import FeedSource, PathSource, Watcher, WatchOptions, backoff_delay, watch
from eventwire.watch.sources import Poll, SourceError

REPO = Path(__file__).resolve().parents[1]

STRIKE = (
    "An air strike hit a crowded vegetable market in the town of Ariha in Idlib province on Tuesday, "
    "killing five civilians and wounding twelve, local rescuers said. The White Helmets civil defence "
    "group said its teams pulled three bodies from the rubble. No side claimed the strike."
)
STRIKE_AGAIN = (  # the same strike in other words, from another outlet
    "Warplanes bombed a market in Ariha, in Syria's Idlib province, on Tuesday, killing five civilians, "
    "the civil defence said. Twelve people were hurt in the raid on the busy market, rescuers added. "
    "Residents said the jets came from the south."
)
CLASH = (
    "Fighters of the Syrian Democratic Forces clashed with Islamic State militants near the village of "
    "Diban in Deir ez-Zor province on Monday, the SDF said. Three SDF fighters and two militants were "
    "killed in the fighting, which lasted several hours."
)
BOMB = (
    "A roadside bomb exploded next to a Syrian army patrol near the town of Nawa in Daraa province on "
    "Wednesday, killing two soldiers, state media reported."
)
SHELLING = (
    "Government artillery shelled the village of Kansafra in southern Idlib on Thursday, killing a woman "
    "and her son, a war monitor said. Opposition factions answered with rockets on army positions."
)


def rss(*items: tuple[str, str, str, str]) -> bytes:
    """An RSS 2.0 feed of (guid, title, pubDate, text) items."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://syria-desk.example/{guid}</link>"
        f"<pubDate>{day}</pubDate><description>{text}</description></item>"
        for guid, title, day, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Syria Desk</title>'
        f"<link>https://syria-desk.example/</link><description>Reports</description>{body}</channel></rss>"
    ).encode()


def atom(*entries: tuple[str, str, str, str]) -> bytes:
    """An Atom feed of (id, title, updated, text) entries."""
    body = "".join(
        f"<entry><id>tag:levant-wire.example,2025:{eid}</id><title>{title}</title>"
        f'<link href="https://levant-wire.example/{eid}"/><updated>{day}</updated>'
        f'<content type="text">{text}</content></entry>'
        for eid, title, day, text in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Levant Wire</title><id>tag:levant-wire.example,2025:feed</id>"
        f"<updated>2025-03-13T08:00:00Z</updated>{body}</feed>"
    ).encode()


RSS_ITEMS = [
    ("ariha-strike", "Air strike kills five in Idlib market", "Tue, 11 Mar 2025 14:00:00 GMT", STRIKE),
    ("diban-clash", "Clashes near Deir ez-Zor leave fighters dead", "Mon, 10 Mar 2025 18:30:00 GMT", CLASH),
]
ATOM_ENTRIES = [
    ("ariha", "Five civilians dead as warplanes bomb Ariha market", "2025-03-11T16:05:00Z", STRIKE_AGAIN),
    ("nawa", "Roadside bomb hits army patrol in Daraa", "2025-03-12T09:00:00Z", BOMB),
]
NEW_ITEM = ("kansafra", "Shelling kills two in southern Idlib", "Thu, 13 Mar 2025 11:00:00 GMT", SHELLING)


class FeedServer:
    """Serves ``files`` (path -> bytes) with ETag and Last-Modified; records every request's headers."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.modified: dict[str, datetime] = {}
        self.requests: list[tuple[str, dict[str, str], int]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                status = server.answer(self)
                server.requests.append((self.path, dict(self.headers), status))

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def put(self, path: str, data: bytes) -> None:
        self.files[path] = data
        # HTTP dates have whole seconds: a new version must look newer than the last one.
        last = self.modified.get(path, datetime(2025, 3, 13, tzinfo=UTC))
        self.modified[path] = last + timedelta(seconds=10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def answer(self, handler: BaseHTTPRequestHandler) -> int:
        data = self.files.get(handler.path)
        if data is None:
            handler.send_error(404, "Not Found")
            return 404
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return 304
        handler.send_response(200)
        handler.send_header("Content-Type", "application/xml; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", format_datetime(self.modified[handler.path], usegmt=True))
        handler.end_headers()
        handler.wfile.write(data)
        return 200

    def statuses(self, path: str) -> list[int]:
        return [status for p, _, status in self.requests if p == path]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer()
    srv.put("/syria.rss", rss(*RSS_ITEMS))
    srv.put("/levant.atom", atom(*ATOM_ENTRIES))
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def closed_port() -> int:
    """A port nothing listens on (bound, then released), for a refused connection."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 13, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def once(db: str, *sources: str, lines: list[str] | None = None, **options: object):
    out = lines if lines is not None else []
    summary = watch(WatchOptions(sources=list(sources), db=db, once=True, **options), report=out.append)
    return summary, out


def live_events(st: Store) -> list:
    return sorted(st.events(), key=lambda e: e.event_id)


def strike_event(st: Store):
    """The air strike on Ariha's market (reported by one item of each feed)."""
    (event,) = [
        e for e in st.events() if e.sub_event_type == "Air/drone strike" and "Ar" in (e.location or "")
    ]
    return event


def watch_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eventwire", "watch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


# --------------------------------------------------------------------------- feeds


def test_first_poll_ingests_every_item_and_the_second_changes_nothing(
    server: FeedServer, tmp_path: Path
) -> None:
    db = str(tmp_path / "w.db")
    feeds = [server.url("/syria.rss"), server.url("/levant.atom")]
    summary, lines = once(db, *feeds)
    assert summary.exit_status == 0, lines
    assert summary.totals.articles_read == 4 and summary.totals.articles_new == 4
    with open_store(db) as st:
        before = [(e.event_id, e.article_ids, e.evidence) for e in live_events(st)]
        stamped = sorted((e.event_id, t) for e, t in st.events_with_timestamps())
        assert st.stats()["articles"] == 4
        state = st.watch_source(feeds[0])
        assert state["etag"] and state["last_modified"] and state["errors"] == 0
        assert len(st.watch_items(feeds[0])) == 2
    summary, lines = once(db, *feeds)
    assert summary.exit_status == 0
    assert (summary.totals.articles_read, summary.totals.articles_new) == (0, 0)
    assert server.statuses("/syria.rss") == [200, 304]  # a conditional request, answered "not modified"
    headers = server.requests[-1][1]
    assert headers.get("If-None-Match") and headers.get("If-Modified-Since")
    with open_store(db) as st:
        assert [(e.event_id, e.article_ids, e.evidence) for e in live_events(st)] == before
        assert sorted((e.event_id, t) for e, t in st.events_with_timestamps()) == stamped  # not rewritten


def test_one_event_from_two_feeds_is_one_event_with_two_articles(server: FeedServer, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    summary, _ = once(db, server.url("/syria.rss"), server.url("/levant.atom"))
    assert summary.totals.events_merged >= 1
    with open_store(db) as st:
        event = strike_event(st)
        assert event.sub_event_type == "Air/drone strike" and event.fatalities == 5
        assert len(event.article_ids) == 2 and event.source_count == 2
        assert set(event.sources) == {"Syria Desk", "Levant Wire"}
        titles = {st.article(a).title for a in event.article_ids}
        assert titles == {RSS_ITEMS[0][1], ATOM_ENTRIES[0][1]}


def test_an_item_added_to_a_feed_is_ingested_at_the_next_poll(server: FeedServer, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    url = server.url("/syria.rss")
    once(db, url)
    server.put("/syria.rss", rss(NEW_ITEM, *RSS_ITEMS))
    summary, lines = once(db, url)
    assert summary.exit_status == 0, lines
    # Only the new entry is read: the others carry the stamps recorded at the first poll.
    assert (summary.totals.articles_read, summary.totals.articles_new) == (1, 1)
    with open_store(db) as st:
        assert st.stats()["articles"] == 3
        assert st.article("kansafra") is not None
        assert any(e.article_ids == ["kansafra"] for e in st.events())
        assert len(st.watch_items(url)) == 3


def test_a_feed_given_as_a_file_is_watched_like_a_folder_item(tmp_path: Path) -> None:
    db, feed = str(tmp_path / "w.db"), tmp_path / "levant.atom"
    feed.write_bytes(atom(*ATOM_ENTRIES))
    assert once(db, str(feed))[0].totals.articles_new == 2
    assert once(db, str(feed))[0].totals.articles_read == 0  # unchanged file: not read again


# --------------------------------------------------------------------------- folders


def test_new_and_changed_files_in_a_watched_folder_are_picked_up(tmp_path: Path) -> None:
    db, reports = str(tmp_path / "w.db"), tmp_path / "reports"
    (reports / "north").mkdir(parents=True)
    (reports / "daraa.txt").write_text("Roadside bomb hits army patrol in Daraa\n" + BOMB, encoding="utf-8")
    ariha = reports / "north" / "ariha.txt"
    ariha.write_text("Air strike on Ariha market\n" + STRIKE, encoding="utf-8")
    (reports / "notes.pdf").write_bytes(b"%PDF-1.4")
    summary, lines = once(db, str(reports), published=date(2025, 3, 12))
    assert summary.totals.articles_new == 2 and summary.exit_status == 0
    assert sum("notes.pdf" in line and "note:" in line for line in lines) == 1
    summary, lines = once(db, str(reports))
    assert summary.totals.articles_read == 0
    assert not any("notes.pdf" in line for line in lines)  # a skipped file is noted once

    ariha.write_text(
        "Air strike on Ariha market, toll rises\n" + STRIKE.replace("five", "seven"), encoding="utf-8"
    )
    info = ariha.stat()
    os.utime(ariha, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    (reports / "north" / "kansafra.txt").write_text("Shelling kills two\n" + SHELLING, encoding="utf-8")
    summary, lines = once(db, str(reports), published=date(2025, 3, 13))
    assert (summary.totals.articles_read, summary.totals.articles_new) == (2, 2), lines
    with open_store(db) as st:
        assert st.stats()["articles"] == 4
        assert st.article("ariha") is not None and st.article("kansafra") is not None
    # The changed report is kept as a second version of "ariha" (its old evidence stays valid).
    assert sum("article id 'ariha' already holds other content" in line for line in lines) == 1
    with sqlite3.connect(db) as raw:
        assert len(raw.execute("SELECT id FROM articles WHERE id LIKE 'ariha@%'").fetchall()) == 1


# --------------------------------------------------------------------------- errors and backoff


def test_failing_sources_back_off_while_the_others_are_ingested(server: FeedServer, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    missing, refused = server.url("/gone.rss"), f"http://127.0.0.1:{closed_port()}/feed.xml"
    good = server.url("/syria.rss")
    clock, lines = Clock(), []
    with open_store(db) as st:
        sources = [
            FeedSource(missing, timeout=5),
            FeedSource(refused, timeout=5),
            FeedSource(good, timeout=5),
        ]
        watcher = Watcher(
            st, sources, run_id=None, interval=60, max_backoff=300, report=lines.append, clock=clock
        )
        first = watcher.poll_round()
        assert first.failed == [missing, refused]
        assert first.summary.articles_new == 2  # the good feed went on
        assert len(lines) == 2 and all("\n" not in line and "Traceback" not in line for line in lines)
        assert "HTTP 404" in lines[0] and "cannot connect" in lines[1]

        def wait_of(key: str) -> float:
            state = st.watch_source(key)
            return (state["next_poll_at"] - state["last_polled_at"]).total_seconds()

        assert st.watch_source(missing)["errors"] == 1 and wait_of(missing) == 120
        assert st.watch_source(missing)["last_error"] == "HTTP 404 Not Found"
        assert wait_of(good) == 60

        # At +61 s only the good feed is due; the failing ones wait out their backoff.
        clock.now += timedelta(seconds=61)
        assert watcher.poll_round().polled == 1
        waits = []
        for _ in range(4):  # poll regardless of the schedule: the backoff doubles, then is capped
            watcher.poll_round(due_only=False)
            waits.append(wait_of(missing))
        assert waits == [240, 300, 300, 300]
        assert st.watch_source(refused)["errors"] == 5

        server.put("/gone.rss", atom(*ATOM_ENTRIES))  # the source comes back
        recovered = watcher.poll_round(due_only=False)
        assert missing not in recovered.failed and recovered.summary.articles_new == 2
        state = st.watch_source(missing)
        assert state["errors"] == 0 and state["last_error"] is None and wait_of(missing) == 60


def test_a_page_that_is_not_a_feed_and_a_silent_server_are_source_failures(server: FeedServer) -> None:
    server.put("/page.rss", b"<html><body><p>Subscribe to our newsletter</p></body></html>")
    with pytest.raises(SourceError, match="not an RSS/Atom feed"):
        FeedSource(server.url("/page.rss")).poll({}, {})
    with socket.socket() as silent:  # accepts connections (the backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        started = time.monotonic()
        with pytest.raises(SourceError, match="timed out after 1 s"):
            FeedSource(f"http://127.0.0.1:{silent.getsockname()[1]}/feed.xml", timeout=1).poll({}, {})
        assert time.monotonic() - started < 10


def test_backoff_doubles_from_the_interval_up_to_the_cap() -> None:
    assert [backoff_delay(n, 30, 200) for n in range(5)] == [30, 60, 120, 200, 200]


def test_once_exits_1_when_a_source_fails_and_names_it_in_one_line(
    server: FeedServer, tmp_path: Path
) -> None:
    db = str(tmp_path / "w.db")
    done = watch_cli(server.url("/gone.rss"), str(tmp_path / "no-such-folder"), "--db", db, "--once")
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(errors) == 2 and "Traceback" not in done.stderr
    assert "HTTP 404" in errors[0] and "no such file or directory" in errors[1]


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    done = watch_cli("ftp://example.org/feed", "--db", str(tmp_path / "w.db"), "--once")
    assert done.returncode == 2 and "unsupported URL scheme" in done.stderr and "Traceback" not in done.stderr
    done = watch_cli(str(tmp_path), "--interval", "60", "--max-backoff", "10", "--once")
    assert done.returncode == 2 and "--max-backoff" in done.stderr


# --------------------------------------------------------------------------- state across processes


def _state_survives_a_new_process(db: str, server: FeedServer, folder: Path) -> None:
    url = server.url("/levant.atom")
    first = watch_cli(url, str(folder), "--db", db, "--once", "--published", "2025-03-12")
    assert first.returncode == 0, first.stderr
    assert "3 articles read, 3 new" in first.stderr
    second = watch_cli(url, str(folder), "--db", db, "--once")
    assert second.returncode == 0, second.stderr
    assert "0 articles read, 0 new" in second.stderr
    assert server.statuses("/levant.atom") == [200, 304]
    server.put(
        "/levant.atom", atom(("kansafra", NEW_ITEM[1], "2025-03-13T11:00:00Z", SHELLING), *ATOM_ENTRIES)
    )
    third = watch_cli(url, str(folder), "--db", db, "--once")
    assert third.returncode == 0 and "1 articles read, 1 new" in third.stderr, third.stderr
    with open_store(db) as st:
        assert st.stats()["articles"] == 4 and st.watch_source(url)["errors"] == 0
        runs = [st.get_run(n) for n in (1, 2, 3)]
        assert [r["status"] for r in runs] == ["ok", "ok", "ok"]
        assert [r["articles_new"] for r in runs] == [3, 0, 1]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "diban.txt").write_text("Clashes near Diban\n" + CLASH, encoding="utf-8")
    return reports


def test_state_survives_a_new_process_sqlite(server: FeedServer, folder: Path, tmp_path: Path) -> None:
    _state_survives_a_new_process(str(tmp_path / "w.db"), server, folder)


def test_state_survives_a_new_process_postgresql(server: FeedServer, folder: Path, pg_url: str) -> None:
    _state_survives_a_new_process(pg_url, server, folder)


def test_postgresql_backoff_and_dedup(server: FeedServer, pg_url: str) -> None:
    summary, lines = once(
        pg_url, server.url("/syria.rss"), server.url("/levant.atom"), server.url("/gone.rss")
    )
    assert summary.exit_status == 1 and len(lines) >= 2
    with open_store(pg_url) as st:
        assert len(strike_event(st).article_ids) == 2
        assert st.watch_source(server.url("/gone.rss"))["errors"] == 1


# --------------------------------------------------------------------------- stopping


def test_a_stop_finishes_the_current_article_and_the_rest_comes_next_poll(tmp_path: Path) -> None:
    db, reports = str(tmp_path / "w.db"), tmp_path / "reports"
    reports.mkdir()
    for name, text in (("a_clash", CLASH), ("b_bomb", BOMB), ("c_shelling", SHELLING)):
        (reports / f"{name}.txt").write_text(text, encoding="utf-8")

    class StopsAtTheSecondFile(PathSource):
        """As if SIGTERM came while the second file is read."""

        stop: threading.Event

        def poll(self, state, seen) -> Poll:
            got = super().poll(state, seen)
            for change in got.changes:
                if "b_bomb" in change.key:
                    change.read = self._stopping(change.read)
            return got

        def _stopping(self, read):
            def read_and_stop():
                self.stop.set()
                yield from read()

            return read_and_stop

    with open_store(db) as st:
        source = StopsAtTheSecondFile(reports)
        watcher = Watcher(st, [source], run_id=None, interval=60, max_backoff=60, report=lambda _l: None)
        source.stop = watcher.stopping
        summary = RunSummary()
        assert watcher.poll(source, summary)
        assert summary.articles_new == 2  # the article being read when the stop came was finished
        assert len(st.watch_items(source.key)) == 2
        watcher.stopping.clear()
        again = watcher.poll_round(due_only=False)
        assert again.summary.articles_new == 1 and len(st.watch_items(source.key)) == 3


def test_sigterm_stops_the_loop_cleanly(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "eventwire", "watch", str(folder), "--db", str(db), "--interval", "1"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if db.exists():
                with sqlite3.connect(db) as raw:
                    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
                    if "articles" in tables and raw.execute("SELECT count(*) FROM articles").fetchone()[0]:
                        break
        else:
            pytest.fail("the watcher stored nothing in time")
        time.sleep(1.5)  # at least one more (empty) round, then wait
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "SIGTERM: stopping" in err and "Traceback" not in err
    with sqlite3.connect(db) as raw:
        status, new = raw.execute("SELECT status, articles_new FROM runs").fetchone()
    assert (status, new) == ("ok", 1)
