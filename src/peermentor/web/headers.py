"""Security headers on every answer, from one place (issue 9, finding 4).

A pure ASGI middleware wrapped around the whole application, so error answers get the
same headers as pages, including the 500 that Starlette's outermost error middleware
writes. Each request gets a fresh CSP nonce in `request.state.csp_nonce`; templates
see it as `csp_nonce` and every <script> carries it. Pages use no inline script
without it, no inline style and no event-handler attributes, so the policy stays
strict. The API docs (Swagger UI, ReDoc) style themselves inline, so their pages get a
policy of their own that allows inline style, still never inline script.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages that Swagger UI and ReDoc build: the only ones allowed inline style and workers.
DOCS_PAGES = ("/docs", "/docs/oauth2-redirect", "/redoc")
# Files that are the same for everyone and may be cached; every other answer is no-store.
CACHEABLE_PREFIXES = ("/static/", "/docs-assets/")
HSTS = "max-age=31536000; includeSubDomains"
_COMMON = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Invitation links carry their token in the path: never hand it to another site.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def content_security_policy(path: str, nonce: str) -> str:
    docs = path in DOCS_PAGES
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'" if docs else "style-src 'self'",
        "img-src 'self' data:",
        "worker-src 'self' blob:" if docs else "worker-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def security_headers(path: str, nonce: str, *, hsts: bool) -> dict[str, str]:
    """The headers for an answer to `path` (pure: the middleware only applies them)."""
    headers = {**_COMMON, "Content-Security-Policy": content_security_policy(path, nonce)}
    if not path.startswith(CACHEABLE_PREFIXES):
        # Signed-in pages, invitation links and exports must never sit in a shared cache
        # or in the browser's history cache on a shared computer.
        headers["Cache-Control"] = "no-store"
    if hsts:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    """Adds security_headers() to every HTTP answer; `hsts` when cookies are Secure."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        extra = security_headers(scope["path"], nonce, hsts=self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
