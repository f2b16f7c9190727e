"""Team circles over JSON: members give and receive notes, the lead and admins count.

Members read only their own notes (an anonymous note without its giver, once released);
the lead and admins get participation figures, never a note; admins of the circle's
programme change membership, cadence and anonymity and start rounds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends
from pydantic import AwareDatetime, Field
from sqlalchemy.orm import Session

from peermentor.domain import feedback as feedback_rules
from peermentor.domain.circles import MAX_REPLY, RoundFigures
from peermentor.domain.feedback import Dimension
from peermentor.services import circle_notes as notes_service
from peermentor.services import circles as circles_service
from peermentor.services import programs as programs_service
from peermentor.services.circle_notes import MemberView, ShownNote
from peermentor.services.circles import CircleSummary
from peermentor.store.circles_models import CircleRound
from peermentor.web import deps
from peermentor.web.api.common import (
    Body,
    BodyId,
    Clock,
    Db,
    Out,
    PathId,
    api_router,
    programme_admin_reading,
    programme_admin_writing,
)
from peermentor.web.deps import Caller, caller, csrf_protected, db_session

router = api_router("circles")
Part = Annotated[str, Field(min_length=1, max_length=feedback_rules.MAX_PART)]


def _member(
    circle_id: PathId, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Caller:
    notes_service.member_circle(session, who.actor, circle_id)
    return who


def _member_change(
    circle_id: PathId, who: Caller = Depends(csrf_protected), session: Session = Depends(db_session)
) -> Caller:
    notes_service.member_circle(session, who.actor, circle_id)
    return who


def _counter(
    circle_id: PathId, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Caller:
    circles_service.require_lead_or_admin(session, who.actor, circle_id)
    return who


def _admin(
    circle_id: PathId, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Caller:
    circles_service.admin_circle(session, who.actor, circle_id)
    return who


def _admin_change(
    circle_id: PathId, who: Caller = Depends(csrf_protected), session: Session = Depends(db_session)
) -> Caller:
    circles_service.admin_circle(session, who.actor, circle_id)
    return who


def _receiver(
    note_id: PathId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
    moment: datetime = Depends(deps.now),
) -> Caller:
    """The receiver of the note in the path, who may read it now: checked before the body."""
    notes_service.readable_note(session, who.actor, note_id, moment)
    return who


Member = Annotated[Caller, Depends(_member)]
Receiver = Annotated[Caller, Depends(_receiver)]
MemberChange = Annotated[Caller, Depends(_member_change)]
Counter = Annotated[Caller, Depends(_counter)]
Admin = Annotated[Caller, Depends(_admin)]
AdminChange = Annotated[Caller, Depends(_admin_change)]
Signed = Annotated[Caller, Depends(caller)]
SignedChange = Annotated[Caller, Depends(csrf_protected)]
ProgrammeAdmin = Annotated[Caller, Depends(programme_admin_reading)]
ProgrammeAdminChange = Annotated[Caller, Depends(programme_admin_writing)]


# --- shapes ---


class MyCircleOut(Out):
    circle_id: int
    name: str
    i_lead: bool


class ReplyOut(Out):
    kind: str
    text: str
    created_at: datetime


class NoteOut(Out):
    """An anonymous note has no giver, no round and no time: any of them could tell who."""

    note_id: int
    anonymous: bool
    giver: int | None
    receiver: int
    round: int | None
    given_at: datetime | None
    dimension: str
    situation: str
    behaviour: str
    impact: str
    suggestion: str
    acknowledged: bool
    replies: list[ReplyOut]


class ToGiveOut(Out):
    receiver: int
    name: str
    given: bool


class RoundOut(Out):
    round: int
    starts_at: datetime
    deadline: datetime
    anonymous: bool


class HistoryOut(RoundOut):
    took_part: bool
    skipped: bool
    gave: int
    to_give: int


class MemberViewOut(Out):
    circle_id: int
    name: str
    round: RoundOut | None
    to_give: list[ToGiveOut]
    skipped: bool
    may_skip: bool
    received: list[NoteOut]
    held: int
    given: list[NoteOut]
    history: list[HistoryOut]


class FiguresOut(Out):
    """Counts of one round; all null when fewer than five took part."""

    round: int
    hidden: bool
    participants: int | None
    gave: int | None
    received: int | None
    acknowledged: int | None
    on_time: int | None
    late: int | None


class ParticipationOut(Out):
    circle_id: int
    name: str
    rounds: list[FiguresOut]


class CircleOut(Out):
    circle_id: int
    name: str
    lead: int | None
    members: list[int]
    cadence_days: int
    anonymous: bool
    receivers_per_giver: int
    round: RoundOut | None


class CreatedOut(Out):
    circles: list[CircleOut]
    skipped: int


class AcknowledgedOut(Out):
    note_id: int
    acknowledged_at: datetime


def _settings_of(session: Session, who: Caller, circle_id: int) -> CircleOut:
    return circle_out(
        circles_service.summary(
            session, circles_service.admin_circle(session, who.actor, circle_id)
        )
    )


class NoteIn(Body):
    receiver_id: BodyId
    dimension: Dimension
    situation: Part
    behaviour: Part
    impact: Part
    suggestion: str = Field("", max_length=feedback_rules.MAX_PART)


class ReplyIn(Body):
    kind: Literal["thanks", "question"]
    text: Annotated[str, Field(min_length=1, max_length=MAX_REPLY)]


class PauseIn(Body):
    until: AwareDatetime


class CircleIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    member_ids: list[BodyId] = Field(min_length=3, max_length=30)
    lead_id: BodyId | None = None


class FromTeamsIn(Body):
    min_size: int = Field(3, ge=3, le=30)
    lead: Literal["manager", "none"] = "manager"


class SettingsIn(Body):
    cadence_days: int | None = Field(None, ge=1, le=365)
    anonymous: bool | None = None
    receivers_per_giver: int | None = Field(None, ge=1, le=29)


class MemberIn(Body):
    person_id: BodyId


def _note_out(n: ShownNote) -> NoteOut:
    v = n.view
    return NoteOut(
        note_id=v.note_id,
        anonymous=v.anonymous,
        giver=int(v.giver) if v.giver else None,
        receiver=int(v.receiver),
        round=None if v.anonymous else v.round_number,
        given_at=n.given_at,
        dimension=v.dimension,
        situation=v.situation,
        behaviour=v.behaviour,
        impact=v.impact,
        suggestion=v.suggestion,
        acknowledged=v.acknowledged,
        replies=[ReplyOut(kind=r.kind, text=r.text, created_at=r.created_at) for r in n.replies],
    )


def _round_out(r: CircleRound | None) -> RoundOut | None:
    if r is None:
        return None
    return RoundOut(
        round=r.number, starts_at=r.starts_at, deadline=r.deadline, anonymous=r.anonymous
    )


def member_view_out(v: MemberView) -> MemberViewOut:
    return MemberViewOut(
        circle_id=v.circle.id,
        name=v.circle.name,
        round=_round_out(v.round),
        to_give=[
            ToGiveOut(receiver=t.receiver.id, name=t.receiver.name, given=t.given)
            for t in v.to_give
        ],
        skipped=v.skipped,
        may_skip=v.may_skip,
        received=[_note_out(n) for n in v.received],
        held=v.held,
        given=[_note_out(n) for n in v.given],
        history=[
            HistoryOut(
                round=h.number,
                starts_at=h.starts_at,
                deadline=h.deadline,
                anonymous=h.anonymous,
                took_part=h.took_part,
                skipped=h.skipped,
                gave=h.gave,
                to_give=h.to_give,
            )
            for h in v.history
        ],
    )


def figures_out(f: RoundFigures) -> FiguresOut:
    return FiguresOut(
        round=f.round_number,
        hidden=f.hidden,
        participants=f.participants,
        gave=f.gave,
        received=f.received,
        acknowledged=f.acknowledged,
        on_time=f.on_time,
        late=f.late,
    )


def circle_out(s: CircleSummary) -> CircleOut:
    c = s.circle
    return CircleOut(
        circle_id=c.id,
        name=c.name,
        lead=s.lead.id if s.lead else None,
        members=[p.id for p in s.members],
        cadence_days=c.cadence_days,
        anonymous=c.anonymous,
        receivers_per_giver=c.receivers_per_giver,
        round=_round_out(s.round),
    )


# --- members ---


@router.get("/circles", response_model=list[MyCircleOut], summary="Circles I am in or lead")
def my_circles(who: Signed, session: Db) -> list[MyCircleOut]:
    return [
        MyCircleOut(circle_id=c.id, name=c.name, i_lead=lead)
        for c, lead in notes_service.my_circles(session, who.actor)
    ]


@router.get(
    "/circles/{circle_id}", response_model=MemberViewOut, summary="My circle: this round, my notes"
)
def member_view(circle_id: PathId, who: Member, session: Db, now: Clock) -> MemberViewOut:
    return member_view_out(notes_service.member_view(session, who.actor, circle_id, now))


@router.post(
    "/circles/{circle_id}/notes",
    response_model=NoteOut,
    status_code=201,
    summary="Give this round's colleague a note",
)
def give_note(
    circle_id: PathId, body: NoteIn, who: MemberChange, session: Db, now: Clock
) -> NoteOut:
    note = notes_service.give_note(
        session,
        who.actor,
        circle_id,
        now,
        receiver_id=body.receiver_id,
        dimension=body.dimension,
        situation=body.situation,
        behaviour=body.behaviour,
        impact=body.impact,
        suggestion=body.suggestion,
    )
    view = notes_service.member_view(session, who.actor, circle_id, now)
    mine = [n for n in view.given if n.view.note_id == note.id]
    if mine:
        return _note_out(mine[0])
    # An anonymous note is not shown back, not even to its giver.
    return NoteOut(
        note_id=note.id,
        anonymous=True,
        giver=None,
        receiver=note.receiver_id,
        round=None,
        given_at=None,
        dimension=note.dimension,
        situation="",
        behaviour="",
        impact="",
        suggestion="",
        acknowledged=False,
        replies=[],
    )


@router.post("/circles/{circle_id}/skip", response_model=MemberViewOut, summary="Skip this round")
def skip(circle_id: PathId, who: MemberChange, session: Db, now: Clock) -> MemberViewOut:
    notes_service.skip_round(session, who.actor, circle_id, now)
    return member_view_out(notes_service.member_view(session, who.actor, circle_id, now))


@router.post(
    "/circles/{circle_id}/pause", response_model=MemberViewOut, summary="Pause until a date"
)
def pause(
    circle_id: PathId, body: PauseIn, who: MemberChange, session: Db, now: Clock
) -> MemberViewOut:
    notes_service.pause(session, who.actor, circle_id, now, until=body.until)
    return member_view_out(notes_service.member_view(session, who.actor, circle_id, now))


@router.post("/circles/{circle_id}/resume", response_model=MemberViewOut, summary="End a pause")
def resume(circle_id: PathId, who: MemberChange, session: Db, now: Clock) -> MemberViewOut:
    notes_service.resume(session, who.actor, circle_id)
    return member_view_out(notes_service.member_view(session, who.actor, circle_id, now))


@router.post(
    "/circle-notes/{note_id}/acknowledge",
    response_model=AcknowledgedOut,
    summary="Acknowledge a note to me",
)
def acknowledge(note_id: PathId, who: Receiver, session: Db, now: Clock) -> AcknowledgedOut:
    note = notes_service.acknowledge_note(session, who.actor, note_id, now)
    assert note.acknowledged_at is not None
    return AcknowledgedOut(note_id=note.id, acknowledged_at=note.acknowledged_at)


@router.post(
    "/circle-notes/{note_id}/replies",
    status_code=201,
    response_model=ReplyOut,
    summary="Thank the giver of a signed note, or ask a question",
)
def reply(note_id: PathId, body: ReplyIn, who: Receiver, session: Db, now: Clock) -> ReplyOut:
    r = notes_service.reply_to_note(
        session, who.actor, note_id, now, kind=body.kind, text=body.text
    )
    return ReplyOut(kind=r.kind, text=r.text, created_at=r.created_at)


# --- the lead and admins ---


@router.get(
    "/circles/{circle_id}/participation",
    response_model=ParticipationOut,
    summary="Participation per round (counts only, none under five people)",
)
def participation(circle_id: PathId, who: Counter, session: Db) -> ParticipationOut:
    circle, figures = notes_service.participation(session, who.actor, circle_id)
    return ParticipationOut(
        circle_id=circle.id, name=circle.name, rounds=[figures_out(f) for f in figures]
    )


@router.get(
    "/programs/{program_id}/circles",
    response_model=list[CircleOut],
    summary="A programme's circles",
)
def list_circles(program_id: PathId, who: ProgrammeAdmin, session: Db) -> list[CircleOut]:
    return [circle_out(s) for s in circles_service.list_circles(session, who.actor, program_id)]


@router.post(
    "/programs/{program_id}/circles",
    response_model=CircleOut,
    status_code=201,
    summary="Create a circle by hand",
)
def create_circle(
    program_id: PathId, body: CircleIn, who: ProgrammeAdminChange, session: Db, now: Clock
) -> CircleOut:
    circle = circles_service.create_circle(
        session,
        who.actor,
        program_id,
        now,
        name=body.name,
        member_ids=body.member_ids,
        lead_id=body.lead_id,
    )
    return circle_out(circles_service.summary(session, circle))


@router.post(
    "/programs/{program_id}/circles/from-teams",
    response_model=CreatedOut,
    status_code=201,
    summary="A circle for every team of the programme",
)
def from_teams(
    program_id: PathId, body: FromTeamsIn, who: ProgrammeAdminChange, session: Db, now: Clock
) -> CreatedOut:
    program = programs_service.get_program_by_id(session, who.actor, program_id)
    made = circles_service.create_from_teams(
        session, who.actor, program.name, now, min_size=body.min_size, lead=body.lead
    )
    return CreatedOut(
        circles=[circle_out(circles_service.summary(session, c)) for c in made.circles],
        skipped=made.skipped,
    )


@router.get(
    "/circles/{circle_id}/settings",
    response_model=CircleOut,
    summary="A circle's members, lead, cadence and round (no note, no pairs)",
)
def circle_settings(circle_id: PathId, who: Admin, session: Db) -> CircleOut:
    return circle_out(
        circles_service.summary(
            session, circles_service.admin_circle(session, who.actor, circle_id)
        )
    )


@router.patch(
    "/circles/{circle_id}/settings", response_model=CircleOut, summary="Cadence, anonymity"
)
def change_settings(
    circle_id: PathId, body: SettingsIn, who: AdminChange, session: Db, now: Clock
) -> CircleOut:
    circle = circles_service.change_settings(
        session,
        who.actor,
        circle_id,
        now,
        cadence_days=body.cadence_days,
        anonymous=body.anonymous,
        receivers_per_giver=body.receivers_per_giver,
    )
    return circle_out(circles_service.summary(session, circle))


@router.post("/circles/{circle_id}/members", response_model=CircleOut, summary="Add a member")
def add_member(
    circle_id: PathId, body: MemberIn, who: AdminChange, session: Db, now: Clock
) -> CircleOut:
    circles_service.add_member(session, who.actor, circle_id, body.person_id, now)
    return _settings_of(session, who, circle_id)


@router.delete(
    "/circles/{circle_id}/members/{person_id}", response_model=CircleOut, summary="Remove a member"
)
def remove_member(
    circle_id: PathId, person_id: PathId, who: AdminChange, session: Db, now: Clock
) -> CircleOut:
    circles_service.remove_member(session, who.actor, circle_id, person_id, now)
    return _settings_of(session, who, circle_id)


@router.post(
    "/circles/{circle_id}/rounds",
    response_model=RoundOut,
    status_code=201,
    summary="Start the next round now",
)
def start_round(circle_id: PathId, who: AdminChange, session: Db, now: Clock) -> RoundOut:
    started = circles_service.start_next_round(session, who.actor, circle_id, now)
    out = _round_out(started)
    assert out is not None
    return out
