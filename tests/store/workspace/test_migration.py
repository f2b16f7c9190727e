"""Migration 0003 goes down to 0002 and up again cleanly, on a fresh database of each kind."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from peermentor.store.db import make_engine, normalise_url
from peermentor.store.migrate import alembic_config, upgrade
from tests.conftest import POSTGRES_URL

WORKSPACE_TABLES = {
    "pairing_responses",
    "pairing_transitions",
    "charter_versions",
    "charter_goals",
    "charter_agreements",
    "visions",
    "vision_milestones",
    "gaps",
    "guidance_requests",
    "session_logs",
    "session_contributions",
    "programme_scenarios",
    "roleplay_schedules",
    "roleplays",
    "roleplay_reflections",
    "feedback",
    "checkins",
    "closing_reflections",
}
PAIRING_TIMES = {"proposed_at", "activated_at", "ended_at"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    request.getfixturevalue("postgresql_url")  # skips (or fails) like the store tests
    admin_url = normalise_url(POSTGRES_URL)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"peermentor_mig_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_workspace_migration_downgrades_and_upgrades(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    try:
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= WORKSPACE_TABLES
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0002")
        schema = inspect(engine)
        assert not WORKSPACE_TABLES & set(schema.get_table_names())
        assert not PAIRING_TIMES & {c["name"] for c in schema.get_columns("pairings")}
        upgrade(engine)
        schema = inspect(engine)
        assert set(schema.get_table_names()) >= WORKSPACE_TABLES
        assert {c["name"] for c in schema.get_columns("pairings")} >= PAIRING_TIMES
    finally:
        engine.dispose()
