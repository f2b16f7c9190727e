"""Programme admins manage their own programmes and no other."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services.access import SYSTEM, Actor, Forbidden
from peermentor.services.matching import run_match
from peermentor.services.people import export_people, import_people
from peermentor.services.programs import create_program, list_programs
from peermentor.services.users import create_program_admin
from tests.programs import pid


@pytest.fixture
def two_programmes(session: Session) -> tuple[Actor, Actor]:
    import_people(session, SYSTEM, "Mine", demo_people_csv(12, seed=1).encode())
    import_people(session, SYSTEM, "Theirs", demo_people_csv(12, seed=2).encode())
    mine, _ = create_program_admin(session, SYSTEM, "lead@example.com", "lead-password-1", "Mine")
    other, _ = create_program_admin(session, SYSTEM, "hr@example.com", "hr-password-12", "Theirs")
    session.commit()
    return (
        Actor(role="program_admin", user_id=mine.id),
        Actor(role="program_admin", user_id=other.id),
    )


def test_programme_admin_lists_only_their_programmes(
    session: Session, two_programmes: tuple[Actor, Actor]
) -> None:
    mine, theirs = two_programmes
    assert [p.name for p in list_programs(session, mine)] == ["Mine"]
    assert [p.name for p in list_programs(session, theirs)] == ["Theirs"]
    assert {p.name for p in list_programs(session, SYSTEM)} == {"Mine", "Theirs"}


def test_programme_admin_cannot_touch_another_programme(
    session: Session, two_programmes: tuple[Actor, Actor]
) -> None:
    mine, _ = two_programmes
    with pytest.raises(Forbidden, match="not an admin of the programme 'Theirs'"):
        export_people(session, mine, pid(session, "Theirs"))
    with pytest.raises(Forbidden):
        run_match(session, mine, pid(session, "Theirs"))
    with pytest.raises(Forbidden):
        import_people(session, mine, "Theirs", demo_people_csv(3, seed=4).encode())
    assert run_match(session, mine, pid(session, "Mine")).result.pairings


def test_a_programme_admin_manages_what_they_create(
    session: Session, two_programmes: tuple[Actor, Actor]
) -> None:
    mine, theirs = two_programmes
    create_program(session, mine, "Pilot")
    assert "Pilot" in [p.name for p in list_programs(session, mine)]
    assert "Pilot" not in [p.name for p in list_programs(session, theirs)]


def test_only_an_organisation_admin_names_programme_admins(
    session: Session, two_programmes: tuple[Actor, Actor]
) -> None:
    mine, _ = two_programmes
    with pytest.raises(Forbidden):
        create_program_admin(session, mine, "friend@example.com", "friend-pass-1", "Theirs")
