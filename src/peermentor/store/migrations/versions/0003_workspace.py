"""workspace: proposal answers, charter, vision, gaps, requests, sessions, role-play,
feedback, check-ins and closing reflections; the pairing's proposed, activated and
ended times

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 02:21:05.345128
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("practising_name", sa.String(length=200), nullable=False),
        sa.Column("practising_brief", sa.Text(), nullable=False),
        sa.Column("counterpart_name", sa.String(length=200), nullable=False),
        sa.Column("counterpart_brief", sa.Text(), nullable=False),
        sa.Column("practise", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_programme_scenarios_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_scenarios")),
        sa.UniqueConstraint("program_id", "key", name="uq_programme_scenarios"),
    )
    with op.batch_alter_table("programme_scenarios", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_scenarios_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "charter_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_charter_agreements_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_charter_agreements_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_agreements")),
        sa.UniqueConstraint("pairing_id", "person_id", "version", name="uq_charter_agreements"),
    )
    with op.batch_alter_table("charter_agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_charter_agreements_pairing_id"), ["pairing_id"], unique=False
        )

    op.create_table(
        "charter_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("cadence_kind", sa.String(length=20), nullable=False),
        sa.Column("cadence_every_days", sa.Integer(), nullable=True),
        sa.Column("norm_confidentiality", sa.Boolean(), nullable=False),
        sa.Column("norm_candour", sa.Boolean(), nullable=False),
        sa.Column("norm_other", sa.Text(), nullable=False),
        sa.Column("edited_by", sa.Integer(), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edited_by"],
            ["people.id"],
            name=op.f("fk_charter_versions_edited_by_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_charter_versions_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_versions")),
        sa.UniqueConstraint("pairing_id", "version", name="uq_charter_versions"),
    )
    with op.batch_alter_table("charter_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_charter_versions_pairing_id"), ["pairing_id"], unique=False
        )

    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trust", sa.Integer(), nullable=False),
        sa.Column("candour", sa.Integer(), nullable=False),
        sa.Column("mutual_benefit", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "trust BETWEEN 1 AND 5 AND candour BETWEEN 1 AND 5"
            " AND mutual_benefit BETWEEN 1 AND 5 AND progress BETWEEN 1 AND 5",
            name=op.f("ck_checkins_scores_1_to_5"),
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_checkins_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_checkins_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(
            "ix_checkins_pairing_person_at", ["pairing_id", "person_id", "at"], unique=False
        )

    op.create_table(
        "closing_reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("choice", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_closing_reflections_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_closing_reflections_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closing_reflections")),
        sa.UniqueConstraint("pairing_id", "cycle", "person_id", name="uq_closing_reflections"),
    )
    with op.batch_alter_table("closing_reflections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_closing_reflections_pairing_id"), ["pairing_id"], unique=False
        )

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("behaviour", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["giver_id"],
            ["people.id"],
            name=op.f("fk_feedback_giver_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_feedback_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"],
            ["people.id"],
            name=op.f("fk_feedback_receiver_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_pairing_id"), ["pairing_id"], unique=False)

    op.create_table(
        "gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("milestone_key", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_gaps_owner_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_gaps_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gaps")),
    )
    with op.batch_alter_table("gaps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gaps_pairing_id"), ["pairing_id"], unique=False)

    op.create_table(
        "pairing_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_pairing_responses_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_pairing_responses_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_responses")),
        sa.UniqueConstraint("pairing_id", "person_id", name="uq_pairing_responses"),
    )
    with op.batch_alter_table("pairing_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pairing_responses_pairing_id"), ["pairing_id"], unique=False
        )

    op.create_table(
        "pairing_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_person_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_person_id"],
            ["people.id"],
            name=op.f("fk_pairing_transitions_by_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_pairing_transitions_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_transitions")),
    )
    with op.batch_alter_table("pairing_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pairing_transitions_pairing_id"), ["pairing_id"], unique=False
        )

    op.create_table(
        "roleplay_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("cadence_kind", sa.String(length=20), nullable=False),
        sa.Column("cadence_every_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_roleplay_schedules_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roleplay_schedules")),
        sa.UniqueConstraint("pairing_id", name=op.f("uq_roleplay_schedules_pairing_id")),
    )
    op.create_table(
        "roleplays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("scenario_key", sa.String(length=100), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_roleplays_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roleplays")),
        sa.UniqueConstraint("pairing_id", "sequence", name="uq_roleplays_sequence"),
    )
    with op.batch_alter_table("roleplays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roleplays_pairing_id"), ["pairing_id"], unique=False)

    op.create_table(
        "session_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("logged_by", sa.Integer(), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["logged_by"],
            ["people.id"],
            name=op.f("fk_session_logs_logged_by_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_session_logs_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_logs")),
    )
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_logs_pairing_id"), ["pairing_id"], unique=False
        )

    op.create_table(
        "visions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("horizon_years", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("horizon_years IN (3, 4, 5)", name=op.f("ck_visions_horizon")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_visions_author_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_visions_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visions")),
        sa.UniqueConstraint("pairing_id", "author_id", name="uq_visions_pairing_author"),
    )
    with op.batch_alter_table("visions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visions_pairing_id"), ["pairing_id"], unique=False)

    op.create_table(
        "charter_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_charter_goals_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["charter_versions.id"],
            name=op.f("fk_charter_goals_version_id_charter_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_goals")),
    )
    with op.batch_alter_table("charter_goals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_charter_goals_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "guidance_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("gap_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["asker_id"],
            ["people.id"],
            name=op.f("fk_guidance_requests_asker_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["gap_id"],
            ["gaps.id"],
            name=op.f("fk_guidance_requests_gap_id_gaps"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_guidance_requests_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["people.id"],
            name=op.f("fk_guidance_requests_recipient_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidance_requests")),
    )
    with op.batch_alter_table("guidance_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guidance_requests_pairing_id"), ["pairing_id"], unique=False
        )

    op.create_table(
        "roleplay_reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roleplay_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_roleplay_reflections_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["roleplay_id"],
            ["roleplays.id"],
            name=op.f("fk_roleplay_reflections_roleplay_id_roleplays"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roleplay_reflections")),
        sa.UniqueConstraint("roleplay_id", "person_id", name="uq_roleplay_reflections"),
    )
    with op.batch_alter_table("roleplay_reflections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roleplay_reflections_roleplay_id"), ["roleplay_id"], unique=False
        )

    op.create_table(
        "session_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("gave", sa.JSON(), nullable=False),
        sa.Column("got", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_session_contributions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session_logs.id"],
            name=op.f("fk_session_contributions_session_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_contributions")),
        sa.UniqueConstraint("session_id", "person_id", name="uq_session_contributions"),
    )
    with op.batch_alter_table("session_contributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_contributions_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "vision_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vision_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vision_id"],
            ["visions.id"],
            name=op.f("fk_vision_milestones_vision_id_visions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vision_milestones")),
        sa.UniqueConstraint("vision_id", "key", name="uq_vision_milestones"),
    )
    with op.batch_alter_table("vision_milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vision_milestones_vision_id"), ["vision_id"], unique=False
        )

    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
        batch_op.drop_column("activated_at")
        batch_op.drop_column("proposed_at")

    with op.batch_alter_table("vision_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vision_milestones_vision_id"))

    op.drop_table("vision_milestones")
    with op.batch_alter_table("session_contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_contributions_session_id"))

    op.drop_table("session_contributions")
    with op.batch_alter_table("roleplay_reflections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roleplay_reflections_roleplay_id"))

    op.drop_table("roleplay_reflections")
    with op.batch_alter_table("guidance_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guidance_requests_pairing_id"))

    op.drop_table("guidance_requests")
    with op.batch_alter_table("charter_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_goals_version_id"))

    op.drop_table("charter_goals")
    with op.batch_alter_table("visions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visions_pairing_id"))

    op.drop_table("visions")
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_logs_pairing_id"))

    op.drop_table("session_logs")
    with op.batch_alter_table("roleplays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roleplays_pairing_id"))

    op.drop_table("roleplays")
    op.drop_table("roleplay_schedules")
    with op.batch_alter_table("pairing_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pairing_transitions_pairing_id"))

    op.drop_table("pairing_transitions")
    with op.batch_alter_table("pairing_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pairing_responses_pairing_id"))

    op.drop_table("pairing_responses")
    with op.batch_alter_table("gaps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gaps_pairing_id"))

    op.drop_table("gaps")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_pairing_id"))

    op.drop_table("feedback")
    with op.batch_alter_table("closing_reflections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closing_reflections_pairing_id"))

    op.drop_table("closing_reflections")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_checkins_pairing_person_at")

    op.drop_table("checkins")
    with op.batch_alter_table("charter_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_versions_pairing_id"))

    op.drop_table("charter_versions")
    with op.batch_alter_table("charter_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_agreements_pairing_id"))

    op.drop_table("charter_agreements")
    with op.batch_alter_table("programme_scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_scenarios_program_id"))

    op.drop_table("programme_scenarios")
