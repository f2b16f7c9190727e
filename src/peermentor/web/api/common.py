"""What every API router shares: the base models, id types and who-may dependencies.

Access is decided before the body is read, by the dependencies of web/deps.py that
the pages use too (a member of the pairing, an admin of the programme); refusals
answer by the table of web/refusals.py (errors.ApiRoute).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from peermentor.services.access import require_admin
from peermentor.services.workspace.access import find_pairing
from peermentor.store.workspace_repo import person_id
from peermentor.web import deps
from peermentor.web.api.errors import ApiRoute
from peermentor.web.deps import (
    BodyId,
    Caller,
    Clock,
    PairingMember,
    PathId,
    ProgrammeAdmin,
    admin_of_programme,
    csrf_protected,
    db_session,
)

__all__ = ["BodyId", "Clock", "PathId"]  # the id types and the clock, for every router


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
    """Text the databases can store (deps.unstorable), in strings and lists of them."""
    if isinstance(value, str):
        if problem := deps.unstorable(value):
            raise ValueError(problem)
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


def member_reading(found: PairingMember = Depends(deps.pairing_member)) -> Caller:
    """A member of the pairing in the path (reads)."""
    return found.who


def member_writing(found: PairingMember = Depends(deps.pairing_member_changing)) -> Caller:
    """A member of the pairing in the path, on a change (CSRF checked for cookies)."""
    return found.who


def programme_admin_reading(found: ProgrammeAdmin = Depends(deps.programme_admin)) -> Caller:
    return found.who


def programme_admin_writing(
    found: ProgrammeAdmin = Depends(deps.programme_admin_changing),
) -> Caller:
    return found.who


def pairing_admin_writing(
    pairing_id: PathId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Caller:
    """An admin of the programme the pairing in the path belongs to."""
    require_admin(who.actor)  # before the look-up: a participant learns nothing of it
    return admin_of_programme(session, who, find_pairing(session, pairing_id).program_id).who


Member = Annotated[Caller, Depends(member_reading)]
MemberChange = Annotated[Caller, Depends(member_writing)]
Db = Annotated[Session, Depends(db_session)]
