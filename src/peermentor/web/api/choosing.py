"""Choosing one's own peer (services/self_match.py): a participant's suggestions and
requests, asking, answering and withdrawing; and, for a programme's admins, how the
programme matches with the counts (never names). The same use cases as the choosing
page and the admins' Matching settings page. No score goes to a participant: the
explanations are the reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import Depends
from pydantic import Field
from sqlalchemy.orm import Session

from peermentor.domain import self_match as rules
from peermentor.services import self_match
from peermentor.services.access import Forbidden
from peermentor.services.availability import require_enrolled
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

router = api_router("choosing a peer")


def _enrolled(session: Session, who: Caller, program_id: int) -> Caller:
    if who.actor.person_id is None:
        raise Forbidden("only a participant may choose a peer")
    require_enrolled(session, who.actor, program_id)
    return who


def participant_reading(
    program_id: PathId, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Caller:
    """A participant enrolled in the programme in the path."""
    return _enrolled(session, who, program_id)


def participant_writing(
    program_id: PathId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Caller:
    """The same, on a change (CSRF checked for cookies), before the body is read."""
    return _enrolled(session, who, program_id)


SignedChange = Annotated[Caller, Depends(csrf_protected)]
Participant = Annotated[Caller, Depends(participant_reading)]
ParticipantChange = Annotated[Caller, Depends(participant_writing)]
ProgrammeAdmin = Annotated[Caller, Depends(programme_admin_reading)]
ProgrammeAdminChange = Annotated[Caller, Depends(programme_admin_writing)]
Mode = Literal["admin", "self", "both"]


class SelfMatchSettingsOut(Out):
    mode: Mode = Field(description="; ".join(f"{k}: {v}" for k, v in rules.MODE_WORDS.items()))
    mode_words: str
    window_ends: date | None = Field(description="both: the last day people may choose")
    reply_days: int = Field(description="how long the asked person has to answer")
    suggestions: int = Field(description="how many suggestions each person sees")


class SuggestionOut(Out):
    person_id: int
    name: str
    department: str
    job_title: str
    for_me: str = Field(description="why the matching suggests you two, as you read it")
    for_them: str = Field(description="the same, as they would read it")


class ChoosingRequestOut(Out):
    request_id: int
    person_id: int = Field(description="the other person: the one asked, or who asked")
    name: str
    status: str = Field(description="open, accepted, withdrawn, or (to the asker) not_taken_up")
    words: str
    expires_at: datetime
    pairing_id: int | None


class ChoosingOut(Out):
    program_id: int
    program: str
    settings: SelfMatchSettingsOut
    open: bool = Field(description="people may ask and answer today")
    why_not: str = Field(description="why you cannot ask now; empty when you can")
    suggestions: list[SuggestionOut]
    sent: list[ChoosingRequestOut]
    received: list[ChoosingRequestOut]


class ChoosingAskIn(Body):
    person_id: BodyId


class AskedOut(Out):
    request_id: int


class AnsweredOut(Out):
    pairing_id: int | None = Field(description="the live pairing an accept made")


class SelfMatchIn(Body):
    mode: Mode
    window_ends: date | None = None
    reply_days: Annotated[int, Field(ge=1, le=rules.MAX_REPLY_DAYS)] = 7
    suggestions: Annotated[int, Field(ge=1, le=rules.MAX_SUGGESTIONS)] = 5


class SelfMatchOut(Out):
    settings: SelfMatchSettingsOut
    open: bool
    chosen_pairings: int = Field(description="requests that became a pairing")
    waiting: int = Field(description="open requests")
    closed_without_pair: int = Field(description="declined, withdrawn, expired or lapsed")


def _settings_out(s: rules.SelfMatchSettings) -> SelfMatchSettingsOut:
    return SelfMatchSettingsOut(
        mode=s.mode,  # type: ignore[arg-type]  # one of rules.MODES
        mode_words=rules.MODE_WORDS[s.mode],
        window_ends=s.window_ends,
        reply_days=s.reply_days,
        suggestions=s.suggestions,
    )


def _request_out(r: self_match.RequestView) -> ChoosingRequestOut:
    # The asker reads declined, expired and lapsed alike: nobody learns who declined.
    hidden = r.mine and r.status in rules.CLOSED_UNTAKEN
    return ChoosingRequestOut(
        request_id=r.id,
        person_id=r.other_id,
        name=r.other_name,
        status="not_taken_up" if hidden else r.status,
        words=r.words,
        expires_at=r.expires_at,
        pairing_id=r.pairing_id,
    )


def _admin_out(found: self_match.ChoosingForAdmins) -> SelfMatchOut:
    return SelfMatchOut(
        settings=_settings_out(found.settings),
        open=found.open,
        chosen_pairings=found.chosen_pairings,
        waiting=found.waiting,
        closed_without_pair=found.closed_without_pair,
    )


@router.get(
    "/programs/{program_id}/choosing",
    response_model=ChoosingOut,
    summary="My suggestions and requests in a programme where people choose their peer",
)
def my_choosing(program_id: PathId, who: Participant, session: Db, now: Clock) -> ChoosingOut:
    c = self_match.my_choosing(session, who.actor, program_id, now)
    return ChoosingOut(
        program_id=c.program_id,
        program=c.program,
        settings=_settings_out(c.settings),
        open=c.open,
        why_not=c.why_not,
        suggestions=[
            SuggestionOut(
                person_id=s.person_id,
                name=s.name,
                department=s.department,
                job_title=s.job_title,
                for_me=s.for_me,
                for_them=s.for_them,
            )
            for s in c.suggestions
        ],
        sent=[_request_out(r) for r in c.sent],
        received=[_request_out(r) for r in c.received],
    )


@router.post(
    "/programs/{program_id}/choosing/requests",
    response_model=AskedOut,
    status_code=201,
    summary="Ask someone to be my peer (one open request at a time)",
)
def ask(
    program_id: PathId, body: ChoosingAskIn, who: ParticipantChange, session: Db, now: Clock
) -> AskedOut:
    return AskedOut(request_id=self_match.ask(session, who.actor, program_id, body.person_id, now))


@router.post(
    "/choosing/requests/{request_id}/accept",
    response_model=AnsweredOut,
    summary="Accept a request to me: the pairing is live at once",
)
def accept(request_id: PathId, who: SignedChange, session: Db, now: Clock) -> AnsweredOut:
    return AnsweredOut(pairing_id=self_match.answer(session, who.actor, request_id, True, now))


@router.post(
    "/choosing/requests/{request_id}/decline",
    response_model=AnsweredOut,
    summary="Decline a request to me (the one who asked reads 'not taken up')",
)
def decline(request_id: PathId, who: SignedChange, session: Db, now: Clock) -> AnsweredOut:
    return AnsweredOut(pairing_id=self_match.answer(session, who.actor, request_id, False, now))


@router.post(
    "/choosing/requests/{request_id}/withdraw",
    response_model=AnsweredOut,
    summary="Withdraw my open request",
)
def withdraw(request_id: PathId, who: SignedChange, session: Db, now: Clock) -> AnsweredOut:
    self_match.withdraw(session, who.actor, request_id, now)
    return AnsweredOut(pairing_id=None)


@router.get(
    "/programs/{program_id}/self-match",
    response_model=SelfMatchOut,
    summary="How the programme matches, with counts of choosing (never names)",
)
def self_match_settings(
    program_id: PathId, who: ProgrammeAdmin, session: Db, now: Clock
) -> SelfMatchOut:
    return _admin_out(self_match.for_admins(session, who.actor, program_id, now))


@router.put(
    "/programs/{program_id}/self-match",
    response_model=SelfMatchOut,
    summary="Set how the programme matches: by admins, by choosing, or both (a window)",
)
def change_self_match(
    program_id: PathId, body: SelfMatchIn, who: ProgrammeAdminChange, session: Db, now: Clock
) -> SelfMatchOut:
    self_match.change_settings(
        session,
        who.actor,
        program_id,
        mode=body.mode,
        window_ends=body.window_ends,
        reply_days=body.reply_days,
        suggestions=body.suggestions,
        now=now,
    )
    return _admin_out(self_match.for_admins(session, who.actor, program_id, now))
