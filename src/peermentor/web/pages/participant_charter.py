"""The charter page: the members co-write the purpose, cadence and norms, each writes
their own goals, and everyone agrees the current version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from peermentor.domain.charter import CadenceKind
from peermentor.services.workspace.charter import (
    agree_charter,
    charter_of,
    edit_charter,
    set_my_goals,
)
from peermentor.web.pages.participant_common import (
    Member,
    attempt,
    done,
    lines,
    member,
    member_form,
    member_page,
    optional_number,
    page,
)

router = APIRouter(prefix="/pairings/{pairing_id}/charter", include_in_schema=False)

CADENCES = (
    (CadenceKind.WEEKLY.value, "Every week"),
    (CadenceKind.FORTNIGHTLY.value, "Every two weeks"),
    (CadenceKind.MONTHLY.value, "Every month"),
    (CadenceKind.EVERY_N_DAYS.value, "Every N days (give the number)"),
)


def _show(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    charter = charter_of(m.session, m.ws)
    context = {"heading": "Charter", "charter": charter, "cadences": CADENCES} | extra
    return page(request, m, "participant/charter.html", "charter", context, status)


@router.get("")
@member_page
def charter_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show(request, m)


@router.post("")
def save_shared_parts(
    request: Request,
    purpose: Annotated[str, Form()] = "",
    cadence: Annotated[str, Form()] = "",
    every_days: Annotated[str, Form()] = "",
    confidentiality: Annotated[str, Form()] = "",
    candour: Annotated[str, Form()] = "",
    other_norms: Annotated[str, Form()] = "",
    goals: Annotated[str | None, Form()] = None,
    m: Member = Depends(member_form),
) -> Response:
    form = {
        "goals": goals or "",
        "purpose": purpose,
        "cadence": cadence,
        "every_days": every_days,
        "confidentiality": confidentiality,
        "candour": candour,
        "other_norms": other_norms,
    }

    def change() -> None:
        # An unchecked box sends nothing: the form always holds every shared part,
        # so absent means "no".
        kind = cadence or CadenceKind.FORTNIGHTLY.value
        days = optional_number("every_days", every_days) if kind == "every_n_days" else None
        edit_charter(
            m.session,
            m.who.actor,
            m.pairing_id,
            m.clock,
            purpose=purpose,
            cadence=kind,
            every_days=days,
            confidentiality=bool(confidentiality),
            candour=bool(candour),
            other_norms=other_norms,
            # The goals box sits in the same form: what was typed there is saved too.
            goals=lines(goals) if goals and goals.strip() else None,
        )

    return attempt(
        m,
        change,
        lambda status, extra: _show(request, m, status, **extra),
        "charter",
        form,
        lambda: done(m, "charter", "charter"),
    )


@router.post("/goals")
def save_my_goals(
    request: Request,
    goals: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    return attempt(
        m,
        lambda: set_my_goals(m.session, m.who.actor, m.pairing_id, lines(goals), m.clock),
        lambda status, extra: _show(request, m, status, **extra),
        "goals",
        {"goals": goals},
        lambda: done(m, "charter", "goals"),
    )


@router.post("/agree")
def agree(request: Request, m: Member = Depends(member_form)) -> Response:
    return attempt(
        m,
        lambda: agree_charter(m.session, m.who.actor, m.pairing_id, m.clock),
        lambda status, extra: _show(request, m, status, **extra),
        "agree",
        {},
        lambda: done(m, "charter", "agreed"),
    )
