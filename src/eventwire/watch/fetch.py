"""Fetching a feed over HTTP(S) with the standard library: a timeout, a size cap, conditional requests.

The server's ETag and Last-Modified are sent back as If-None-Match / If-Modified-Since, so an unchanged
feed costs a 304 and no parsing. Every failure is a FetchError with a one-line reason.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

from eventwire import __version__

USER_AGENT = f"eventwire/{__version__} (+watch)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"


class FetchError(Exception):
    """A feed could not be fetched; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes | None  # None: not modified since the validators given
    etag: str | None
    last_modified: str | None


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 30.0,
    max_bytes: int = 20_000_000,
) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
            got_etag = response.headers.get("ETag")
            got_modified = response.headers.get("Last-Modified")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(
                None, exc.headers.get("ETag") or etag, exc.headers.get("Last-Modified") or last_modified
            )
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"timed out after {timeout:g} s") from None
        raise FetchError(f"cannot connect ({getattr(reason, 'strerror', None) or reason})") from None
    except TimeoutError:  # a read that stalls after the headers
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # resets, bad responses or URLs
        raise FetchError(f"{type(exc).__name__}: {exc}") from None
    if len(data) > max_bytes:
        raise FetchError(f"too large (over the {max_bytes} byte cap)")
    return Fetched(data, got_etag, got_modified)
