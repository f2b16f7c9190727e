"""Long work (a match of 100,000 people takes a minute, an import of them seconds) is a
job row that a worker runs (`peermentor worker`); the page that started it sends the
admin to the job's page, which reads the row and so works from any web process.

`app.state.jobs_inline`: run the job at once inside the request that queued it, on the
request's connection. For in-process tests, whose requests share one connection that
no worker in another thread could use.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from peermentor.services.job_handlers import HANDLERS
from peermentor.services.job_runner import Runner
from peermentor.services.jobs import IMPORT, PREVIEW, JobView
from peermentor.services.worker import worker_name


def started(request: Request, job_id: int) -> RedirectResponse:
    """The answer to the request that queued the job: its page."""
    if getattr(request.app.state, "jobs_inline", False):
        runner = Runner(request.app.state.store, HANDLERS, worker_name(), inline=True)
        job = runner.claim(job_id)
        if job is not None:
            runner.run(job)
    return RedirectResponse(f"/admin/jobs/{job_id}", status_code=303)


def done_url(job: JobView) -> str:
    """Where the job's page sends the admin once it is over."""
    if job.kind in (IMPORT, PREVIEW):
        return f"/admin/programs/{job.program_id}?upload={job.id}"
    if job.kind == "dry_run":
        return f"/admin/programs/{job.program_id}/settings"
    return f"/admin/programs/{job.program_id}/review"
