"""Personas for the workspace tests, on SQLite and PostgreSQL (see tests/conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.store.workspace.factories import World, make_world


@pytest.fixture
def pair(session: Session) -> World:
    """ana and kim, an active pair; outsider is active with sam."""
    return make_world(session)


@pytest.fixture
def triad(session: Session) -> World:
    """ana, kim and lee, an active triad."""
    return make_world(session, triad=True)


@pytest.fixture
def proposed(session: Session) -> World:
    """ana and kim, proposed and not yet answered."""
    return make_world(session, active=False)
