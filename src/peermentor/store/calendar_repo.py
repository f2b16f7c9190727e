"""Meeting series and calendar feeds: mapping rows to domain.meetings and back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peermentor.domain.charter import Cadence, CadenceKind
from peermentor.domain.meetings import MeetingKind, MeetingSeries, zone_of
from peermentor.store.calendar_models import CalendarFeed, MeetingSeriesRow
from peermentor.store.models import Pairing, PairingMember
from peermentor.store.workspace_repo import (
    NEW_ID,
    as_utc,
    members_of,
    optional_store,
    optional_utc,
    to_store,
)

# A pairing's calendar stays in its members' feeds while it may still meet.
LIVE_STATES = ("proposed", "active", "paused")


def _series(row: MeetingSeriesRow, members: tuple[str, ...]) -> MeetingSeries:
    cadence = (
        None
        if row.cadence_kind is None
        else Cadence(CadenceKind(row.cadence_kind), row.cadence_every_days)
    )
    return MeetingSeries(
        series_id=str(row.id),
        uid=row.uid,
        members=members,
        kind=MeetingKind(row.kind),
        starts_at=as_utc(row.starts_at).astimezone(zone_of(row.timezone)),
        zone=row.timezone,
        minutes=row.minutes,
        cadence=cadence,
        sequence=row.sequence,
        cancelled_at=optional_utc(row.cancelled_at),
        updated_at=as_utc(row.updated_at),
    )


def load_series(session: Session, pairing: Pairing) -> list[MeetingSeries]:
    """The pairing's series, oldest first."""
    members = members_of(pairing)
    rows = session.scalars(
        select(MeetingSeriesRow)
        .where(MeetingSeriesRow.pairing_id == pairing.id)
        .order_by(MeetingSeriesRow.id)
    )
    return [_series(row, members) for row in rows]


def find_series(session: Session, series_id: int) -> tuple[Pairing, MeetingSeries] | None:
    row = session.get(MeetingSeriesRow, series_id)
    if row is None:
        return None
    pairing = session.get(Pairing, row.pairing_id)
    assert pairing is not None
    return pairing, _series(row, members_of(pairing))


def save_series(
    session: Session, pairing_id: int, s: MeetingSeries, created_by: int | None = None
) -> MeetingSeries:
    cadence_kind = None if s.cadence is None else s.cadence.kind.value
    every = None if s.cadence is None else s.cadence.every_days
    values = {
        "kind": s.kind.value,
        "starts_at": to_store(s.starts_at),
        "timezone": s.zone,
        "minutes": s.minutes,
        "cadence_kind": cadence_kind,
        "cadence_every_days": every,
        "sequence": s.sequence,
        "updated_at": to_store(s.updated_at or s.starts_at),
        "cancelled_at": optional_store(s.cancelled_at),
    }
    if s.series_id == NEW_ID:
        row = MeetingSeriesRow(pairing_id=pairing_id, uid=s.uid, created_by=created_by, **values)
        session.add(row)
    else:
        found = session.get(MeetingSeriesRow, int(s.series_id))
        assert found is not None and found.pairing_id == pairing_id
        row = found
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    return _series(row, s.members)


def changed_since(session: Session, since: datetime) -> list[tuple[Pairing, MeetingSeries]]:
    """Series scheduled, changed or cancelled at or after `since` (for invite mail)."""
    rows = list(
        session.scalars(
            select(MeetingSeriesRow)
            .where(MeetingSeriesRow.updated_at >= to_store(since))
            .order_by(MeetingSeriesRow.id)
        )
    )
    pairings = {
        p.id: p
        for p in session.scalars(
            select(Pairing).where(Pairing.id.in_({r.pairing_id for r in rows}))
        )
    }
    return [(pairings[r.pairing_id], _series(r, members_of(pairings[r.pairing_id]))) for r in rows]


def series_of_person(session: Session, person_id: int) -> list[tuple[Pairing, MeetingSeries]]:
    """Every live series of every pairing the person is in (their feed)."""
    pairings = list(
        session.scalars(
            select(Pairing)
            .join(PairingMember, PairingMember.pairing_id == Pairing.id)
            .where(PairingMember.person_id == person_id, Pairing.state.in_(LIVE_STATES))
            .order_by(Pairing.id)
        )
    )
    return [(p, s) for p in pairings for s in load_series(session, p) if not s.cancelled]


def feed_of(session: Session, person_id: int) -> CalendarFeed | None:
    return session.scalar(select(CalendarFeed).where(CalendarFeed.person_id == person_id))


def replace_feed(session: Session, person_id: int, token_hash: str, now: datetime) -> None:
    """The person's one feed address: a new one replaces (and so revokes) the old."""
    drop_feed(session, person_id)
    session.add(CalendarFeed(person_id=person_id, token_hash=token_hash, created_at=to_store(now)))
    session.flush()


def drop_feed(session: Session, person_id: int) -> bool:
    gone = session.execute(delete(CalendarFeed).where(CalendarFeed.person_id == person_id))
    session.flush()
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def feed_by_hash(session: Session, token_hash: str) -> CalendarFeed | None:
    return session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash))
