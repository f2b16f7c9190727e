"""A body limit on every request, enforced before anything reads or parses the body.

Pure ASGI, so it sits in front of FastAPI's form and JSON parsing: a request whose
Content-Length is over the limit is answered 413 without reading a byte of it, and a
chunked body (no Content-Length) is counted as it streams in and cut off at the first
byte over the limit; whatever the app was doing with the half-read body is dropped and
the client gets the same 413. Forms and JSON get `max_request_bytes`; the people CSV
upload, the one route that takes files, gets `max_upload_bytes`.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peermentor.config import Settings
from peermentor.web.refusals import message_page
from peermentor.web.render import render

UPLOAD_ROUTE = re.compile(r"/admin/programs/[^/]+/people")


def install_body_limit(app: Starlette, settings: Settings) -> None:
    app.add_middleware(
        BodyLimit,
        max_request_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )


class BodyTooLarge(Exception):
    """The body went over the limit while the app was reading it."""


def size_text(count: int) -> str:
    """1048576 -> "1 MiB": how the refusal names the limit."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_request_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.max_upload_bytes = max_upload_bytes

    def limit_for(self, scope: Scope) -> int:
        if scope["method"] == "POST" and UPLOAD_ROUTE.fullmatch(scope["path"]):
            return self.max_upload_bytes
        return self.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await (await too_large(scope, limit))(scope, receive, send)
            return
        received = 0
        exceeded = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a cut-off body (a 400 or 500) is replaced
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await (await too_large(scope, limit))(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length before we see it
    return None


async def too_large(scope: Scope, limit: int) -> Response:
    """The 413: JSON in the API's error shape for /api, a page for everything else,
    under the header of whoever is signed in (so they can still find their way and sign
    out); the session is looked up in the thread pool, off the event loop."""
    message = f"The request is larger than the limit of {size_text(limit)}."
    headers = {"connection": "close"}  # the unread rest of the body is not waited for
    if scope["path"].startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=413, headers=headers)
    request = Request(scope)
    if "app" in scope and hasattr(scope["app"].state, "store"):
        page = await run_in_threadpool(message_page, request, "Too large", message, 413)
    else:
        context: dict[str, Any] = {"title": "Too large", "message": message}
        page = render(request, "message.html", context, status_code=413)
    page.headers.update(headers)
    return page
