"""Long work started by an admin (a match run, a dry run, a people upload) becomes a
job row that a worker runs (`peermentor worker`); its progress page reads the row, so
it works from any web process. Here: starting such jobs and reading them back.

The job runs as the admin who started it, with the rights they hold when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services.access import Actor, ServiceError, require_admin
from peermentor.services.programs import get_program_by_id
from peermentor.store import jobs_repo
from peermentor.store.jobs_models import Job

MATCH, DRY_RUN, IMPORT, PREVIEW = "match", "dry_run", "import", "import_preview"
# A checked upload keeps its file for the import that applies it, at most a day.
KEEPS_FILE = frozenset({PREVIEW})
KEEP_PREVIEW_FILE = timedelta(days=1)
# The stages a job's progress bar is divided into, by kind.
STAGES: dict[str, tuple[str, ...]] = {
    MATCH: ("features", "scores+candidates", "solve", "bound", "explanations"),
    DRY_RUN: ("features", "scores+candidates", "solve", "bound", "explanations"),
    IMPORT: ("reading", "writing"),
    PREVIEW: ("reading",),
}


def overall_progress(kind: str, stage: str, fraction: float) -> float | None:
    """The share of the whole job done when `stage` is `fraction` done; None for a
    stage outside the bar (its name is still shown)."""
    stages = STAGES.get(kind, ())
    if stage not in stages:
        return None
    done = fraction >= 1.0
    stages_done = stages.index(stage) + int(done)
    part = 0.0 if done else max(0.0, fraction)
    return min(1.0, (stages_done + part) / len(stages))


@dataclass(frozen=True, slots=True)
class JobView:
    """What the job page shows."""

    id: int
    kind: str
    title: str
    program_id: int | None
    status: str  # running (queued or running), done, failed
    waiting: bool  # queued: no worker has taken it yet
    stage: str
    detail: str
    percent: int
    message: str
    result: Any


def _title(job: Job) -> str:
    program = job.payload.get("program", "")
    if job.kind == IMPORT:
        return f"Import of {job.payload.get('filename', 'the file')} into {program}"
    if job.kind == PREVIEW:
        return f"Check of {job.payload.get('filename', 'the file')} for {program}"
    if job.kind == DRY_RUN:
        return f"Dry run of {program}"
    return f"Match of {program}"


def view_of(job: Job) -> JobView:
    status = {"queued": "running", "running": "running"}.get(job.state, job.state)
    return JobView(
        id=job.id,
        kind=job.kind,
        title=_title(job),
        program_id=job.program_id,
        status=status,
        waiting=job.state == "queued",
        stage=job.stage,
        detail=job.detail,
        percent=100 if status != "running" else int(100 * job.progress),
        message=job.error,
        result=job.result,
    )


MAX_JOB_ID = 2_147_483_647  # a 32-bit key on every database


def job_number(text: str) -> int:
    """A job id from an address; 0 (no job) for anything else."""
    return int(text) if text.isdigit() and len(text) <= 10 else 0


def job_of(session: Session, job_id: int, user_id: int | None) -> JobView | None:
    """The caller's own job; another's is not found, as an unknown one is."""
    job = jobs_repo.get(session, job_id) if 1 <= job_id <= MAX_JOB_ID else None
    if job is None or job.owner_user_id != user_id:
        return None
    return view_of(job)


def _enqueue(
    session: Session,
    actor: Actor,
    kind: str,
    program_id: int,
    payload: dict[str, Any],
    file: BinaryIO | None = None,
) -> int:
    require_admin(actor)
    program = get_program_by_id(session, actor, program_id)
    job = jobs_repo.enqueue(
        session,
        kind=kind,
        payload={"program": program.name} | payload,
        owner_user_id=actor.user_id,
        program_id=program.id,
        now=datetime.now(UTC),
    )
    if file is not None:
        jobs_repo.add_file(session, job.id, file)
    session.commit()  # the job and its file together, or neither
    return job.id


def start_match(session: Session, actor: Actor, program_id: int) -> int:
    return _enqueue(session, actor, MATCH, program_id, {})


def start_dry_run(session: Session, actor: Actor, program_id: int, changes: dict[str, Any]) -> int:
    return _enqueue(session, actor, DRY_RUN, program_id, {"changes": changes})


def start_import(
    session: Session, actor: Actor, program_id: int, filename: str, file: BinaryIO
) -> int:
    """The upload is kept in the database, so a worker on another machine reads it."""
    file.seek(0)
    return _enqueue(session, actor, IMPORT, program_id, {"filename": filename}, file)


def start_preview(
    session: Session, actor: Actor, program_id: int, filename: str, file: BinaryIO
) -> int:
    """Check the upload and say what importing it would change; the file is kept for
    the import that applies it (start_import_of_preview)."""
    file.seek(0)
    return _enqueue(session, actor, PREVIEW, program_id, {"filename": filename}, file)


class PreviewGone(ServiceError):
    """The checked upload is not there to apply any more."""


def start_import_of_preview(
    session: Session, actor: Actor, program_id: int, preview_job_id: int
) -> int:
    """Import the file a finished check (of this caller, into this programme) kept."""
    require_admin(actor)
    program = get_program_by_id(session, actor, program_id)
    found = jobs_repo.get(session, preview_job_id) if 1 <= preview_job_id <= MAX_JOB_ID else None
    if (
        found is None
        or found.kind != PREVIEW
        or found.owner_user_id != actor.user_id
        or found.program_id != program.id
        or found.state != "done"
        or not jobs_repo.has_file(session, found.id)
    ):
        raise PreviewGone(
            "This checked file is not kept any more (it is applied, or older than a day). "
            "Upload it again."
        )
    job = jobs_repo.enqueue(
        session,
        kind=IMPORT,
        payload={"program": program.name, "filename": found.payload.get("filename", "")},
        owner_user_id=actor.user_id,
        program_id=program.id,
        now=datetime.now(UTC),
    )
    jobs_repo.move_file(session, found.id, job.id)
    session.commit()
    return job.id


KEEP_FINISHED = timedelta(days=30)


def purge_finished_jobs(store: Store, settings: Settings, now: datetime) -> int:
    """Periodic task: jobs that ended more than 30 days ago go (an import's result
    names rows and addresses of its file; nobody follows a month-old job page)."""
    with store.sessions() as session:
        count = jobs_repo.purge_finished(session, now - KEEP_FINISHED)
        # A checked upload nobody applied: its file (people's data) goes after a day.
        jobs_repo.drop_files(session, PREVIEW, now - KEEP_PREVIEW_FILE)
        session.commit()
    return count
