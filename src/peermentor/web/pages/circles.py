"""Circle pages for people: my circles, a member's page per circle (this round's
colleague and the form, notes received, round history), and the lead's participation
page (counts only). Admin pages are in admin_circles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.circles import FIGURE_MIN_PEOPLE, RELEASE_MIN_NOTES
from peermentor.domain.errors import DomainError, InvalidTransition, NotReady, ValidationError
from peermentor.services import circle_notes as notes_service
from peermentor.services.access import InvalidInput
from peermentor.web.deps import Caller, PathId, caller, csrf_protected, db_session, now
from peermentor.web.pages.participant_exchange import DIMENSIONS
from peermentor.web.render import render, sentence

router = APIRouter(include_in_schema=False)

NOTICES = {
    "note": "Your note was sent.",
    "skipped": "You skip this round; the rotation closed up around you.",
    "paused": "You are paused; rounds that start before the date leave you out.",
    "resumed": "Welcome back: you take part from the next round.",
    "acknowledged": "Note acknowledged.",
    "replied": "Your reply was sent.",
}
REPLY_KINDS = (("thanks", "Thank you"), ("question", "A question"))


def _form_error(error: Exception) -> tuple[str | None, str]:
    if isinstance(error, ValidationError):
        return error.field, error.message
    text = str(error)
    field, sep, message = text.partition(": ")
    return (field, message) if sep and field.isidentifier() else (None, text)


def show_member_page(
    request: Request,
    who: Caller,
    session: Session,
    circle_id: PathId,
    status: int = 200,
    **extra: Any,
) -> Response:
    view = notes_service.member_view(session, who.actor, circle_id, now())
    context = {
        "caller": who,
        "view": view,
        "dimensions": DIMENSIONS,
        "reply_kinds": REPLY_KINDS,
        "release_min": RELEASE_MIN_NOTES,
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        "form_id": None,
        "form": {},
        "errors": {},
        "problem": None,
    } | extra
    return render(request, "circles/member.html", context, status_code=status)


def _attempt(
    request: Request,
    who: Caller,
    session: Session,
    circle_id: PathId,
    change: Callable[[], object],
    form_id: str,
    form: dict[str, str],
    notice: str,
) -> Response:
    """Post/redirect/get; a refused value shows the page again with it next to its field."""
    try:
        change()
    except (DomainError, InvalidInput) as error:
        session.rollback()
        if not isinstance(error, ValidationError | InvalidInput | NotReady | InvalidTransition):
            raise
        keep: dict[str, Any] = {"form_id": form_id, "form": form}
        if isinstance(error, NotReady | InvalidTransition):
            return show_member_page(
                request, who, session, circle_id, 409, problem=sentence(str(error)), **keep
            )
        field, message = _form_error(error)
        if field in form:
            return show_member_page(
                request, who, session, circle_id, 422, errors={field: sentence(message)}, **keep
            )
        return show_member_page(
            request, who, session, circle_id, 422, problem=sentence(message), **keep
        )
    return RedirectResponse(f"/circles/{circle_id}?notice={notice}", status_code=303)


def _number(field: str, text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValidationError(field, "choose one") from None
    if not 0 < value < 2**31:
        raise ValidationError(field, "choose one")
    return value


@router.get("/circles")
def my_circles(
    request: Request, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Response:
    found = notes_service.my_circles(session, who.actor)
    return render(request, "circles/list.html", {"caller": who, "circles": found})


@router.get("/circles/{circle_id}")
def member_page(
    request: Request,
    circle_id: PathId,
    who: Caller = Depends(caller),
    session: Session = Depends(db_session),
) -> Response:
    notes_service.member_circle(session, who.actor, circle_id)
    return show_member_page(request, who, session, circle_id)


@router.post("/circles/{circle_id}/notes")
def give(
    request: Request,
    circle_id: PathId,
    receiver_id: Annotated[str, Form()] = "",
    dimension: Annotated[str, Form()] = "",
    situation: Annotated[str, Form()] = "",
    behaviour: Annotated[str, Form()] = "",
    impact: Annotated[str, Form()] = "",
    suggestion: Annotated[str, Form()] = "",
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    notes_service.member_circle(session, who.actor, circle_id)
    form = {
        "receiver_id": receiver_id,
        "dimension": dimension,
        "situation": situation,
        "behaviour": behaviour,
        "impact": impact,
        "suggestion": suggestion,
    }

    def change() -> None:
        notes_service.give_note(
            session,
            who.actor,
            circle_id,
            now(),
            receiver_id=_number("receiver_id", receiver_id),
            dimension=dimension,
            situation=situation,
            behaviour=behaviour,
            impact=impact,
            suggestion=suggestion,
        )

    return _attempt(request, who, session, circle_id, change, f"give-{receiver_id}", form, "note")


@router.post("/circles/{circle_id}/skip")
def skip(
    request: Request,
    circle_id: PathId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    notes_service.member_circle(session, who.actor, circle_id)
    return _attempt(
        request,
        who,
        session,
        circle_id,
        lambda: notes_service.skip_round(session, who.actor, circle_id, now()),
        "skip",
        {},
        "skipped",
    )


@router.post("/circles/{circle_id}/pause")
def pause(
    request: Request,
    circle_id: PathId,
    until: Annotated[str, Form()] = "",
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    notes_service.member_circle(session, who.actor, circle_id)

    def change() -> None:
        try:
            day = date.fromisoformat(until.strip())
        except ValueError:
            raise ValidationError("until", "enter a date as YYYY-MM-DD") from None
        moment = datetime.combine(day, time(), tzinfo=UTC)
        notes_service.pause(session, who.actor, circle_id, now(), until=moment)

    return _attempt(request, who, session, circle_id, change, "pause", {"until": until}, "paused")


@router.post("/circles/{circle_id}/resume")
def resume(
    request: Request,
    circle_id: PathId,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    notes_service.member_circle(session, who.actor, circle_id)
    return _attempt(
        request,
        who,
        session,
        circle_id,
        lambda: notes_service.resume(session, who.actor, circle_id),
        "resume",
        {},
        "resumed",
    )


@router.post("/circles/{circle_id}/acknowledge")
def acknowledge(
    request: Request,
    circle_id: PathId,
    note_id: Annotated[str, Form()] = "",
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    notes_service.member_circle(session, who.actor, circle_id)
    return _attempt(
        request,
        who,
        session,
        circle_id,
        lambda: notes_service.acknowledge_note(
            session, who.actor, _number("note_id", note_id), now()
        ),
        f"ack-{note_id}",
        {},
        "acknowledged",
    )


@router.post("/circles/{circle_id}/reply")
def reply(
    request: Request,
    circle_id: PathId,
    note_id: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    notes_service.member_circle(session, who.actor, circle_id)
    return _attempt(
        request,
        who,
        session,
        circle_id,
        lambda: notes_service.reply_to_note(
            session, who.actor, _number("note_id", note_id), now(), kind=kind, text=text
        ),
        f"reply-{note_id}",
        {"kind": kind, "text": text},
        "replied",
    )


@router.get("/circles/{circle_id}/participation")
def participation_page(
    request: Request,
    circle_id: PathId,
    who: Caller = Depends(caller),
    session: Session = Depends(db_session),
) -> Response:
    circle, figures = notes_service.participation(session, who.actor, circle_id)
    return render(
        request,
        "circles/participation.html",
        {"caller": who, "circle": circle, "figures": figures, "minimum": FIGURE_MIN_PEOPLE},
    )
