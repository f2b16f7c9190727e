"""Several server processes share PostgreSQL's connection limit: each gets at most its
share, ten connections stay free for the worker and commands, and a set-up that cannot
fit is refused at start with words that say what to change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from peermentor.config import SettingsError, load_settings
from peermentor.runtime import RESERVED_CONNECTIONS, Store, pool_for_workers
from peermentor.store.db import make_engine, make_session_factory


def test_one_process_keeps_what_it_asked_for_when_it_fits() -> None:
    assert pool_for_workers(40, 1, 100) == 40
    assert pool_for_workers(40, 2, 100) == 40  # 80 + 10 free fit in 100


def test_several_processes_share_what_the_server_allows() -> None:
    assert pool_for_workers(40, 3, 100) == 30  # 3 x 30 + 10 = 100
    assert pool_for_workers(40, 8, 100) == 11
    assert 8 * pool_for_workers(40, 8, 100) + RESERVED_CONNECTIONS <= 100


def test_sqlite_has_no_limit_to_share() -> None:
    assert pool_for_workers(40, 64, None) == 40


def test_too_many_processes_for_the_server_are_refused_in_words() -> None:
    assert pool_for_workers(40, 45, 100) == 2  # 45 x 2 + 10 = 100: still fits
    with pytest.raises(ValueError, match=r"46 server processes do not fit .* of 100"):
        pool_for_workers(40, 46, 100)


def test_the_engine_opens_at_most_its_budget() -> None:
    engine = make_engine("sqlite:////tmp/peermentor-budget-test.db", pool_most=5)
    try:
        pool = engine.pool
        assert (pool.size(), pool._max_overflow) == (5, 0)  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def test_the_budget_is_a_setting_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY_FILE", str(tmp_path / "secret"))
    monkeypatch.delenv("PEERMENTOR_DB_POOL_SIZE", raising=False)
    assert load_settings().db_pool_size == 40
    monkeypatch.setenv("PEERMENTOR_DB_POOL_SIZE", "1")
    with pytest.raises(SettingsError, match="DB_POOL_SIZE"):
        load_settings()


def test_the_store_reads_the_servers_limit(engine: Engine) -> None:
    store = Store(engine=engine, sessions=make_session_factory(engine))
    limit = store.max_connections()
    if engine.dialect.name == "postgresql":
        assert limit is not None and limit >= 2  # what `SHOW max_connections` says
    else:
        assert limit is None


@pytest.mark.postgres
def test_serve_refuses_more_processes_than_postgresql_allows(
    postgresql_url: str, tmp_path: Path
) -> None:
    engine = make_engine(postgresql_url)
    try:
        limit = Store(engine=engine, sessions=make_session_factory(engine)).max_connections()
    finally:
        engine.dispose()
    assert limit is not None and (limit - RESERVED_CONNECTIONS) // 64 < 2, (
        f"this test needs a server with max_connections under 138, not {limit}"
    )
    env = {
        "PEERMENTOR_DATABASE_URL": postgresql_url,
        "PEERMENTOR_SECRET_KEY_FILE": str(tmp_path / "secret"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-m", "peermentor", "serve", "--workers", "64", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "64 server processes do not fit the database's max_connections" in done.stderr
    assert "Traceback" not in done.stderr
