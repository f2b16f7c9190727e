"""Two members acting at the same moment, on PostgreSQL with two real connections: the
pairing's row lock makes the second wait for the first, so neither change is lost."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from peermentor.services.workspace.access import find_pairing
from peermentor.services.workspace.proposals import accept_proposal, get_pairing
from peermentor.store.db import make_engine
from peermentor.store.migrate import upgrade
from peermentor.store.models import Person, Program
from tests.store.workspace.factories import NOW, make_person, make_program, participant, propose


@pytest.mark.postgres
def test_two_members_accepting_at_once_both_count(postgresql_url: str) -> None:
    engine = make_engine(postgresql_url)
    upgrade(engine)
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as setup:
        program = make_program(setup, name=f"Race {tag}")
        ana, kim = make_person(setup, f"Ana {tag}"), make_person(setup, f"Kim {tag}")
        pairing_id = propose(setup, program, [ana, kim])  # publishing commits
    errors: list[BaseException] = []

    def kim_accepts() -> None:
        try:
            with Session(engine) as other:
                accept_proposal(other, participant(kim), pairing_id, NOW)
        except BaseException as error:  # reported to the test below
            errors.append(error)

    try:
        with Session(engine) as first:
            find_pairing(first, pairing_id, lock=True)  # ana's request holds the row
            racer = threading.Thread(target=kim_accepts)
            racer.start()
            time.sleep(0.5)
            assert racer.is_alive(), "kim's accept should wait for the lock"
            accept_proposal(first, participant(ana), pairing_id, NOW)  # commits, unlocks
        racer.join(timeout=10)
        assert not errors
        with Session(engine) as check:
            assert get_pairing(check, participant(ana), pairing_id, NOW).state == "active"
    finally:
        with engine.begin() as connection:
            connection.execute(delete(Program).where(Program.id == program.id))
            connection.execute(delete(Person).where(Person.id.in_([ana.id, kim.id])))
        engine.dispose()
