"""Migration 0009 (the outbox and mail preferences) on a fresh database of each kind:
up from 0007, down again, and up to head."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from peermentor.store.db import make_engine
from peermentor.store.migrate import alembic_config, upgrade
from tests.store.workspace.test_migration import fresh_url  # noqa: F401  (fixture)

MAIL_TABLES = {"mail_outbox", "mail_preferences"}


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_the_mail_tables_come_and_go_with_their_migration(fresh_url: str) -> None:  # noqa: F811
    engine = make_engine(fresh_url)
    try:
        upgrade(engine, "0007")
        assert not MAIL_TABLES & _tables(engine)
        upgrade(engine, "0009")
        assert _tables(engine) >= MAIL_TABLES
        unique = inspect(engine).get_unique_constraints("mail_outbox")
        assert any(c["column_names"] == ["key"] for c in unique)
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0007")
        assert not MAIL_TABLES & _tables(engine)
        upgrade(engine)
        assert _tables(engine) >= MAIL_TABLES
    finally:
        engine.dispose()
