"""`peermentor worker [--once]`: run background jobs and the periodic tasks."""

from __future__ import annotations

import logging
import signal
from datetime import timedelta
from types import FrameType
from typing import Annotated

import typer

from peermentor.cli.common import open_store_or_exit, out, settings_or_exit
from peermentor.services.worker import DEFAULT_INTERVAL, Worker

Once = Annotated[bool, typer.Option("--once", help="Do what is due now, then exit (cron).")]
Interval = Annotated[float, typer.Option(min=0.1, max=3600, help="Seconds between two ticks.")]
Lease = Annotated[
    int,
    typer.Option(
        min=5,
        max=86_400,
        help="Seconds a job stays this worker's without a sign of life; a job whose "
        "worker died is taken again after it.",
    ),
]


def worker(once: Once = False, interval: Interval = DEFAULT_INTERVAL, lease: Lease = 60) -> None:
    """Run queued jobs (match runs, dry runs, imports) and the periodic tasks."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = settings_or_exit()
    store = open_store_or_exit(settings)
    runner = Worker(store, settings, lease=timedelta(seconds=lease))
    try:
        if once:
            report = runner.tick()
            tasks = ", ".join(f"{name} {count}" for name, count in report.tasks.items())
            out.print(f"ran {report.jobs} job(s)" + (f"; tasks: {tasks}" if tasks else ""))
            return

        def stop(signum: int, _frame: FrameType | None) -> None:
            logging.getLogger("peermentor.worker").info(
                "%s: stopping after the current step", signal.Signals(signum).name
            )
            runner.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        runner.run_forever(interval)
    finally:
        store.close()
