"""`eventwire token` and `eventwire serve` from the command line (the browser tests run serve for real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.cli import main
from eventwire.store import open_store
from eventwire.web.server import is_loopback


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "events.db")
    open_store(path).close()
    return path


def test_token_create_list_revoke(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "create", "--db", db, "--name", "alice"]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert token.startswith("ew_") and "shown only now" in err
    with open_store(db) as store:
        assert store.token_owner(token) == "alice"
    assert main(["token", "list", "--db", db]) == 0
    listing = capsys.readouterr().out
    assert "alice" in listing and token not in listing
    assert main(["token", "revoke", "alice", "--db", db]) == 0
    assert "revoked 1" in capsys.readouterr().err
    with open_store(db) as store:
        assert store.token_owner(token) is None
    assert main(["token", "revoke", "alice", "--db", db]) == 2
    assert "no active token" in capsys.readouterr().err


def test_user_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "missing.db")
    for argv in (["serve", "--db", missing], ["token", "create", "--db", missing]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "no such database" in err and "Traceback" not in err
    assert not Path(missing).exists()
    with pytest.raises(SystemExit):
        main(["serve", "--port", "70000"])
    assert "port" in capsys.readouterr().err


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.0.2.1", "example.org"))
