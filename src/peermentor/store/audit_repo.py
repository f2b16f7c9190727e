"""Queries of the audit log: append an entry, find entries, purge old ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from peermentor.store.audit_models import AuditEntry, AuditPurgeWindow
from peermentor.store.models import Program, User


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: int
    at: datetime
    actor_kind: str
    actor_email: str | None  # None: not a user, or the account was erased
    action: str
    target_kind: str | None
    target_id: int | None
    program_id: int | None
    program_name: str | None
    details: dict[str, Any]


def add_entry(session: Session, **columns: Any) -> None:
    session.add(AuditEntry(**columns))


def user_exists(session: Session, user_id: int) -> bool:
    return session.get(User, user_id) is not None


def find_entries(
    session: Session,
    *,
    since: datetime | None = None,
    actor_email: str | None = None,
    action: str | None = None,
    program_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[EntryRow], int]:
    """Newest first, with how many match in all (for paging)."""
    conditions = []
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if actor_email is not None:
        conditions.append(func.lower(User.email) == actor_email.strip().lower())
    if action is not None:
        conditions.append(AuditEntry.action == action)
    if program_id is not None:
        conditions.append(AuditEntry.program_id == program_id)
    joined = (
        select(AuditEntry, User.email, Program.name)
        .outerjoin(User, User.id == AuditEntry.actor_user_id)
        .outerjoin(Program, Program.id == AuditEntry.program_id)
        .where(*conditions)
    )
    total = session.scalar(select(func.count()).select_from(joined.subquery())) or 0
    rows = session.execute(
        joined.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset(offset).limit(limit)
    )
    return [_row(entry, email, name) for entry, email, name in rows], int(total)


def _row(entry: AuditEntry, email: str | None, program_name: str | None) -> EntryRow:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)  # SQLite: naive UTC
    return EntryRow(
        entry.id,
        at,
        entry.actor_kind,
        email,
        entry.action,
        entry.target_kind,
        entry.target_id,
        entry.program_id,
        program_name,
        dict(entry.details or {}),
    )


def purge_older_than(session: Session, cutoff: datetime) -> int:
    """Remove the entries before `cutoff`. The database refuses any other DELETE: the
    window opened here lets these rows go, and is closed in the same transaction."""
    window = session.scalar(
        insert(AuditPurgeWindow).values(cutoff=cutoff).returning(AuditPurgeWindow.id)
    )
    removed = session.execute(
        delete(AuditEntry)
        .where(AuditEntry.at < cutoff)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(AuditPurgeWindow).where(AuditPurgeWindow.id == window))
    return int(removed.rowcount or 0)  # type: ignore[attr-defined]
