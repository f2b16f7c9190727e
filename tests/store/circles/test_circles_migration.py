"""Migration 0011 on a fresh database of each kind: the circle tables come and go."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from peermentor.store.db import make_engine
from peermentor.store.migrate import alembic_config, upgrade
from tests.store.workspace.test_migration import fresh_url  # noqa: F401  (fixture)

TABLES = {
    "circles",
    "circle_members",
    "circle_rounds",
    "circle_assignments",
    "circle_notes",
    "circle_replies",
    "circle_skips",
}


def test_circle_tables_go_down_to_0007_and_up_again(fresh_url: str) -> None:  # noqa: F811
    engine = make_engine(fresh_url)
    try:
        upgrade(engine, "0011")
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0007")
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()
