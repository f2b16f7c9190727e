"""Shared fixtures: the store on SQLite and PostgreSQL, one rolled-back transaction a test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from peermentor.store.db import make_engine, normalise_url
from peermentor.store.migrate import upgrade

# No per-example deadline: speed is measured in benchmarks, never in tests, and on two
# shared cores a first example that imports NumPy can pass 200 ms and fail a sound test.
hypothesis_settings.register_profile("peermentor", deadline=None)
hypothesis_settings.load_profile("peermentor")

POSTGRES_URL = os.environ.get(
    "PEERMENTOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("PEERMENTOR_TEST_REQUIRE_POSTGRES") == "1"


@dataclass
class PostgresStatus:
    reason: str | None = None  # why it did not run, once known
    tests_run: int = 0
    seen: set[str] = field(default_factory=set)


POSTGRES = PostgresStatus()


def _throwaway_postgres_database() -> Iterator[str]:
    """A fresh database on the server for this test session, dropped at the end."""
    admin_url = normalise_url(POSTGRES_URL)
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach the server means: did not run
        POSTGRES.reason = f"no PostgreSQL at {make_url(admin_url).render_as_string()}: " + (
            str(error).splitlines()[0] if str(error) else type(error).__name__
        )
        if REQUIRE_POSTGRES:
            pytest.fail(
                f"PostgreSQL required (PEERMENTOR_TEST_REQUIRE_POSTGRES=1): {POSTGRES.reason}"
            )
        pytest.skip(f"PostgreSQL half did not run: {POSTGRES.reason}")
    name = f"peermentor_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    yield from _throwaway_postgres_database()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'store.db'}"


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated database of each kind, shared by the session's tests."""
    url = request.getfixturevalue(f"{request.param}_url")
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session inside one transaction that is rolled back after the test, so service
    code may commit (it commits a savepoint) and no state leaks between tests."""
    if engine.dialect.name == "postgresql":
        POSTGRES.tests_run += 1
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that start a real server (and the browser) share one xdist worker, so the
    # server and Chromium start once and do not compete with each other for 2 cores.
    for item in items:
        if item.get_closest_marker("e2e") or "live" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group("server"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if POSTGRES.tests_run:
        terminalreporter.write_line(
            f"PostgreSQL: {POSTGRES.tests_run} store tests ran against a real server."
        )
    elif POSTGRES.reason:
        terminalreporter.write_line(
            f"PostgreSQL: the PostgreSQL half DID NOT RUN ({POSTGRES.reason}).", yellow=True
        )
