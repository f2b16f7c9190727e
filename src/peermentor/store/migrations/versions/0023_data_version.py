"""data_version: one number that every committed write to a page's tables moves on,
bumped by triggers, so rendered pages can be kept until what they show changes

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08 00:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As this revision left them (store/data_version.py keeps the live list and the DDL).
_UNTRACKED = {
    "alembic_version",
    "data_version",
    "user_sessions",
    "throttle_counters",
    "jobs",
    "mail_outbox",
}
_EVENTS = ("INSERT", "UPDATE", "DELETE")
_FUNCTION = "peermentor_bump_data_version"


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.execute("INSERT INTO data_version (id, n) VALUES (1, 0)")
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                -- Once a transaction: the row's xmin is the last writer's id, so a
                -- transaction that bumped it already skips (no second write, no dead
                -- row). Inside a savepoint xmin is the savepoint's own id: it bumps
                -- on each statement, as a savepoint may be rolled back alone.
                UPDATE data_version SET n = n + 1
                WHERE id = 1 AND xmin::text::bigint <> txid_current() % 4294967296;
                RETURN NULL;
            END $$
            """
        )
    for table in sorted(set(sa.inspect(bind).get_table_names()) - _UNTRACKED):
        for event in _EVENTS:
            name = f"pm_dv_{table}_{event.lower()}"
            if postgres:
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
                )
            else:
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                    "BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END"
                )


def downgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for table in sorted(set(sa.inspect(bind).get_table_names()) - _UNTRACKED):
        for event in _EVENTS:
            name = f"pm_dv_{table}_{event.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        op.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
    op.drop_table("data_version")
