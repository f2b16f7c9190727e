"""The data version moves with every committed write to a table a page could show, on
both databases, and with nothing else; kept pages (web/page_cache.py) rely on it."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from peermentor.store import data_version

CUTOFF = "2026-01-01 00:00:00+00:00"


def _version(connection: Connection) -> int:
    return int(connection.execute(text("SELECT n FROM data_version WHERE id = 1")).scalar_one())


def _committed(engine: Engine, *statements: str) -> int:
    """Run the statements in one committed transaction; the version after it."""
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), {"cutoff": CUTOFF})
    with engine.connect() as connection:
        return _version(connection)


def test_every_table_but_the_machinery_has_its_triggers(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        installed = data_version.installed_triggers(connection)
    expected = {
        name
        for table in tables - data_version.UNTRACKED
        for name in data_version.trigger_names(table)
    }
    missing = expected - installed
    assert not missing, f"tables without the data-version triggers: {sorted(missing)}"
    assert installed == expected  # and none on an untracked table
    assert "pairings" in tables - data_version.UNTRACKED  # the list is not vacuous


def test_a_committed_insert_update_and_delete_each_move_the_version(engine: Engine) -> None:
    with engine.connect() as connection:
        before = _version(connection)
    inserted = _committed(engine, "INSERT INTO audit_purge_windows (cutoff) VALUES (:cutoff)")
    updated = _committed(engine, "UPDATE audit_purge_windows SET cutoff = :cutoff")
    deleted = _committed(engine, "DELETE FROM audit_purge_windows")
    assert before < inserted < updated < deleted


def test_a_transaction_of_many_writes_moves_it_once_it_commits(engine: Engine) -> None:
    with engine.connect() as connection:
        before = _version(connection)
        connection.rollback()
        with connection.begin():
            for _ in range(3):
                connection.execute(
                    text("INSERT INTO audit_purge_windows (cutoff) VALUES (:cutoff)"),
                    {"cutoff": CUTOFF},
                )
            connection.execute(text("DELETE FROM audit_purge_windows"))
            with engine.connect() as other:  # not visible before the commit
                assert _version(other) == before
    with engine.connect() as connection:
        after = _version(connection)
    assert after > before
    if engine.dialect.name == "postgresql":
        assert after == before + 1  # one bump for the transaction, not one a statement


def test_a_rolled_back_write_leaves_it_as_it_was(engine: Engine) -> None:
    with engine.connect() as connection:
        before = _version(connection)
        connection.rollback()
        with connection.begin() as transaction:
            connection.execute(
                text("INSERT INTO audit_purge_windows (cutoff) VALUES (:cutoff)"),
                {"cutoff": CUTOFF},
            )
            transaction.rollback()
        assert _version(connection) == before


def test_writes_to_the_machinery_tables_do_not_move_it(engine: Engine) -> None:
    with engine.connect() as connection:
        before = _version(connection)
    after = _committed(
        engine,
        "INSERT INTO throttle_counters (key, failures, window_started_at, last_failure_at) "
        "VALUES ('data-version-test', 1, :cutoff, :cutoff)",
        "UPDATE throttle_counters SET failures = 2 WHERE key = 'data-version-test'",
        "DELETE FROM throttle_counters WHERE key = 'data-version-test'",
    )
    assert after == before
