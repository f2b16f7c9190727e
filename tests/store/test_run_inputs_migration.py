"""Migration 0007 on a fresh database of each kind: a run stored before it keeps a null
for its inputs (its scores cannot be served, and the service says so); it goes down to
0006 and up again."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text

from peermentor.store.db import make_engine
from peermentor.store.migrate import alembic_config, upgrade
from tests.store.workspace.test_migration import fresh_url  # noqa: F401  (fixture)

MADE = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)


def _columns(engine) -> set[str]:  # type: ignore[no-untyped-def]
    return {c["name"] for c in inspect(engine).get_columns("match_runs")}


def test_old_runs_keep_no_inputs_and_the_migration_goes_down_and_up(
    fresh_url: str,  # noqa: F811
) -> None:
    engine = make_engine(fresh_url)
    try:
        upgrade(engine, "0006")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO programs (id, name, description, status, settings, created_at) "
                    "VALUES (1, 'P', '', 'enrolling', '{}', :made)"
                ),
                {"made": MADE},
            )
            connection.execute(
                text(
                    "INSERT INTO match_runs (program_id, status, settings, summary, created_at) "
                    "VALUES (1, 'published', '{}', '{}', :made)"
                ),
                {"made": MADE},
            )
        upgrade(engine, "0007")
        assert "inputs" in _columns(engine)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT inputs FROM match_runs")).scalar_one() is None
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0006")
        assert "inputs" not in _columns(engine)
        upgrade(engine)
        assert "inputs" in _columns(engine)
    finally:
        engine.dispose()
