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
are kept, and requests that miss the same page together wait for one render. The CSP
nonce is fresh per answer: a kept page holds a placeholder where the nonce was,
filled in with the new one when it is served. Memory is bounded
(PEERMENTOR_PAGE_CACHE_MB, 0 turns the cache off); the least recently served page goes
first, and every page of an older version goes as soon as a newer one is seen.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from peermentor.services import auth as auth_service
from peermentor.store import data_version
from peermentor.web.deps import Caller, session_limits
from peermentor.web.security import SESSION_COOKIE

_NONCE_MARK = b"\x00pm-nonce\x00"  # NUL never occurs in a rendered page
Key = tuple[int, str, str, str]
TOUCH_SECONDS = 10.0


class PageCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Key, bytes] = OrderedDict()
        self._bytes = 0
        self._version = -1
        self._lock = threading.Lock()  # pages are rendered in the thread pool
        self._flights: dict[Key, threading.Lock] = {}
        self._touching: dict[int, float] = {}  # session id -> when its write was asked

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

    @contextmanager
    def one_render(self, key: Key) -> Iterator[None]:
        """Requests for the same key that miss together wait for one render instead of
        each making their own (a page's minute turning over, several tabs at once)."""
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            yield
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]

    def touching(self, session_id: int) -> bool:
        """True for the one request that is to write the session's last-seen time; the
        others arriving before it is written need not (unless that write has not
        happened in TOUCH_SECONDS: its answer may never have been sent)."""
        moment = time.monotonic()
        with self._lock:
            since = self._touching.get(session_id)
            if since is not None and moment - since < TOUCH_SECONDS:
                return False
            self._touching[session_id] = moment
            return True

    def touched(self, session_id: int) -> None:
        with self._lock:
            self._touching.pop(session_id, None)

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
    statement in a busy thread is a release of the GIL it waits to take back. When the
    session's last-seen time is due (once a minute), it is written after the answer
    is sent (a background task), so no view waits for that write."""
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
    kept = cache.get(found.data_version, _key(request, found.session_id, clock))
    if kept is None:
        return None
    served = _served(request, kept)
    if found.seen_due and cache.touching(found.session_id):
        served.background = BackgroundTask(_touch, request, cache, found.session_id, clock)
    return served


def _touch(request: Request, cache: PageCache, session_id: int, clock: datetime) -> None:
    # Starlette runs a sync background task in the thread pool, after the answer.
    try:
        with request.app.state.store.sessions() as session:
            auth_service.touch_session(session, session_id, clock)
    finally:
        cache.touched(session_id)


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
    with cache.one_render(key):
        kept = cache.get(version, key)  # rendered while this request waited its turn
        if kept is not None:
            return _served(request, kept)
        nonce = getattr(request.state, "csp_nonce", "").encode()
        response = render()
        if response.status_code == 200 and isinstance(response, HTMLResponse) and nonce:
            cache.put(version, key, bytes(response.body).replace(nonce, _NONCE_MARK))
        return response
