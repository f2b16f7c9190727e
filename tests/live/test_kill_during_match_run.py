"""`peermentor match run --publish` killed with SIGKILL while it writes leaves either
no run or a complete one: one transaction holds the run, its drafts and the proposals
(issue 16). On SQLite the file passes `PRAGMA integrity_check` after every kill.

The kill lands while the run is writing: the test watches for the writer (SQLite: the
file's write lock is taken; PostgreSQL: a lock on the pairings table) and kills at
several moments after that. 20,000 people keep the write phase a few seconds long
while the whole test stays within the suite's time budget; the writes are the same
code at 100,000 (bench/bench_cli.py times those).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from peermentor.demo_org import demo_people_csv
from peermentor.store.db import normalise_url

PEOPLE = 20_000
PROGRAM = "Everyone"
# Seconds after the writer is seen: at once, midway, late.
KILL_AFTER = (0.0, 0.4, 1.5)


def _cli(url: str, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PEERMENTOR_DATABASE_URL=url, PYTHONHASHSEED="0")
    return subprocess.Popen(
        [sys.executable, "-m", "peermentor", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _run(url: str, *args: str) -> str:
    child = _cli(url, *args)
    out, err = child.communicate(timeout=400)
    assert child.returncode == 0, err.decode()[-2000:]
    return out.decode()


def _sqlite_writing(path: str) -> bool:
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # "database is locked": a writer holds the lock
        return True
    finally:
        probe.close()


def _postgres_writing(url: str) -> bool:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'pairings' AND l.mode = 'RowExclusiveLock' "
                    "AND l.pid <> pg_backend_pid()"
                )
            )
    finally:
        engine.dispose()
    return bool(found)


def _kill_while_writing(url: str, delay: float) -> bool:
    """Start a run, kill it `delay` s after it starts writing; True if it was killed
    (False: it finished first)."""
    sqlite_path = url.removeprefix("sqlite:///") if url.startswith("sqlite") else None
    child = _cli(url, "match", "run", "--program", PROGRAM, "--publish", "--json")
    deadline = time.monotonic() + 400
    while child.poll() is None and time.monotonic() < deadline:
        writing = _sqlite_writing(sqlite_path) if sqlite_path else _postgres_writing(url)
        if writing:
            time.sleep(delay)
            break
        time.sleep(0.02)
    if child.poll() is not None:
        return False
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    return True


def _state(url: str) -> dict[str, object]:
    engine = create_engine(normalise_url(url))
    with engine.connect() as connection:
        runs = connection.execute(text("SELECT id, status, summary FROM match_runs")).all()
        by_run = dict(
            connection.execute(
                text(
                    "SELECT match_run_id, count(*) FROM pairings WHERE state = 'proposed' "
                    "GROUP BY match_run_id"
                )
            ).all()
        )
        pairings = connection.scalar(text("SELECT count(*) FROM pairings"))
        members = connection.scalar(text("SELECT count(*) FROM pairing_members"))
        audit = connection.scalar(
            text("SELECT count(*) FROM audit_entries WHERE action = 'match.run'")
        )
        integrity = (
            connection.exec_driver_sql("PRAGMA integrity_check").scalar()
            if url.startswith("sqlite")
            else "ok"
        )
    engine.dispose()
    return {
        "runs": [
            (r.id, r.status, (json.loads(r.summary) if isinstance(r.summary, str) else r.summary))
            for r in runs
        ],
        "by_run": by_run,
        "pairings": pairings,
        "members": members,
        "audit": audit,
        "integrity": integrity,
    }


def _assert_nothing_or_complete(state: dict[str, object], expected_pairings: int) -> None:
    assert state["integrity"] == "ok"
    runs = state["runs"]
    assert isinstance(runs, list)
    if not runs:  # nothing at all was left behind
        assert (state["pairings"], state["members"], state["audit"]) == (0, 0, 0), state
        return
    # A run that is there is whole: published, every pairing proposed, its audit entry.
    [(run_id, status, summary)] = runs
    assert status == "published"
    assert summary["pairings"] == expected_pairings
    assert state["by_run"] == {run_id: expected_pairings}
    assert state["pairings"] == expected_pairings and state["audit"] == 1


@pytest.mark.timeout(900)
def test_a_killed_publishing_run_leaves_no_run_or_a_complete_one(
    live_database_url: str, tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text(demo_people_csv(PEOPLE, seed=5))
    _run(live_database_url, "people", "import", str(people), "--program", PROGRAM)

    killed = 0
    for delay in KILL_AFTER:
        if not _kill_while_writing(live_database_url, delay):
            break  # it finished: the last check below covers that run
        killed += 1
        state = _state(live_database_url)
        assert state["integrity"] == "ok"
        if state["runs"]:
            break  # the kill came after the commit: the run must be whole
        assert (state["pairings"], state["members"], state["audit"]) == (0, 0, 0), state
    assert killed >= 1, "every run finished before it could be killed"

    state = _state(live_database_url)
    if not state["runs"]:
        summary = json.loads(
            _run(live_database_url, "match", "run", "--program", PROGRAM, "--publish", "--json")
        )
        state = _state(live_database_url)
        expected = summary["pairings"]
    else:
        expected = state["runs"][0][2]["pairings"]  # type: ignore[index]
    assert expected > PEOPLE // 3
    _assert_nothing_or_complete(state, expected)
