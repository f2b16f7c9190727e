"""Admin pages of circles: create them from teams or by hand, membership, cadence,
anonymity, the next round. Admins see participation, never a note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.circles import ANONYMOUS_MIN_MEMBERS, FIGURE_MIN_PEOPLE
from peermentor.domain.errors import DomainError, ValidationError
from peermentor.services import circle_notes as notes_service
from peermentor.services import circles as circles_service
from peermentor.services import programs as programs_service
from peermentor.services.access import InvalidInput
from peermentor.store import circles_repo as repo
from peermentor.web.deps import Caller, PathId, ProgramId, db_session, now
from peermentor.web.pages.admin_programs import admin, admin_form
from peermentor.web.pages.circles import _form_error
from peermentor.web.render import render, sentence

router = APIRouter(prefix="/admin", include_in_schema=False)

NOTICES = {
    "created": "Circles created.",
    "member-added": "Member added; they take part from the next round.",
    "member-removed": "Member removed; the round under way closed up around them.",
    "settings": "Settings saved; they apply from the next round.",
    "round": "The next round has started.",
}


def _show_program(
    request: Request,
    who: Caller,
    session: Session,
    program_id: PathId,
    status: int = 200,
    **extra: Any,
) -> Response:
    program = programs_service.get_program_by_id(session, who.actor, program_id)
    context = {
        "caller": who,
        "program": program,
        "circles": circles_service.list_circles(session, who.actor, program_id),
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        "errors": {},
        "form": {},
        "form_id": None,
        "problem": None,
    } | extra
    return render(request, "admin/circles.html", context, status_code=status)


def _show_circle(
    request: Request, who: Caller, session: Session, circle_id: int, status: int = 200, **extra: Any
) -> Response:
    circle = circles_service.admin_circle(session, who.actor, circle_id)
    _, figures = notes_service.participation(session, who.actor, circle_id)
    context = {
        "caller": who,
        "summary": circles_service.summary(session, circle),
        "program": circles_service.program_of(session, circle),
        "figures": figures,
        "minimum": FIGURE_MIN_PEOPLE,
        "anonymous_min": ANONYMOUS_MIN_MEMBERS,
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        "errors": {},
        "form": {},
        "form_id": None,
        "problem": None,
    } | extra
    return render(request, "admin/circle.html", context, status_code=status)


def _attempt(
    redisplay: Callable[..., Response],
    session: Session,
    change: Callable[[], object],
    form_id: str,
    form: dict[str, str],
    success: str,
) -> Response:
    try:
        change()
    except (DomainError, InvalidInput) as error:
        session.rollback()
        if not isinstance(error, ValidationError | InvalidInput):
            raise
        field, message = _form_error(error)
        keep: dict[str, Any] = {"form_id": form_id, "form": form}
        if field in form:
            return redisplay(422, errors={field: sentence(message)}, **keep)
        return redisplay(422, problem=sentence(message), **keep)
    return RedirectResponse(success, status_code=303)


def _employee(session: Session, field: str, text: str) -> int:
    found = repo.people_by_employee_id(session, [text.strip()])
    if not text.strip() or text.strip() not in found:
        raise InvalidInput(f"{field}: no person with employee id {text.strip()!r}")
    return found[text.strip()].id


@router.get("/programs/{program_id}/circles")
def program_circles(
    request: Request,
    program_id: ProgramId,
    who: Caller = Depends(admin),
    session: Session = Depends(db_session),
) -> Response:
    return _show_program(request, who, session, program_id)


@router.post("/programs/{program_id}/circles/from-teams")
def from_teams(
    request: Request,
    program_id: ProgramId,
    min_size: Annotated[str, Form()] = "3",
    lead: Annotated[str, Form()] = "manager",
    who: Caller = Depends(admin_form),
    session: Session = Depends(db_session),
) -> Response:
    program = programs_service.get_program_by_id(session, who.actor, program_id)

    def change() -> None:
        try:
            size = int(min_size.strip())
        except ValueError:
            raise InvalidInput("min_size: enter a whole number") from None
        circles_service.create_from_teams(
            session, who.actor, program.name, now(), min_size=size, lead=lead
        )

    return _attempt(
        lambda status, **extra: _show_program(request, who, session, program_id, status, **extra),
        session,
        change,
        "teams",
        {"min_size": min_size, "lead": lead},
        f"/admin/programs/{program_id}/circles?notice=created",
    )


@router.post("/programs/{program_id}/circles")
def create_by_hand(
    request: Request,
    program_id: ProgramId,
    name: Annotated[str, Form()] = "",
    members: Annotated[str, Form()] = "",
    lead: Annotated[str, Form()] = "",
    who: Caller = Depends(admin_form),
    session: Session = Depends(db_session),
) -> Response:
    programs_service.get_program_by_id(session, who.actor, program_id)

    def change() -> None:
        ids = [
            _employee(session, "members", e)
            for e in members.replace(",", "\n").splitlines()
            if e.strip()
        ]
        lead_id = _employee(session, "lead", lead) if lead.strip() else None
        circles_service.create_circle(
            session, who.actor, program_id, now(), name=name, member_ids=ids, lead_id=lead_id
        )

    return _attempt(
        lambda status, **extra: _show_program(request, who, session, program_id, status, **extra),
        session,
        change,
        "hand",
        {"name": name, "members": members, "lead": lead},
        f"/admin/programs/{program_id}/circles?notice=created",
    )


@router.get("/circles/{circle_id}")
def circle_page(
    request: Request,
    circle_id: PathId,
    who: Caller = Depends(admin),
    session: Session = Depends(db_session),
) -> Response:
    return _show_circle(request, who, session, circle_id)


def _circle_change(
    request: Request,
    who: Caller,
    session: Session,
    circle_id: PathId,
    change: Callable[[], object],
    form_id: str,
    form: dict[str, str],
    notice: str,
) -> Response:
    circles_service.admin_circle(session, who.actor, circle_id)
    return _attempt(
        lambda status, **extra: _show_circle(request, who, session, circle_id, status, **extra),
        session,
        change,
        form_id,
        form,
        f"/admin/circles/{circle_id}?notice={notice}",
    )


@router.post("/circles/{circle_id}/members")
def add_member(
    request: Request,
    circle_id: PathId,
    employee_id: Annotated[str, Form()] = "",
    who: Caller = Depends(admin_form),
    session: Session = Depends(db_session),
) -> Response:
    return _circle_change(
        request,
        who,
        session,
        circle_id,
        lambda: circles_service.add_member(
            session, who.actor, circle_id, _employee(session, "employee_id", employee_id), now()
        ),
        "add",
        {"employee_id": employee_id},
        "member-added",
    )


@router.post("/circles/{circle_id}/members/remove")
def remove_member(
    request: Request,
    circle_id: PathId,
    person_id: Annotated[str, Form()] = "",
    who: Caller = Depends(admin_form),
    session: Session = Depends(db_session),
) -> Response:
    def change() -> None:
        try:
            pid = int(person_id)
        except ValueError:
            raise InvalidInput("person_id: choose a member") from None
        circles_service.remove_member(session, who.actor, circle_id, pid, now())

    return _circle_change(request, who, session, circle_id, change, "remove", {}, "member-removed")


@router.post("/circles/{circle_id}/settings")
def settings(
    request: Request,
    circle_id: PathId,
    cadence_days: Annotated[str, Form()] = "",
    anonymous: Annotated[str, Form()] = "",
    receivers_per_giver: Annotated[str, Form()] = "",
    who: Caller = Depends(admin_form),
    session: Session = Depends(db_session),
) -> Response:
    def whole(field: str, text: str) -> int:
        try:
            return int(text.strip())
        except ValueError:
            raise InvalidInput(f"{field}: enter a whole number") from None

    def change() -> None:
        circles_service.change_settings(
            session,
            who.actor,
            circle_id,
            now(),
            cadence_days=whole("cadence_days", cadence_days),
            anonymous=anonymous == "yes",
            receivers_per_giver=whole("receivers_per_giver", receivers_per_giver),
        )

    form = {
        "cadence_days": cadence_days,
        "anonymous": anonymous,
        "receivers_per_giver": receivers_per_giver,
    }
    return _circle_change(request, who, session, circle_id, change, "settings", form, "settings")


@router.post("/circles/{circle_id}/round")
def start_round(
    request: Request,
    circle_id: PathId,
    who: Caller = Depends(admin_form),
    session: Session = Depends(db_session),
) -> Response:
    return _circle_change(
        request,
        who,
        session,
        circle_id,
        lambda: circles_service.start_next_round(session, who.actor, circle_id, now()),
        "round",
        {},
        "round",
    )
