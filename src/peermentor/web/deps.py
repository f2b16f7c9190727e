"""Request dependencies of pages and API alike: the clock, the database session, who
is calling, what they may open, and the limits every input meets.

A caller is known by the session cookie (pages, and scripts in the browser, which
must then send the CSRF token on every change) or by `Authorization: Bearer <API
token>` (scripts; no cookie, so no CSRF to forge).

Access is decided before a body is read: `pairing_member` (a member of the pairing in
the path) and `programme_admin` (an admin of the programme in the path) refuse someone
who may not act with 403/404 whatever they sent, so they learn nothing from validation
messages. The use case checks again; the rule itself is written once, in the services.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Path, Request
from pydantic import Field
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotAllowed, ValidationError
from peermentor.services import auth as auth_service
from peermentor.services import programs as programs_service
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, open_workspace

if TYPE_CHECKING:  # only types here: the adapters reach accounts and programmes through services
    from peermentor.store.models import Program, User
from peermentor.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    check_session_csrf,
)

# Database ids are 32-bit on every backend; a longer number is a 422, not an overflow.
MAX_ID = 2_147_483_647
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
ProgramId = PathId
PairingId = PathId


def unstorable(text: str) -> str | None:
    """Why the databases cannot store this text, or None when they can: PostgreSQL
    refuses NUL, both refuse lone surrogates (JSON allows both; nobody types them)."""
    if "\x00" in text:
        return "must not contain a NUL character, which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text; a lone surrogate cannot be stored"
    return None


async def storable_form(request: Request) -> None:
    """A form holding text that cannot be stored is refused whole, naming the field,
    rather than failing at the database."""
    for key, value in (await request.form()).multi_items():
        if isinstance(value, str) and (problem := unstorable(value)):
            raise ValidationError(problem, field=key)


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
    # The sign-in session's row (None for an API token): what a kept page is keyed on.
    session_id: int | None = None


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
    return Caller(user, auth_service.actor_for(user), row.csrf_token, row.id)


@contextmanager
def caller_outside_routes(request: Request) -> Iterator[Caller | None]:
    """Who is signed in, for a page answered outside a route's dependencies (a refusal,
    a stale form, an unknown address), so it keeps the header with their account. It
    reads in a session of its own: the route's may have been left mid-transaction."""
    clock = request.app.dependency_overrides.get(now, now)
    with request.app.state.store.sessions() as session:
        yield optional_caller(request, clock(), session)


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


@dataclass(frozen=True)
class PairingMember:
    """The caller, known to be a member of the pairing in the path; its workspace open."""

    who: Caller
    workspace: Workspace


def _pairing_member(session: Session, who: Caller, pairing_id: int) -> PairingMember:
    # Admins are never members, and learn here not even whether the pairing exists:
    # what a pair writes to each other is not theirs to read.
    if who.actor.is_admin:
        raise NotAllowed("only the members of a pairing may see or change its workspace")
    return PairingMember(who, open_workspace(session, who.actor, pairing_id))


def pairing_member(
    pairing_id: PairingId, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> PairingMember:
    """A member of the pairing in the path, reading."""
    return _pairing_member(session, who, pairing_id)


def _pairing_member_sending(
    pairing_id: PairingId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> PairingMember:
    # Not async: the look-up runs in the thread pool, not on the event loop.
    return _pairing_member(session, who, pairing_id)


async def pairing_member_changing(
    request: Request, found: PairingMember = Depends(_pairing_member_sending)
) -> PairingMember:
    """A member of the pairing in the path, changing it: CSRF checked for cookies, and
    then (only then, so an outsider learns nothing from it) a form holding text that
    cannot be stored is refused."""
    await storable_form(request)
    return found


@dataclass(frozen=True)
class ProgrammeAdmin:
    """The caller, known to be an admin of the programme in the path."""

    who: Caller
    program: Program


def admin_of_programme(session: Session, who: Caller, program_id: int) -> ProgrammeAdmin:
    # Admin first: a participant learns not even whether the programme exists.
    return ProgrammeAdmin(who, programs_service.get_program_by_id(session, who.actor, program_id))


def programme_admin(
    program_id: ProgramId, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> ProgrammeAdmin:
    return admin_of_programme(session, who, program_id)


def programme_admin_changing(
    program_id: ProgramId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> ProgrammeAdmin:
    return admin_of_programme(session, who, program_id)
