"""programme admins

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 02:31:10.710917
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "program_admins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_program_admins_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_program_admins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_admins")),
        sa.UniqueConstraint("user_id", "program_id", name="uq_program_admins_pair"),
    )
    with op.batch_alter_table("program_admins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_program_admins_program_id"), ["program_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("program_admins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_admins_program_id"))

    op.drop_table("program_admins")
