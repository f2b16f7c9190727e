"""audit log: append-only entries and the purge window

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:40:00


Append-only is enforced by triggers on both databases, not only by the code:
- UPDATE is refused, except the ON DELETE SET NULL of the actor's account or the
  programme (erasing a person leaves "erased account", never their email);
- DELETE is refused unless the entry is older than an open purge window, which the
  retention purge inserts and removes inside its own transaction;
- TRUNCATE (PostgreSQL) is refused outright.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "audit entries are append-only"
PURGE_ONLY = "audit entries are removed only by the retention purge"

# The columns an UPDATE must leave as they are; the two references may only be cleared.
_FIXED = ("id", "at", "actor_kind", "action", "target_kind", "target_id")

SQLITE_TRIGGERS = (
    f"""
    CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries
    WHEN NOT (
        {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in _FIXED)}
        AND NEW.details IS OLD.details
        AND (NEW.actor_user_id IS OLD.actor_user_id OR NEW.actor_user_id IS NULL)
        AND (NEW.program_id IS OLD.program_id OR NEW.program_id IS NULL)
    )
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END
    """,
    # COALESCE: with no window open the comparison is NULL, and a NULL WHEN never fires.
    f"""
    CREATE TRIGGER audit_entries_purge_only BEFORE DELETE ON audit_entries
    WHEN NOT COALESCE(OLD.at < (SELECT MAX(cutoff) FROM audit_purge_windows), 0)
    BEGIN SELECT RAISE(ABORT, '{PURGE_ONLY}'); END
    """,
)

POSTGRES_FUNCTION = f"""
CREATE FUNCTION audit_entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION '{PURGE_ONLY}';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF ({", ".join(f"NEW.{c}" for c in _FIXED)}, NEW.details::text)
                IS DISTINCT FROM ({", ".join(f"OLD.{c}" for c in _FIXED)}, OLD.details::text)
            OR (NEW.actor_user_id IS DISTINCT FROM OLD.actor_user_id
                AND NEW.actor_user_id IS NOT NULL)
            OR (NEW.program_id IS DISTINCT FROM OLD.program_id AND NEW.program_id IS NOT NULL)
        THEN
            RAISE EXCEPTION '{APPEND_ONLY}';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.at < (SELECT MAX(cutoff) FROM audit_purge_windows) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{PURGE_ONLY}';
END
$$
"""

POSTGRES_TRIGGERS = (
    POSTGRES_FUNCTION,
    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_guard()",
    "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_guard()",
)


def upgrade() -> None:
    op.create_table(
        "audit_purge_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_purge_windows")),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_kind", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_audit_entries_actor_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_audit_entries_program_id_programs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_action"), ["action"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_entries_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_entries_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_entries_program_id"), ["program_id"], unique=False
        )
    statements = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_purge_only")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_guard()")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_program_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_actor_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_action"))
    op.drop_table("audit_entries")
    op.drop_table("audit_purge_windows")
