"""Request dependencies: the database session and who is calling.

A caller is known by the session cookie (pages, and scripts in the browser, which
must then send the CSRF token on every change) or by `Authorization: Bearer <API
token>` (scripts; no cookie, so no CSRF to forge).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from peermentor.services import auth as auth_service
from peermentor.services.access import Actor

if TYPE_CHECKING:  # only a type here: the adapters reach accounts through services.auth
    from peermentor.store.models import User
from peermentor.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    check_session_csrf,
)

# Database ids are 32-bit on every backend; a longer number is a 422, not an overflow.
MAX_ID = 2_147_483_647
ProgramId = Annotated[int, Path(ge=1, le=MAX_ID)]
PairingId = Annotated[int, Path(ge=1, le=MAX_ID)]


class LoginRequired(Exception):
    """No valid session: pages redirect to the login page, the API answers 401."""


def now() -> datetime:
    """The clock every route reads, as a dependency so tests can move it."""
    return datetime.now(UTC)


Clock = Annotated[datetime, Depends(now)]


def session_limits(request: Request) -> auth_service.SessionLimits:
    settings = request.app.state.settings
    return auth_service.SessionLimits(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_max_hours),
    )


def client_address(request: Request) -> str:
    """Who is knocking, for throttling (the real client once trusted proxies are set)."""
    return request.client.host if request.client else "unknown"


def db_session(request: Request) -> Iterator[Session]:
    with request.app.state.store.sessions() as session:
        yield session


@dataclass(frozen=True)
class Caller:
    user: User
    actor: Actor
    csrf_token: str | None  # None when the caller used an API token


def optional_caller(
    request: Request, moment: Clock, session: Session = Depends(db_session)
) -> Caller | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = auth_service.resolve_api_token(session, header[7:].strip(), moment)
        return Caller(user, auth_service.actor_for(user), None) if user else None
    found = auth_service.resolve_session(
        session, request.cookies.get(SESSION_COOKIE), moment, session_limits(request)
    )
    if found is None:
        return None
    user, row = found
    return Caller(user, auth_service.actor_for(user), row.csrf_token)


async def caller(found: Caller | None = Depends(optional_caller)) -> Caller:
    # async: it only looks at what optional_caller found, so it need not cost a hop
    # through the thread pool (each one is a context switch under load).
    if found is None:
        raise LoginRequired
    return found


async def csrf_protected(request: Request, who: Caller = Depends(caller)) -> Caller:
    """For every state-changing route: the session's token in the form or a header."""
    if who.csrf_token is None:
        return who
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    check_session_csrf(who.csrf_token, submitted)
    return who
