"""A member's gaps between today and their vision, sorted into now / next / backburner.

A board belongs to one member, who alone changes it. Each priority is a column with
its own order; positions are 0, 1, 2 ... with no holes, so the store can persist them
as they are and a move returns the new order of both columns at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from peermentor.domain.errors import NotAllowed, NotFound, ValidationError
from peermentor.domain.validation import require_choice, require_id, require_text
from peermentor.domain.vision import Vision

MAX_TITLE = 200
MAX_GAPS = 100


class GapCategory(StrEnum):
    SKILL = "skill"
    EXPERIENCE = "experience"
    NETWORK = "network"
    VISIBILITY = "visibility"
    CREDENTIAL = "credential"
    OTHER = "other"


class Priority(StrEnum):
    NOW = "now"
    NEXT = "next"
    BACKBURNER = "backburner"


class GapStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Gap:
    gap_id: str
    title: str
    category: GapCategory
    priority: Priority
    position: int
    status: GapStatus = GapStatus.OPEN
    milestone_id: str | None = None


@dataclass(frozen=True, slots=True)
class GapBoard:
    owner_id: str
    gaps: tuple[Gap, ...] = ()

    def column(self, priority: Priority | str) -> tuple[Gap, ...]:
        p = require_choice("priority", priority, Priority)
        return tuple(sorted((g for g in self.gaps if g.priority is p), key=lambda g: g.position))

    def get(self, gap_id: str) -> Gap:
        for g in self.gaps:
            if g.gap_id == gap_id:
                return g
        raise NotFound("gap", gap_id)


def _owner_only(board: GapBoard, actor: str, action: str) -> None:
    if actor != board.owner_id:
        raise NotAllowed(action, f"these gaps belong to {board.owner_id}")


def _milestone(milestone_id: str | None, vision: Vision | None, owner: str) -> str | None:
    if milestone_id is None:
        return None
    if vision is None or vision.author_id != owner:
        raise ValidationError("milestone_id", "can only link a milestone of the owner's vision")
    if milestone_id not in vision.milestone_ids:
        raise ValidationError("milestone_id", f"{milestone_id!r} is not a milestone of the vision")
    return milestone_id


def _with_columns(board: GapBoard, columns: dict[Priority, list[Gap]]) -> GapBoard:
    """Rebuild the board from ordered columns, renumbering positions from 0."""
    gaps = tuple(
        replace(g, priority=p, position=i) for p in Priority for i, g in enumerate(columns[p])
    )
    return replace(board, gaps=gaps)


def _columns(board: GapBoard) -> dict[Priority, list[Gap]]:
    return {p: list(board.column(p)) for p in Priority}


def add_gap(
    board: GapBoard,
    actor: str,
    gap_id: str,
    *,
    title: str,
    category: GapCategory | str,
    priority: Priority | str = Priority.NEXT,
    milestone_id: str | None = None,
    vision: Vision | None = None,
) -> GapBoard:
    """Add a gap at the end of its priority column."""
    _owner_only(board, actor, "add a gap")
    gid = require_id("gap_id", gap_id)
    if any(g.gap_id == gid for g in board.gaps):
        raise ValidationError("gap_id", f"{gid!r} already exists")
    if len(board.gaps) >= MAX_GAPS:
        raise ValidationError("gaps", f"at most {MAX_GAPS} gaps per member")
    p = require_choice("priority", priority, Priority)
    gap = Gap(
        gap_id=gid,
        title=require_text("title", title, max_len=MAX_TITLE),
        category=require_choice("category", category, GapCategory),
        priority=p,
        position=len(board.column(p)),
        milestone_id=_milestone(milestone_id, vision, board.owner_id),
    )
    return replace(board, gaps=(*board.gaps, gap))


def update_gap(
    board: GapBoard,
    actor: str,
    gap_id: str,
    *,
    title: str | None = None,
    category: GapCategory | str | None = None,
    status: GapStatus | str | None = None,
) -> GapBoard:
    """Change a gap's title, category or status; its place on the board stays."""
    _owner_only(board, actor, "change a gap")
    gap = board.get(gap_id)
    new = replace(
        gap,
        title=gap.title if title is None else require_text("title", title, max_len=MAX_TITLE),
        category=(
            gap.category if category is None else require_choice("category", category, GapCategory)
        ),
        status=gap.status if status is None else require_choice("status", status, GapStatus),
    )
    return replace(board, gaps=tuple(new if g.gap_id == gap_id else g for g in board.gaps))


def link_milestone(
    board: GapBoard, actor: str, gap_id: str, milestone_id: str | None, vision: Vision | None
) -> GapBoard:
    """Link a gap to one of the owner's vision milestones, or unlink it with None."""
    _owner_only(board, actor, "link a gap")
    gap = replace(board.get(gap_id), milestone_id=_milestone(milestone_id, vision, board.owner_id))
    return replace(board, gaps=tuple(gap if g.gap_id == gap_id else g for g in board.gaps))


def remove_gap(board: GapBoard, actor: str, gap_id: str) -> GapBoard:
    _owner_only(board, actor, "remove a gap")
    board.get(gap_id)
    columns = _columns(board)
    for col in columns.values():
        col[:] = [g for g in col if g.gap_id != gap_id]
    return _with_columns(board, columns)


def move_gap(board: GapBoard, actor: str, gap_id: str, to: Priority | str, index: int) -> GapBoard:
    """Move a gap to `index` in column `to` (its own column or another) in one step.

    An index past the end puts the gap last. Both columns come back renumbered.
    """
    _owner_only(board, actor, "move a gap")
    gap = board.get(gap_id)
    target = require_choice("to", to, Priority)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValidationError("index", "must be a whole number, 0 or more")
    columns = _columns(board)
    columns[gap.priority] = [g for g in columns[gap.priority] if g.gap_id != gap_id]
    columns[target].insert(min(index, len(columns[target])), gap)
    return _with_columns(board, columns)


def reorder(
    board: GapBoard, actor: str, priority: Priority | str, gap_ids: tuple[str, ...]
) -> GapBoard:
    """Set the whole order of one column; the ids must be exactly that column's gaps."""
    _owner_only(board, actor, "reorder gaps")
    p = require_choice("priority", priority, Priority)
    current = {g.gap_id: g for g in board.column(p)}
    if sorted(gap_ids) != sorted(current):
        raise ValidationError("gap_ids", f"must list each gap of the {p.value} column once")
    columns = _columns(board)
    columns[p] = [current[i] for i in gap_ids]
    return _with_columns(board, columns)
