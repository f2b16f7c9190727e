"""`peermentor worker` in subprocesses, and a database with programmes and queued jobs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services import jobs as jobs_service
from peermentor.services import people as people_service
from peermentor.services.access import SYSTEM
from peermentor.services.auth import actor_for
from peermentor.services.users import create_admin
from peermentor.store import jobs_repo
from peermentor.store.db import make_engine
from peermentor.store.jobs_models import Job
from peermentor.store.migrate import upgrade
from peermentor.store.models import MatchRun, Program

ADMIN = ("jobs-admin@example.com", "jobs-admin-password-1")


def environment(database_url: str, folder: Path) -> dict[str, str]:
    return os.environ | {
        "PEERMENTOR_DATABASE_URL": database_url,
        "PEERMENTOR_SECRET_KEY_FILE": str(folder / "secret"),
        "PEERMENTOR_INSECURE_COOKIES": "true",
    }


def start_worker(database_url: str, folder: Path, name: str, *args: str) -> subprocess.Popen[bytes]:
    """A worker whose output goes to `folder/<name>.log`."""
    log = (folder / f"{name}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "peermentor", "worker", *args],
        env=environment(database_url, folder),
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def queue_matches(database_url: str, sizes: list[int]) -> list[int]:
    """A programme of each size with generated people (own ids), and a match job for
    each, started by one admin; returns the job ids."""
    engine = make_engine(database_url)
    upgrade(engine)
    jobs = []
    with Session(engine, expire_on_commit=False) as session:
        admin, _ = create_admin(session, SYSTEM, *ADMIN)
        session.commit()
        for number, size in enumerate(sizes):
            text = demo_people_csv(size, seed=40 + number)
            text = re.sub(r"\bE(\d{6})\b", rf"J{number}-\1", text)
            text = text.replace("@example.com", f"@j{number}.example")
            name = f"Jobs {number}"
            people_service.import_people(session, SYSTEM, name, text.encode())
            program = session.scalars(select(Program).where(Program.name == name)).one()
            jobs.append(jobs_service.start_match(session, actor_for(admin), program.id))
    engine.dispose()
    return jobs


def job_row(database_url: str, job_id: int) -> Job:
    engine = make_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            job = jobs_repo.get(session, job_id)
            assert job is not None
            session.expunge(job)
            return job
    finally:
        engine.dispose()


def runs_by_program(database_url: str) -> dict[int, int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(MatchRun.program_id, func.count()).group_by(MatchRun.program_id)
            )
            return {program_id: count for program_id, count in rows}
    finally:
        engine.dispose()


def wait_for(check: Callable[[], bool], what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
