"""Queries on jobs. Every change of a job's owner is a conditional UPDATE that says what
it expects to find (queued and due; or running under the caller's lease; or running
with a lease that ran out), and reports whether it found it: two workers never both
take a job, and a worker that lost its lease cannot finish someone else's run.

On PostgreSQL a second UPDATE of the same row waits for the first to commit and then
re-checks its WHERE against the new row (READ COMMITTED), so one of two claims finds
nothing; on SQLite writers are serialised by the file's write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, BinaryIO

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from peermentor.store.db import SQLITE_BUSY_TIMEOUT_MS
from peermentor.store.jobs_models import Job, JobFile

CHUNK_BYTES = 1 << 20
# A progress write that would wait for SQLite's write lock (an import holds it while it
# stores its rows) is skipped instead: the next one will do.
QUICK_BUSY_TIMEOUT_MS = 200


def enqueue(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    owner_user_id: int | None,
    program_id: int | None,
    now: datetime,
    max_attempts: int = 3,
) -> Job:
    """A queued job in the caller's transaction (committed with its files, if any)."""
    job = Job(
        kind=kind,
        payload=payload,
        state="queued",
        stage="queued",
        progress=0.0,
        detail="",
        attempts=0,
        max_attempts=max_attempts,
        run_after=now,
        committed=False,
        error="",
        owner_user_id=owner_user_id,
        program_id=program_id,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    return job


def add_file(session: Session, job_id: int, source: BinaryIO) -> int:
    """Store `source` (read from where it stands) as the job's file; returns its size."""
    size, seq = 0, 0
    while chunk := source.read(CHUNK_BYTES):
        # Core, not ORM objects: the session would keep every chunk until commit.
        session.execute(insert(JobFile).values(job_id=job_id, seq=seq, data=chunk))
        size += len(chunk)
        seq += 1
    return size


def copy_file(session: Session, job_id: int, target: BinaryIO) -> int:
    """Write the job's file into `target`, one chunk in memory at a time."""
    seqs = session.scalars(
        select(JobFile.seq).where(JobFile.job_id == job_id).order_by(JobFile.seq)
    ).all()
    size = 0
    for seq in seqs:
        data = session.scalar(
            select(JobFile.data).where(JobFile.job_id == job_id, JobFile.seq == seq)
        )
        if data is not None:
            target.write(data)
            size += len(data)
    return size


def has_file(session: Session, job_id: int) -> bool:
    return session.scalar(select(func.count()).where(JobFile.job_id == job_id)) != 0


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id, populate_existing=True)


def _due(now: datetime) -> Any:
    return or_(
        and_(Job.state == "queued", Job.run_after <= now),
        and_(Job.state == "running", Job.lease_until < now),
    )


def give_up_abandoned(session: Session, now: datetime) -> int:
    """Jobs whose workers died on every attempt (their leases ran out, nothing was
    committed) fail, with a reason, instead of being taken again."""
    found = session.execute(
        update(Job)
        .where(
            Job.state == "running",
            Job.lease_until < now,
            Job.committed.is_(False),
            Job.attempts >= Job.max_attempts,
        )
        .values(
            state="failed",
            locked_by=None,
            lease_until=None,
            error="the worker running it stopped before it finished, on every attempt",
            updated_at=now,
        )
    )
    return int(found.rowcount or 0)  # type: ignore[attr-defined]


def due_ids(session: Session, now: datetime, limit: int = 20) -> list[int]:
    return list(session.scalars(select(Job.id).where(_due(now)).order_by(Job.id).limit(limit)))


def claim(session: Session, job_id: int, worker: str, now: datetime, lease: timedelta) -> bool:
    """Take the job if it is still due; the caller commits."""
    taken = session.execute(
        update(Job)
        .where(Job.id == job_id, _due(now))
        .values(
            state="running",
            locked_by=worker,
            lease_until=now + lease,
            attempts=Job.attempts + 1,
            error="",
            updated_at=now,
        )
    )
    return taken.rowcount == 1  # type: ignore[attr-defined]


def _held(job_id: int, worker: str) -> Any:
    return and_(Job.id == job_id, Job.state == "running", Job.locked_by == worker)


def report(
    session: Session,
    job_id: int,
    worker: str,
    now: datetime,
    lease: timedelta,
    progress: tuple[str, float, str] | None = None,
) -> bool:
    """Renew the lease (and record progress); False once the job is no longer ours."""
    values: dict[str, Any] = {"lease_until": now + lease, "updated_at": now}
    if progress is not None:
        values |= {"stage": progress[0], "progress": progress[1], "detail": progress[2][:200]}
    renewed = session.execute(update(Job).where(_held(job_id, worker)).values(**values))
    return renewed.rowcount == 1  # type: ignore[attr-defined]


def mark_committed(session: Session, job_id: int, worker: str) -> bool:
    """In the transaction of the job's own work: it is done once this commits."""
    marked = session.execute(update(Job).where(_held(job_id, worker)).values(committed=True))
    return marked.rowcount == 1  # type: ignore[attr-defined]


def finish(
    session: Session,
    job_id: int,
    worker: str,
    now: datetime,
    result: dict[str, Any] | None,
    keep_file: bool = False,
) -> bool:
    done = session.execute(
        update(Job)
        .where(_held(job_id, worker))
        .values(
            state="done",
            result=result,
            stage="done",
            progress=1.0,
            detail="",
            locked_by=None,
            lease_until=None,
            updated_at=now,
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    if not keep_file:
        session.execute(delete(JobFile).where(JobFile.job_id == job_id))
    return True


def move_file(session: Session, from_job: int, to_job: int) -> int:
    """The file of one job becomes another's (a checked upload handed to its import),
    without a byte read; returns how many chunks moved."""
    moved = session.execute(update(JobFile).where(JobFile.job_id == from_job).values(job_id=to_job))
    return int(moved.rowcount or 0)  # type: ignore[attr-defined]


def drop_files(session: Session, kind: str, before: datetime) -> int:
    """The files still kept by finished jobs of `kind` last touched before `before`."""
    old = select(Job.id).where(
        Job.kind == kind, Job.state.in_(("done", "failed")), Job.updated_at < before
    )
    gone = session.execute(delete(JobFile).where(JobFile.job_id.in_(old)))
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]


def fail(
    session: Session,
    job_id: int,
    worker: str,
    now: datetime,
    error: str,
    retry_at: datetime | None = None,
) -> bool:
    """Failed for good (its file goes), or queued again to be retried at `retry_at`."""
    values: dict[str, Any] = {
        "error": error,
        "locked_by": None,
        "lease_until": None,
        "updated_at": now,
    }
    if retry_at is None:
        values["state"] = "failed"
    else:
        values |= {"state": "queued", "run_after": retry_at, "stage": "queued", "progress": 0.0}
    changed = session.execute(update(Job).where(_held(job_id, worker)).values(**values))
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    if retry_at is None:
        session.execute(delete(JobFile).where(JobFile.job_id == job_id))
    return True


def release(session: Session, job_id: int, worker: str, now: datetime) -> bool:
    """Give a job back untouched (the worker is stopping): queued again at once, and
    this attempt does not count."""
    released = session.execute(
        update(Job)
        .where(_held(job_id, worker), Job.committed.is_(False))
        .values(
            state="queued",
            stage="queued",
            progress=0.0,
            detail="",
            locked_by=None,
            lease_until=None,
            run_after=now,
            attempts=Job.attempts - 1,
            updated_at=now,
        )
    )
    return released.rowcount == 1  # type: ignore[attr-defined]


def purge_finished(session: Session, before: datetime) -> int:
    gone = session.execute(
        delete(Job).where(Job.state.in_(("done", "failed")), Job.updated_at < before)
    )
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]


@contextmanager
def quick_session(engine: Engine) -> Iterator[Session]:
    """A session of its own connection whose writes, on SQLite, give up after a moment
    (OperationalError) instead of queueing 30 s for the write lock; the caller commits."""
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:  # on the driver's connection: outside any transaction
            raw.execute(f"PRAGMA busy_timeout={QUICK_BUSY_TIMEOUT_MS}")
        try:
            with Session(bind=connection) as session:
                yield session
        finally:
            if raw is not None:
                try:
                    raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
                except Exception:  # a broken connection is discarded by the pool anyway
                    connection.invalidate()
