"""Accounts belong to people, and programme admins act only inside their programmes
(issue 9, findings 1 and 2), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM, Actor, Forbidden
from peermentor.services.auth import (
    InvalidToken,
    InvitationRefused,
    accept_invitation,
    digest,
    invite_person,
    login,
)
from peermentor.services.people import ImportRejected, import_people
from peermentor.services.users import create_admin, create_program_admin, create_user
from peermentor.store.auth_models import Invitation
from peermentor.store.models import Enrolment, Person, Program, User
from tests.store.test_people_import import snapshot

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HEADER = "employee_id,name,email,years_experience,opt_out\n"
OWNER = ("owner@example.com", "owner-password-1")
KIM = ("kim@example.com", "kims-password-12")


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def person(session: Session, employee_id: str) -> Person:
    found = session.scalar(select(Person).where(Person.employee_id == employee_id))
    assert found is not None
    return found


def can_sign_in(session: Session, email: str, password: str) -> bool:
    try:
        login(session, email, password, "test-client", NOW)
    except Exception:
        return False
    return True


@pytest.fixture
def org(session: Session) -> Actor:
    """The organisation's owner, programme "Mine" (Ana, Kim with an account) run by a
    programme admin, and programme "Theirs" (Bo) that they do not manage."""
    create_admin(session, SYSTEM, *OWNER)
    import_people(
        session,
        SYSTEM,
        "Mine",
        (
            HEADER + "E1,Ana Silva,ana@example.com,8,false\nE2,Kim Park,kim@example.com,6,false\n"
        ).encode(),
    )
    import_people(session, SYSTEM, "Theirs", csv("B1,Bo Chen,bo@example.com,4,false"))
    create_user(session, SYSTEM, KIM[0], KIM[1], person_id=person(session, "E2").id)
    lead, _ = create_program_admin(session, SYSTEM, "lead@example.com", "lead-password-1", "Mine")
    session.commit()
    return Actor(role="program_admin", user_id=lead.id)


# --- Finding 1: account takeover -------------------------------------------------


def test_a_new_row_cannot_take_the_owners_sign_in_address(session: Session, org: Actor) -> None:
    before = snapshot(session)
    attack = HEADER + "E1,Ana Silva,ana@example.com,8,false\nX9,Mallory,OWNER@example.com,1,false\n"
    with pytest.raises(ImportRejected) as rejected:
        import_people(session, org, "Mine", attack.encode())
    [problem] = rejected.value.problems
    assert (problem.row, problem.column) == (3, "email")
    assert "another account" in problem.message
    assert snapshot(session) == before


def test_a_participants_address_cannot_move_to_a_new_row(session: Session, org: Actor) -> None:
    before = snapshot(session)
    moved = HEADER + "E2,Kim Park,kim.old@example.com,6,false\nX9,Mallory,kim@example.com,1,false\n"
    for actor in (org, SYSTEM):  # not even an organisation admin hands an account over
        with pytest.raises(ImportRejected) as rejected:
            import_people(session, actor, "Mine", moved.encode())
        assert [(p.row, p.column) for p in rejected.value.problems] == [(3, "email")]
    assert snapshot(session) == before


def test_a_person_keeps_their_own_sign_in_address(session: Session, org: Actor) -> None:
    renamed = HEADER + "E2,Kim Lee,kim@example.com,6,false\n"
    assert import_people(session, org, "Mine", renamed.encode()).updated == 1


def test_an_invitation_never_targets_an_admin_account(session: Session, org: Actor) -> None:
    # A person row holding an admin's address (stored before the import checked it).
    mallory = person(session, "E1")
    mallory.email = OWNER[0]
    session.commit()
    with pytest.raises(InvitationRefused):
        invite_person(session, SYSTEM, mallory.id, NOW)
    assert session.scalars(select(Invitation)).all() == []
    owner = session.scalar(select(User).where(User.email == OWNER[0]))
    assert owner is not None and owner.person_id is None
    assert can_sign_in(session, *OWNER)


def test_an_invitation_never_targets_another_persons_account(session: Session, org: Actor) -> None:
    kim = person(session, "E2")
    kim.email = "kim.new@example.com"
    session.add(Person(employee_id="X9", name="Mallory", email=KIM[0], years_experience=1))
    session.flush()
    session.add(Enrolment(program_id=kim_program(session), person_id=person(session, "X9").id))
    session.commit()
    with pytest.raises(InvitationRefused, match="another account"):
        invite_person(session, org, person(session, "X9").id, NOW)
    assert session.scalars(select(Invitation)).all() == []
    assert can_sign_in(session, *KIM)


def kim_program(session: Session) -> int:
    program = session.scalar(select(Program).where(Program.name == "Mine"))
    assert program is not None
    return program.id


def test_nobody_is_invited_to_set_a_password_that_is_already_set(
    session: Session, org: Actor
) -> None:
    with pytest.raises(InvitationRefused, match="can already sign in"):
        invite_person(session, SYSTEM, person(session, "E2").id, NOW)
    assert session.scalars(select(Invitation)).all() == []


def test_an_old_invitation_cannot_reset_a_password(session: Session, org: Actor) -> None:
    # An invitation made before these rules, for an account that has a password now.
    kim = session.scalar(select(User).where(User.email == KIM[0]))
    assert kim is not None
    session.add(
        Invitation(
            token_hash=digest("old-token"),
            user_id=kim.id,
            created_at=NOW,
            expires_at=NOW + timedelta(days=7),
        )
    )
    session.commit()
    with pytest.raises(InvalidToken):
        accept_invitation(session, "old-token", "mallory-password-1", NOW)
    assert can_sign_in(session, *KIM)
    assert not can_sign_in(session, KIM[0], "mallory-password-1")


def test_an_invitation_sets_the_password_of_an_account_that_has_none(
    session: Session, org: Actor
) -> None:
    token = invite_person(session, org, person(session, "E1").id, NOW)
    accept_invitation(session, token, "anas-password-12", NOW)
    assert can_sign_in(session, "ana@example.com", "anas-password-12")
    with pytest.raises(InvalidToken):
        accept_invitation(session, token, "again-password-1", NOW)


def test_a_programme_admin_invites_only_people_of_their_programmes(
    session: Session, org: Actor
) -> None:
    with pytest.raises(Forbidden):
        invite_person(session, org, person(session, "B1").id, NOW)
    assert session.scalars(select(Invitation)).all() == []


# --- Finding 2: people of programmes the caller does not manage -------------------


def test_a_programme_admin_cannot_change_someone_of_another_programme(
    session: Session, org: Actor
) -> None:
    before = snapshot(session)
    file = HEADER + "E1,Ana Silva,ana@example.com,8,false\nB1,Bo Renamed,bo@evil.example,4,true\n"
    with pytest.raises(ImportRejected) as rejected:
        import_people(session, org, "Mine", file.encode())
    [problem] = rejected.value.problems
    assert (problem.row, problem.column) == (3, "employee_id")
    assert "programme you do not manage" in problem.message
    assert "Theirs" not in problem.message and "Bo Chen" not in problem.message
    assert snapshot(session) == before


def test_someone_also_in_another_programme_is_not_changed_either(
    session: Session, org: Actor
) -> None:
    import_people(session, SYSTEM, "Theirs", csv("E1,Ana Silva,ana@example.com,8,false"))
    before = snapshot(session)
    with pytest.raises(ImportRejected):
        import_people(session, org, "Mine", csv("E1,Ana Lee,ana@example.com,8,false"))
    assert snapshot(session) == before


def test_an_unchanged_row_of_someone_elsewhere_only_enrols_them(
    session: Session, org: Actor
) -> None:
    summary = import_people(session, org, "Mine", csv("B1,Bo Chen,bo@example.com,4,false"))
    assert (summary.updated, summary.unchanged, summary.newly_enrolled) == (0, 1, 1)


def test_an_organisation_admin_may_change_anyone(session: Session, org: Actor) -> None:
    owner = session.scalar(select(User).where(User.email == OWNER[0]))
    assert owner is not None
    org_admin = Actor(role="org_admin", user_id=owner.id)
    file = HEADER + "B1,Bo Renamed,bo@example.com,4,true\n"
    assert import_people(session, org_admin, "Mine", file.encode()).updated == 1
    assert person(session, "B1").name == "Bo Renamed"


def test_an_address_in_use_elsewhere_is_refused_without_saying_by_whom(
    session: Session, org: Actor
) -> None:
    file = HEADER + "E7,Lee Chan,BO@example.com,3,false\n"
    with pytest.raises(ImportRejected) as rejected:
        import_people(session, org, "Mine", file.encode())
    [problem] = rejected.value.problems
    assert (problem.row, problem.column) == (2, "email")
    assert "B1" not in problem.message and "in use" in problem.message
    # An organisation admin is told who holds it.
    with pytest.raises(ImportRejected) as told:
        import_people(session, SYSTEM, "Mine", file.encode())
    assert "B1" in told.value.problems[0].message


def test_nothing_of_another_programme_is_checked_before_access(
    session: Session, org: Actor
) -> None:
    file = HEADER + "E7,Lee Chan,bo@example.com,3,false\n"
    with pytest.raises(Forbidden):
        import_people(session, org, "Theirs", file.encode())


def test_resetting_an_admins_password_from_the_command_line_ends_their_logins(
    session: Session,
) -> None:
    from peermentor.services.auth import resolve_session, start_session
    from peermentor.services.users import create_admin

    now = datetime.now(UTC)
    user, _ = create_admin(session, SYSTEM, "boss@example.com", "first-b0ss-key")
    session.commit()
    opened = start_session(session, user, now)
    session.commit()
    assert resolve_session(session, opened.token, now) is not None
    create_admin(session, SYSTEM, "boss@example.com", "another-b0ss-key")  # the reset
    session.commit()
    assert resolve_session(session, opened.token, now) is None
