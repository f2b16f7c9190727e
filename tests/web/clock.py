"""A clock the tests move by hand: it replaces the app's `now` dependency, which the
sign-in, session and token checks read. Import `moving_clock` to use the `clock` fixture."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from peermentor.web.deps import now

START = datetime.fromisoformat("2026-03-02T09:00:00+00:00")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def move(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(name="clock")
def moving_clock(client: TestClient) -> Iterator[Clock]:
    clock = Clock()
    client.app.dependency_overrides[now] = lambda: clock.now  # type: ignore[attr-defined]
    yield clock
    client.app.dependency_overrides.pop(now)  # type: ignore[attr-defined]
