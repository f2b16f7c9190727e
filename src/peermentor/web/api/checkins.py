"""Check-ins: each member's pulse on trust, candour, mutual benefit and progress.

A member reads only their own answers, so that the ratings can be honest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from peermentor.domain import checkins as checkin_rules
from peermentor.domain.checkins import CheckIn
from peermentor.services.workspace import checkins as checkin_service
from peermentor.web.api.common import (
    Body,
    Clock,
    Db,
    Member,
    MemberChange,
    Out,
    PathId,
    api_router,
)

router = api_router("check-ins")
BASE = "/pairings/{pairing_id}"
Rating = Annotated[int, Field(ge=1, le=5)]


class CheckInOut(Out):
    at: datetime
    trust: int
    candour: int
    mutual_benefit: int
    progress: int
    note: str


class PartnerPulseOut(Out):
    person_id: int
    last_checked_in_at: datetime | None  # when, never what they answered


class CheckInsOut(Out):
    mine: list[CheckInOut]  # only my own answers: the partner's stay theirs
    due: bool
    next_due: datetime | None
    partners: list[PartnerPulseOut]


class CheckInIn(Body):
    trust: Rating
    candour: Rating
    mutual_benefit: Rating
    progress: Rating
    note: str = Field("", max_length=checkin_rules.MAX_NOTE)


def _checkin(c: CheckIn) -> CheckInOut:
    return CheckInOut(
        at=c.at,
        trust=c.trust,
        candour=c.candour,
        mutual_benefit=c.mutual_benefit,
        progress=c.progress,
        note=c.note,
    )


def checkins_out(found: checkin_service.MyCheckIns) -> CheckInsOut:
    return CheckInsOut(
        mine=[_checkin(c) for c in found.mine],
        due=found.due,
        next_due=found.next_due,
        partners=[
            PartnerPulseOut(person_id=int(member), last_checked_in_at=at)
            for member, at in found.partners_last
        ],
    )


@router.get(BASE + "/checkins", response_model=CheckInsOut, summary="My check-ins; one due?")
def my_checkins(pairing_id: PathId, who: Member, session: Db, now: Clock) -> CheckInsOut:
    return checkins_out(checkin_service.my_checkins(session, who.actor, pairing_id, now))


@router.post(
    BASE + "/checkins", response_model=CheckInsOut, status_code=201, summary="Check in (1 to 5)"
)
def check_in(
    pairing_id: PathId, body: CheckInIn, who: MemberChange, session: Db, now: Clock
) -> CheckInsOut:
    return checkins_out(
        checkin_service.check_in(
            session,
            who.actor,
            pairing_id,
            now,
            trust=body.trust,
            candour=body.candour,
            mutual_benefit=body.mutual_benefit,
            progress=body.progress,
            note=body.note,
        )
    )
