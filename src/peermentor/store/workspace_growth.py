"""Visions with their milestones, and each member's gap board."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peermentor.domain.gaps import Gap, GapBoard, GapCategory, GapStatus, Priority
from peermentor.domain.vision import Milestone, Vision
from peermentor.store.workspace_models import GapRow, VisionMilestone, VisionRow
from peermentor.store.workspace_repo import NEW_ID, as_utc, member_id, person_id, to_store


def load_visions(session: Session, pairing_id: int) -> dict[str, Vision]:
    """Every member's vision in this pairing, by author."""
    rows = list(session.scalars(select(VisionRow).where(VisionRow.pairing_id == pairing_id)))
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    if rows:
        for m in session.scalars(
            select(VisionMilestone)
            .where(VisionMilestone.vision_id.in_([r.id for r in rows]))
            .order_by(VisionMilestone.vision_id, VisionMilestone.position)
        ):
            milestones[m.vision_id].append(Milestone(m.key, m.title))
    return {
        member_id(r.author_id): Vision(
            author_id=member_id(r.author_id),
            horizon_years=r.horizon_years,
            statement=r.statement,
            milestones=tuple(milestones[r.id]),
            updated_at=as_utc(r.updated_at),
        )
        for r in rows
    }


def save_vision(session: Session, pairing_id: int, vision: Vision) -> None:
    author = person_id(vision.author_id)
    row = session.scalar(
        select(VisionRow).where(VisionRow.pairing_id == pairing_id, VisionRow.author_id == author)
    )
    if row is None:
        row = VisionRow(pairing_id=pairing_id, author_id=author)
        session.add(row)
    row.horizon_years = vision.horizon_years
    row.statement = vision.statement
    row.updated_at = to_store(vision.updated_at)
    session.flush()
    # Replaced whole: a milestone is its key and title, nothing refers to its row.
    session.execute(delete(VisionMilestone).where(VisionMilestone.vision_id == row.id))
    session.add_all(
        VisionMilestone(vision_id=row.id, key=m.milestone_id, position=i, title=m.title)
        for i, m in enumerate(vision.milestones)
    )
    session.flush()


def _gap(row: GapRow) -> Gap:
    return Gap(
        gap_id=str(row.id),
        title=row.title,
        category=GapCategory(row.category),
        priority=Priority(row.priority),
        position=row.position,
        status=GapStatus(row.status),
        milestone_id=row.milestone_key,
    )


def _gap_rows(session: Session, pairing_id: int, owner: str | None = None) -> list[GapRow]:
    query = select(GapRow).where(GapRow.pairing_id == pairing_id)
    if owner is not None:
        query = query.where(GapRow.owner_id == person_id(owner))
    return list(session.scalars(query.order_by(GapRow.priority, GapRow.position, GapRow.id)))


def load_board(session: Session, pairing_id: int, owner: str) -> GapBoard:
    return GapBoard(owner, tuple(_gap(r) for r in _gap_rows(session, pairing_id, owner)))


def load_boards(session: Session, pairing_id: int, members: tuple[str, ...]) -> dict[str, GapBoard]:
    gaps: dict[str, list[Gap]] = defaultdict(list)
    for r in _gap_rows(session, pairing_id):
        gaps[member_id(r.owner_id)].append(_gap(r))
    return {m: GapBoard(m, tuple(gaps[m])) for m in members}


def gap_owner(session: Session, pairing_id: int, gap_id: int) -> str | None:
    """The member whose board holds this gap, or None if the pairing has no such gap."""
    owner = session.scalar(
        select(GapRow.owner_id).where(GapRow.pairing_id == pairing_id, GapRow.id == gap_id)
    )
    return None if owner is None else member_id(owner)


def save_board(session: Session, pairing_id: int, board: GapBoard) -> GapBoard:
    """Write the board as the domain left it: new gaps inserted, removed ones deleted,
    every other gap's fields and position updated. Returns it with real ids."""
    rows = {str(r.id): r for r in _gap_rows(session, pairing_id, board.owner_id)}
    kept = {g.gap_id for g in board.gaps}
    for gap_id, stale in rows.items():
        if gap_id not in kept:
            session.delete(stale)
    for g in board.gaps:
        row = rows.get(g.gap_id) if g.gap_id != NEW_ID else None
        if row is None:
            row = GapRow(pairing_id=pairing_id, owner_id=person_id(board.owner_id))
            session.add(row)
        row.title = g.title
        row.category = g.category.value
        row.priority = g.priority.value
        row.position = g.position
        row.status = g.status.value
        row.milestone_key = g.milestone_id
    session.flush()
    return load_board(session, pairing_id, board.owner_id)
