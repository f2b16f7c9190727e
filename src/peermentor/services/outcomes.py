"""Outcomes from HR data: a programme's admins upload outcome events (a CSV that
replaces the programme's events, all or nothing) and read retention and promotion of
participants against non-participants of the same imported population."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from peermentor.domain.outcomes import Outcomes, PersonOutcome, outcomes
from peermentor.domain.outcomes_csv import parse_outcomes
from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput, NotFound, require_admin
from peermentor.services.programs import require_program_admin
from peermentor.store import insight_repo
from peermentor.store import outcomes_repo as repo
from peermentor.store.models import Program

DEFAULT_SPAN = timedelta(days=365)
CACHED = 32


@dataclass(frozen=True, slots=True)
class OutcomesView:
    figures: Outcomes
    uploaded_at: datetime | None
    stored_events: int


_CACHE: dict[tuple[object, ...], OutcomesView] = {}


def _programme(session: Session, actor: Actor, program_id: int) -> Program:
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    return require_program_admin(session, actor, program)


def upload_outcomes(
    session: Session, actor: Actor, program_id: int, data: bytes, now: datetime
) -> int:
    """Replace the programme's outcome events with the file's; returns how many were
    stored. A file with any problem raises OutcomesFileRefused and stores nothing."""
    _programme(session, actor, program_id)
    people = repo.people_by_employee_id(session, program_id)
    rows = parse_outcomes(data, people)
    repo.replace_events(
        session, program_id, [(people[r.employee_id], r.event, r.day) for r in rows], now
    )
    audit.record(
        session,
        actor,
        "outcomes.imported",
        target_kind="program",
        target_id=program_id,
        program_id=program_id,
        details={"events": len(rows)},
        now=now,
    )
    session.commit()
    return len(rows)


def programme_outcomes(
    session: Session,
    actor: Actor,
    program_id: int,
    now: datetime,
    since: date | None = None,
    until: date | None = None,
) -> OutcomesView:
    """The outcomes figure over since..until (by default the year up to today)."""
    _programme(session, actor, program_id)
    until = until or now.date()
    since = since or until - DEFAULT_SPAN
    if since > until:
        raise InvalidInput("until: must not be before since")
    uploaded_at, stored = repo.last_upload(session, program_id)
    # Who took part is as of the insight counters' refresh, like every other figure; a
    # new upload changes the key, so it shows at once.
    key = (
        program_id,
        since,
        until,
        uploaded_at,
        stored,
        insight_repo.refreshed_at(session, program_id),
    )
    if key not in _CACHE:
        took_part = repo.participants(session, program_id)
        events = repo.events_by_person(session, program_id)
        people = [
            PersonOutcome(pid in took_part, tuple(events.get(pid, ())))
            for pid in repo.people_by_employee_id(session, program_id).values()
        ]
        if len(_CACHE) >= CACHED:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = OutcomesView(outcomes(people, since, until), uploaded_at, stored)
    return _CACHE[key]
