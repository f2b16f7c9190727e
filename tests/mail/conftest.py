"""A real SMTP server on loopback (aiosmtpd) that records what it accepts, refuses the
recipients it is told to, and can hold one recipient's RCPT until released (so a test can
kill the worker that is waiting on it)."""

from __future__ import annotations

import asyncio
import email
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from tests.live.server import free_port

SECRET_KEY = "mail-tests-secret-key-0123456789abcdef"
BASE = "https://mentoring.example.org"


@dataclass
class Received:
    rcpt: list[str]
    message: EmailMessage
    helo: str


@dataclass
class Recorder:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    hold: set[str] = field(default_factory=set)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    held_by: str = ""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.hold and not self.release.is_set():
            self.hold.discard(address)  # held once: a worker that takes it over passes
            self.held_by = session.host_name or ""
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(list(envelope.rcpt_tos), parsed, session.host_name or ""))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt]


@dataclass
class SmtpServer:
    port: int
    recorder: Recorder


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, recorder)
    finally:
        recorder.release.set()
        controller.stop()


def smtp_settings(port: int, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        database_url="sqlite:///unused.db",
        secret_key=SECRET_KEY,  # type: ignore[arg-type]
        secret_key_file=tmp_path / "secret",
        base_url=BASE,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="peermentor@example.org",
        **extra,
    )


def folder_settings(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        database_url="sqlite:///unused.db",
        secret_key=SECRET_KEY,  # type: ignore[arg-type]
        secret_key_file=tmp_path / "secret",
        base_url=BASE,
        mail_dir=str(tmp_path / "mail"),
        **extra,
    )


def store_on(session: Session) -> Store:
    """A store whose sessions share the test's rolled-back connection."""
    connection = session.connection()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return Store(engine=connection.engine, sessions=factory)
