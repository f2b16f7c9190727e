"""Gap boards: each member's gaps between today and their vision, now / next / backburner.

Every member reads every board of the pairing (a peer offers help on the other's
gaps); only the owner changes a board, which the domain enforces.

Gaps carry no time, so `now` is unused here; the changes take it all the same so that
every workspace use case has one calling convention for the API.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain import gaps as rules
from peermentor.domain.errors import NotFound
from peermentor.domain.gaps import Gap, GapBoard
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, open_for_writing, open_workspace
from peermentor.store.workspace_growth import (
    gap_owner,
    load_board,
    load_boards,
    load_visions,
    save_board,
)
from peermentor.store.workspace_repo import NEW_ID


def get_gap_boards(session: Session, actor: Actor, pairing_id: int) -> dict[str, GapBoard]:
    return gap_boards_of(session, open_workspace(session, actor, pairing_id))


def gap_boards_of(session: Session, ws: Workspace) -> dict[str, GapBoard]:
    return load_boards(session, ws.id, ws.members)


def add_gap(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    *,
    title: str,
    category: str,
    priority: str = "next",
    milestone_id: str | None = None,
) -> Gap:
    """Add a gap to the end of one column of the acting member's own board."""
    ws = open_for_writing(session, actor, pairing_id, "add a gap in")
    current = load_board(session, ws.id, ws.me)
    board = rules.add_gap(
        current,
        ws.me,
        NEW_ID,
        title=title,
        category=category,
        priority=priority,
        milestone_id=milestone_id,
        vision=load_visions(session, ws.id).get(ws.me),
    )
    saved = save_board(session, ws.id, board)
    session.commit()
    # The new gap is the one whose id the board did not hold before.
    old = {g.gap_id for g in current.gaps}
    return next(g for g in saved.gaps if g.gap_id not in old)


def _change(
    session: Session,
    actor: Actor,
    pairing_id: int,
    gap_id: int,
    change: Callable[[Workspace, GapBoard], GapBoard],
) -> GapBoard:
    """Load the board holding the gap (its owner's), let the domain change it, save."""
    ws = open_for_writing(session, actor, pairing_id, "change a gap in")
    owner = gap_owner(session, ws.id, gap_id)
    if owner is None:
        raise NotFound("gap", str(gap_id))
    saved = save_board(session, ws.id, change(ws, load_board(session, ws.id, owner)))
    session.commit()
    return saved


def update_gap(
    session: Session,
    actor: Actor,
    pairing_id: int,
    gap_id: int,
    now: datetime,
    *,
    title: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> Gap:
    board = _change(
        session,
        actor,
        pairing_id,
        gap_id,
        lambda ws, b: rules.update_gap(
            b, ws.me, str(gap_id), title=title, category=category, status=status
        ),
    )
    return board.get(str(gap_id))


def link_gap_milestone(
    session: Session,
    actor: Actor,
    pairing_id: int,
    gap_id: int,
    milestone_id: str | None,
    now: datetime,
) -> Gap:
    board = _change(
        session,
        actor,
        pairing_id,
        gap_id,
        lambda ws, b: rules.link_milestone(
            b, ws.me, str(gap_id), milestone_id, load_visions(session, ws.id).get(b.owner_id)
        ),
    )
    return board.get(str(gap_id))


def move_gap(
    session: Session,
    actor: Actor,
    pairing_id: int,
    gap_id: int,
    to: str,
    index: int,
    now: datetime,
) -> GapBoard:
    """Move a gap to another priority (or another place in its own) in one call."""
    return _change(
        session,
        actor,
        pairing_id,
        gap_id,
        lambda ws, b: rules.move_gap(b, ws.me, str(gap_id), to, index),
    )


def remove_gap(
    session: Session, actor: Actor, pairing_id: int, gap_id: int, now: datetime
) -> GapBoard:
    return _change(
        session, actor, pairing_id, gap_id, lambda ws, b: rules.remove_gap(b, ws.me, str(gap_id))
    )
