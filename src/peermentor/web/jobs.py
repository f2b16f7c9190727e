"""Long work (a match of 100,000 people takes a minute) runs in a thread; the page
polls its progress. Jobs live in the serving process: a multi-process deployment
sends an admin back to the same process only with sticky sessions (noted in README).
"""

from __future__ import annotations

import secrets
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Work = Callable[[Callable[[str, float], None]], Any]
STAGES = ("features", "scores+candidates", "solve", "bound", "explanations")


@dataclass
class Job:
    id: str
    owner_user_id: int | None
    title: str
    done_url: str
    stage: str = "queued"
    stages_done: int = 0
    status: str = "running"  # running, done, failed
    message: str = ""
    result: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def percent(self) -> int:
        return int(100 * self.stages_done / len(STAGES)) if self.status == "running" else 100


class JobRegistry:
    """`inline=True` runs work in the caller's thread: for in-process tests, whose
    requests share one database connection that two threads must not use at once."""

    def __init__(self, *, inline: bool = False) -> None:
        self._jobs: dict[str, Job] = {}
        self._inline = inline

    def start(self, owner_user_id: int | None, title: str, done_url: str, work: Work) -> Job:
        job = Job(secrets.token_urlsafe(12), owner_user_id, title, done_url)
        self._jobs[job.id] = job

        def progress(stage: str, fraction: float) -> None:
            with job.lock:
                job.stage = stage
                if fraction >= 1.0 and stage in STAGES:
                    job.stages_done = STAGES.index(stage) + 1

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
