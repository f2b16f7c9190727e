"""Admin page of leaving well: the programme's reports (read and closed with a note,
after a confirmation step), pairings ended early in a date range in numbers only, and
the rematch cooldown.

A report's words and an early ending's reason and words are written to the programme's
admins (the participant's forms say so), so they are shown here, and only here, for
following up; the counts by reason, the figure an admin takes to others, are shown
over 5 pairings or more only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.checkins import MIN_AGGREGATE_GROUP, NotEnoughData
from peermentor.domain.errors import ValidationError
from peermentor.services.availability import cooldown_days
from peermentor.services.leaving import (
    LEAVE_REASONS,
    REPORT_CATEGORIES,
    check_note,
    close_report,
    ending_counts_for_admins,
    endings_for_admins,
    open_report,
    report_queue,
)
from peermentor.services.rematch import MAX_COOLDOWN_DAYS, set_cooldown
from peermentor.web.deps import (
    MAX_ID,
    Clock,
    ProgrammeAdmin,
    db_session,
    programme_admin,
    programme_admin_changing,
)
from peermentor.web.refusals import field_name, status
from peermentor.web.render import render, sentence

router = APIRouter(prefix="/admin/programs/{program_id}/leaving", include_in_schema=False)
FormText = Annotated[str, Form()]
DEFAULT_RANGE_DAYS = 90
NOTICES = {
    "closed": "The report is closed; your note is kept with it.",
    "cooldown": "The rematch cooldown is saved.",
}


def _day(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError("a date as YYYY-MM-DD", field=name) from None


def _whole_number(name: str, raw: str, largest: int) -> int:
    raw = raw.strip()
    if not raw.isdigit() or int(raw) > largest:
        raise ValidationError(f"a whole number of days from 0 to {largest}", field=name)
    return int(raw)


def _show(
    request: Request,
    a: ProgrammeAdmin,
    session: Session,
    moment: Any,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    args = request.query_params
    errors: dict[str, str] = dict(extra.pop("errors", {}))
    today = moment.date()
    start, end = today - timedelta(days=DEFAULT_RANGE_DAYS), today
    raw_range = {
        "start": args.get("start", start.isoformat()),
        "end": args.get("end", end.isoformat()),
    }
    endings: object = None
    follow_up: tuple[list[Any], int] = ([], 0)
    try:
        start, end = _day("start", raw_range["start"]), _day("end", raw_range["end"])
        endings = ending_counts_for_admins(session, a.who.actor, a.program.id, start, end)
        follow_up = endings_for_admins(session, a.who.actor, a.program.id, start, end)
    except ValidationError as error:
        errors[field_name(error.field or "start")] = sentence(error.message)
        status_code = max(status_code, 422)
    reports = report_queue(session, a.who.actor, a.program.id)
    context = {
        "caller": a.who,
        "program": a.program,
        "open_reports": [r for r in reports if r[0].status == "open"],
        "closed_reports": [r for r in reports if r[0].status == "closed"],
        "categories": REPORT_CATEGORIES,
        "reasons": LEAVE_REASONS,
        "endings": endings,
        "follow_up": follow_up[0],
        "follow_up_total": follow_up[1],
        "not_enough": NotEnoughData,
        "minimum": MIN_AGGREGATE_GROUP,
        "range": raw_range,
        "cooldown": cooldown_days(a.program),
        "max_cooldown": MAX_COOLDOWN_DAYS,
        "notice": NOTICES.get(args.get("saved", "")),
        "errors": errors,
        "form": {},
        "confirm": None,
    } | extra
    return render(request, "admin/leaving.html", context, status_code=status_code)


@router.get("")
def leaving_page(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    return _show(request, a, session, moment)


@router.post("/close")
def close(
    request: Request,
    moment: Clock,
    report_id: FormText = "",
    note: FormText = "",
    confirmed: FormText = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """First post: the confirmation step (nothing changes); with `confirmed`: closed."""
    form = {"report_id": report_id, "note": note}
    try:
        if not report_id.isdigit() or not 1 <= int(report_id) <= MAX_ID:
            raise ValidationError("choose a report to close", field="report_id")
        if not confirmed:
            check_note(note)
            report = open_report(session, a.who.actor, a.program.id, int(report_id))
            return _show(request, a, session, moment, confirm=report, form=form)
        close_report(session, a.who.actor, a.program.id, int(report_id), note, moment)
    except ValidationError as error:
        session.rollback()
        errors = {field_name(error.field or "note"): sentence(error.message)}
        return _show(request, a, session, moment, status(error), errors=errors, form=form)
    return RedirectResponse(
        f"/admin/programs/{a.program.id}/leaving?saved=closed#reports", status_code=303
    )


@router.post("/cooldown")
def save_cooldown(
    request: Request,
    moment: Clock,
    cooldown_days: FormText = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    try:
        days = _whole_number("cooldown_days", cooldown_days, MAX_COOLDOWN_DAYS)
        set_cooldown(session, a.who.actor, a.program.id, days, moment)
    except ValidationError as error:
        session.rollback()
        errors = {"cooldown_days": sentence(error.message)}
        form = {"cooldown_days": cooldown_days}
        return _show(request, a, session, moment, status(error), errors=errors, form=form)
    return RedirectResponse(
        f"/admin/programs/{a.program.id}/leaving?saved=cooldown#cooldown", status_code=303
    )
