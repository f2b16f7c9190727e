"""Self-match requests: one participant asks another to be their peer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from peermentor.store.models import Base, utcnow

_STATUS_CHECK = "status IN ('open', 'accepted', 'declined', 'withdrawn', 'expired', 'lapsed')"


class SelfMatchRequest(Base):
    """Who asked whom in which programme, until when, and what became of it. Neither
    the audit trail nor any admin page reads these rows: who declined whom stays
    between the two (the pairing a yes makes is audited)."""

    __tablename__ = "self_match_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    asker_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    asked_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="SET NULL"))

    __table_args__ = (CheckConstraint(_STATUS_CHECK, name="status"),)
