"""What each kind of job does: it calls the same service a command would, inside the
job's session (whose commit marks the job done), and returns what its page shows."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from peermentor.services import matching, people
from peermentor.services.job_runner import Handler, JobContext, Reporter
from peermentor.services.jobs import DRY_RUN, IMPORT, MATCH, PREVIEW
from peermentor.services.programs import get_program_by_id, program_id_named

_VERB = {"reading": "read", "writing": "stored"}


def _program_name(context: JobContext) -> str:
    with context.store.sessions() as session:
        program_id = context.job.program_id
        if program_id is None:
            return str(context.payload["program"])
        return get_program_by_id(session, context.actor, program_id).name


def _program_id(context: JobContext) -> int:
    if context.job.program_id is not None:
        return context.job.program_id
    with context.store.sessions() as session:
        return program_id_named(session, context.actor, str(context.payload["program"]))


def run_match(context: JobContext) -> dict[str, Any]:
    program_id = _program_id(context)
    with context.session() as session:
        outcome = matching.run_match(session, context.actor, program_id, progress=context.progress)
    return outcome.summary()


def dry_run(context: JobContext) -> dict[str, Any]:
    program_id = _program_id(context)
    changes = dict(context.payload.get("changes", {}))
    with context.session() as session:  # stores nothing, so it never commits
        return matching.dry_run(session, context.actor, program_id, changes, context.progress)


def rows_progress(progress: Reporter) -> people.ImportProgress:
    """The import's (stage, rows done, rows in all) as a share and a line to show."""

    def report(stage: str, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        progress(stage, fraction, f"{done:,} of {total:,} rows {_VERB.get(stage, stage)}")

    return report


def import_people(context: JobContext) -> dict[str, Any]:
    name = _program_name(context)
    filename = str(context.payload.get("filename", "the file"))
    with context.spooled_file() as data, context.session() as session:
        try:
            summary = people.import_people(
                session, context.actor, name, data, rows_progress(context.progress)
            )
        except people.ImportRejected as rejected:  # a result to show, not a crash
            problems = [asdict(problem) for problem in rejected.problems]
            return {"filename": filename, "problems": problems}
    return {"filename": filename, "summary": asdict(summary)}


def preview_people(context: JobContext) -> dict[str, Any]:
    name = _program_name(context)
    filename = str(context.payload.get("filename", "the file"))
    with context.spooled_file() as data, context.session() as session:
        try:
            preview = people.preview_import(
                session, context.actor, name, data, rows_progress(context.progress)
            )
        except people.ImportRejected as rejected:
            problems = [asdict(problem) for problem in rejected.problems]
            return {"filename": filename, "problems": problems}
    return {"filename": filename, "preview": asdict(preview)}


HANDLERS: dict[str, Handler] = {
    MATCH: run_match,
    DRY_RUN: dry_run,
    IMPORT: import_people,
    PREVIEW: preview_people,
}
