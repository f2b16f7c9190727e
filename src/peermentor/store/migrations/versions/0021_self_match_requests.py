"""self-match requests: one participant asks another to be their peer (a programme's
matching mode and window live in its settings)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 21:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "self_match_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("asked_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pairing_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'declined', 'withdrawn', 'expired', 'lapsed')",
            name=op.f("ck_self_match_requests_status"),
        ),
        sa.ForeignKeyConstraint(
            ["asked_id"],
            ["people.id"],
            name=op.f("fk_self_match_requests_asked_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["asker_id"],
            ["people.id"],
            name=op.f("fk_self_match_requests_asker_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_self_match_requests_pairing_id_pairings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_self_match_requests_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_match_requests")),
    )
    with op.batch_alter_table("self_match_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_self_match_requests_asked_id"), ["asked_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_self_match_requests_asker_id"), ["asker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_self_match_requests_program_id"), ["program_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("self_match_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_match_requests_program_id"))
        batch_op.drop_index(batch_op.f("ix_self_match_requests_asker_id"))
        batch_op.drop_index(batch_op.f("ix_self_match_requests_asked_id"))

    op.drop_table("self_match_requests")
