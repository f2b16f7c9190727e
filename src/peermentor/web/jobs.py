"""Long work (a match of 100,000 people takes a minute, an import of them seconds) runs
in a thread, off the event loop, so other requests are served meanwhile; the page polls
its progress. Jobs live in the serving process: a multi-process deployment
sends an admin back to the same process only with sticky sessions (noted in README).
"""

from __future__ import annotations

import secrets
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# progress(stage, fraction of that stage done, what to show, e.g. "2,000 of 5,000 rows")
Progress = Callable[..., None]
Work = Callable[[Progress], Any]
STAGES = ("features", "scores+candidates", "solve", "bound", "explanations")
IMPORT_STAGES = ("reading", "writing")


@dataclass
class Job:
    id: str
    owner_user_id: int | None
    title: str
    done_url: str
    stages: tuple[str, ...] = STAGES
    kind: str = "match"  # match or import: what the page shows when it is done
    stage: str = "queued"
    stages_done: int = 0
    stage_fraction: float = 0.0
    detail: str = ""
    status: str = "running"  # running, done, failed
    message: str = ""
    result: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def percent(self) -> int:
        if self.status != "running":
            return 100
        return int(100 * (self.stages_done + self.stage_fraction) / len(self.stages))


class JobRegistry:
    """`inline=True` runs work in the caller's thread: for in-process tests, whose
    requests share one database connection that two threads must not use at once."""

    def __init__(self, *, inline: bool = False) -> None:
        self._jobs: dict[str, Job] = {}
        self._inline = inline

    def start(
        self,
        owner_user_id: int | None,
        title: str,
        done_url: str,
        work: Work,
        *,
        stages: tuple[str, ...] = STAGES,
        kind: str = "match",
    ) -> Job:
        job = Job(secrets.token_urlsafe(12), owner_user_id, title, done_url, stages, kind)
        self._jobs[job.id] = job

        def progress(stage: str, fraction: float, detail: str = "") -> None:
            with job.lock:
                job.stage, job.detail = stage, detail
                if stage in stages:
                    done = fraction >= 1.0
                    job.stages_done = stages.index(stage) + int(done)
                    job.stage_fraction = 0.0 if done else max(0.0, fraction)

        def run() -> None:
            try:
                job.result = work(progress)
                job.status = "done"
            except Exception as error:  # shown to the admin, never a traceback
                job.status = "failed"
                job.message = str(error) or type(error).__name__
                traceback.print_exc()

        if self._inline:
            run()
        else:
            threading.Thread(target=run, name=f"job-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str, user_id: int | None) -> Job | None:
        job = self._jobs.get(job_id)
        if job is None or job.owner_user_id != user_id:
            return None
        return job
