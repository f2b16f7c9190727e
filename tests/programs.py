"""Tests name their programmes; the use cases take ids."""

from __future__ import annotations

from sqlalchemy.orm import Session

from peermentor.services.programs import find_program


def pid(session: Session, name: str) -> int:
    """The id of the programme named `name` (which must exist)."""
    program = find_program(session, name)
    assert program is not None, f"no programme named {name!r}"
    return program.id
