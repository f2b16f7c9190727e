"""Tables of team circles: circles, memberships, rounds, assignments, notes, replies, skips.

A membership row is one stretch of time in a circle (joined, and left when it ends), so
someone who leaves and comes back has two rows. A round keeps its own copy of whether
it is anonymous: changing the circle's setting affects the next round, not one under way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from peermentor.store.models import Base, utcnow


class Moment(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on both databases (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class Circle(Base):
    __tablename__ = "circles"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # Named, never a giver or receiver, never a reader of notes.
    lead_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    cadence_days: Mapped[int] = mapped_column(Integer, default=14)
    receivers_per_giver: Mapped[int] = mapped_column(Integer, default=1)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # A secret per circle that orders released anonymous notes (domain.circles.shuffled).
    shuffle_seed: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Moment(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("program_id", "name", name="uq_circles_program_name"),
        CheckConstraint("cadence_days BETWEEN 1 AND 365", name="cadence"),
        CheckConstraint("receivers_per_giver >= 1", name="receivers"),
    )


class CircleMember(Base):
    __tablename__ = "circle_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(Moment(), default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(Moment())
    # Rounds starting before this moment leave the member out.
    paused_until: Mapped[datetime | None] = mapped_column(Moment())


class CircleRound(Base):
    __tablename__ = "circle_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(Moment())
    deadline: Mapped[datetime] = mapped_column(Moment())
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("circle_id", "number", name="uq_circle_rounds_circle_number"),
        CheckConstraint("deadline >= starts_at", name="deadline_after_start"),
    )


class CircleAssignment(Base):
    __tablename__ = "circle_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("circle_rounds.id", ondelete="CASCADE"), index=True
    )
    giver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    receiver_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (
        UniqueConstraint("round_id", "giver_id", "receiver_id", name="uq_circle_assignments_pair"),
        CheckConstraint("giver_id <> receiver_id", name="not_oneself"),
    )


class CircleNote(Base):
    __tablename__ = "circle_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("circle_assignments.id", ondelete="CASCADE"), unique=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("circle_rounds.id", ondelete="CASCADE"), index=True
    )
    giver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    receiver_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    dimension: Mapped[str] = mapped_column(String(20))
    situation: Mapped[str] = mapped_column(Text)
    behaviour: Mapped[str] = mapped_column(Text)
    impact: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text, default="")
    given_at: Mapped[datetime] = mapped_column(Moment())
    acknowledged_at: Mapped[datetime | None] = mapped_column(Moment())

    __table_args__ = (
        CheckConstraint("dimension IN ('behaviour', 'attitude', 'performance')", name="dimension"),
    )


class CircleReply(Base):
    __tablename__ = "circle_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("circle_notes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Moment())

    __table_args__ = (CheckConstraint("kind IN ('thanks', 'question')", name="kind"),)


class CircleSkip(Base):
    __tablename__ = "circle_skips"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("circle_rounds.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    skipped_at: Mapped[datetime] = mapped_column(Moment())

    __table_args__ = (
        UniqueConstraint("round_id", "person_id", name="uq_circle_skips_round_person"),
    )
