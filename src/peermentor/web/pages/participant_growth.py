"""Vision and gaps: each member's 3-to-5-year vision (the partner's read-only) and
their board of gaps in three columns, now / next / backburner."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from peermentor.domain.gaps import GapCategory, GapStatus, Priority
from peermentor.domain.vision import HORIZONS
from peermentor.services.workspace.gaps import add_gap, gap_boards_of, move_gap, remove_gap
from peermentor.services.workspace.gaps import update_gap as change_gap
from peermentor.services.workspace.vision import MilestoneInput, visions_of, write_vision
from peermentor.web.pages.participant_common import (
    Member,
    attempt,
    chosen_id,
    done,
    lines,
    member,
    member_form,
    member_page,
    page,
    whole_number,
)

router = APIRouter(prefix="/pairings/{pairing_id}", include_in_schema=False)

COLUMNS = (
    (Priority.NOW.value, "Work on now"),
    (Priority.NEXT.value, "Next"),
    (Priority.BACKBURNER.value, "Backburner"),
)
CATEGORIES = tuple((c.value, c.value.capitalize()) for c in GapCategory)
STATUSES = (
    (GapStatus.OPEN.value, "Open"),
    (GapStatus.IN_PROGRESS.value, "In progress"),
    (GapStatus.CLOSED.value, "Closed"),
)
# A move to another column puts the gap last there (the domain clamps the index).
END_OF_COLUMN = 10_000


# --- vision ---


def _show_vision(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    visions = visions_of(m.session, m.ws)
    context = {"heading": "Vision", "visions": visions, "horizons": HORIZONS} | extra
    return page(request, m, "participant/vision.html", "vision", context, status)


@router.get("/vision")
@member_page
def vision_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show_vision(request, m)


@router.post("/vision")
def save_vision(
    request: Request,
    horizon_years: Annotated[str, Form()] = "",
    statement: Annotated[str, Form()] = "",
    milestones: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        # A line whose words are unchanged keeps its milestone's key, so the gaps
        # linked to it stay linked when the vision is rewritten.
        existing = visions_of(m.session, m.ws).get(m.ws.me)
        keys = {ms.title: ms.milestone_id for ms in existing.milestones} if existing else {}
        items: list[MilestoneInput] = [
            (keys[t], t) if t in keys else t for t in dict.fromkeys(lines(milestones))
        ]
        write_vision(
            m.session,
            m.who.actor,
            m.pairing_id,
            int(m.ws.me),
            m.clock,
            horizon_years=whole_number("horizon_years", horizon_years or "0"),
            statement=statement,
            milestones=items,
        )

    form = {"horizon_years": horizon_years, "statement": statement, "milestones": milestones}
    return attempt(
        m,
        change,
        lambda status, extra: _show_vision(request, m, status, **extra),
        "vision",
        form,
        lambda: done(m, "vision", "vision"),
        {"milestones.title": "milestones", "milestones.milestone_id": "milestones"},
    )


# --- gaps ---


def _show_gaps(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    boards = gap_boards_of(m.session, m.ws)
    mine = visions_of(m.session, m.ws).get(m.ws.me)
    milestones = mine.milestones if mine else ()
    context = {
        "heading": "Gaps",
        "boards": boards,
        "columns": COLUMNS,
        "categories": CATEGORIES,
        "statuses": STATUSES,
        "status_words": dict(STATUSES),
        "milestones": milestones,
        "milestone_options": [("", "None"), *((ms.milestone_id, ms.title) for ms in milestones)],
        "milestone_titles": {ms.milestone_id: ms.title for ms in milestones},
        "end_of_column": END_OF_COLUMN,
    } | extra
    return page(request, m, "participant/gaps.html", "gaps", context, status)


@router.get("/gaps")
@member_page
def gaps_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show_gaps(request, m)


@router.post("/gaps")
def new_gap(
    request: Request,
    title: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    priority: Annotated[str, Form()] = "next",
    milestone_id: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    form = {
        "title": title,
        "category": category,
        "priority": priority,
        "milestone_id": milestone_id,
    }
    return attempt(
        m,
        lambda: add_gap(
            m.session,
            m.who.actor,
            m.pairing_id,
            m.clock,
            title=title,
            category=category,
            priority=priority,
            milestone_id=milestone_id or None,
        ),
        lambda status, extra: _show_gaps(request, m, status, **extra),
        "new-gap",
        form,
        lambda: done(m, "gaps", "gap"),
    )


@router.post("/gaps/move")
def move(
    request: Request,
    gap_id: Annotated[str, Form()] = "",
    to: Annotated[str, Form()] = "",
    index: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    """Move a gap to another column (last there) or up or down in its own."""

    def change() -> None:
        gap = chosen_id("gap_id", gap_id)
        move_gap(
            m.session, m.who.actor, m.pairing_id, gap, to, whole_number("index", index), m.clock
        )

    return attempt(
        m,
        change,
        lambda status, extra: _show_gaps(request, m, status, **extra),
        f"gap-{gap_id}",
        {},
        lambda: done(m, "gaps", "moved", f"#gap-{int(gap_id)}"),
    )


@router.post("/gaps/status")
def set_status(
    request: Request,
    gap_id: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        gap = chosen_id("gap_id", gap_id)
        change_gap(m.session, m.who.actor, m.pairing_id, gap, m.clock, status=status)

    return attempt(
        m,
        change,
        lambda code, extra: _show_gaps(request, m, code, **extra),
        f"gap-{gap_id}",
        {"status": status},
        lambda: done(m, "gaps", "gap-status", f"#gap-{int(gap_id)}"),
    )


@router.post("/gaps/remove")
def remove(
    request: Request,
    gap_id: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        remove_gap(m.session, m.who.actor, m.pairing_id, chosen_id("gap_id", gap_id), m.clock)

    return attempt(
        m,
        change,
        lambda status, extra: _show_gaps(request, m, status, **extra),
        f"gap-{gap_id}",
        {},
        lambda: done(m, "gaps", "removed"),
    )
