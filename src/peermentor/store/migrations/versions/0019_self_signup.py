"""self sign-up: enrolments that wait for a confirmed address or an admin's approval,
and people who signed themselves up (no employee id from HR yet)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 19:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('enrolled', 'withdrawn')"
NEW = "status IN ('enrolled', 'withdrawn', 'unconfirmed', 'pending', 'declined')"


def upgrade() -> None:
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_enrolments_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_enrolments_status"), NEW)
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("self_enrolled", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    op.execute("UPDATE enrolments SET status = 'withdrawn' WHERE status <> 'enrolled'")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("self_enrolled")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_enrolments_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_enrolments_status"), OLD)
