"""match run inputs: what a run was computed on, so its scores can be served later

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:45:00

Runs stored before this revision keep a null: their scores cannot be recomputed, and
`match scores --run N` says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inputs", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_runs", schema=None) as batch_op:
        batch_op.drop_column("inputs")
