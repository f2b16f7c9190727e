"""The audit log: who did what to what, in which programme, and when.

Append-only, enforced by the database (triggers in migration 0006): an entry is never
changed, except that erasing its actor's account or deleting its programme clears
that one reference (the foreign keys' ON DELETE SET NULL), and it is removed only by
the retention purge, which opens a window in `audit_purge_windows` inside its own
transaction. Entries hold no text anyone wrote: the actor's email is joined in at
read time, so an erased account reads as "erased account".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from peermentor.store.models import Base


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # "user" (actor_user_id, NULL once the account is erased), "command_line", "anonymous".
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    # No foreign key: a target may be of several kinds, and may be gone later.
    target_kind: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(Integer)
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("programs.id", ondelete="SET NULL"), index=True
    )
    # Numbers, flags, identifiers and lists of ids only (services.audit checks it).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # AUTOINCREMENT on SQLite too: ids never come back after a purge, so a gap shows.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012  (SQLAlchemy reads it)


class AuditPurgeWindow(Base):
    """Open only inside the purge's transaction: entries older than `cutoff` may go."""

    __tablename__ = "audit_purge_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    cutoff: Mapped[datetime] = mapped_column(DateTime(timezone=True))
