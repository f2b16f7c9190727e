"""team circles: circles, memberships, rounds, assignments, notes, replies, skips

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _people_fk(column: str, table: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["people.id"], name=f"fk_{table}_{column}_people", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "circles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("lead_person_id", sa.Integer(), nullable=True),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        sa.Column("receivers_per_giver", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("shuffle_seed", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint("cadence_days BETWEEN 1 AND 365", name="ck_circles_cadence"),
        sa.CheckConstraint("receivers_per_giver >= 1", name="ck_circles_receivers"),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name="fk_circles_program_id_programs",
            ondelete="CASCADE",
        ),
        _people_fk("lead_person_id", "circles", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_circles"),
        sa.UniqueConstraint("program_id", "name", name="uq_circles_program_name"),
    )
    op.create_index("ix_circles_program_id", "circles", ["program_id"])
    op.create_index("ix_circles_lead_person_id", "circles", ["lead_person_id"])
    op.create_table(
        "circle_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", TZ, nullable=False),
        sa.Column("left_at", TZ, nullable=True),
        sa.Column("paused_until", TZ, nullable=True),
        sa.ForeignKeyConstraint(
            ["circle_id"],
            ["circles.id"],
            name="fk_circle_members_circle_id_circles",
            ondelete="CASCADE",
        ),
        _people_fk("person_id", "circle_members"),
        sa.PrimaryKeyConstraint("id", name="pk_circle_members"),
    )
    op.create_index("ix_circle_members_circle_id", "circle_members", ["circle_id"])
    op.create_index("ix_circle_members_person_id", "circle_members", ["person_id"])
    op.create_table(
        "circle_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("deadline", TZ, nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.CheckConstraint("deadline >= starts_at", name="ck_circle_rounds_deadline_after_start"),
        sa.ForeignKeyConstraint(
            ["circle_id"],
            ["circles.id"],
            name="fk_circle_rounds_circle_id_circles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_circle_rounds"),
        sa.UniqueConstraint("circle_id", "number", name="uq_circle_rounds_circle_number"),
    )
    op.create_index("ix_circle_rounds_circle_id", "circle_rounds", ["circle_id"])
    op.create_table(
        "circle_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("giver_id <> receiver_id", name="ck_circle_assignments_not_oneself"),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["circle_rounds.id"],
            name="fk_circle_assignments_round_id_circle_rounds",
            ondelete="CASCADE",
        ),
        _people_fk("giver_id", "circle_assignments"),
        _people_fk("receiver_id", "circle_assignments"),
        sa.PrimaryKeyConstraint("id", name="pk_circle_assignments"),
        sa.UniqueConstraint(
            "round_id", "giver_id", "receiver_id", name="uq_circle_assignments_pair"
        ),
    )
    for column in ("round_id", "giver_id", "receiver_id"):
        op.create_index(f"ix_circle_assignments_{column}", "circle_assignments", [column])
    op.create_table(
        "circle_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(20), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("behaviour", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("given_at", TZ, nullable=False),
        sa.Column("acknowledged_at", TZ, nullable=True),
        sa.CheckConstraint(
            "dimension IN ('behaviour', 'attitude', 'performance')",
            name="ck_circle_notes_dimension",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["circle_assignments.id"],
            name="fk_circle_notes_assignment_id_circle_assignments",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["circle_rounds.id"],
            name="fk_circle_notes_round_id_circle_rounds",
            ondelete="CASCADE",
        ),
        _people_fk("giver_id", "circle_notes"),
        _people_fk("receiver_id", "circle_notes"),
        sa.PrimaryKeyConstraint("id", name="pk_circle_notes"),
        sa.UniqueConstraint("assignment_id", name="uq_circle_notes_assignment_id"),
    )
    for column in ("round_id", "giver_id", "receiver_id"):
        op.create_index(f"ix_circle_notes_{column}", "circle_notes", [column])
    op.create_table(
        "circle_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint("kind IN ('thanks', 'question')", name="ck_circle_replies_kind"),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["circle_notes.id"],
            name="fk_circle_replies_note_id_circle_notes",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_circle_replies"),
    )
    op.create_index("ix_circle_replies_note_id", "circle_replies", ["note_id"])
    op.create_table(
        "circle_skips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("skipped_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["circle_rounds.id"],
            name="fk_circle_skips_round_id_circle_rounds",
            ondelete="CASCADE",
        ),
        _people_fk("person_id", "circle_skips"),
        sa.PrimaryKeyConstraint("id", name="pk_circle_skips"),
        sa.UniqueConstraint("round_id", "person_id", name="uq_circle_skips_round_person"),
    )
    op.create_index("ix_circle_skips_round_id", "circle_skips", ["round_id"])
    op.create_index("ix_circle_skips_person_id", "circle_skips", ["person_id"])


def downgrade() -> None:
    for table in (
        "circle_skips",
        "circle_replies",
        "circle_notes",
        "circle_assignments",
        "circle_rounds",
        "circle_members",
        "circles",
    ):
        op.drop_table(table)
