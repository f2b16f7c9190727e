"""Tables. People are organisation-wide; programmes enrol them; pairings hold 2 or 3."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored as given; uniqueness is checked case-insensitively by the importer.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    # An employee_id, not a foreign key: the manager may be outside the imported file.
    manager_id: Mapped[str | None] = mapped_column(String(64), index=True)
    department: Mapped[str] = mapped_column(String(200), default="")
    team: Mapped[str] = mapped_column(String(200), default="")
    job_family: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[int | None] = mapped_column(Integer)
    years_experience: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills_offered: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills_sought: Mapped[list[str]] = mapped_column(JSON, default=list)
    career_goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    goal_statement: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[list[str]] = mapped_column(JSON, default=list)
    background: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_month: Mapped[float | None] = mapped_column(Float)
    opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    # employee_ids never to pair with; like manager_id they may be outside the file.
    do_not_match: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Signed up through a programme's link: the employee id is a placeholder until an
    # import names this person (by email) and gives them HR's.
    self_enrolled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the person last saved their own profile: from then on the fields they keep
    # (domain/profiles.OWNED_FIELDS) are theirs, and an import leaves them as they are.
    profile_saved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    __table_args__ = (
        CheckConstraint("years_experience >= 0", name="years_not_negative"),
        CheckConstraint("hours_per_month IS NULL OR hours_per_month >= 0", name="hours_ok"),
    )


PROGRAM_STATUSES = ("draft", "enrolling", "matching", "active", "closed")


class Program(Base):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="enrolling")
    # Matching weights and rules, response window, cadences: see services.programs.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="program")

    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'enrolling', 'matching', 'active', 'closed')", name="status"
        ),
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_in_order"
        ),
    )


class Enrolment(Base):
    __tablename__ = "enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="enrolled")
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    program: Mapped[Program] = relationship(back_populates="enrolments")
    person: Mapped[Person] = relationship()

    __table_args__ = (
        UniqueConstraint("program_id", "person_id", name="uq_enrolments_program_person"),
        # unconfirmed: signed up, address not confirmed yet; pending: awaits an admin's
        # approval; declined: an admin said no. Only "enrolled" is ever matched.
        CheckConstraint(
            "status IN ('enrolled', 'withdrawn', 'unconfirmed', 'pending', 'declined')",
            name="status",
        ),
    )


class MatchRun(Base):
    """One run of the engine on a programme: its settings and its quality summary."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="draft")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the run was computed on (matching.run_inputs): its pool, past partners and
    # pinned groups, so its scores can be served later. Null for runs stored before
    # 0007. Deferred: it is one record a person, and only the scores export reads it.
    inputs: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'discarded')", name="status"),
    )


PAIRING_STATES = ("draft", "proposed", "active", "paused", "completed", "dissolved")


class Pairing(Base):
    """Two or three people matched together; the members are in pairing_members."""

    __tablename__ = "pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    match_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_runs.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(20), default="draft")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    # The six criterion components, for the quality report and the explanation page.
    components: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The workspace's clock: when the members were asked, when the last of them said
    # yes (check-ins fall due from then), and when it completed or dissolved.
    proposed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    members: Mapped[list[PairingMember]] = relationship(
        back_populates="pairing", cascade="all, delete-orphan", order_by="PairingMember.id"
    )

    __table_args__ = (
        CheckConstraint(
            "state IN ('draft', 'proposed', 'active', 'paused', 'completed', 'dissolved')",
            name="state",
        ),
    )


class PairingMember(Base):
    __tablename__ = "pairing_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # "Why you two", written for this member (the engine explains both ways).
    explanation: Mapped[str] = mapped_column(Text, default="")

    pairing: Mapped[Pairing] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()

    __table_args__ = (
        UniqueConstraint("pairing_id", "person_id", name="uq_pairing_members_pairing_person"),
    )


ROLES = ("participant", "program_admin", "org_admin")


class User(Base):
    """A login. Participants are linked to their person; admins may be too."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="participant")
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), unique=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint("role IN ('participant', 'program_admin', 'org_admin')", name="role"),
    )
