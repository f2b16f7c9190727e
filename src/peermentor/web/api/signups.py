"""Self sign-up for a programme's admins: the settings and link, who waits, and the
decisions (the same services as the admins' Sign-ups page)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field

from peermentor.services import signup
from peermentor.web.api.common import (
    Body,
    Clock,
    Db,
    Out,
    PathId,
    api_router,
    programme_admin_reading,
    programme_admin_writing,
)
from peermentor.web.deps import MAX_ID, Caller

router = api_router("self sign-up")
ProgrammeAdmin = Annotated[Caller, Depends(programme_admin_reading)]
ProgrammeAdminChange = Annotated[Caller, Depends(programme_admin_writing)]


class SignupSettingsOut(Out):
    open: bool
    approval: bool  # an admin approves each sign-up before it is matched
    domains: list[str]  # empty: any address
    link: str  # the sign-up link while open, else ""


class WaitingOut(Out):
    person_id: int
    name: str
    email: str
    signed_up_at: datetime
    self_enrolled: bool  # known from their sign-up only (no employee id from HR yet)


class SignupsOut(Out):
    settings: SignupSettingsOut
    waiting: list[WaitingOut]
    unconfirmed: int  # signed up, address not confirmed yet


class SignupSettingsIn(Body):
    open: bool
    approval: bool = True
    domains: list[Annotated[str, Field(max_length=253)]] = Field(default=[], max_length=50)
    new_link: bool = False  # a new secret: the old link stops working


class DecisionIn(Body):
    person_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=signup.MAX_DECISIONS
    )
    approve: bool


class DecidedOut(Out):
    decided: int  # sign-ups moved; one decided by someone else already is left alone


def _out(found: signup.SignupSetup) -> SignupsOut:
    s = found.settings
    return SignupsOut(
        settings=SignupSettingsOut(
            open=s.open, approval=s.approval, domains=list(s.domains), link=found.link
        ),
        waiting=[
            WaitingOut(
                person_id=r.person_id,
                name=r.name,
                email=r.email,
                signed_up_at=r.signed_up_at,
                self_enrolled=r.self_enrolled,
            )
            for r in found.waiting
        ],
        unconfirmed=found.unconfirmed,
    )


@router.get(
    "/programs/{program_id}/signups",
    response_model=SignupsOut,
    summary="The programme's sign-up settings and link, and the sign-ups waiting",
)
def signups(program_id: PathId, request: Request, who: ProgrammeAdmin, session: Db) -> SignupsOut:
    base_url = request.app.state.settings.base_url
    return _out(signup.setup(session, who.actor, program_id, base_url))


@router.put(
    "/programs/{program_id}/signups/settings",
    response_model=SignupsOut,
    summary="Open or close self sign-up, approval, email domains, a new link",
)
def change_settings(
    program_id: PathId,
    body: SignupSettingsIn,
    request: Request,
    who: ProgrammeAdminChange,
    session: Db,
    now: Clock,
) -> SignupsOut:
    settings = request.app.state.settings
    signup.change_settings(
        session,
        who.actor,
        program_id,
        open=body.open,
        approval=body.approval,
        domains=", ".join(body.domains),
        now=now,
        mail_ready=settings.mail_enabled(),
        new_link=body.new_link,
    )
    return _out(signup.setup(session, who.actor, program_id, settings.base_url))


@router.post(
    "/programs/{program_id}/signups/decisions",
    response_model=DecidedOut,
    summary="Approve or decline waiting sign-ups, many at once",
)
def decide(
    program_id: PathId,
    body: DecisionIn,
    request: Request,
    who: ProgrammeAdminChange,
    session: Db,
    now: Clock,
) -> DecidedOut:
    moved = signup.decide(
        session,
        who.actor,
        program_id,
        body.person_ids,
        approve=body.approve,
        now=now,
        base_url=request.app.state.settings.base_url,
    )
    return DecidedOut(decided=moved)
