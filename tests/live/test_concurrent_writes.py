"""Finding 3 of issue 9: a crowd signing in and writing at the same moment on the real
server. Every request answers without a 5xx and every write is stored, on SQLite (where
writers queue for the file's write lock) and on PostgreSQL (row locks)."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import func, select

from peermentor.store.auth_models import UserSession
from peermentor.store.db import make_engine
from peermentor.store.workspace_models import SessionLog
from tests.live.crowd import all_at_once, build_cohort, prepared_session_log, prepared_sign_in
from tests.live.server import running_server

CROWD = 32  # people: 16 pairs


def test_a_crowd_signs_in_and_writes_at_once_without_errors(
    live_database_url: str, tmp_path: Path
) -> None:
    members = build_cohort(live_database_url, CROWD // 2)
    with running_server(live_database_url, tmp_path) as url:
        clients = [httpx.Client(base_url=url, timeout=120) for _ in members]
        try:
            sign_ins = all_at_once(
                [prepared_sign_in(c, m.email) for c, m in zip(clients, members, strict=True)]
            )
            assert [r.status_code for r in sign_ins] == [303] * CROWD
            topics = [f"crowd topic {n}" for n in range(CROWD)]
            writes = all_at_once(
                [
                    prepared_session_log(c, m.pairing_id, topic)
                    for c, m, topic in zip(clients, members, topics, strict=True)
                ]
            )
            assert [r.status_code for r in writes] == [201] * CROWD, [
                r.text for r in writes if r.status_code != 201
            ]
        finally:
            for client in clients:
                client.close()
    engine = make_engine(live_database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(UserSession)) == CROWD
        stored = connection.scalars(select(SessionLog.topics)).all()
    engine.dispose()
    assert sorted(t for row in stored for t in row) == sorted(topics)
