"""Forwarded headers, believed only from the proxies named in PEERMENTOR_TRUSTED_PROXIES.

uvicorn's own middleware does the work: when the direct peer is trusted it takes the
client address from X-Forwarded-For (the nearest address that is not a trusted proxy)
and the scheme from X-Forwarded-Proto. With no trusted proxies nothing is installed,
so `request.client.host` is always the address that opened the connection.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def behind_trusted_proxies(app: ASGIApp, trusted: Sequence[str]) -> ASGIApp:
    if not trusted:
        return app
    # uvicorn types ASGI more narrowly than Starlette; the two are the same protocol.
    return ProxyHeadersMiddleware(app, trusted_hosts=list(trusted))  # type: ignore[arg-type, return-value]
