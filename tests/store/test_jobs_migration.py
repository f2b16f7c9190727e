"""Migration 0008 on a fresh database of each kind: it adds the jobs and their files,
goes down to 0007 (both tables gone) and up again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from peermentor.store.db import make_engine
from peermentor.store.migrate import alembic_config, upgrade
from tests.store.workspace.test_migration import fresh_url  # noqa: F401  (fixture)


def test_the_jobs_migration_goes_up_down_and_up(fresh_url: str) -> None:  # noqa: F811
    engine = make_engine(fresh_url)
    try:
        upgrade(engine, "0007")
        assert not {"jobs", "job_files"} & set(inspect(engine).get_table_names())
        upgrade(engine, "0008")
        assert {"jobs", "job_files"} <= set(inspect(engine).get_table_names())
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0007")
        assert not {"jobs", "job_files"} & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert {"jobs", "job_files"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
