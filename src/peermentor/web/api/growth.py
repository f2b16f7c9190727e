"""Each member's vision and gap board: read by every member, changed only by the owner."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from peermentor.domain import gaps as gap_rules
from peermentor.domain import vision as vision_rules
from peermentor.domain.gaps import Gap, GapBoard, GapCategory, GapStatus, Priority
from peermentor.domain.vision import Vision
from peermentor.services.workspace import gaps as gap_service
from peermentor.services.workspace import vision as vision_service
from peermentor.services.workspace.vision import MilestoneInput
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

router = api_router("vision and gaps")
BASE = "/pairings/{pairing_id}"
MilestoneKey = Annotated[str, Field(min_length=1, max_length=100)]
Title = Annotated[str, Field(min_length=1, max_length=gap_rules.MAX_TITLE)]


class MilestoneOut(Out):
    milestone_id: str
    title: str


class VisionOut(Out):
    person_id: int  # the author
    horizon_years: int
    statement: str
    milestones: list[MilestoneOut]
    updated_at: datetime


class MilestoneIn(Body):
    milestone_id: MilestoneKey | None = Field(
        None, description="keep an existing milestone's id so gaps stay linked to it"
    )
    title: str = Field(min_length=1, max_length=vision_rules.MAX_MILESTONE)


class VisionIn(Body):
    horizon_years: Literal[3, 4, 5]
    statement: str = Field(min_length=1, max_length=vision_rules.MAX_STATEMENT)
    milestones: list[MilestoneIn] = Field([], max_length=vision_rules.MAX_MILESTONES)


class GapOut(Out):
    gap_id: int
    title: str
    category: GapCategory
    priority: Priority
    position: int  # 0, 1, 2 ... within its priority
    status: GapStatus
    milestone_id: str | None


class BoardOut(Out):
    person_id: int  # the owner
    gaps: list[GapOut]  # by priority (now, next, backburner), then position


class GapIn(Body):
    title: Title
    category: GapCategory
    priority: Priority = Priority.NEXT
    milestone_id: MilestoneKey | None = None


class GapEdit(Body):
    title: Title | None = None
    category: GapCategory | None = None
    status: GapStatus | None = None


class GapMilestoneIn(Body):
    milestone_id: MilestoneKey | None = Field(description="null unlinks")


class GapMove(Body):
    to: Priority
    index: int = Field(ge=0, le=gap_rules.MAX_GAPS, description="place in the new priority")


def vision_out(v: Vision) -> VisionOut:
    return VisionOut(
        person_id=pid(v.author_id),
        horizon_years=v.horizon_years,
        statement=v.statement,
        milestones=[MilestoneOut(milestone_id=m.milestone_id, title=m.title) for m in v.milestones],
        updated_at=v.updated_at,
    )


def gap_out(g: Gap) -> GapOut:
    return GapOut(
        gap_id=int(g.gap_id),
        title=g.title,
        category=g.category,
        priority=g.priority,
        position=g.position,
        status=g.status,
        milestone_id=g.milestone_id,
    )


def board_out(board: GapBoard) -> BoardOut:
    ordered = [g for p in Priority for g in board.column(p)]
    return BoardOut(person_id=pid(board.owner_id), gaps=[gap_out(g) for g in ordered])


@router.get(BASE + "/visions", response_model=list[VisionOut], summary="Every member's vision")
def get_visions(pairing_id: PathId, who: Member, session: Db) -> list[VisionOut]:
    found = vision_service.get_visions(session, who.actor, pairing_id)
    return [vision_out(v) for v in sorted(found.values(), key=lambda v: pid(v.author_id))]


@router.put(BASE + "/visions/mine", response_model=VisionOut, summary="Write my vision")
def write_my_vision(
    pairing_id: PathId, body: VisionIn, who: MemberChange, session: Db, now: Clock
) -> VisionOut:
    assert who.actor.person_id is not None  # a member is a person
    milestones: list[MilestoneInput] = [
        m.title if m.milestone_id is None else (m.milestone_id, m.title) for m in body.milestones
    ]
    return vision_out(
        vision_service.write_vision(
            session,
            who.actor,
            pairing_id,
            who.actor.person_id,
            now,
            horizon_years=body.horizon_years,
            statement=body.statement,
            milestones=milestones,
        )
    )


@router.get(BASE + "/gaps", response_model=list[BoardOut], summary="Every member's gap board")
def get_gaps(pairing_id: PathId, who: Member, session: Db) -> list[BoardOut]:
    boards = gap_service.get_gap_boards(session, who.actor, pairing_id)
    return [board_out(b) for b in sorted(boards.values(), key=lambda b: pid(b.owner_id))]


@router.post(
    BASE + "/gaps", response_model=GapOut, status_code=201, summary="Add a gap to my board"
)
def add_gap(pairing_id: PathId, body: GapIn, who: MemberChange, session: Db, now: Clock) -> GapOut:
    return gap_out(
        gap_service.add_gap(
            session,
            who.actor,
            pairing_id,
            now,
            title=body.title,
            category=body.category,
            priority=body.priority,
            milestone_id=body.milestone_id,
        )
    )


GapId = PathId


@router.patch(BASE + "/gaps/{gap_id}", response_model=GapOut, summary="Edit one of my gaps")
def edit_gap(
    pairing_id: PathId, gap_id: GapId, body: GapEdit, who: MemberChange, session: Db, now: Clock
) -> GapOut:
    return gap_out(
        gap_service.update_gap(
            session,
            who.actor,
            pairing_id,
            gap_id,
            now,
            title=body.title,
            category=body.category,
            status=body.status,
        )
    )


@router.put(
    BASE + "/gaps/{gap_id}/milestone",
    response_model=GapOut,
    summary="Link one of my gaps to a milestone of my vision, or unlink it",
)
def link_gap(
    pairing_id: PathId,
    gap_id: GapId,
    body: GapMilestoneIn,
    who: MemberChange,
    session: Db,
    now: Clock,
) -> GapOut:
    return gap_out(
        gap_service.link_gap_milestone(
            session, who.actor, pairing_id, gap_id, body.milestone_id, now
        )
    )


@router.post(
    BASE + "/gaps/{gap_id}/move",
    response_model=BoardOut,
    summary="Move a gap to another priority or place, in one call",
)
def move_gap(
    pairing_id: PathId, gap_id: GapId, body: GapMove, who: MemberChange, session: Db, now: Clock
) -> BoardOut:
    return board_out(
        gap_service.move_gap(session, who.actor, pairing_id, gap_id, body.to, body.index, now)
    )


@router.delete(BASE + "/gaps/{gap_id}", response_model=BoardOut, summary="Remove one of my gaps")
def remove_gap(
    pairing_id: PathId, gap_id: GapId, who: MemberChange, session: Db, now: Clock
) -> BoardOut:
    return board_out(gap_service.remove_gap(session, who.actor, pairing_id, gap_id, now))
