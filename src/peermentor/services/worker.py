"""The worker: on every tick it runs the jobs that are due, then each periodic task
(services/periodic.TASKS). `peermentor worker` ticks until it is told to stop;
`--once` ticks once. Several workers may run at once, on one machine or many."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services import periodic
from peermentor.services.job_handlers import HANDLERS
from peermentor.services.job_runner import DEFAULT_LEASE, Clock, Runner, utcnow

log = logging.getLogger("peermentor.worker")
DEFAULT_INTERVAL = 5.0  # seconds between ticks


def worker_name() -> str:
    """Unique among the workers on every machine, and says where one runs."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class TickReport:
    jobs: int = 0
    tasks: dict[str, int] = field(default_factory=dict)


@dataclass
class Worker:
    store: Store
    settings: Settings
    name: str = field(default_factory=worker_name)
    lease: timedelta = DEFAULT_LEASE
    clock: Clock = utcnow
    tasks: tuple[periodic.Task, ...] | None = None  # None: periodic.TASKS as it is then
    stop: threading.Event = field(default_factory=threading.Event)

    def runner(self) -> Runner:
        return Runner(
            self.store, HANDLERS, self.name, lease=self.lease, clock=self.clock, stop=self.stop
        )

    def run_due_jobs(self) -> int:
        runner, count = self.runner(), 0
        while not self.stop.is_set() and runner.run_next() is not None:
            count += 1
        return count

    def run_tasks(self) -> dict[str, int]:
        done: dict[str, int] = {}
        for task in periodic.TASKS if self.tasks is None else self.tasks:
            if self.stop.is_set():
                break
            name = getattr(task, "__name__", repr(task))
            try:
                done[name] = task(self.store, self.settings, self.clock())
            except Exception:  # one broken task must not stop the others, nor the jobs
                log.exception("periodic task %s failed", name)
                done[name] = 0
        return done

    def tick(self) -> TickReport:
        report = TickReport(jobs=self.run_due_jobs())
        report.tasks = self.run_tasks()
        return report

    def run_forever(self, interval: float = DEFAULT_INTERVAL) -> None:
        """Tick, sleep, tick ... until `stop` is set; a job that is running then is
        given back at its next progress report (another worker takes it at once)."""
        log.info("worker %s started (a tick every %.1f s)", self.name, interval)
        while not self.stop.is_set():
            try:
                self.tick()
            except Exception:  # e.g. the database restarting: try again next tick
                log.exception("worker tick failed")
            self.stop.wait(interval)
        log.info("worker %s stopped", self.name)

    def start_thread(self, interval: float = DEFAULT_INTERVAL) -> threading.Thread:
        """A worker beside the web server in one process (the demo)."""
        thread = threading.Thread(
            target=self.run_forever, args=(interval,), name="peermentor-worker", daemon=True
        )
        thread.start()
        return thread
