"""Outcome events from HR data (promotion, internal move, leaving), one row an event.

Uploaded by a programme's admins as a CSV; an upload replaces the programme's events.
A person's events go with them when they are erased (the foreign key cascades)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peermentor.store.models import Base


class OutcomeEvent(Base):
    __tablename__ = "outcome_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(20))
    happened_on: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("event IN ('promotion', 'internal_move', 'left')", name="event"),
        UniqueConstraint(
            "program_id", "person_id", "event", "happened_on", name="uq_outcome_events_event"
        ),
    )
