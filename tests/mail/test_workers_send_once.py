"""The real `peermentor worker`, twice at once, against a real SMTP server on loopback:
a pair whose role-play is past its date and who have a guidance request waiting. One
worker is killed (SIGKILL) while it waits on the server mid-batch; once its claim has
run out another worker sends that mail, and each member has exactly one reminder of the
role-play, every mail arrives exactly once, and running the workers again sends
nothing. On a SQLite file and on a PostgreSQL database of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from peermentor.runtime import Store
from peermentor.services.workspace.guidance import ask_for_guidance
from peermentor.services.workspace.roleplay import set_schedule
from peermentor.store.db import make_engine, make_session_factory
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.migrate import upgrade
from peermentor.store.models import Person
from tests.conftest import _throwaway_postgres_database
from tests.live.server import free_port
from tests.mail.conftest import BASE, SECRET_KEY, Recorder
from tests.store.workspace.factories import (
    activate,
    make_person,
    make_program,
    participant,
    propose,
)

ROOT = Path(__file__).resolve().parents[2]
PEERMENTOR = Path(sys.executable).with_name("peermentor")
ANA, KIM = "ana.silva@example.com", "kim.park@example.com"
ROLEPLAY = "nudge.roleplay_overdue"


class PeerRecorder(Recorder):
    """The conftest's recorder, remembering which client connection the held RCPT came
    on (both workers greet with the same host name; the connection names the process)."""

    held_port: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.hold and not self.release.is_set():
            self.held_port = int(session.peer[1])
        return await super().handle_RCPT(server, session, envelope, address, options)


@pytest.fixture
def smtp() -> Iterator[tuple[int, PeerRecorder]]:
    recorder = PeerRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, recorder
    finally:
        recorder.release.set()
        controller.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mail.db'}"
    else:
        yield from _throwaway_postgres_database()


def _the_pair(url: str) -> Store:
    """Ana and Kim, paired a month ago, weekly role-plays from ten days ago (the first is
    past its date and its grace, the second not yet), and Ana's request for guidance,
    unanswered for four days. Dated from the real clock: the worker reads it."""
    engine = make_engine(url)
    upgrade(engine)
    store = Store(engine=engine, sessions=make_session_factory(engine))
    now = datetime.now(UTC)
    with store.sessions() as session:
        program = make_program(session)
        ana, kim = make_person(session, "Ana Silva"), make_person(session, "Kim Park")
        pairing_id = propose(session, program, [ana, kim], now - timedelta(days=31))
        activate(session, pairing_id, [ana, kim], now - timedelta(days=30))
        set_schedule(
            session,
            participant(ana),
            pairing_id,
            now - timedelta(days=10),
            start=(now - timedelta(days=10)).date(),
            cadence="weekly",
        )
        ask_for_guidance(
            session,
            participant(ana),
            pairing_id,
            now - timedelta(days=4),
            topic="Running a first retrospective",
            recipient_id=kim.id,
        )
        session.commit()
    return store


def _environment(url: str, port: int) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PEERMENTOR_")} | {
        "PEERMENTOR_DATABASE_URL": url,
        "PEERMENTOR_SECRET_KEY": SECRET_KEY,
        "PEERMENTOR_BASE_URL": BASE,
        "PEERMENTOR_SMTP_HOST": "127.0.0.1",
        "PEERMENTOR_SMTP_PORT": str(port),
    }


def _worker(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(PEERMENTOR), "worker", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _once(env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(PEERMENTOR), "worker", "--once"], env=env, cwd=ROOT, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]


def _owner_of_connection(port: int, pids: list[int]) -> int:
    """The process holding the loopback client socket whose local port is `port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no worker owns the connection from port {port}")


def _held(recorder: Recorder, workers: list[subprocess.Popen[bytes]]) -> bool:
    """Wait until a worker waits on the held recipient (False if they all stopped)."""
    while not recorder.holding.wait(0.2):
        if all(p.poll() is not None for p in workers):
            return False
    return True


def _errors(workers: list[subprocess.Popen[bytes]]) -> str:
    return " | ".join(p.communicate()[1].decode()[-2000:] for p in workers)


def _waiting(store: Store) -> int:
    with store.sessions() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state.in_(("queued", "sending")))
            )
            or 0
        )


def _outbox(session: Session) -> Counter[tuple[str, str, str]]:
    rows = session.execute(
        select(Person.email, OutboxMessage.kind, OutboxMessage.subject).join(
            Person, Person.id == OutboxMessage.person_id
        )
    )
    return Counter((email, kind, subject) for email, kind, subject in rows)


def test_two_real_workers_one_killed_send_each_mail_and_roleplay_reminder_once(
    database_url: str, smtp: tuple[int, PeerRecorder]
) -> None:
    port, recorder = smtp
    store = _the_pair(database_url)
    env = _environment(database_url, port)
    recorder.hold.add(KIM)
    workers = [_worker(env, "--once") for _ in range(2)]
    try:
        if not _held(recorder, workers):
            pytest.fail("no worker reached the held recipient: " + _errors(workers))
        victim_pid = _owner_of_connection(recorder.held_port, [p.pid for p in workers])
        [victim] = [p for p in workers if p.pid == victim_pid]
        [survivor] = [p for p in workers if p is not victim]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(30)
        recorder.release.set()
        _output, errors = survivor.communicate(timeout=150)
        assert survivor.returncode == 0, errors.decode()[-2000:]
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert victim.returncode == -signal.SIGKILL

    # The dead worker's claim stands until its lease (5 minutes) runs out; let it run out.
    with store.sessions() as session:
        stuck = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state == "sending")
            .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
        ).rowcount  # type: ignore[attr-defined]
        session.commit()
    assert stuck == 1  # the message the victim was sending when it died

    # A long-running worker takes it over; then stops cleanly when told to.
    runner = _worker(env, "--interval", "0.2")
    try:
        deadline = time.monotonic() + 120
        while _waiting(store) and runner.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        runner.send_signal(signal.SIGTERM)
        _output, errors = runner.communicate(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    assert runner.returncode == 0, errors.decode()[-2000:]
    assert _waiting(store) == 0, errors.decode()[-2000:]
    received_once = len(recorder.received)

    _once(env)  # and again: nothing is due twice
    assert len(recorder.received) == received_once

    with store.sessions() as session:
        outbox = _outbox(session)
        states = Counter(session.scalars(select(OutboxMessage.state)))
    store.close()
    # A subject too long for its first line is folded before it (stdlib email): unfolded,
    # it starts with the folding space, which mail programs do not show.
    received = Counter((r.rcpt[0], str(r.message["Subject"]).strip()) for r in recorder.received)
    assert all(len(r.rcpt) == 1 for r in recorder.received)
    # Every mail queued arrived, each exactly once.
    assert received == Counter((email, subject) for (email, _k, subject) in outbox.elements())
    assert states == {"sent": sum(outbox.values())}
    # Each member: exactly one reminder of the overdue role-play; Kim one of the request.
    reminders = Counter(email for (email, kind, _s) in outbox.elements() if kind == ROLEPLAY)
    assert reminders == {ANA: 1, KIM: 1}
    [(_e, _k, subject)] = [key for key in outbox if key[:2] == (ANA, ROLEPLAY)]
    assert subject.startswith("Peer mentoring: Role-play number 1 with Kim was due")
    assert received[(ANA, subject)] == 1
    kinds_for_kim = {kind for (email, kind, _s) in outbox if email == KIM}
    assert {"guidance.request", "nudge.request_unanswered", ROLEPLAY} <= kinds_for_kim
