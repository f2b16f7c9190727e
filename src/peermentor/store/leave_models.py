"""Tables for taking a break and leaving well: availability (pause, capacity), early
endings with their private reasons, reports to a programme's admins, and blocks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from peermentor.store.models import Base, utcnow


class Availability(Base):
    """A participant's say on being matched in one programme: paused until a date
    (not matched, no nudges), and how many pairings they are open to at once."""

    __tablename__ = "availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    paused_until: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("program_id", "person_id", name="uq_availability_program_person"),
        CheckConstraint("capacity IN (1, 2)", name="capacity"),
    )


class EarlyEnding(Base):
    """One member ended a pairing early. The reason and its words are for the
    programme's admins only: the partner is told kindly, without them."""

    __tablename__ = "early_endings"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Report(Base):
    """A member tells the programme's admins about a problem; admins work a queue."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="SET NULL"))
    category: Mapped[str] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the admin who closed it wrote: for the programme's admins, like the report.
    admin_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="status"),)


class Block(Base):
    """A do-not-match the person owns: `person_id` is never matched with `blocked_id`."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("person_id", "blocked_id", name="uq_blocks_person_blocked"),
        CheckConstraint("person_id <> blocked_id", name="not_self"),
    )
