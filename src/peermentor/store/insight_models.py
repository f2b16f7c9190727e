"""Insight tables: per-pairing counters and monthly series, refreshed by the worker.

They hold counts and means only, never a word a pair wrote, so that the analytics,
report and health pages read one row a pairing (or a month) instead of walking every
pairing's history on each request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from peermentor.store.models import Base

Stamp = DateTime(timezone=True)


class PairingInsight(Base):
    """One pairing's counters as of `refreshed_at`."""

    __tablename__ = "pairing_insight"

    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), primary_key=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    match_run_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    members: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    proposed_on: Mapped[date | None] = mapped_column(Date)  # the report's date range
    accepted: Mapped[bool] = mapped_column(Boolean)
    charter_agreed: Mapped[bool] = mapped_column(Boolean)
    renewed: Mapped[bool] = mapped_column(Boolean)
    sessions: Mapped[int] = mapped_column(Integer)
    last_session_on: Mapped[date | None] = mapped_column(Date)
    requests_asked: Mapped[int] = mapped_column(Integer)
    requests_answered: Mapped[int] = mapped_column(Integer)
    answer_hours: Mapped[float | None] = mapped_column(Float)  # mean, answered ones
    feedback: Mapped[int] = mapped_column(Integer)
    feedback_both_ways: Mapped[bool] = mapped_column(Boolean)
    roleplays_done: Mapped[int] = mapped_column(Integer)
    roleplays_missed: Mapped[int] = mapped_column(Integer)
    has_roleplay_schedule: Mapped[bool] = mapped_column(Boolean)
    gaps: Mapped[int] = mapped_column(Integer)
    gaps_done: Mapped[int] = mapped_column(Integer)
    checkins: Mapped[int] = mapped_column(Integer)
    checkin_mean: Mapped[float | None] = mapped_column(Float)  # the four dimensions
    # Each dimension's mean over the pairing's check-ins, for the health page's averages.
    checkin_trust: Mapped[float | None] = mapped_column(Float)
    checkin_candour: Mapped[float | None] = mapped_column(Float)
    checkin_mutual_benefit: Mapped[float | None] = mapped_column(Float)
    checkin_progress: Mapped[float | None] = mapped_column(Float)
    balance: Mapped[float | None] = mapped_column(Float)  # |index|; None: no exchange yet
    cross_department: Mapped[bool] = mapped_column(Boolean)
    cross_location: Mapped[bool] = mapped_column(Boolean)
    cross_background: Mapped[bool] = mapped_column(Boolean)
    silent: Mapped[bool] = mapped_column(Boolean)  # open, nothing held for SILENT_DAYS
    overdue_proposal: Mapped[bool] = mapped_column(Boolean)
    refreshed_at: Mapped[datetime] = mapped_column(Stamp)


class InsightSeries(Base):
    """One month of one series of a programme: `total` over `pairings` pairings."""

    __tablename__ = "insight_series"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    pairings: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)


class InsightRefresh(Base):
    """When a programme's insight was last computed (one row a programme)."""

    __tablename__ = "insight_refreshes"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    refreshed_at: Mapped[datetime] = mapped_column(Stamp)
    seconds: Mapped[float] = mapped_column(Float)
    # Inactive members as found then (services.nudges): ids, dates and flags, no names.
    inactive: Mapped[list[Any]] = mapped_column(JSON, default=list)
