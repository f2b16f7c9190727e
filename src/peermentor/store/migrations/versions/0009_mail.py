"""mail: the outbox and each person's mail preferences

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", Stamp, nullable=False),
        sa.Column("next_attempt_at", Stamp, nullable=False),
        sa.Column("lease_until", Stamp, nullable=True),
        sa.Column("lease_owner", sa.String(length=32), nullable=True),
        sa.Column("sent_at", Stamp, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'digested', 'cancelled')",
            name=op.f("ck_mail_outbox_state"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_mail_outbox_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_mail_outbox_key")),
    )
    op.create_index(op.f("ix_mail_outbox_person_id"), "mail_outbox", ["person_id"])
    op.create_index("ix_mail_outbox_state_next", "mail_outbox", ["state", "next_attempt_at"])
    op.create_index("ix_mail_outbox_queued_at", "mail_outbox", ["queued_at"])
    op.create_table(
        "mail_preferences",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("unsubscribed", sa.JSON(), nullable=False),
        sa.Column("weekly_digest", sa.Boolean(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_mail_preferences_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_mail_preferences")),
    )


def downgrade() -> None:
    op.drop_table("mail_preferences")
    op.drop_index("ix_mail_outbox_queued_at", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_state_next", table_name="mail_outbox")
    op.drop_index(op.f("ix_mail_outbox_person_id"), table_name="mail_outbox")
    op.drop_table("mail_outbox")
