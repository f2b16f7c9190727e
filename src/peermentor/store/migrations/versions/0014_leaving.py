"""pause and leaving well: availability, early endings, reports, blocks

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _fk(column: str, table: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "availability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint("capacity IN (1, 2)", name="ck_availability_capacity"),
        _fk("program_id", "availability", "programs"),
        _fk("person_id", "availability", "people"),
        sa.PrimaryKeyConstraint("id", name="pk_availability"),
        sa.UniqueConstraint("program_id", "person_id", name="uq_availability_program_person"),
    )
    op.create_index("ix_availability_program_id", "availability", ["program_id"])
    op.create_index("ix_availability_person_id", "availability", ["person_id"])
    op.create_table(
        "early_endings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        _fk("program_id", "early_endings", "programs"),
        _fk("pairing_id", "early_endings", "pairings"),
        _fk("person_id", "early_endings", "people"),
        sa.PrimaryKeyConstraint("id", name="pk_early_endings"),
    )
    op.create_index("ix_early_endings_program_id", "early_endings", ["program_id"])
    op.create_index("ix_early_endings_person_id", "early_endings", ["person_id"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("pairing_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("closed_at", TZ, nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_reports_status"),
        _fk("program_id", "reports", "programs"),
        _fk("reporter_id", "reports", "people"),
        _fk("subject_id", "reports", "people", "SET NULL"),
        _fk("pairing_id", "reports", "pairings", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_index("ix_reports_program_id", "reports", ["program_id"])
    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("blocked_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint("person_id <> blocked_id", name="ck_blocks_not_self"),
        _fk("person_id", "blocks", "people"),
        _fk("blocked_id", "blocks", "people"),
        sa.PrimaryKeyConstraint("id", name="pk_blocks"),
        sa.UniqueConstraint("person_id", "blocked_id", name="uq_blocks_person_blocked"),
    )
    op.create_index("ix_blocks_person_id", "blocks", ["person_id"])
    op.create_index("ix_blocks_blocked_id", "blocks", ["blocked_id"])


def downgrade() -> None:
    for table in ("blocks", "reports", "early_endings", "availability"):
        op.drop_table(table)
