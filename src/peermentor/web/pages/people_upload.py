"""The people CSV upload as a background job: the file is copied to a temporary file in
chunks (never read whole into memory) and imported in a job thread, so the event loop
keeps serving other requests; the job page shows rows read and stored, and the
programme page shows the result or every problem. The temporary file is removed when the
job ends, however it ends; the import itself stays all or nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from peermentor.people_csv import CsvProblem
from peermentor.runtime import Store
from peermentor.services import people as people_service
from peermentor.services.access import Actor
from peermentor.web.jobs import IMPORT_STAGES, Job, JobRegistry, Progress

CHUNK_BYTES = 1 << 20
_VERB = {"reading": "read", "writing": "stored"}


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """What the programme page shows once the import job is over."""

    program_id: int
    filename: str
    summary: people_service.ImportSummary | None = None
    problems: list[CsvProblem] | None = None


def spool_to_disk(upload: BinaryIO) -> Path:
    """A private copy of the upload on disk: the request's own copy goes with the request."""
    with tempfile.NamedTemporaryFile(
        prefix="peermentor-upload-", suffix=".csv", delete=False
    ) as copy:
        try:
            upload.seek(0)
            shutil.copyfileobj(upload, copy, CHUNK_BYTES)
        except BaseException:  # e.g. a full disk: leave no half copy behind
            Path(copy.name).unlink(missing_ok=True)
            raise
    return Path(copy.name)


def _rows_progress(progress: Progress) -> people_service.ImportProgress:
    def report(stage: str, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        progress(stage, fraction, f"{done:,} of {total:,} rows {_VERB.get(stage, stage)}")

    return report


def start_import(
    jobs: JobRegistry,
    store: Store,
    *,
    user_id: int,
    actor: Actor,
    program_id: int,
    program_name: str,
    filename: str,
    path: Path,
) -> Job:
    def work(progress: Progress) -> Any:
        try:
            with path.open("rb") as data, store.sessions() as session:
                summary = people_service.import_people(
                    session, actor, program_name, data, _rows_progress(progress)
                )
            return UploadOutcome(program_id, filename, summary=summary)
        except people_service.ImportRejected as rejected:  # a result to show, not a crash
            return UploadOutcome(program_id, filename, problems=rejected.problems)
        finally:
            path.unlink(missing_ok=True)

    job = jobs.start(
        user_id,
        f"Import of {filename} into {program_name}",
        f"/admin/programs/{program_id}",
        work,
        stages=IMPORT_STAGES,
        kind="import",
    )
    job.done_url = f"/admin/programs/{program_id}?upload={job.id}"
    return job


def finished_upload(jobs: JobRegistry, job_id: str, user_id: int, program_id: int) -> Any:
    """The outcome of the caller's finished upload into this programme, else None."""
    job = jobs.get(job_id, user_id)
    if job is None or job.kind != "import" or job.status != "done":
        return None
    outcome = job.result
    if not isinstance(outcome, UploadOutcome) or outcome.program_id != program_id:
        return None
    return outcome
