"""Two delivery processes at once against a real SMTP server on loopback, one killed
(SIGKILL) while it waits on the server mid-batch: invitations, proposals, answers to a
proposal, a guidance request and its answer each arrive exactly once. On a SQLite file
and on a PostgreSQL database of its own (the processes need committed data)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.runtime import Store
from peermentor.services.access import SYSTEM
from peermentor.services.invitations import OutboxMailer, invite_program
from peermentor.services.mail_sources import queue_due_mail
from peermentor.services.workspace.guidance import answer_request, ask_for_guidance
from peermentor.services.workspace.proposals import accept_proposal
from peermentor.store.db import make_engine, make_session_factory
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.migrate import upgrade
from peermentor.store.models import Person
from tests.conftest import _throwaway_postgres_database
from tests.mail.conftest import BASE, SECRET_KEY, SmtpServer, smtp_settings
from tests.store.workspace.factories import later, make_world

LOOP = Path(__file__).with_name("deliver_loop.py")
ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mail.db'}"
    else:
        yield from _throwaway_postgres_database()


def _queue_the_story(url: str, settings_port: int, tmp_path: Path) -> tuple[Store, int]:
    engine = make_engine(url)
    upgrade(engine)
    store = Store(engine=engine, sessions=make_session_factory(engine))
    settings = smtp_settings(settings_port, tmp_path)
    with store.sessions() as session:
        w = make_world(session, active=False)
        accept_proposal(session, w.ana, w.pairing_id, later(hours=1))
        accept_proposal(session, w.kim, w.pairing_id, later(hours=2))
        request = ask_for_guidance(session, w.ana, w.pairing_id, later(hours=3), topic="t")
        answer_request(session, w.kim, w.pairing_id, int(request.request_id), "a", later(hours=4))
        session.commit()
        outcome = invite_program(
            session, SYSTEM, w.program.name, BASE, datetime.now(UTC), OutboxMailer(store)
        )
        assert outcome.sent == 4  # the enrolled: ana, kim, outsider, sam
    queued = queue_due_mail(store, settings, later(hours=5))
    assert queued == 6  # 2 proposals (the other pair), 2 answers to one, request, answer
    return store, queued + 4


def _held(smtp: SmtpServer, workers: list[subprocess.Popen[bytes]]) -> bool:
    """Wait until a worker waits on the held recipient (False if they all stopped)."""
    while not smtp.recorder.holding.wait(0.2):
        if all(p.poll() is not None for p in workers):
            return False
    return True


def _errors(workers: list[subprocess.Popen[bytes]]) -> str:
    return " | ".join(p.communicate()[1].decode()[-2000:] for p in workers)


def _expected(session: Session) -> Counter[tuple[str, str]]:
    rows = session.execute(
        select(Person.email, OutboxMessage.subject).join(
            Person, Person.id == OutboxMessage.person_id
        )
    )
    return Counter((email, subject) for email, subject in rows)


def test_two_workers_one_killed_mid_batch_send_each_mail_once(
    database_url: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    store, total = _queue_the_story(database_url, smtp.port, tmp_path)
    smtp.recorder.hold.add("kim.park@example.com")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERMENTOR_")} | {
        "PEERMENTOR_DATABASE_URL": database_url,
        "PEERMENTOR_SECRET_KEY": SECRET_KEY,
        "PEERMENTOR_BASE_URL": BASE,
        "PEERMENTOR_SMTP_HOST": "127.0.0.1",
        "PEERMENTOR_SMTP_PORT": str(smtp.port),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, str(LOOP), str(LEASE_SECONDS)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        if not _held(smtp, workers):
            for process in workers:
                process.kill()
            pytest.fail("no worker reached the held recipient: " + _errors(workers))
        victim_pid = int(smtp.recorder.held_by.removeprefix("worker-").removesuffix(".test"))
        [victim] = [p for p in workers if p.pid == victim_pid]
        [survivor] = [p for p in workers if p is not victim]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(30)
        smtp.recorder.release.set()
        _output, errors = survivor.communicate(timeout=150)
        assert survivor.returncode == 0, errors.decode()
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert victim.returncode == -signal.SIGKILL
    received = Counter((r.rcpt[0], str(r.message["Subject"])) for r in smtp.recorder.received)
    with store.sessions() as session:
        expected = _expected(session)
        states = Counter(session.scalars(select(OutboxMessage.state)))
    store.close()
    assert sum(expected.values()) == total == 10
    assert received == expected  # every mail, and each exactly once
    assert states == {"sent": total}
    assert {r.helo for r in smtp.recorder.received} >= {f"worker-{survivor.pid}.test"}
