"""A participant's availability in a programme, before any pairing (or between two):
pause matching until a date, or be open to a second pairing. The same service as a
pairing's "Availability and leaving" page; this one needs no pairing, so someone who
signed up and waits for the match can take a break too."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotAllowed, ValidationError
from peermentor.services.availability import my_availability, set_availability
from peermentor.services.signup import my_enrolments
from peermentor.web.deps import Caller, Clock, ProgramId, caller, csrf_protected, db_session
from peermentor.web.pages.participant_common import form_date, whole_number
from peermentor.web.pages.participant_leaving import CAPACITIES
from peermentor.web.refusals import field_name, status
from peermentor.web.render import render, sentence

router = APIRouter(prefix="/programmes/{program_id}", include_in_schema=False)


def _program_name(session: Session, who: Caller, program_id: int) -> str:
    for e in my_enrolments(session, who.actor):
        if e.program_id == program_id and e.status == "enrolled":
            return e.program
    raise NotAllowed("you are not enrolled in this programme")


def _show(
    request: Request,
    who: Caller,
    session: Session,
    program_id: int,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    name = _program_name(session, who, program_id)
    paused_until, capacity = my_availability(session, who.actor, program_id)
    context = {
        "caller": who,
        "program_id": program_id,
        "program": name,
        "paused_until": paused_until,
        "capacity": capacity,
        "capacities": CAPACITIES,
        "form": {},
        "errors": {},
    } | extra
    return render(request, "programme_availability.html", context, status_code=status_code)


@router.get("/availability")
def availability_page(
    request: Request,
    program_id: ProgramId,
    who: Caller = Depends(caller),
    session: Session = Depends(db_session),
) -> Response:
    return _show(request, who, session, program_id)


@router.post("/availability")
def save_availability(
    request: Request,
    program_id: ProgramId,
    moment: Clock,
    paused_until: Annotated[str, Form()] = "",
    capacity: Annotated[str, Form()] = "1",
    resume: Annotated[str, Form()] = "",
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    _program_name(session, who, program_id)
    try:
        until = form_date("paused_until", paused_until) if paused_until.strip() else None
        set_availability(
            session,
            who.actor,
            program_id,
            paused_until=None if resume else until,
            capacity=whole_number("capacity", capacity),
            now=moment,
        )
    except ValidationError as error:
        session.rollback()
        errors = {field_name(error.field or "paused_until"): sentence(error.message)}
        form = {"paused_until": paused_until, "capacity": capacity}
        return _show(request, who, session, program_id, status(error), errors=errors, form=form)
    return RedirectResponse("/?notice=availability", status_code=303)
