"""Tables of the pairing workspace: what the members of a pairing do together.

Everything here except the programme scenarios is private to a pairing's members.
Member columns hold people.id; the domain sees them as str(people.id). Short lists
(topics, what one brought to a session) are JSON columns: they are read and written
whole, never queried item by item.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from peermentor.store.models import Base

Stamp = DateTime(timezone=True)


def _pairing_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)


def _person_fk(*, index: bool = False) -> Mapped[int]:
    return mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=index)


class PairingResponse(Base):
    """One member's answer to the proposal: accepted, or declined with a reason."""

    __tablename__ = "pairing_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    person_id: Mapped[int] = _person_fk()
    accepted: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(Stamp)

    __table_args__ = (UniqueConstraint("pairing_id", "person_id", name="uq_pairing_responses"),)


class PairingTransition(Base):
    """Every state change of a pairing, oldest first (the lifecycle's history)."""

    __tablename__ = "pairing_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(Stamp)
    # None: an admin or the system acted, not a member.
    by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")


class CharterVersionRow(Base):
    """One version of a pairing's charter; the highest version is the current one."""

    __tablename__ = "charter_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    version: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(Text, default="")
    cadence_kind: Mapped[str] = mapped_column(String(20))
    cadence_every_days: Mapped[int | None] = mapped_column(Integer)
    norm_confidentiality: Mapped[bool] = mapped_column(Boolean, default=True)
    norm_candour: Mapped[bool] = mapped_column(Boolean, default=True)
    norm_other: Mapped[str] = mapped_column(Text, default="")
    edited_by: Mapped[int] = _person_fk()
    edited_at: Mapped[datetime] = mapped_column(Stamp)

    __table_args__ = (UniqueConstraint("pairing_id", "version", name="uq_charter_versions"),)


class CharterGoal(Base):
    """A member's goal as it stood in one charter version, in the member's order."""

    __tablename__ = "charter_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("charter_versions.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = _person_fk()
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class CharterAgreement(Base):
    __tablename__ = "charter_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    person_id: Mapped[int] = _person_fk()
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(Stamp)

    __table_args__ = (
        UniqueConstraint("pairing_id", "person_id", "version", name="uq_charter_agreements"),
    )


class VisionRow(Base):
    """A member's career vision inside one pairing, shared with the partner(s)."""

    __tablename__ = "visions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    author_id: Mapped[int] = _person_fk()
    horizon_years: Mapped[int] = mapped_column(Integer)
    statement: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(Stamp)

    __table_args__ = (
        UniqueConstraint("pairing_id", "author_id", name="uq_visions_pairing_author"),
        CheckConstraint("horizon_years IN (3, 4, 5)", name="horizon"),
    )


class VisionMilestone(Base):
    __tablename__ = "vision_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    vision_id: Mapped[int] = mapped_column(ForeignKey("visions.id", ondelete="CASCADE"), index=True)
    # The domain's milestone id: stable across edits so that gaps stay linked.
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("vision_id", "key", name="uq_vision_milestones"),)


class GapRow(Base):
    __tablename__ = "gaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    owner_id: Mapped[int] = _person_fk()
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")
    milestone_key: Mapped[str | None] = mapped_column(String(100))


class GuidanceRequestRow(Base):
    __tablename__ = "guidance_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    asker_id: Mapped[int] = _person_fk()
    recipient_id: Mapped[int] = _person_fk()
    topic: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")
    gap_id: Mapped[int | None] = mapped_column(ForeignKey("gaps.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(Text, default="")
    asked_at: Mapped[datetime] = mapped_column(Stamp)
    answered_at: Mapped[datetime | None] = mapped_column(Stamp)
    closed_at: Mapped[datetime | None] = mapped_column(Stamp)


class SessionLog(Base):
    """A meeting of the members (a mentoring session, not a database session)."""

    __tablename__ = "session_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    held_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    logged_by: Mapped[int] = _person_fk()
    logged_at: Mapped[datetime] = mapped_column(Stamp)


class SessionContribution(Base):
    """What one member brought to (gave) and took away from (got) one session."""

    __tablename__ = "session_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session_logs.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = _person_fk()
    gave: Mapped[list[str]] = mapped_column(JSON, default=list)
    got: Mapped[list[str]] = mapped_column(JSON, default=list)

    __table_args__ = (UniqueConstraint("session_id", "person_id", name="uq_session_contributions"),)


class ProgrammeScenario(Base):
    """A role-play scenario a programme adds to the shipped library (not private)."""

    __tablename__ = "programme_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    situation: Mapped[str] = mapped_column(Text)
    practising_name: Mapped[str] = mapped_column(String(200))
    practising_brief: Mapped[str] = mapped_column(Text)
    counterpart_name: Mapped[str] = mapped_column(String(200))
    counterpart_brief: Mapped[str] = mapped_column(Text)
    practise: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("program_id", "key", name="uq_programme_scenarios"),)


class RolePlaySchedule(Base):
    __tablename__ = "roleplay_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), unique=True
    )
    start: Mapped[date] = mapped_column(Date)
    cadence_kind: Mapped[str] = mapped_column(String(20))
    cadence_every_days: Mapped[int | None] = mapped_column(Integer)


class RolePlayRow(Base):
    __tablename__ = "roleplays"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    scenario_key: Mapped[str] = mapped_column(String(100))
    sequence: Mapped[int] = mapped_column(Integer)
    scheduled_on: Mapped[date] = mapped_column(Date)
    # [[person_id, role], ...] as planned, so a later change of members cannot rewrite
    # who played what.
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    completed_at: Mapped[datetime | None] = mapped_column(Stamp)

    __table_args__ = (UniqueConstraint("pairing_id", "sequence", name="uq_roleplays_sequence"),)


class RolePlayReflection(Base):
    __tablename__ = "roleplay_reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    roleplay_id: Mapped[int] = mapped_column(
        ForeignKey("roleplays.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = _person_fk()
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(Stamp)

    __table_args__ = (UniqueConstraint("roleplay_id", "person_id", name="uq_roleplay_reflections"),)


class FeedbackRow(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    giver_id: Mapped[int] = _person_fk()
    receiver_id: Mapped[int] = _person_fk()
    dimension: Mapped[str] = mapped_column(String(20))
    situation: Mapped[str] = mapped_column(Text)
    behaviour: Mapped[str] = mapped_column(Text)
    impact: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text, default="")
    given_at: Mapped[datetime] = mapped_column(Stamp)
    acknowledged_at: Mapped[datetime | None] = mapped_column(Stamp)


class CheckInRow(Base):
    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by ix_checkins_pairing_person_at below, which also finds the last pulse.
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = _person_fk()
    at: Mapped[datetime] = mapped_column(Stamp)
    trust: Mapped[int] = mapped_column(Integer)
    candour: Mapped[int] = mapped_column(Integer)
    mutual_benefit: Mapped[int] = mapped_column(Integer)
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint(
            "trust BETWEEN 1 AND 5 AND candour BETWEEN 1 AND 5"
            " AND mutual_benefit BETWEEN 1 AND 5 AND progress BETWEEN 1 AND 5",
            name="scores_1_to_5",
        ),
        Index("ix_checkins_pairing_person_at", "pairing_id", "person_id", "at"),
    )


class ClosingReflectionRow(Base):
    """A member's reflection at the end of one cycle, with their choice."""

    __tablename__ = "closing_reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = _pairing_fk()
    cycle: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = _person_fk()
    text: Mapped[str] = mapped_column(Text)
    choice: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(Stamp)

    __table_args__ = (
        UniqueConstraint("pairing_id", "cycle", "person_id", name="uq_closing_reflections"),
    )


# "When did this person last do anything" (nudges, the inactive list, the workspace's
# reminders) asks every table below by person: without these it scanned each table
# whole on every workspace view.
LAST_ACTIVITY_INDEXES = (
    Index("ix_pairing_responses_person_at", PairingResponse.person_id, PairingResponse.at),
    Index("ix_guidance_asker_at", GuidanceRequestRow.asker_id, GuidanceRequestRow.asked_at),
    Index(
        "ix_guidance_recipient_at", GuidanceRequestRow.recipient_id, GuidanceRequestRow.answered_at
    ),
    Index("ix_session_logs_by_at", SessionLog.logged_by, SessionLog.logged_at),
    Index("ix_feedback_giver_at", FeedbackRow.giver_id, FeedbackRow.given_at),
    Index("ix_feedback_receiver_at", FeedbackRow.receiver_id, FeedbackRow.acknowledged_at),
    Index("ix_checkins_person_at", CheckInRow.person_id, CheckInRow.at),
    Index("ix_charter_versions_by_at", CharterVersionRow.edited_by, CharterVersionRow.edited_at),
    Index("ix_charter_agreements_person_at", CharterAgreement.person_id, CharterAgreement.at),
    Index("ix_roleplay_reflections_person_at", RolePlayReflection.person_id, RolePlayReflection.at),
    Index(
        "ix_closing_reflections_person_at", ClosingReflectionRow.person_id, ClosingReflectionRow.at
    ),
)
