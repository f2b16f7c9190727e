"""Practice and rhythm: role-plays, check-ins, and the close of a cycle."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from peermentor.domain.charter import CadenceKind
from peermentor.domain.checkins import DIMENSIONS, HIGH, LOW
from peermentor.domain.closing import Choice
from peermentor.domain.errors import ValidationError
from peermentor.services.workspace.checkins import check_in, checkins_of
from peermentor.services.workspace.closing import (
    close_pairing,
    closing_of,
    cycle_summary_of,
    request_rematch,
    write_closing_reflection,
)
from peermentor.services.workspace.roleplay import (
    board_of,
    complete_roleplay,
    plan_roleplay,
    reflect_on_roleplay,
    scenarios_of,
    set_schedule,
)
from peermentor.web.pages.participant_common import (
    Member,
    attempt,
    chosen_id,
    confirmed,
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

SCHEDULE_CADENCES = (
    ("", "The programme's rhythm"),
    (CadenceKind.WEEKLY.value, "Every week"),
    (CadenceKind.FORTNIGHTLY.value, "Every two weeks"),
    (CadenceKind.MONTHLY.value, "Every month"),
    (CadenceKind.EVERY_N_DAYS.value, "Every N days (give the number)"),
)
PULSE_QUESTIONS = {
    "trust": "Trust: I can be open with my peer",
    "candour": "Candour: we tell each other what we really think",
    "mutual_benefit": "Mutual benefit: we both gain from this",
    "progress": "Progress: I am moving toward my goals",
}
CHOICES = (
    (Choice.COMPLETE.value, "Complete: end the pairing at the close of this cycle"),
    (Choice.RENEW.value, "Renew: another cycle together"),
)


# --- role-plays ---


def _show_roleplays(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    board = board_of(m.session, m.ws, m.clock)
    scenarios = scenarios_of(m.session, m.ws)
    missed = board.catch_up  # the service's rule; sequences count from 0, people from 1
    context = {
        "heading": "Role-plays",
        "board": board,
        "scenarios": {s.scenario_id: s for s in scenarios},
        "scenario_options": [(s.scenario_id, s.title) for s in scenarios],
        "unplanned_overdue": missed,
        "sequence_options": [
            ("", "The next one not yet planned"),
            *((str(n), f"Number {n + 1}, missed") for n in missed),
        ],
        "cadences": SCHEDULE_CADENCES,
        "today": m.clock.date().isoformat(),
    } | extra
    return page(request, m, "participant/roleplays.html", "roleplays", context, status)


@router.get("/roleplays")
@member_page
def roleplays_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show_roleplays(request, m)


@router.post("/roleplays/schedule")
def schedule(
    request: Request,
    start: Annotated[str, Form()] = "",
    cadence: Annotated[str, Form()] = "",
    every_days: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        set_schedule(
            m.session,
            m.who.actor,
            m.pairing_id,
            m.clock,
            start=form_date("start", start),
            cadence=cadence or None,
            every_days=optional_number("every_days", every_days)
            if cadence == "every_n_days"
            else None,
        )

    return attempt(
        m,
        change,
        lambda status, extra: _show_roleplays(request, m, status, **extra),
        "schedule",
        {"start": start, "cadence": cadence, "every_days": every_days},
        lambda: done(m, "roleplays", "scheduled"),
    )


@router.post("/roleplays")
def plan(
    request: Request,
    scenario_id: Annotated[str, Form()] = "",
    sequence: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        if not scenario_id:
            raise ValidationError("scenario_id", "choose a scenario")
        number = optional_number("sequence", sequence)
        plan_roleplay(m.session, m.who.actor, m.pairing_id, scenario_id, m.clock, sequence=number)

    return attempt(
        m,
        change,
        lambda status, extra: _show_roleplays(request, m, status, **extra),
        "plan",
        {"scenario_id": scenario_id, "sequence": sequence},
        lambda: done(m, "roleplays", "planned"),
    )


@router.post("/roleplays/complete")
def complete(
    request: Request,
    roleplay_id: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        rid = chosen_id("roleplay_id", roleplay_id)
        complete_roleplay(m.session, m.who.actor, m.pairing_id, rid, m.clock)

    return attempt(
        m,
        change,
        lambda status, extra: _show_roleplays(request, m, status, **extra),
        f"roleplay-{roleplay_id}",
        {},
        lambda: done(m, "roleplays", "completed"),
    )


@router.post("/roleplays/reflect")
def reflect(
    request: Request,
    roleplay_id: Annotated[str, Form()] = "",
    reflection: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        rid = chosen_id("roleplay_id", roleplay_id)
        reflect_on_roleplay(m.session, m.who.actor, m.pairing_id, rid, reflection, m.clock)

    return attempt(
        m,
        change,
        lambda status, extra: _show_roleplays(request, m, status, **extra),
        f"roleplay-{roleplay_id}",
        {"reflection": reflection},
        lambda: done(m, "roleplays", "reflected"),
    )


# --- check-ins ---


def _show_checkins(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    mine = checkins_of(m.session, m.ws, m.clock)
    context = {
        "heading": "Check-ins",
        "checkins": mine,
        "questions": PULSE_QUESTIONS,
        "scale": range(LOW, HIGH + 1),
    } | extra
    return page(request, m, "participant/checkins.html", "checkins", context, status)


@router.get("/checkins")
@member_page
def checkins_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show_checkins(request, m)


@router.post("/checkins")
async def pulse(request: Request, m: Member = Depends(member_form)) -> Response:
    # The four ratings share one shape, so they are read from the form by name.
    sent = await request.form()
    form = {k: str(sent.get(k, "")) for k in (*DIMENSIONS, "note")}

    def change() -> None:
        for d in DIMENSIONS:
            if not form[d]:
                raise ValidationError(d, f"choose a number from {LOW} to {HIGH}")
        scores = {d: whole_number(d, form[d]) for d in DIMENSIONS}
        check_in(m.session, m.who.actor, m.pairing_id, m.clock, note=form.get("note", ""), **scores)

    return attempt(
        m,
        change,
        lambda status, extra: _show_checkins(request, m, status, **extra),
        "pulse",
        form,
        lambda: done(m, "checkins", "checked-in"),
    )


# --- closing ---


def _show_closing(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    closing = closing_of(m.session, m.ws)
    context = {
        "heading": "Closing",
        "closing": closing,
        "choices": CHOICES,
        "summary": cycle_summary_of(m.session, m.ws),
    } | extra
    return page(request, m, "participant/closing.html", "closing", context, status)


@router.get("/closing")
@member_page
def closing_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show_closing(request, m)


@router.post("/closing")
def write_reflection(
    request: Request,
    reflection: Annotated[str, Form()] = "",
    choice: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    return attempt(
        m,
        lambda: write_closing_reflection(
            m.session, m.who.actor, m.pairing_id, reflection, choice, m.clock
        ),
        lambda status, extra: _show_closing(request, m, status, **extra),
        "reflect",
        {"reflection": reflection, "choice": choice},
        lambda: done(m, "closing", "closing"),
    )


@router.post("/closing/close")
def close_cycle(
    request: Request, confirm: Annotated[str, Form()] = "", m: Member = Depends(member_form)
) -> Response:
    def change() -> None:
        confirmed(confirm, "close the cycle")
        close_pairing(m.session, m.who.actor, m.pairing_id, m.clock)

    return attempt(
        m,
        change,
        lambda status, extra: _show_closing(request, m, status, **extra),
        "close",
        {"confirm": confirm},
        lambda: done(m, "", "ended"),
    )


@router.post("/closing/rematch")
def rematch(
    request: Request,
    reason: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        confirmed(confirm, "end the pairing")
        request_rematch(m.session, m.who.actor, m.pairing_id, m.clock, reason=reason)

    return attempt(
        m,
        change,
        lambda status, extra: _show_closing(request, m, status, **extra),
        "rematch",
        {"reason": reason, "confirm": confirm},
        lambda: RedirectResponse("/?notice=rematch", status_code=303),
    )
