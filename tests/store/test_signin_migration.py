"""Migration 0005 on a fresh database of each kind: tokens made before it expire 90
days after their creation; it goes down to 0004 (login_attempts back) and up again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import inspect, text

from peermentor.store.db import make_engine
from peermentor.store.migrate import alembic_config, upgrade
from tests.store.workspace.test_migration import fresh_url  # noqa: F401  (fixture)

MADE = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)


def test_old_tokens_get_ninety_days_and_the_migration_goes_down_and_up(
    fresh_url: str,  # noqa: F811
) -> None:
    engine = make_engine(fresh_url)
    try:
        upgrade(engine, "0004")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, role, is_active, created_at) "
                    "VALUES (1, 'ana@example.com', 'participant', true, :made)"
                ),
                {"made": MADE},
            )
            connection.execute(
                text(
                    "INSERT INTO api_tokens (token_hash, user_id, name, created_at) "
                    "VALUES ('h', 1, 'cron', :made)"
                ),
                {"made": MADE},
            )
        upgrade(engine, "0005")
        with engine.connect() as connection:
            expires = connection.execute(text("SELECT expires_at FROM api_tokens")).scalar_one()
        if isinstance(expires, str):  # SQLite keeps the text SQLAlchemy wrote
            expires = datetime.fromisoformat(expires)
        expires = expires.astimezone(UTC) if expires.tzinfo else expires.replace(tzinfo=UTC)
        assert expires == MADE + timedelta(days=90)
        tables = set(inspect(engine).get_table_names())
        assert "throttle_counters" in tables and "login_attempts" not in tables
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        schema = inspect(engine)
        assert "login_attempts" in schema.get_table_names()
        assert "expires_at" not in {c["name"] for c in schema.get_columns("api_tokens")}
        upgrade(engine)
    finally:
        engine.dispose()
