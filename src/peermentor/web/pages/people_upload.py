"""The people CSV upload as a background job: the file is stored with the job in the
database, in chunks (never read whole into memory), so a worker on any machine imports
it; the job page shows rows read and stored, and the programme page shows the result or
every problem. The stored copy is removed when the job ends, however it ends; the import
itself stays all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from peermentor.people_csv import CsvProblem
from peermentor.services import jobs as jobs_service
from peermentor.services import people as people_service
from peermentor.services.access import Actor


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """What the programme page shows once the import job is over."""

    program_id: int
    filename: str
    summary: people_service.ImportSummary | None = None
    problems: list[CsvProblem] | None = None
    preview: dict[str, Any] | None = None  # a check's: what importing it would change
    job_id: int = 0


def start_import(
    session: Session,
    actor: Actor,
    *,
    program_id: int,
    filename: str,
    upload: BinaryIO,
    preview: bool = False,
) -> int:
    start = jobs_service.start_preview if preview else jobs_service.start_import
    return start(session, actor, program_id, filename, upload)


def finished_upload(
    session: Session, job_id: str, user_id: int, program_id: int
) -> UploadOutcome | None:
    """The outcome of the caller's finished upload into this programme, else None."""
    job = jobs_service.job_of(session, jobs_service.job_number(job_id), user_id)
    kinds = (jobs_service.IMPORT, jobs_service.PREVIEW)
    if job is None or job.kind not in kinds or job.status != "done":
        return None
    if job.program_id != program_id or not isinstance(job.result, dict):
        return None
    filename = str(job.result.get("filename", ""))
    if "problems" in job.result:
        problems = [CsvProblem(**problem) for problem in job.result["problems"]]
        return UploadOutcome(program_id, filename, problems=problems)
    if "preview" in job.result:
        return UploadOutcome(program_id, filename, preview=job.result["preview"], job_id=job.id)
    summary = people_service.ImportSummary(**job.result["summary"])
    return UploadOutcome(program_id, filename, summary=summary)
