"""A pairing's calendar: schedule sessions and role-plays, cancel them, download the
invite of each series (text/calendar) for one's own calendar app."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response

from peermentor.domain.charter import CadenceKind
from peermentor.domain.errors import NotFound as NoSuchItem
from peermentor.domain.errors import ValidationError
from peermentor.domain.meetings import KIND_WORDS, MeetingKind, next_meeting, zone_of
from peermentor.services.access import NotFound
from peermentor.services.calendar import (
    ONCE,
    cancel_meeting,
    my_invite,
    pairing_calendar,
    schedule_meeting,
)
from peermentor.web.deps import MAX_ID
from peermentor.web.pages.participant_common import (
    Member,
    attempt,
    chosen_id,
    done,
    form_date,
    member,
    member_form,
    member_page,
    optional_number,
    page,
    whole_number,
)

router = APIRouter(prefix="/pairings/{pairing_id}", include_in_schema=False)

KINDS = tuple((k.value, KIND_WORDS[k].capitalize() + "s") for k in MeetingKind)
CADENCES = (
    ("", "As agreed (the charter's rhythm; for role-plays, their schedule's)"),
    (ONCE, "Once"),
    (CadenceKind.WEEKLY.value, "Every week"),
    (CadenceKind.FORTNIGHTLY.value, "Every two weeks"),
    (CadenceKind.MONTHLY.value, "Every month"),
    (CadenceKind.EVERY_N_DAYS.value, "Every N days (give the number)"),
)
CADENCE_WORDS = {
    CadenceKind.WEEKLY: "every week",
    CadenceKind.FORTNIGHTLY: "every two weeks",
    CadenceKind.MONTHLY: "every month",
}


def form_time(field: str, text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, "enter a time as HH:MM") from None


def rhythm(cadence: Any) -> str:
    if cadence is None:
        return "once"
    if cadence.kind is CadenceKind.EVERY_N_DAYS:
        return f"every {cadence.every_days} days"
    return CADENCE_WORDS[cadence.kind]


def _show(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    board = pairing_calendar(m.session, m.who.actor, m.pairing_id)
    mine = zone_of(board.my_zone)
    rows = [
        {
            "s": s,
            "kind": KIND_WORDS[s.kind],
            "rhythm": rhythm(s.cadence),
            "next": (lambda n: n.astimezone(mine) if n else None)(next_meeting(s, m.clock)),
        }
        for s in board.series
    ]
    context = {
        "heading": "Calendar",
        "rows": rows,
        "my_zone": board.my_zone,
        "kinds": KINDS,
        "cadences": CADENCES,
        "defaults": {k: rhythm(c) for k, c in board.default_cadence.items()},
        "today": m.clock.date().isoformat(),
    } | extra
    return page(request, m, "participant/calendar.html", "calendar", context, status)


@router.get("/calendar")
@member_page
def calendar_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show(request, m)


@router.post("/calendar")
def schedule(
    request: Request,
    kind: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
    at: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
    minutes: Annotated[str, Form()] = "",
    cadence: Annotated[str, Form()] = "",
    every_days: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        schedule_meeting(
            m.session,
            m.who.actor,
            m.pairing_id,
            m.clock,
            kind=kind,
            day=form_date("day", day),
            at=form_time("at", at),
            zone=timezone,
            minutes=whole_number("minutes", minutes),
            cadence=cadence or None,
            every_days=optional_number("every_days", every_days)
            if cadence == CadenceKind.EVERY_N_DAYS.value
            else None,
        )

    form = {
        "kind": kind,
        "day": day,
        "at": at,
        "timezone": timezone,
        "minutes": minutes,
        "cadence": cadence,
        "every_days": every_days,
    }
    return attempt(
        m,
        change,
        lambda status, extra: _show(request, m, status, **extra),
        "schedule",
        form,
        lambda: done(m, "calendar", "meeting-scheduled"),
        {"time": "at", "date": "day"},
    )


@router.post("/calendar/cancel")
def cancel(
    request: Request,
    series_id: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    return attempt(
        m,
        lambda: cancel_meeting(
            m.session, m.who.actor, m.pairing_id, chosen_id("series_id", series_id), m.clock
        ),
        lambda status, extra: _show(request, m, status, **extra),
        "cancel",
        {},
        lambda: done(m, "calendar", "meeting-cancelled"),
    )


@router.get("/calendar/{series_id}.ics")
def download_invite(
    request: Request,
    series_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    m: Member = Depends(member),
) -> Response:
    settings = request.app.state.settings
    try:
        data, media = my_invite(
            m.session,
            m.who.actor,
            m.pairing_id,
            series_id,
            m.clock,
            base_url=settings.base_url,
            organizer=settings.smtp_from,
        )
    except NoSuchItem as error:
        raise NotFound(str(error)) from error
    return Response(
        data,
        media_type=media,
        headers={
            "content-disposition": f'attachment; filename="meeting-{series_id}.ics"',
            "cache-control": "no-store",
        },
    )
