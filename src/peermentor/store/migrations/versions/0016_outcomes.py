"""outcome events from HR data, for the insight page's outcomes figure

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outcome_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "event IN ('promotion', 'internal_move', 'left')", name="ck_outcome_events_event"
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name="fk_outcome_events_program_id_programs",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_outcome_events_person_id_people",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outcome_events"),
        sa.UniqueConstraint(
            "program_id", "person_id", "event", "happened_on", name="uq_outcome_events_event"
        ),
    )
    op.create_index("ix_outcome_events_program_id", "outcome_events", ["program_id"])
    op.create_index("ix_outcome_events_person_id", "outcome_events", ["person_id"])


def downgrade() -> None:
    op.drop_table("outcome_events")
