"""What a member's dashboard asks of each of their pairings, for all of them at once.

Each loader reads one table for every pairing of the member in one query, and only the
columns the "what now?" rules look at, so the dashboard costs the same few queries
whether the member has one pairing or ten, a week of history or three years.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from peermentor.store.workspace_heads import PairingHead
from peermentor.store.workspace_models import (
    CharterAgreement,
    CharterVersionRow,
    CheckInRow,
    ClosingReflectionRow,
    GapRow,
    VisionRow,
)
from peermentor.store.workspace_repo import as_utc, member_id


def charters_agreed_by(
    session: Session, pairing_ids: Sequence[int], person: int
) -> dict[int, bool]:
    """Pairing -> whether the person agreed its current charter version; a pairing with
    no charter yet is absent."""
    versions = session.execute(
        select(CharterVersionRow.pairing_id, func.max(CharterVersionRow.version))
        .where(CharterVersionRow.pairing_id.in_(list(pairing_ids)))
        .group_by(CharterVersionRow.pairing_id)
    )
    current = {pid: version for pid, version in versions}
    if not current:
        return {}
    agreed = set(
        session.scalars(
            select(CharterAgreement.pairing_id).where(
                CharterAgreement.person_id == person,
                tuple_(CharterAgreement.pairing_id, CharterAgreement.version).in_(
                    list(current.items())
                ),
            )
        )
    )
    return {pid: pid in agreed for pid in current}


def last_checkins(session: Session, pairing_ids: Sequence[int], person: int) -> dict[int, datetime]:
    """Pairing -> the person's latest check-in there (absent: never checked in)."""
    rows = session.execute(
        select(CheckInRow.pairing_id, func.max(CheckInRow.at))
        .where(CheckInRow.pairing_id.in_(list(pairing_ids)), CheckInRow.person_id == person)
        .group_by(CheckInRow.pairing_id)
    )
    return {pid: as_utc(at) for pid, at in rows}


def closing_reflectors(session: Session, heads: Sequence[PairingHead]) -> dict[int, set[str]]:
    """Pairing -> the members who have reflected on its current cycle."""
    if not heads:
        return {}
    result: dict[int, set[str]] = {h.id: set() for h in heads}
    for pid, person in session.execute(
        select(ClosingReflectionRow.pairing_id, ClosingReflectionRow.person_id).where(
            tuple_(ClosingReflectionRow.pairing_id, ClosingReflectionRow.cycle).in_(
                [(h.id, h.cycle) for h in heads]
            )
        )
    ):
        result[pid].add(member_id(person))
    return result


def visions_written_by(session: Session, pairing_ids: Sequence[int], person: int) -> set[int]:
    """The pairings where the person has written their vision."""
    return set(
        session.scalars(
            select(VisionRow.pairing_id).where(
                VisionRow.pairing_id.in_(list(pairing_ids)), VisionRow.author_id == person
            )
        )
    )


def gaps_named_by(session: Session, pairing_ids: Sequence[int], person: int) -> set[int]:
    """The pairings where the person has named at least one gap."""
    return set(
        session.scalars(
            select(GapRow.pairing_id)
            .where(GapRow.pairing_id.in_(list(pairing_ids)), GapRow.owner_id == person)
            .distinct()
        )
    )


def last_checkin_of_each(session: Session, pairing_id: int) -> dict[str, datetime]:
    """Member -> when they last checked in on the pairing (the time only, no answers)."""
    rows = session.execute(
        select(CheckInRow.person_id, func.max(CheckInRow.at))
        .where(CheckInRow.pairing_id == pairing_id)
        .group_by(CheckInRow.person_id)
    )
    return {member_id(person): as_utc(at) for person, at in rows}
