"""Who may write: bearer tokens, from the EVENTWIRE_TOKEN environment variable or `eventwire token create`.

A request without a token gets 401 (with ``WWW-Authenticate: Bearer``); one with a token that is neither
the environment token nor an active stored token gets 403. The name behind the token is what the audit
trail records as "who". Tokens travel in the Authorization header, never in cookies, so another site
cannot make a browser write on a reviewer's behalf.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from eventwire.store import Store

ENV_TOKEN_NAME = "EVENTWIRE_TOKEN"


class TokenCheck:
    def __init__(self, store: Store, env_token: str | None) -> None:
        self._store = store
        self._env_token = env_token or None

    def __call__(self, request: Request) -> str:
        """The writer's name for the audit trail; raises 401 or 403."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(
                status_code=401,
                detail="this needs a token: send 'Authorization: Bearer TOKEN' "
                "(EVENTWIRE_TOKEN or one from `eventwire token create`)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if self._env_token is not None and hmac.compare_digest(token.encode(), self._env_token.encode()):
            return ENV_TOKEN_NAME
        owner = self._store.token_owner(token)
        if owner is None:
            raise HTTPException(status_code=403, detail="this token is not valid (unknown or revoked)")
        return owner
