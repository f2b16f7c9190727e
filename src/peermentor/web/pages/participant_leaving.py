"""Leaving well, from a pairing's page: pause or capacity, end early (with a
confirmation step), report a problem, block the partner (with a confirmation step).

A reason or a report's words go to the programme's admins only; the pages of the
pairing never show them back, to the partner or to the writer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from peermentor.services.availability import my_availability, set_availability
from peermentor.services.leaving import (
    LEAVE_REASONS,
    REPORT_CATEGORIES,
    block_partner,
    end_early,
    file_report,
)
from peermentor.web.pages.participant_common import (
    Member,
    attempt,
    done,
    form_date,
    member,
    member_form,
    member_page,
    page,
    whole_number,
)

router = APIRouter(prefix="/pairings/{pairing_id}/leave", include_in_schema=False)

CAPACITIES = (("1", "One pairing at a time"), ("2", "Open to one more pairing"))


def _show(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    paused_until, capacity = my_availability(m.session, m.who.actor, m.ws.program_id)
    context = {
        "heading": "Availability and leaving",
        "paused_until": paused_until,
        "capacity": capacity,
        "capacities": CAPACITIES,
        "reasons": list(LEAVE_REASONS.items()),
        "categories": list(REPORT_CATEGORIES.items()),
        "confirm": None,
    } | extra
    return page(request, m, "participant/leaving.html", "leave", context, status)


@router.get("")
@member_page
def leaving_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show(request, m)


@router.post("/availability")
def save_availability(
    request: Request,
    paused_until: Annotated[str, Form()] = "",
    capacity: Annotated[str, Form()] = "1",
    resume: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    form = {"paused_until": paused_until, "capacity": capacity}

    def change() -> None:
        until: date | None = None
        if not resume and paused_until.strip():
            until = form_date("paused_until", paused_until)
        set_availability(
            m.session,
            m.who.actor,
            m.ws.program_id,
            paused_until=until,
            capacity=whole_number("capacity", capacity),
            now=m.clock,
        )

    return attempt(
        m,
        change,
        lambda status, extra: _show(request, m, status, **extra),
        "availability",
        form,
        lambda: done(m, "leave", "availability"),
    )


@router.post("/end")
def end_pairing_early(
    request: Request,
    reason: Annotated[str, Form()] = "",
    details: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    """First post: the confirmation step (nothing changes); with `confirmed`: ended."""
    form = {"reason": reason, "details": details}
    if not confirmed:
        if reason not in LEAVE_REASONS:
            errors = {"reason": "Choose the reason that fits best."}
            return _show(request, m, 422, form_id="end", form=form, errors=errors)
        return _show(request, m, confirm="end", form_id="end", form=form)
    return attempt(
        m,
        lambda: end_early(m.session, m.who.actor, m.pairing_id, reason, details, m.clock),
        lambda status, extra: _show(request, m, status, **extra),
        "end",
        form,
        lambda: done(m, "", "ended-early"),
    )


@router.post("/report")
def report_problem(
    request: Request,
    category: Annotated[str, Form()] = "",
    details: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    return attempt(
        m,
        lambda: file_report(m.session, m.who.actor, m.pairing_id, category, details, m.clock),
        lambda status, extra: _show(request, m, status, **extra),
        "report",
        {"category": category, "details": details},
        lambda: done(m, "leave", "reported"),
    )


@router.post("/block")
def block(
    request: Request,
    confirmed: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    if not confirmed:
        return _show(request, m, confirm="block")
    return attempt(
        m,
        lambda: block_partner(m.session, m.who.actor, m.pairing_id, m.clock),
        lambda status, extra: _show(request, m, status, **extra),
        "block",
        {},
        lambda: done(m, "leave", "blocked"),
    )
