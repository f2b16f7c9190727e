"""Each member's three-to-five-year career vision, written and edited by its author only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from peermentor.domain.errors import NotAllowed, ValidationError
from peermentor.domain.validation import (
    require_aware,
    require_id,
    require_member,
    require_members,
    require_text,
)

HORIZONS = (3, 4, 5)
MAX_STATEMENT = 4000
MAX_MILESTONE = 300
MAX_MILESTONES = 20


@dataclass(frozen=True, slots=True)
class Milestone:
    milestone_id: str
    title: str


@dataclass(frozen=True, slots=True)
class Vision:
    author_id: str
    horizon_years: int
    statement: str
    milestones: tuple[Milestone, ...]
    updated_at: datetime

    @property
    def milestone_ids(self) -> frozenset[str]:
        return frozenset(m.milestone_id for m in self.milestones)


def _horizon(value: object) -> int:
    if isinstance(value, bool) or value not in HORIZONS:
        raise ValidationError("horizon_years", f"must be 3, 4 or 5 years, not {value!r}")
    assert isinstance(value, int)
    return value


def _milestones(items: tuple[Milestone, ...]) -> tuple[Milestone, ...]:
    if len(items) > MAX_MILESTONES:
        raise ValidationError("milestones", f"at most {MAX_MILESTONES}, not {len(items)}")
    clean = tuple(
        Milestone(
            require_id("milestones.milestone_id", m.milestone_id),
            require_text("milestones.title", m.title, max_len=MAX_MILESTONE),
        )
        for m in items
    )
    if len({m.milestone_id for m in clean}) != len(clean):
        raise ValidationError("milestones", "milestone ids must be unique")
    return clean


def write_vision(
    members: tuple[str, ...],
    author: str,
    now: datetime,
    *,
    horizon_years: int,
    statement: str,
    milestones: tuple[Milestone, ...] = (),
) -> Vision:
    require_member(require_members(members), author)
    return Vision(
        author_id=author,
        horizon_years=_horizon(horizon_years),
        statement=require_text("statement", statement, max_len=MAX_STATEMENT),
        milestones=_milestones(milestones),
        updated_at=require_aware("now", now),
    )


def edit_vision(
    vision: Vision,
    actor: str,
    now: datetime,
    *,
    horizon_years: int | None = None,
    statement: str | None = None,
    milestones: tuple[Milestone, ...] | None = None,
) -> Vision:
    """Only the author edits a vision; the peers read it."""
    if actor != vision.author_id:
        raise NotAllowed("edit this vision", f"it belongs to {vision.author_id}")
    return replace(
        vision,
        horizon_years=vision.horizon_years if horizon_years is None else _horizon(horizon_years),
        statement=(
            vision.statement
            if statement is None
            else require_text("statement", statement, max_len=MAX_STATEMENT)
        ),
        milestones=vision.milestones if milestones is None else _milestones(milestones),
        updated_at=require_aware("now", now),
    )
