"""Workers as separate processes on SQLite and PostgreSQL: a worker killed with SIGKILL
in the middle of a match leaves its job to another, which stores exactly one run; two
workers on one queue never run the same job."""

from __future__ import annotations

import re
import signal
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from peermentor.store import jobs_repo
from peermentor.store.db import make_engine
from tests.live.workers import job_row, queue_matches, runs_by_program, start_worker, wait_for

POOL = 4000  # people: the match runs for seconds, long enough to be killed in it


def test_a_match_whose_worker_is_killed_is_finished_by_another_with_one_stored_run(
    live_database_url: str, tmp_path: Path
) -> None:
    (job_id,) = queue_matches(live_database_url, [POOL])
    first = start_worker(live_database_url, tmp_path, "a", "--lease", "5", "--interval", "0.2")
    try:
        wait_for(
            lambda: job_row(live_database_url, job_id).stage not in ("queued", ""),
            "worker A to report progress",
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    killed = job_row(live_database_url, job_id)
    assert killed.state == "running", "worker A finished before it could be killed"
    assert not killed.committed and runs_by_program(live_database_url) == {}

    second = start_worker(live_database_url, tmp_path, "b", "--lease", "5", "--interval", "0.2")
    try:
        wait_for(lambda: job_row(live_database_url, job_id).state == "done", "worker B")
    finally:
        second.terminate()
        assert second.wait(timeout=60) == 0  # SIGTERM: a clean stop
    done = job_row(live_database_url, job_id)
    assert done.attempts == 2 and done.result is not None
    assert done.result["pairings"] >= POOL // 3
    assert list(runs_by_program(live_database_url).values()) == [1]
    assert done.result["run_id"] is not None
    if live_database_url.startswith("sqlite"):
        engine = make_engine(live_database_url)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        engine.dispose()


def test_two_workers_on_one_queue_never_run_the_same_job(
    live_database_url: str, tmp_path: Path
) -> None:
    jobs = queue_matches(live_database_url, [40] * 6)
    workers = [start_worker(live_database_url, tmp_path, name, "--once") for name in ("one", "two")]
    for worker in workers:
        assert worker.wait(timeout=600) == 0
    ran: dict[str, set[int]] = {}
    for name in ("one", "two"):
        log = (tmp_path / f"{name}.log").read_text()
        ran[name] = {int(n) for n in re.findall(r"job (\d+) \(match, attempt \d+\): done", log)}
    assert ran["one"] | ran["two"] == set(jobs)
    assert not ran["one"] & ran["two"]
    rows = [job_row(live_database_url, job_id) for job_id in jobs]
    assert [(row.state, row.attempts) for row in rows] == [("done", 1)] * len(jobs)
    assert sorted(runs_by_program(live_database_url).values()) == [1] * len(jobs)


def test_claims_at_the_same_moment_give_a_job_to_one_worker(
    live_database_url: str, tmp_path: Path
) -> None:
    (job_id,) = queue_matches(live_database_url, [10])
    engine = make_engine(live_database_url)
    barrier = threading.Barrier(8)
    taken: list[str] = []

    def claim(worker: str) -> None:
        with Session(engine) as session:
            barrier.wait()
            now = datetime.now(UTC)
            if jobs_repo.claim(session, job_id, worker, now, timedelta(seconds=60)):
                taken.append(worker)
            session.commit()

    threads = [threading.Thread(target=claim, args=(f"w{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert len(taken) == 1
    assert job_row(live_database_url, job_id).locked_by == taken[0]


def test_a_worker_stopped_with_sigterm_mid_match_hands_the_job_back_at_once(
    live_database_url: str, tmp_path: Path
) -> None:
    (job_id,) = queue_matches(live_database_url, [POOL])
    worker = start_worker(live_database_url, tmp_path, "a", "--interval", "0.2")
    try:
        wait_for(
            lambda: job_row(live_database_url, job_id).stage not in ("queued", ""),
            "the worker to report progress",
        )
    finally:
        worker.terminate()
        assert worker.wait(timeout=120) == 0
    job = job_row(live_database_url, job_id)
    if job.state == "done":  # it was already storing its run: it finished first
        assert list(runs_by_program(live_database_url).values()) == [1]
        return
    assert (job.state, job.attempts, job.locked_by) == ("queued", 0, None)
    assert runs_by_program(live_database_url) == {}
    assert "given back" in (tmp_path / "a.log").read_text()
