"""`peermentor worker --once`: runs the due jobs, then every periodic task, and exits;
bad options exit 2 with a message."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from peermentor.config import Settings
from peermentor.demo_org import demo_people_csv
from peermentor.runtime import Store
from peermentor.services import jobs as jobs_service
from peermentor.services import people as people_service
from peermentor.services import periodic
from peermentor.services.access import SYSTEM
from peermentor.services.programs import find_program
from peermentor.store import jobs_repo
from peermentor.store.db import make_engine
from peermentor.store.migrate import upgrade
from peermentor.store.models import MatchRun
from tests.cli.test_cli import cli, run  # noqa: F401  (fixture)


def queue_a_match() -> int:
    engine = make_engine(os.environ["PEERMENTOR_DATABASE_URL"])
    upgrade(engine)
    with Session(engine) as session:
        people_service.import_people(session, SYSTEM, "Cron", demo_people_csv(30, seed=9).encode())
        program = find_program(session, "Cron")
        assert program is not None
        job_id = jobs_service.start_match(session, SYSTEM, program.id)
    engine.dispose()
    return job_id


def test_once_runs_the_queued_job_then_exits(cli: CliRunner) -> None:  # noqa: F811
    job_id = queue_a_match()
    out, _ = run(cli, "worker", "--once")
    assert "ran 1 job(s)" in out
    engine = make_engine(os.environ["PEERMENTOR_DATABASE_URL"])
    with Session(engine) as session:
        job = jobs_repo.get(session, job_id)
        assert job is not None and job.state == "done"
        assert session.scalar(select(func.count()).select_from(MatchRun)) == 1
    engine.dispose()
    out, _ = run(cli, "worker", "--once")
    assert "ran 0 job(s)" in out  # nothing is run twice


def test_once_runs_every_periodic_task(
    cli: CliRunner,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[datetime] = []

    def reminders(store: Store, settings: Settings, now: datetime) -> int:
        seen.append(now)
        return 3

    def broken(store: Store, settings: Settings, now: datetime) -> int:
        raise RuntimeError("the mail server is down")

    monkeypatch.setattr(periodic, "TASKS", (broken, reminders))
    out, _ = run(cli, "worker", "--once")
    assert "reminders 3" in out and "broken 0" in out  # one broken task stops no other
    assert len(seen) == 1


@pytest.mark.parametrize(
    "args",
    [["--interval", "0"], ["--lease", "1"], ["--lease", "soon"], ["--forever"]],
)
def test_bad_options_exit_2(cli: CliRunner, args: list[str], tmp_path: Path) -> None:  # noqa: F811
    _, err = run(cli, "worker", *args, code=2)
    assert err.strip()
