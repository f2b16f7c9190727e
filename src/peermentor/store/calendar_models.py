"""Tables of the pairs' calendars: meeting series and each person's private feed.

A feed's secret is never stored: only its SHA-256, like every other token here, so a
leaked database subscribes nobody to anything.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from peermentor.store.models import Base, utcnow

Stamp = DateTime(timezone=True)


class MeetingSeriesRow(Base):
    """Sessions or role-plays a pair put in its calendars: one uid, many occurrences."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(Stamp)  # stored in UTC
    timezone: Mapped[str] = mapped_column(String(64))
    minutes: Mapped[int] = mapped_column(Integer)
    cadence_kind: Mapped[str | None] = mapped_column(String(20))  # None: once
    cadence_every_days: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
    # Indexed: the invite source looks for series changed since its last look.
    updated_at: Mapped[datetime] = mapped_column(Stamp, index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(Stamp)


class CalendarFeed(Base):
    """A person's private calendar address; making a new one replaces the old."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Stamp, default=utcnow)
