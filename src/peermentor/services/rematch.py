"""Rematch: the people who left, declined or were left over, matched again.

The pool is the ordinary run's (services/matching.py's pool_of): live pairings keep
their members, paused people and those still in their cooldown wait; a rematch never
repeats a past partner whatever the programme otherwise allows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput
from peermentor.services.availability import cooldown_days
from peermentor.services.matching import MatchOutcome, run_match
from peermentor.services.programs import get_program_by_id

MAX_COOLDOWN_DAYS = 365


def set_cooldown(
    session: Session, actor: Actor, program_id: int, days: int, now: datetime | None = None
) -> None:
    """Days before someone who left a pairing early can be matched again. Audited
    with the new and the old number of days."""
    program = get_program_by_id(session, actor, program_id)
    if not 0 <= days <= MAX_COOLDOWN_DAYS:
        raise InvalidInput(f"0 to {MAX_COOLDOWN_DAYS} days", field="cooldown_days")
    before = cooldown_days(program)
    program.settings = dict(program.settings) | {"cooldown_days": days}
    audit.record(
        session,
        actor,
        "program.cooldown_changed",
        target_kind="program",
        target_id=program.id,
        program_id=program.id,
        details={"cooldown_days": days, "previous_days": before},
        now=now or datetime.now(UTC),
    )
    session.commit()


def rematch(
    session: Session, actor: Actor, program_id: int, now: datetime, *, publish: bool = False
) -> MatchOutcome:
    return run_match(session, actor, program_id, publish=publish, now=now, rematch=True)
