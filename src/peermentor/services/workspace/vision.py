"""Each member's 3-to-5-year vision: read by every member, written only by its author."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain import vision as rules
from peermentor.domain.errors import NotAllowed
from peermentor.domain.vision import Milestone, Vision
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, open_for_writing, open_workspace
from peermentor.store.workspace_growth import load_visions, save_vision
from peermentor.store.workspace_repo import member_id

# A new milestone is given as its title; one that already exists as (key, title), so
# gaps linked to it stay linked when the vision is rewritten.
MilestoneInput = str | tuple[str, str]


def get_visions(session: Session, actor: Actor, pairing_id: int) -> dict[str, Vision]:
    """Every member's vision that has been written, by member id."""
    return visions_of(session, open_workspace(session, actor, pairing_id))


def visions_of(session: Session, ws: Workspace) -> dict[str, Vision]:
    return load_visions(session, ws.id)


def _milestones(items: Sequence[MilestoneInput]) -> tuple[Milestone, ...]:
    taken = {item[0] for item in items if isinstance(item, tuple)}
    counter = 0
    result = []
    for item in items:
        if isinstance(item, tuple):
            result.append(Milestone(*item))
            continue
        counter += 1
        while f"m{counter}" in taken:
            counter += 1
        taken.add(f"m{counter}")
        result.append(Milestone(f"m{counter}", item))
    return tuple(result)


def write_vision(
    session: Session,
    actor: Actor,
    pairing_id: int,
    author_id: int,
    now: datetime,
    *,
    horizon_years: int,
    statement: str,
    milestones: Sequence[MilestoneInput] = (),
) -> Vision:
    """Create or rewrite the vision of `author_id`; only that member may."""
    ws = open_for_writing(session, actor, pairing_id, "write a vision in")
    author = member_id(author_id)
    existing = load_visions(session, ws.id).get(author)
    if existing is None:
        if author != ws.me:
            raise NotAllowed("write this vision", f"it belongs to {author}")
        vision = rules.write_vision(
            ws.members,
            ws.me,
            now,
            horizon_years=horizon_years,
            statement=statement,
            milestones=_milestones(milestones),
        )
    else:
        vision = rules.edit_vision(
            existing,
            ws.me,
            now,
            horizon_years=horizon_years,
            statement=statement,
            milestones=_milestones(milestones),
        )
    save_vision(session, ws.id, vision)
    session.commit()
    return vision
