"""Jobs on both databases: a job is taken by one worker at a time, taken again only once
its lease has run out, retried after a passing fault, failed for good after a refusal,
and closed (never redone) when its work was committed by a worker that then died."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from peermentor.runtime import Store
from peermentor.services.access import SYSTEM, InvalidInput
from peermentor.services.job_runner import JobContext, Runner
from peermentor.services.programs import create_program, find_program
from peermentor.store import jobs_repo
from peermentor.store.db import make_engine
from peermentor.store.migrate import upgrade

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)
NUMBERS = itertools.count(1)


def queued(session: Session, kind: str = "test", **payload: Any) -> int:
    program = create_program(session, SYSTEM, f"P {next(NUMBERS)}")
    job = jobs_repo.enqueue(
        session, kind=kind, payload=payload, owner_user_id=None, program_id=program.id, now=T0
    )
    session.commit()
    return job.id


@pytest.fixture
def store(session: Session) -> Iterator[Store]:
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield Store(engine=session.connection().engine, sessions=factory)


def test_a_queued_job_is_taken_by_one_worker_only(session: Session) -> None:
    job_id = queued(session)
    assert jobs_repo.claim(session, job_id, "a", T0, LEASE)
    assert not jobs_repo.claim(session, job_id, "b", T0 + timedelta(seconds=59), LEASE)
    session.commit()
    job = jobs_repo.get(session, job_id)
    assert job is not None and job.locked_by == "a" and job.attempts == 1


def test_a_lease_that_ran_out_lets_another_worker_take_the_job_and_the_first_loses_it(
    session: Session,
) -> None:
    job_id = queued(session)
    assert jobs_repo.claim(session, job_id, "a", T0, LEASE)
    later = T0 + timedelta(seconds=61)
    assert jobs_repo.due_ids(session, later) == [job_id]
    assert jobs_repo.claim(session, job_id, "b", later, LEASE)
    assert not jobs_repo.report(session, job_id, "a", later, LEASE, ("solve", 0.5, ""))
    assert not jobs_repo.mark_committed(session, job_id, "a")
    assert not jobs_repo.finish(session, job_id, "a", later, {"from": "a"})
    assert jobs_repo.finish(session, job_id, "b", later, {"from": "b"})
    session.commit()
    job = jobs_repo.get(session, job_id)
    assert job is not None
    assert (job.state, job.result, job.attempts) == ("done", {"from": "b"}, 2)


def test_a_renewed_lease_keeps_the_job(session: Session) -> None:
    job_id = queued(session)
    assert jobs_repo.claim(session, job_id, "a", T0, LEASE)
    assert jobs_repo.report(session, job_id, "a", T0 + timedelta(seconds=50), LEASE)
    assert not jobs_repo.claim(session, job_id, "b", T0 + timedelta(seconds=61), LEASE)


def test_a_job_whose_worker_died_on_every_attempt_fails_with_a_reason(session: Session) -> None:
    job_id = queued(session)
    moment = T0
    for _ in range(3):
        assert jobs_repo.claim(session, job_id, "w", moment, LEASE)
        moment += timedelta(seconds=61)
    assert jobs_repo.give_up_abandoned(session, moment) == 1
    job = jobs_repo.get(session, job_id)
    assert job is not None and job.state == "failed"
    assert "stopped before it finished" in job.error
    assert jobs_repo.due_ids(session, moment) == []


def test_an_uploaded_file_is_stored_in_chunks_read_back_whole_and_gone_at_the_end(
    session: Session,
) -> None:
    job_id = queued(session)
    data = bytes(range(256)) * (jobs_repo.CHUNK_BYTES // 100)  # a little over 2.5 chunks
    assert jobs_repo.add_file(session, job_id, io.BytesIO(data)) == len(data)
    copy = io.BytesIO()
    assert jobs_repo.copy_file(session, job_id, copy) == len(data)
    assert copy.getvalue() == data
    assert jobs_repo.claim(session, job_id, "w", T0, LEASE)
    assert jobs_repo.fail(session, job_id, "w", T0, "refused")
    assert not jobs_repo.has_file(session, job_id)


def _runner(store: Store, handler: Any, worker: str = "w", now: datetime = T0) -> Runner:
    return Runner(store, {"test": handler}, worker, clock=lambda: now, inline=True)


def test_a_refused_job_fails_for_good_and_a_passing_fault_is_retried_later(
    session: Session, store: Store
) -> None:
    refused, flaky = queued(session), queued(session)

    def handler(context: JobContext) -> dict[str, Any]:
        if context.job.id == refused:
            raise InvalidInput("weight of skills: 'x' is not a number")
        raise OSError("connection reset")

    runner = _runner(store, handler)
    assert runner.run_next() is not None and runner.run_next() is not None
    assert runner.run_next() is None  # the retry waits
    first, second = jobs_repo.get(session, refused), jobs_repo.get(session, flaky)
    assert first is not None and second is not None
    assert (first.state, first.error) == ("failed", "weight of skills: 'x' is not a number")
    assert (second.state, second.error) == ("queued", "connection reset")
    assert second.run_after.replace(tzinfo=UTC) == T0 + timedelta(seconds=30)


def test_work_committed_by_a_worker_that_died_is_closed_not_redone(
    session: Session, store: Store
) -> None:
    job_id = queued(session)
    calls: list[str] = []

    def handler(context: JobContext) -> dict[str, Any]:
        calls.append(context.worker)
        with context.session() as own:
            create_program(own, SYSTEM, "Made by the job")
            own.commit()  # the job's work
        if context.worker == "a":
            raise SystemExit("killed just after the commit")
        return {"ok": True}

    with pytest.raises(SystemExit):
        _runner(store, handler, "a").run_next()
    job = jobs_repo.get(session, job_id)
    assert job is not None and job.committed and job.state == "running"
    assert _runner(store, handler, "b", T0 + timedelta(seconds=61)).run_next() is not None
    job = jobs_repo.get(session, job_id)
    assert job is not None and job.state == "done"
    assert calls == ["a"]  # b closed it without running it again


def test_a_worker_that_lost_its_lease_cannot_commit_its_work(
    session: Session, store: Store
) -> None:
    job_id = queued(session)

    def handler(context: JobContext) -> dict[str, Any]:
        # Another worker takes the job meanwhile (this one was too slow to renew).
        with store.sessions() as other:
            jobs_repo.claim(other, job_id, "b", T0 + timedelta(seconds=61), LEASE)
            other.commit()
        with context.session() as own:
            create_program(own, SYSTEM, "Written by the slow worker")
            own.commit()
        return {"ok": True}

    _runner(store, handler, "a").run_next()
    assert find_program(session, "Written by the slow worker") is None
    job = jobs_repo.get(session, job_id)
    assert job is not None and job.locked_by == "b" and not job.committed


def test_jobs_that_ended_a_month_ago_are_purged_and_others_stay(
    session: Session, store: Store
) -> None:
    from peermentor.config import Settings
    from peermentor.services.jobs import purge_finished_jobs

    old, recent, waiting = queued(session), queued(session), queued(session)
    for job_id in (old, recent):
        assert jobs_repo.claim(session, job_id, "w", T0, LEASE)
        assert jobs_repo.finish(session, job_id, "w", T0 + timedelta(days=job_id - old), None)
    session.commit()
    settings = Settings(database_url="sqlite:///unused.db")
    assert purge_finished_jobs(store, settings, T0 + timedelta(days=30, hours=12)) == 1
    assert jobs_repo.get(session, old) is None
    assert jobs_repo.get(session, recent) is not None
    assert jobs_repo.get(session, waiting) is not None


def test_on_sqlite_a_progress_write_that_would_wait_for_the_write_lock_is_skipped(
    tmp_path: Path,
) -> None:
    """An import holds SQLite's write lock while it stores its rows and reports progress
    meanwhile: that report gives up at once instead of waiting 30 s for the lock."""
    from peermentor.services.job_runner import Reporter
    from peermentor.store.db import make_session_factory

    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    upgrade(engine)
    store = Store(engine=engine, sessions=make_session_factory(engine))
    with store.sessions() as session:
        job_id = queued(session)
        assert jobs_repo.claim(session, job_id, "w", T0, LEASE)
        session.commit()
    reporter = Reporter(store, job_id, "import", "w", LEASE, lambda: T0)
    with store.sessions() as writer:
        create_program(writer, SYSTEM, "Holding the write lock")
        writer.flush()  # the lock is taken from here until the commit
        reporter("reading", 0.5, "half read")  # returns (skipped), does not raise
        writer.commit()
    reporter("writing", 0.5, "half stored")
    with store.sessions() as session:
        job = jobs_repo.get(session, job_id)
        assert job is not None and (job.stage, job.detail) == ("writing", "half stored")
    assert not reporter.lost
    engine.dispose()


def test_a_checked_upload_keeps_its_file_for_a_day_and_hands_it_to_its_import(
    session: Session, store: Store
) -> None:
    from peermentor.config import Settings
    from peermentor.services.jobs import PREVIEW, purge_finished_jobs

    data = b"employee_id,name,email,years_experience\n" * 3000
    kept, forgotten = queued(session, PREVIEW), queued(session, PREVIEW)
    for job_id in (kept, forgotten):
        jobs_repo.add_file(session, job_id, io.BytesIO(data))
        assert jobs_repo.claim(session, job_id, "w", T0, LEASE)
        assert jobs_repo.finish(session, job_id, "w", T0, {}, keep_file=True)
    session.commit()
    assert jobs_repo.has_file(session, kept) and jobs_repo.has_file(session, forgotten)

    importing = queued(session, "import")
    assert jobs_repo.move_file(session, kept, importing) >= 1
    copy = io.BytesIO()
    assert jobs_repo.copy_file(session, importing, copy) == len(data) and copy.getvalue() == data
    assert not jobs_repo.has_file(session, kept)

    settings = Settings(database_url="sqlite:///unused.db")
    purge_finished_jobs(store, settings, T0 + timedelta(hours=23))
    assert jobs_repo.has_file(session, forgotten)  # within the day: still there
    purge_finished_jobs(store, settings, T0 + timedelta(hours=25))
    assert not jobs_repo.has_file(session, forgotten)  # a day later: gone
    assert jobs_repo.get(session, forgotten) is not None  # the job's page stays
    assert jobs_repo.has_file(session, importing)  # an import's file is not a preview's
