"""`eventwire serve`: open the store and run the app under uvicorn."""

from __future__ import annotations

import ipaddress
import os
from typing import Literal

from eventwire.store import open_store
from eventwire.web.app import LOOPBACK_HOSTS, WebConfig, create_app
from eventwire.web.auth import ENV_TOKEN_NAME


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    db: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    tiles: str | None = None,
    max_upload: int = 2_000_000,
    open_reads: bool | None = None,
    log_level: str = "info",
    count_cap: int | Literal["auto"] | None = "auto",
) -> None:
    """Serve until interrupted. Reads are open by default only on a loopback address; elsewhere they
    need a token too, and any Host header is accepted (the operator chose to expose the server)."""
    import uvicorn

    loopback = is_loopback(host)
    config = WebConfig(
        env_token=os.environ.get(ENV_TOKEN_NAME) or None,
        max_upload=max_upload,
        open_reads=loopback if open_reads is None else open_reads,
        allowed_hosts=(*LOOPBACK_HOSTS, host) if loopback else None,
        tiles=tiles,
        tiles_attribution="© OpenStreetMap contributors" if tiles and "openstreetmap" in tiles else "",
        count_cap=count_cap,
    )
    store = open_store(db)
    try:
        app = create_app(store, config)
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
    finally:
        store.close()
