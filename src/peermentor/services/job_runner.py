"""Running one job: take it under a lease, keep the lease alive while it works, and
end it done, failed or (on a passing fault) queued again.

Exactly once, whatever dies when: a handler does its work in `context.session()`,
whose commit also marks the job `committed` (a conditional update: only while this
worker still holds the lease, else the commit is refused and rolled back). A worker
killed before that commit leaves nothing behind and the job is taken again after its
lease; one killed after it leaves a committed job, which the next worker only closes.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO, cast

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from peermentor.runtime import Store
from peermentor.services.access import SYSTEM, Actor, ServiceError
from peermentor.services.auth import actor_for
from peermentor.services.jobs import KEEPS_FILE, overall_progress
from peermentor.store import jobs_repo
from peermentor.store.jobs_models import Job
from peermentor.store.models import User

log = logging.getLogger("peermentor.worker")

DEFAULT_LEASE = timedelta(seconds=60)
PROGRESS_EVERY = 0.5  # seconds between two progress writes of one job
RETRY_AFTER = timedelta(seconds=30)  # doubled on every further attempt


class LeaseLost(Exception):
    """Another worker took the job (this one was too slow to renew): stop, write nothing."""


class Stopping(Exception):
    """The worker was asked to stop: the job is given back for another worker."""


Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Reporter:
    """Writes a job's progress and renews its lease, from the progress callback and
    (without `inline`) from a keeper thread for stages that report nothing for long."""

    store: Store
    job_id: int
    kind: str
    worker: str
    lease: timedelta
    clock: Clock
    inline: bool = False
    stop: threading.Event | None = None
    lost: bool = False
    _last_write: float = 0.0
    _stage: str = ""
    _progress: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, stage: str, fraction: float, detail: str = "") -> None:
        if self.lost:
            raise LeaseLost()
        if self.stop is not None and self.stop.is_set():
            raise Stopping()
        overall = overall_progress(self.kind, stage, fraction)
        changed = stage != self._stage
        self._stage = stage
        if overall is not None:
            self._progress = max(self._progress, overall)
        if not changed and time.monotonic() - self._last_write < PROGRESS_EVERY:
            return
        self._write((stage, self._progress, detail))
        if self.lost:
            raise LeaseLost()

    def renew(self) -> None:
        self._write(None)

    def _write(self, progress: tuple[str, float, str] | None) -> None:
        with self._lock:
            self._last_write = time.monotonic()
            try:
                with self._session() as session:
                    held = jobs_repo.report(
                        session, self.job_id, self.worker, self.clock(), self.lease, progress
                    )
                    session.commit()
            except OperationalError as busy:  # SQLite's write lock is taken: next time
                log.debug("job %s: progress not written (%s)", self.job_id, busy.orig)
                return
            if not held:
                self.lost = True

    @contextmanager
    def _session(self) -> Iterator[Session]:
        if self.inline:  # the caller's connection (in-process tests): no second one
            with self.store.sessions() as session:
                yield session
        else:
            with jobs_repo.quick_session(self.store.engine) as session:
                yield session

    @contextmanager
    def keeping_alive(self) -> Iterator[None]:
        if self.inline:
            yield
            return
        done = threading.Event()
        every = max(0.5, self.lease.total_seconds() / 4)

        def keep() -> None:
            while not done.wait(every):
                if time.monotonic() - self._last_write >= every:
                    self.renew()

        keeper = threading.Thread(target=keep, name=f"lease-{self.job_id}", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            done.set()
            keeper.join()


@dataclass
class JobContext:
    """What a handler gets: the job, who it runs for, progress, and its session."""

    store: Store
    job: Job
    actor: Actor
    progress: Reporter
    worker: str

    @property
    def payload(self) -> dict[str, Any]:
        return self.job.payload

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The session for the job's work; its first commit marks the job committed in
        the same transaction (refused, and rolled back, when the lease is gone)."""
        with self.store.sessions() as session:
            marked = False

            def mark(inside: Session) -> None:
                nonlocal marked
                if marked:
                    return
                if not jobs_repo.mark_committed(inside, self.job.id, self.worker):
                    raise LeaseLost()
                marked = True

            event.listen(session, "before_commit", mark)
            try:
                yield session
            finally:
                event.remove(session, "before_commit", mark)

    def copy_file(self, target: BinaryIO) -> None:
        with self.store.sessions() as session:
            jobs_repo.copy_file(session, self.job.id, target)

    def spooled_file(self) -> BinaryIO:
        """The job's file in a temporary file (in memory while small), at its start."""
        copy = cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=8 << 20))  # noqa: SIM115
        self.copy_file(copy)
        copy.seek(0)
        return copy


Handler = Callable[[JobContext], dict[str, Any] | None]


def _actor_of(session: Session, job: Job) -> Actor:
    if job.owner_user_id is None:
        return SYSTEM
    user = session.get(User, job.owner_user_id)
    if user is None or not user.is_active:
        raise ServiceError("the account that started this job can no longer sign in")
    return actor_for(user)


@dataclass
class Runner:
    store: Store
    handlers: dict[str, Handler]
    worker: str
    lease: timedelta = DEFAULT_LEASE
    clock: Clock = utcnow
    inline: bool = False  # run on the caller's connection, no keeper thread
    stop: threading.Event | None = None

    def claim_next(self) -> Job | None:
        with self.store.sessions() as session:
            now = self.clock()
            if jobs_repo.give_up_abandoned(session, now):
                session.commit()
            for job_id in jobs_repo.due_ids(session, now):
                if jobs_repo.claim(session, job_id, self.worker, now, self.lease):
                    session.commit()
                    return jobs_repo.get(session, job_id)
            session.rollback()
        return None

    def claim(self, job_id: int) -> Job | None:
        with self.store.sessions() as session:
            if not jobs_repo.claim(session, job_id, self.worker, self.clock(), self.lease):
                return None
            session.commit()
            return jobs_repo.get(session, job_id)

    def run_next(self) -> Job | None:
        """Take one due job and run it; None when nothing was due."""
        job = self.claim_next()
        if job is not None:
            self.run(job)
        return job

    def run(self, job: Job) -> str:
        """Run a job this worker has claimed; returns how it ended."""
        started = time.monotonic()
        outcome = self._run(job)
        log.info(
            "job %s (%s, attempt %s): %s in %.1f s",
            job.id,
            job.kind,
            job.attempts,
            outcome,
            time.monotonic() - started,
        )
        return outcome

    def _run(self, job: Job) -> str:
        if job.committed:  # its work was stored by a worker that died just after
            return self._end(lambda s, now: jobs_repo.finish(s, job.id, self.worker, now, None))
        reporter = Reporter(
            self.store, job.id, job.kind, self.worker, self.lease, self.clock,
            inline=self.inline, stop=self.stop,
        )  # fmt: skip
        handler = self.handlers.get(job.kind)
        try:
            if handler is None:
                raise ServiceError(f"this worker cannot run jobs of kind {job.kind!r}")
            with self.store.sessions() as session:
                actor = _actor_of(session, job)
            with reporter.keeping_alive():
                result = handler(JobContext(self.store, job, actor, reporter, self.worker))
        except LeaseLost:
            return "lease lost to another worker; left to it"
        except Stopping:
            self._end(lambda s, now: jobs_repo.release(s, job.id, self.worker, now))
            return "given back (the worker is stopping)"
        except ServiceError as refused:  # the admin's to read and fix: no retry
            return self._fail(job, str(refused), retry=False)
        except Exception as error:
            log.exception("job %s (%s) failed", job.id, job.kind)
            return self._fail(job, str(error) or type(error).__name__, retry=True)
        keep = job.kind in KEEPS_FILE
        return self._end(
            lambda s, now: jobs_repo.finish(s, job.id, self.worker, now, result, keep_file=keep)
        )

    def _fail(self, job: Job, message: str, *, retry: bool) -> str:
        retry_at = None
        if retry and job.attempts < job.max_attempts:
            retry_at = self.clock() + RETRY_AFTER * 2 ** (job.attempts - 1)
        self._end(lambda s, now: jobs_repo.fail(s, job.id, self.worker, now, message, retry_at))
        return f"failed ({message}); " + (
            f"retried after {retry_at:%H:%M:%S}" if retry_at else "for good"
        )

    def _end(self, change: Callable[[Session, datetime], bool]) -> str:
        with self.store.sessions() as session:
            if change(session, self.clock()):
                session.commit()
                return "done"
            session.rollback()
        return "no longer held by this worker; left as it is"
