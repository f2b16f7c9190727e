"""Queries of self-matching: requests between two people of a programme."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, aliased

from peermentor.domain.self_match import OPEN
from peermentor.store.models import Person
from peermentor.store.self_match_models import SelfMatchRequest

# (request id, programme id, asker, asked) of a request closed without a pair
Closed = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class RequestRow:
    id: int
    program_id: int
    asker_id: int
    asker_name: str
    asker_employee_id: str
    asked_id: int
    asked_name: str
    asked_employee_id: str
    status: str
    asked_at: datetime
    expires_at: datetime
    pairing_id: int | None


def _rows(session: Session, *conditions: object) -> list[RequestRow]:
    asker, asked = aliased(Person), aliased(Person)
    rows = session.execute(
        select(
            SelfMatchRequest.id,
            SelfMatchRequest.program_id,
            asker.id,
            asker.name,
            asker.employee_id,
            asked.id,
            asked.name,
            asked.employee_id,
            SelfMatchRequest.status,
            SelfMatchRequest.asked_at,
            SelfMatchRequest.expires_at,
            SelfMatchRequest.pairing_id,
        )
        .join(asker, asker.id == SelfMatchRequest.asker_id)
        .join(asked, asked.id == SelfMatchRequest.asked_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(SelfMatchRequest.asked_at.desc(), SelfMatchRequest.id.desc())
    )
    return [RequestRow(*row) for row in rows]  # type: ignore[call-arg]


def requests_of(session: Session, program_id: int, person_id: int) -> list[RequestRow]:
    """Every request the person asked or was asked in the programme, newest first."""
    return _rows(
        session,
        SelfMatchRequest.program_id == program_id,
        or_(SelfMatchRequest.asker_id == person_id, SelfMatchRequest.asked_id == person_id),
    )


def all_of(session: Session, person_id: int) -> list[RequestRow]:
    """Every request the person asked or was asked, in any programme."""
    return _rows(
        session,
        or_(SelfMatchRequest.asker_id == person_id, SelfMatchRequest.asked_id == person_id),
    )


def request(session: Session, request_id: int, *, lock: bool = False) -> SelfMatchRequest | None:
    statement = select(SelfMatchRequest).where(SelfMatchRequest.id == request_id)
    if lock:
        statement = statement.with_for_update()
    return session.scalar(statement)


def add(
    session: Session,
    program_id: int,
    asker_id: int,
    asked_id: int,
    now: datetime,
    expires_at: datetime,
) -> int:
    row = SelfMatchRequest(
        program_id=program_id,
        asker_id=asker_id,
        asked_id=asked_id,
        status=OPEN,
        asked_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row.id


def open_between(session: Session, program_id: int, a: int, b: int, now: datetime) -> bool:
    return bool(
        session.scalar(
            select(func.count()).where(
                SelfMatchRequest.program_id == program_id,
                SelfMatchRequest.status == OPEN,
                SelfMatchRequest.expires_at > now,
                or_(
                    (SelfMatchRequest.asker_id == a) & (SelfMatchRequest.asked_id == b),
                    (SelfMatchRequest.asker_id == b) & (SelfMatchRequest.asked_id == a),
                ),
            )
        )
    )


def open_asked_by(session: Session, program_id: int, person_id: int, now: datetime) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                SelfMatchRequest.program_id == program_id,
                SelfMatchRequest.asker_id == person_id,
                SelfMatchRequest.status == OPEN,
                SelfMatchRequest.expires_at > now,
            )
        )
        or 0
    )


def declined_with(session: Session, program_id: int, person_id: int) -> set[int]:
    """The people a declined request stands between, either way: they are not
    suggested to each other again in this programme."""
    rows = session.execute(
        select(SelfMatchRequest.asker_id, SelfMatchRequest.asked_id).where(
            SelfMatchRequest.program_id == program_id,
            SelfMatchRequest.status == "declined",
            or_(SelfMatchRequest.asker_id == person_id, SelfMatchRequest.asked_id == person_id),
        )
    )
    return {b if a == person_id else a for a, b in rows}


def close(
    session: Session, request_id: int, status: str, now: datetime, pairing_id: int | None = None
) -> None:
    session.execute(
        update(SelfMatchRequest)
        .where(SelfMatchRequest.id == request_id)
        .values(status=status, decided_at=now, pairing_id=pairing_id)
        .execution_options(synchronize_session="fetch")
    )


def lapse_open_involving(
    session: Session, program_id: int, person_ids: Sequence[int], now: datetime
) -> list[Closed]:
    """Close as `lapsed` every open request of the programme that one of the people
    asked or was asked; returns each as Closed."""
    ids = list(person_ids)
    involving = or_(SelfMatchRequest.asker_id.in_(ids), SelfMatchRequest.asked_id.in_(ids))
    return _close_open(session, now, "lapsed", SelfMatchRequest.program_id == program_id, involving)


def close_all_open(session: Session, program_id: int, status: str, now: datetime) -> list[Closed]:
    return _close_open(session, now, status, SelfMatchRequest.program_id == program_id)


def expire_due(session: Session, now: datetime) -> list[Closed]:
    """Mark every open request past its deadline (in any programme) expired."""
    return _close_open(session, now, "expired", SelfMatchRequest.expires_at <= now)


def _close_open(session: Session, now: datetime, status: str, *conditions: object) -> list[Closed]:
    found: list[Closed] = [
        (i, p, a, b)
        for i, p, a, b in session.execute(
            select(
                SelfMatchRequest.id,
                SelfMatchRequest.program_id,
                SelfMatchRequest.asker_id,
                SelfMatchRequest.asked_id,
            )
            .where(SelfMatchRequest.status == OPEN, *conditions)  # type: ignore[arg-type]
            .with_for_update()
        )
    ]
    for chunk in _chunks([i for i, _, _, _ in found]):
        session.execute(
            update(SelfMatchRequest)
            .where(SelfMatchRequest.id.in_(chunk), SelfMatchRequest.status == OPEN)
            .values(status=status, decided_at=now)
            .execution_options(synchronize_session=False)
        )
    return found


def _chunks(ids: list[int], size: int = 2_000) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def cap_open_deadlines(session: Session, program_id: int, latest: datetime) -> None:
    """No open request of the programme runs past `latest` (a window's close)."""
    session.execute(
        update(SelfMatchRequest)
        .where(
            SelfMatchRequest.program_id == program_id,
            SelfMatchRequest.status == OPEN,
            SelfMatchRequest.expires_at > latest,
        )
        .values(expires_at=latest)
        .execution_options(synchronize_session=False)
    )


def counts(session: Session, program_id: int) -> dict[str, int]:
    """How many requests are in each state: participation for the admins, never who."""
    rows = session.execute(
        select(SelfMatchRequest.status, func.count())
        .where(SelfMatchRequest.program_id == program_id)
        .group_by(SelfMatchRequest.status)
    )
    return {status: int(n) for status, n in rows}


def lock_people(session: Session, person_ids: Sequence[int]) -> None:
    """Hold the two people's rows until commit, so two answers at once cannot pair one
    person twice over their capacity (PostgreSQL; SQLite writes one at a time)."""
    session.execute(
        select(Person.id)
        .where(Person.id.in_(sorted(person_ids)))
        .order_by(Person.id)
        .with_for_update()
    )
