"""The charter: the shared purpose, each member's goals, cadence and norms; agreed by all."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from peermentor.domain import charter as rules
from peermentor.domain.charter import CadenceKind, Charter, CharterVersion
from peermentor.services.workspace import charter as service
from peermentor.web.api.common import (
    Body,
    Clock,
    Db,
    Member,
    MemberChange,
    Out,
    PathId,
    api_router,
    pid,
)

router = api_router("charter")
BASE = "/pairings/{pairing_id}/charter"


class GoalOut(Out):
    person_id: int
    text: str


class CadenceOut(Out):
    kind: CadenceKind
    every_days: int | None


class NormsOut(Out):
    confidentiality: bool
    candour: bool
    other: str


class CharterVersionOut(Out):
    version: int
    purpose: str
    goals: list[GoalOut]
    cadence: CadenceOut
    norms: NormsOut
    edited_by: int
    edited_at: datetime


class CharterOut(Out):
    current: CharterVersionOut
    agreed_by: list[int]  # person ids who agreed the current version
    is_agreed: bool
    members_without_goals: list[int]
    history: list[CharterVersionOut]  # oldest first, current last


class CharterEdit(Body):
    """Fields left out keep their value. A real change asks everyone to agree again."""

    purpose: str | None = Field(None, max_length=rules.MAX_PURPOSE)
    cadence: CadenceKind | None = None
    every_days: int | None = Field(None, ge=1, le=rules.MAX_EVERY_DAYS)
    confidentiality: bool | None = None
    candour: bool | None = None
    other_norms: str | None = Field(None, max_length=rules.MAX_NORMS_TEXT)


class GoalsIn(Body):
    goals: list[Annotated[str, Field(max_length=rules.MAX_GOAL)]] = Field(
        max_length=rules.MAX_GOALS_PER_MEMBER
    )


def _version(v: CharterVersion) -> CharterVersionOut:
    return CharterVersionOut(
        version=v.version,
        purpose=v.purpose,
        goals=[GoalOut(person_id=pid(g.member_id), text=g.text) for g in v.goals],
        cadence=CadenceOut(kind=v.cadence.kind, every_days=v.cadence.every_days),
        norms=NormsOut(
            confidentiality=v.norms.confidentiality, candour=v.norms.candour, other=v.norms.other
        ),
        edited_by=pid(v.edited_by),
        edited_at=v.edited_at,
    )


def charter_out(ch: Charter) -> CharterOut:
    return CharterOut(
        current=_version(ch.current),
        agreed_by=sorted(pid(m) for m in ch.agreed_by),
        is_agreed=ch.is_agreed,
        members_without_goals=[pid(m) for m in ch.members_without_goals],
        history=[_version(v) for v in ch.history],
    )


@router.get(
    BASE, response_model=CharterOut | None, summary="The charter with its history (null if none)"
)
def get_charter(pairing_id: PathId, who: Member, session: Db) -> CharterOut | None:
    found = service.get_charter(session, who.actor, pairing_id)
    return None if found is None else charter_out(found)


@router.patch(BASE, response_model=CharterOut, summary="Edit the shared parts of the charter")
def edit_charter(
    pairing_id: PathId, body: CharterEdit, who: MemberChange, session: Db, now: Clock
) -> CharterOut:
    return charter_out(
        service.edit_charter(
            session,
            who.actor,
            pairing_id,
            now,
            purpose=body.purpose,
            cadence=body.cadence,
            every_days=body.every_days,
            confidentiality=body.confidentiality,
            candour=body.candour,
            other_norms=body.other_norms,
        )
    )


@router.put(BASE + "/goals", response_model=CharterOut, summary="Replace my own goals")
def set_my_goals(
    pairing_id: PathId, body: GoalsIn, who: MemberChange, session: Db, now: Clock
) -> CharterOut:
    return charter_out(service.set_my_goals(session, who.actor, pairing_id, body.goals, now))


@router.post(BASE + "/agree", response_model=CharterOut, summary="Agree the current version")
def agree(pairing_id: PathId, who: MemberChange, session: Db, now: Clock) -> CharterOut:
    return charter_out(service.agree_charter(session, who.actor, pairing_id, now))
