"""Choosing one's own peer (services/self_match.py): a participant's suggestions, each
with why the matching suggests them two, the requests they sent and received, and the
buttons to ask, accept, decline and withdraw. No score is shown: the explanations are
the reason; and the one who asked reads "not taken up" whoever or whatever closed it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain import self_match as rules
from peermentor.domain.errors import DomainError, ValidationError
from peermentor.services import self_match
from peermentor.web.deps import (
    MAX_ID,
    Caller,
    Clock,
    PathId,
    ProgramId,
    caller,
    csrf_protected,
    db_session,
)
from peermentor.web.refusals import status
from peermentor.web.render import render, sentence

router = APIRouter(prefix="/programmes/{program_id}/choose", include_in_schema=False)
NOTICES = {
    "asked": "Your request is sent. You are told here (and by mail) once it is answered.",
    "declined": "You declined. Nobody else is told.",
    "withdrawn": "Your request is withdrawn: you may ask someone else.",
}


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name


def mode_line(s: rules.SelfMatchSettings, today: Any) -> str:
    """The window and mode in one line, as a participant reads it."""
    if s.mode == rules.SELF:
        return "People in this programme choose their own peer."
    if s.mode == rules.BOTH and s.window_ends is not None:
        if s.open_on(today):
            return (
                f"You may choose your peer until {s.window_ends:%Y-%m-%d}; after that the "
                "admins' match pairs everyone still unpaired."
            )
        return f"Choosing closed on {s.window_ends:%Y-%m-%d}."
    return "This programme's admins match everyone."


def _show(
    request: Request,
    who: Caller,
    session: Session,
    program_id: int,
    moment: datetime,
    status_code: int = 200,
    problem: str | None = None,
) -> Response:
    found = self_match.my_choosing(session, who.actor, program_id, moment)
    context = {
        "caller": who,
        "c": found,
        "mode_line": mode_line(found.settings, moment.date()),
        "first_name": first_name,
        "open_status": rules.OPEN,
        "reply_days": found.settings.reply_days,
        "waiting_for_me": [r for r in found.received if r.status == rules.OPEN],
        "notice": None if problem else NOTICES.get(request.query_params.get("notice", "")),
        "problem": problem,
    }
    return render(request, "programme_choose.html", context, status_code=status_code)


def _back(program_id: int, notice: str) -> Response:
    return RedirectResponse(f"/programmes/{program_id}/choose?notice={notice}", status_code=303)


def _refused(
    request: Request,
    who: Caller,
    session: Session,
    program_id: int,
    moment: datetime,
    error: DomainError,
) -> Response:
    session.rollback()
    return _show(request, who, session, program_id, moment, status(error), sentence(error.message))


@router.get("")
def choose_page(
    request: Request,
    program_id: ProgramId,
    moment: Clock,
    who: Caller = Depends(caller),
    session: Session = Depends(db_session),
) -> Response:
    return _show(request, who, session, program_id, moment)


@router.post("/ask")
def ask(
    request: Request,
    program_id: ProgramId,
    moment: Clock,
    person_id: Annotated[str, Form()] = "",
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    try:
        raw = person_id.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
            raise ValidationError("choose one of your suggestions", field="person_id")
        self_match.ask(session, who.actor, program_id, int(raw), moment)
    except DomainError as error:
        return _refused(request, who, session, program_id, moment, error)
    return _back(program_id, "asked")


@router.post("/requests/{request_id}/accept")
def accept(
    request: Request,
    program_id: ProgramId,
    request_id: PathId,
    moment: Clock,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    try:
        pairing_id = self_match.answer(session, who.actor, request_id, True, moment)
    except DomainError as error:
        return _refused(request, who, session, program_id, moment, error)
    return RedirectResponse(f"/pairings/{pairing_id}?notice=chosen", status_code=303)


@router.post("/requests/{request_id}/decline")
def decline(
    request: Request,
    program_id: ProgramId,
    request_id: PathId,
    moment: Clock,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    try:
        self_match.answer(session, who.actor, request_id, False, moment)
    except DomainError as error:
        return _refused(request, who, session, program_id, moment, error)
    return _back(program_id, "declined")


@router.post("/requests/{request_id}/withdraw")
def withdraw(
    request: Request,
    program_id: ProgramId,
    request_id: PathId,
    moment: Clock,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    try:
        self_match.withdraw(session, who.actor, request_id, moment)
    except DomainError as error:
        return _refused(request, who, session, program_id, moment, error)
    return _back(program_id, "withdrawn")
