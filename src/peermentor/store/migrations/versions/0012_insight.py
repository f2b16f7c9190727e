"""programme insight: per-pairing counters, monthly series, refresh times

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _programme_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["program_id"], ["programs.id"], name=f"fk_{table}_program_id_programs", ondelete="CASCADE"
    )


def upgrade() -> None:
    counters = [
        (name, sa.Integer())
        for name in (
            "sessions",
            "requests_asked",
            "requests_answered",
            "feedback",
            "roleplays_done",
            "roleplays_missed",
            "gaps",
            "gaps_done",
            "checkins",
        )
    ]
    flags = [
        (name, sa.Boolean())
        for name in (
            "feedback_both_ways",
            "has_roleplay_schedule",
            "cross_department",
            "cross_location",
            "cross_background",
            "silent",
            "overdue_proposal",
        )
    ]
    op.create_table(
        "pairing_insight",
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("match_run_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("charter_agreed", sa.Boolean(), nullable=False),
        sa.Column("renewed", sa.Boolean(), nullable=False),
        *(sa.Column(name, kind, nullable=False) for name, kind in counters[:1]),
        sa.Column("last_session_on", sa.Date(), nullable=True),
        *(sa.Column(name, kind, nullable=False) for name, kind in counters[1:3]),
        sa.Column("answer_hours", sa.Float(), nullable=True),
        *(sa.Column(name, kind, nullable=False) for name, kind in counters[3:]),
        *(sa.Column(name, kind, nullable=False) for name, kind in flags),
        sa.Column("checkin_mean", sa.Float(), nullable=True),
        *(
            sa.Column(f"checkin_{d}", sa.Float(), nullable=True)
            for d in ("trust", "candour", "mutual_benefit", "progress")
        ),
        sa.Column("balance", sa.Float(), nullable=True),
        sa.Column("refreshed_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name="fk_pairing_insight_pairing_id_pairings",
            ondelete="CASCADE",
        ),
        _programme_fk("pairing_insight"),
        sa.PrimaryKeyConstraint("pairing_id", name="pk_pairing_insight"),
    )
    op.create_index("ix_pairing_insight_program_id", "pairing_insight", ["program_id"])
    op.create_table(
        "insight_series",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(40), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("pairings", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        _programme_fk("insight_series"),
        sa.PrimaryKeyConstraint("program_id", "series", "period", name="pk_insight_series"),
    )
    op.create_table(
        "insight_refreshes",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", TZ, nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("inactive", sa.JSON(), nullable=False),
        _programme_fk("insight_refreshes"),
        sa.PrimaryKeyConstraint("program_id", name="pk_insight_refreshes"),
    )


def downgrade() -> None:
    op.drop_table("insight_refreshes")
    op.drop_table("insight_series")
    op.drop_index("ix_pairing_insight_program_id", table_name="pairing_insight")
    op.drop_table("pairing_insight")
