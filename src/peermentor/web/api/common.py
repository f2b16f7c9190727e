"""What every API router shares: the base models, id types and who-may dependencies.

Access is decided before the body is read: a dependency opens the workspace (or
checks the admin) first, so that someone who may not act gets 403/404 whatever they
sent, and learns nothing from validation messages. The use case checks again; the
rule itself is written once, in the services.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from peermentor.services.access import require_admin
from peermentor.services.programs import get_program_by_id
from peermentor.services.workspace.access import find_pairing, open_workspace
from peermentor.store.workspace_repo import person_id
from peermentor.web import deps
from peermentor.web.api.errors import ApiRoute
from peermentor.web.deps import Caller, caller, csrf_protected, db_session

# Ids are database integers; a bigger number is refused here rather than overflowing
# PostgreSQL's integer column (which would be a 500).
MAX_ID = 2_147_483_647
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]

Clock = Annotated[datetime, Depends(deps.now)]  # a dependency, so tests can move time


class Problem(BaseModel):
    """Why a request was refused, in words (422s have FastAPI's list shape instead)."""

    detail: str


# Documented on every route, so a client knows the refusals before meeting one.
REFUSALS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body could not be read (not UTF-8)"},
    401: {"model": Problem, "description": "Not signed in and no API token"},
    403: {"model": Problem, "description": "Not allowed (or the CSRF header is missing)"},
    404: {"model": Problem, "description": "No such thing"},
    409: {"model": Problem, "description": "Not in the pairing's current state"},
}


def api_router(tag: str) -> APIRouter:
    return APIRouter(tags=[tag], route_class=ApiRoute, responses=REFUSALS)


def _check_text(value: Any) -> Any:
    """Text PostgreSQL and SQLite can store: no NUL, no lone surrogates (JSON allows
    both, the databases refuse them with an error that would be a 500)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("must be valid Unicode text") from None
    elif isinstance(value, list | tuple):
        for item in value:
            _check_text(item)
    return value


class Body(BaseModel):
    """A request body: unknown fields are refused (a typo is not silently dropped)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        return _check_text(value)


class Reason(Body):
    reason: str = Field("", max_length=1000, description="optional, in your own words")


class Out(BaseModel):
    """A response body."""


def pid(member: str) -> int:
    """The API names members by their person id; the domain by a string of it."""
    return person_id(member)


def member_reading(
    pairing_id: PathId, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Caller:
    """A member of the pairing in the path (reads)."""
    open_workspace(session, who.actor, pairing_id)
    return who


def member_writing(
    pairing_id: PathId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Caller:
    """A member of the pairing in the path, on a change (CSRF checked for cookies)."""
    open_workspace(session, who.actor, pairing_id)
    return who


def _program_admin(session: Session, who: Caller, program_id: int) -> Caller:
    # The admin check comes first there: a participant learns not even whether it exists.
    get_program_by_id(session, who.actor, program_id)
    return who


def programme_admin_reading(
    program_id: PathId, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Caller:
    return _program_admin(session, who, program_id)


def programme_admin_writing(
    program_id: PathId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Caller:
    return _program_admin(session, who, program_id)


def pairing_admin_writing(
    pairing_id: PathId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Caller:
    """An admin of the programme the pairing in the path belongs to."""
    require_admin(who.actor)  # before the look-up, as above
    return _program_admin(session, who, find_pairing(session, pairing_id).program_id)


Member = Annotated[Caller, Depends(member_reading)]
MemberChange = Annotated[Caller, Depends(member_writing)]
Db = Annotated[Session, Depends(db_session)]
