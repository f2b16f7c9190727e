"""Pause and capacity, blocks and the rematch cooldown: who the next match may take.

A run's pool is the programme's enrolled people minus those in a live pairing
(services/matching.py's pool_of); this module narrows it further and adds the
do-not-match entries people own, so the engine, `match scores` and `why-not` all
read the same rules from the run's inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from peermentor.domain.people import PersonRecord
from peermentor.services.access import Actor, Forbidden, InvalidInput
from peermentor.services.chains import bridge_chains
from peermentor.store import leave_repo, people_repo
from peermentor.store.models import Enrolment, Program

DEFAULT_COOLDOWN_DAYS = 30


def cooldown_days(program: Program) -> int:
    return int((program.settings or {}).get("cooldown_days", DEFAULT_COOLDOWN_DAYS))


def require_enrolled(
    session: Session, actor: Actor, program_id: int, doing: str = "set their own availability"
) -> int:
    """The caller's person id when they are enrolled in the programme; `doing` names
    the use case in the refusal an account without a person reads."""
    if actor.person_id is None:
        raise Forbidden(f"only a participant may {doing}")
    enrolled = (
        session.query(Enrolment)
        .filter_by(program_id=program_id, person_id=actor.person_id, status="enrolled")
        .first()
    )
    if enrolled is None:
        raise Forbidden("you are not enrolled in this programme")
    return actor.person_id


def set_availability(
    session: Session,
    actor: Actor,
    program_id: int,
    *,
    paused_until: date | None,
    capacity: int,
    now: datetime,
) -> None:
    """The participant's own say: paused until a date (None: not paused), and 1 or 2
    pairings at once. Partners in a live pairing are told of a pause by mail."""
    person_id = require_enrolled(session, actor, program_id)
    if capacity not in (1, 2):
        raise InvalidInput("1 or 2 pairings at once", field="capacity")
    if paused_until is not None and paused_until < now.date():
        raise InvalidInput("a date from today on", field="paused_until")
    before = leave_repo.availability(session, program_id, person_id)
    was_paused = before is not None and before.paused_until is not None
    leave_repo.set_availability(session, program_id, person_id, paused_until, capacity, now)
    if paused_until is not None and not was_paused:
        from peermentor.services.leaving import tell_partners_of_pause

        tell_partners_of_pause(session, program_id, person_id, paused_until, now)
    session.commit()


def filter_pool(
    session: Session,
    program: Program,
    records: Iterable[PersonRecord],
    live_groups: Sequence[Sequence[str]],
    now: datetime | None = None,
) -> list[PersonRecord]:
    """The people a run may match: not paused, not cooling down after leaving, not in a
    live pairing unless open to one more (and then never with a current partner);
    each record carries the blocks it is part of as do-not-match entries, and a
    management chain that runs through someone outside the pool (services/chains.py)."""
    now = now or datetime.now(UTC)
    paused = leave_repo.paused_employee_ids(session, program.id, now.date())
    cutoff = now - timedelta(days=cooldown_days(program))
    cooling = {
        e for e, at in leave_repo.last_left(session, program.id).items() if _aware(at) > cutoff
    }
    open_to_two = leave_repo.open_to_two(session, program.id)
    partners: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for group in live_groups:
        for m in group:
            count[m] = count.get(m, 0) + 1
            partners.setdefault(m, set()).update(x for x in group if x != m)
    blocked: dict[str, set[str]] = {}
    for a, b in leave_repo.blocked_pairs(session):
        blocked.setdefault(a, set()).add(b)
        blocked.setdefault(b, set()).add(a)
    pool: list[PersonRecord] = []
    for p in records:
        e = p.employee_id
        if e in paused or e in cooling:
            continue
        busy = count.get(e, 0)
        if busy and (e not in open_to_two or busy >= 2):
            continue
        extra = (blocked.get(e, set()) | partners.get(e, set())) - set(p.do_not_match)
        if extra:
            p = replace(p, do_not_match=(*p.do_not_match, *sorted(extra)))
        pool.append(p)
    return bridge_chains(pool, lambda ids: people_repo.managers_of(session, ids))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def why_apart(
    session: Session, program: Program, a: str, b: str, now: datetime | None = None
) -> str | None:
    """The pause, cooldown or block that keeps a and b apart, in plain words, or None.
    Never who blocked whom: that is the person's own."""
    now = now or datetime.now(UTC)
    paused = leave_repo.paused_employee_ids(session, program.id, now.date())
    for e in (a, b):
        if e in paused:
            return f"paused: {e} has paused matching until {paused[e]:%Y-%m-%d}"
    days = cooldown_days(program)
    left = leave_repo.last_left(session, program.id)
    for e in (a, b):
        if e in left and _aware(left[e]) > now - timedelta(days=days):
            again = _aware(left[e]) + timedelta(days=days)
            return (
                f"cooldown: {e} left a pairing early and may be matched again from "
                f"{again:%Y-%m-%d} ({days} days)"
            )
    pairs = set(leave_repo.blocked_pairs(session))
    if (a, b) in pairs or (b, a) in pairs:
        return "blocked: one of them asked never to be matched with the other"
    return None


def my_availability(session: Session, actor: Actor, program_id: int) -> tuple[date | None, int]:
    """The caller's own pause date (None: not paused) and capacity in a programme."""
    person_id = require_enrolled(session, actor, program_id)
    row = leave_repo.availability(session, program_id, person_id)
    return (row.paused_until, row.capacity) if row else (None, 1)


def availability_for_admins(
    session: Session, actor: Actor, program_id: int
) -> list[tuple[str, str, date | None, int]]:
    """(employee id, name, paused until, capacity) of everyone who set theirs: the
    programme's admins only."""
    from peermentor.services.programs import get_program_by_id

    program = get_program_by_id(session, actor, program_id)
    return leave_repo.availability_list(session, program.id)
