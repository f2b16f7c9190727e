"""Rendered participant pages, kept until what they show changes (issue 10).

A dashboard or workspace page costs 3-8 ms to read and render; the same page for the
same person, with nothing written since, is the same bytes. So each web process keeps
the pages it rendered, keyed by

- the sign-in session (its row id: one person's page, with that session's CSRF token,
  is never handed to another session, let alone another person);
- the path and the query string (the notice after a change, the page's options);
- the data version (store/data_version.py: any committed write to a page's tables,
  from any process, moves it on; read *before* the page is rendered, so a page kept
  under version V holds data at least as new as V);
- the minute of the clock (pages say "today", "due in 2 days", "overdue").

Who is signed in is still checked on every request (an ended or expired session gets
the login page, never a kept one); only what comes after is skipped. Only 200 answers
are kept. The CSP nonce is fresh per answer: a kept page holds a placeholder where the
nonce was, filled in with the new one when it is served. Memory is bounded
(PEERMENTOR_PAGE_CACHE_MB, 0 turns the cache off); the least recently served page goes
first, and every page of an older version goes as soon as a newer one is seen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from peermentor.services import auth as auth_service
from peermentor.store import data_version
from peermentor.web.deps import Caller, session_limits
from peermentor.web.security import SESSION_COOKIE

_NONCE_MARK = b"\x00pm-nonce\x00"  # NUL never occurs in a rendered page
Key = tuple[int, str, str, str]


class PageCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Key, bytes] = OrderedDict()
        self._bytes = 0
        self._version = -1
        self._lock = threading.Lock()  # pages are rendered in the thread pool

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, version: int, key: Key) -> bytes | None:
        with self._lock:
            self._see(version)
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, version: int, key: Key, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return  # one huge page must not push out everyone else's
        with self._lock:
            self._see(version)
            if version != self._version:
                return  # rendered under a version already superseded
            old = self._pages.pop(key, None)
            self._bytes += len(body) - (len(old) if old is not None else 0)
            self._pages[key] = body
            while self._bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped)

    def _see(self, version: int) -> None:
        if version > self._version:  # versions only grow: older pages are all stale
            self._pages.clear()
            self._bytes = 0
            self._version = version

    def __len__(self) -> int:
        return len(self._pages)


def page_cache(request: Request) -> PageCache:
    cache: PageCache = request.app.state.page_cache
    return cache


def _key(request: Request, session_id: int, clock: datetime) -> Key:
    return (session_id, request.url.path, request.url.query, clock.strftime("%Y-%m-%dT%H:%M"))


def _served(request: Request, kept: bytes) -> Response:
    nonce = getattr(request.state, "csp_nonce", "").encode()
    return HTMLResponse(kept.replace(_NONCE_MARK, nonce))


def kept_page(request: Request, clock: datetime) -> Response | None:
    """The kept page, checked with one statement and no thread-pool hop, or None (the
    ordinary path then resolves the caller and renders or finds the page).

    Run on the event loop: one indexed read (tens of microseconds on SQLite, a round
    trip on PostgreSQL) costs less than a trip through the thread pool, and every
    statement in a busy thread is a release of the GIL it waits to take back."""
    cache = page_cache(request)
    if not cache.enabled or not len(cache):
        return None
    found = auth_service.live_session_and_version(
        request.app.state.store.engine,
        request.cookies.get(SESSION_COOKIE),
        clock,
        session_limits(request),
    )
    if found is None:
        return None
    session_id, version = found
    kept = cache.get(version, _key(request, session_id, clock))
    return None if kept is None else _served(request, kept)


def kept_or_rendered(
    request: Request,
    session: Session,
    who: Caller,
    clock: datetime,
    render: Callable[[], Response],
) -> Response:
    """The kept page for this session, address, data version and minute, or `render()`
    (kept when it answers 200 with a page)."""
    cache = page_cache(request)
    if not cache.enabled or who.session_id is None:
        return render()
    version = data_version.current(session)
    key = _key(request, who.session_id, clock)
    kept = cache.get(version, key)
    if kept is not None:
        return _served(request, kept)
    nonce = getattr(request.state, "csp_nonce", "").encode()
    response = render()
    if response.status_code == 200 and isinstance(response, HTMLResponse) and nonce:
        cache.put(version, key, bytes(response.body).replace(nonce, _NONCE_MARK))
    return response
