"""Self sign-up, through the services, on SQLite and PostgreSQL: an admin opens a
programme's link; a person signs up, confirms their address through the mailed link,
waits for approval and is then in the match's pool; domains, declines, a new link, a
person who can already sign in, and a later import that names a signed-up person."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotAllowed, NotFound, ValidationError, ValidationErrors
from peermentor.services import auth, signup
from peermentor.services.access import SYSTEM
from peermentor.services.invitations import MailNotConfigured
from peermentor.services.people import ImportRejected, import_people
from peermentor.services.throttle import TooManyAttempts
from peermentor.services.users import create_user
from peermentor.store import people_repo
from peermentor.store.audit_models import AuditEntry
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.models import Enrolment, Person
from tests.programs import pid

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
BASE = "https://mentoring.example.org"
PEOPLE = (
    "employee_id,name,email,years_experience\n"
    "E1,Ada Byron,ada@example.com,6\n"
    "E2,Bo Chen,bo@example.com,5\n"
)
PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def program_id(session: Session) -> int:
    import_people(session, SYSTEM, "Open cohort", PEOPLE.encode(), now=NOW)
    return pid(session, "Open cohort")


def open_signup(session: Session, program_id: int, **changes: object) -> str:
    settings = {"open": True, "approval": True, "domains": "example.com"} | changes
    signup.change_settings(
        session,
        SYSTEM,
        program_id,
        now=NOW,
        mail_ready=True,
        **settings,  # type: ignore[arg-type]
    )
    return signup.setup(session, SYSTEM, program_id, BASE).settings.token


def sign_up(session: Session, token: str, email: str, name: str = "Cy Dee", **kw: str) -> None:
    signup.sign_up(
        session,
        token,
        name=name,
        email=email,
        years=kw.get("years", "4"),
        client=kw.get("client", "10.0.0.7"),
        base_url=BASE,
        now=kw.get("now", NOW),  # type: ignore[arg-type]
    )


def mails_to(session: Session, person_id: int) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.person_id == person_id)
            .order_by(OutboxMessage.id)
        )
    )


def person(session: Session, email: str) -> Person:
    found = session.scalar(select(Person).where(Person.email == email))
    assert found is not None, email
    return found


def status_of(session: Session, program_id: int, person_id: int) -> str | None:
    return session.scalar(
        select(Enrolment.status).where(
            Enrolment.program_id == program_id, Enrolment.person_id == person_id
        )
    )


def pool(session: Session, program_id: int) -> set[str]:
    return {r.email for r in people_repo.enrolled_records(session, program_id)}


def confirm_link(message: OutboxMessage) -> str:
    found = re.search(r"/invite/([A-Za-z0-9_-]+)", message.text_body)
    assert found, message.text_body
    return found.group(1)


def test_opening_needs_mail_and_makes_a_link_that_a_new_one_ends(
    session: Session, program_id: int
) -> None:
    with pytest.raises(MailNotConfigured):
        signup.change_settings(
            session,
            SYSTEM,
            program_id,
            open=True,
            approval=True,
            domains="",
            now=NOW,
            mail_ready=False,
        )
    token = open_signup(session, program_id)
    found = signup.setup(session, SYSTEM, program_id, BASE)
    assert found.link == f"{BASE}/join/{token}" and len(token) >= 30
    assert signup.open_link(session, token).program == "Open cohort"

    open_signup(session, program_id, new_link=True)
    with pytest.raises(NotFound):
        signup.open_link(session, token)
    newer = signup.setup(session, SYSTEM, program_id, BASE).settings.token
    assert newer != token and signup.open_link(session, newer).program_id == program_id

    signup.change_settings(
        session,
        SYSTEM,
        program_id,
        open=False,
        approval=True,
        domains="",
        now=NOW,
        mail_ready=True,
    )
    with pytest.raises(NotFound):
        signup.open_link(session, newer)
    changes = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "program.signup_changed")
    ).all()
    assert [e.details["new_link"] for e in changes] == [True, True, False]


def test_a_new_person_confirms_waits_for_approval_and_is_then_in_the_pool(
    session: Session, program_id: int
) -> None:
    token = open_signup(session, program_id)
    sign_up(session, token, "cy@example.com")

    cy = person(session, "cy@example.com")
    assert cy.self_enrolled and cy.employee_id.startswith("self-") and cy.years_experience == 4
    assert status_of(session, program_id, cy.id) == "unconfirmed"
    assert "cy@example.com" not in pool(session, program_id)
    [mail] = mails_to(session, cy.id)
    assert mail.subject == "Confirm your sign-up to Open cohort"
    assert "An admin of the programme then approves" in mail.text_body

    # The mailed link is the invitation: choosing a password confirms the address.
    auth.accept_invitation(session, confirm_link(mail), PASSWORD, NOW)
    assert status_of(session, program_id, cy.id) == "pending"
    assert "cy@example.com" not in pool(session, program_id)
    found = signup.setup(session, SYSTEM, program_id, BASE)
    assert [w.email for w in found.waiting] == ["cy@example.com"]

    assert (
        signup.decide(session, SYSTEM, program_id, [cy.id], approve=True, now=NOW, base_url=BASE)
        == 1
    )
    assert status_of(session, program_id, cy.id) == "enrolled"
    told = mails_to(session, cy.id)[-1]
    assert told.subject == "You are in: Open cohort" and f"{BASE}/" in told.text_body
    assert told.text_body.startswith("Hello Cy Dee,")
    assert "cy@example.com" in pool(session, program_id)
    # Deciding again changes nothing: it is not waiting any more.
    assert signup.decide(session, SYSTEM, program_id, [cy.id], approve=False, now=NOW) == 0
    assert status_of(session, program_id, cy.id) == "enrolled"
    assert audited(session) == {
        "signup.requested": [{"new_person": True}],
        "signup.approved": [{"people": 1}],
    }


def audited(session: Session) -> dict[str, list[dict[str, object]]]:
    """The sign-up entries by action: their details, which never hold a string."""
    found: dict[str, list[dict[str, object]]] = {}
    for entry in session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("signup.%")).order_by(AuditEntry.id)
    ):
        assert not any(isinstance(v, str) for v in entry.details.values())
        found.setdefault(entry.action, []).append(entry.details)
    return found


def test_without_approval_confirming_enrols(session: Session, program_id: int) -> None:
    token = open_signup(session, program_id, approval=False)
    sign_up(session, token, "dee@example.com")
    dee = person(session, "dee@example.com")
    [mail] = mails_to(session, dee.id)
    assert "You are then enrolled and in the next match." in mail.text_body
    auth.accept_invitation(session, confirm_link(mail), PASSWORD, NOW)
    assert status_of(session, program_id, dee.id) == "enrolled"
    assert "dee@example.com" in pool(session, program_id)


def test_bad_input_is_refused_by_field_and_writes_nothing(
    session: Session, program_id: int
) -> None:
    token = open_signup(session, program_id)
    before = session.scalars(select(Person.id)).all()
    with pytest.raises(ValidationErrors) as refused:
        signup.sign_up(
            session,
            token,
            name=" ",
            email="not-an-address",
            years="lots",
            client="10.0.0.7",
            base_url=BASE,
            now=NOW,
        )
    assert {p.field for p in refused.value.problems} == {"name", "email", "years"}
    with pytest.raises(ValidationError) as outside:
        sign_up(session, token, "eve@elsewhere.org")
    assert outside.value.field == "email" and "@example.com" in outside.value.message
    session.rollback()
    assert session.scalars(select(Person.id)).all() == before


def test_someone_who_can_sign_in_is_asked_to_sign_in_and_join(
    session: Session, program_id: int
) -> None:
    token = open_signup(session, program_id)
    ada = person(session, "ada@example.com")
    user = create_user(session, SYSTEM, "ada@example.com", PASSWORD, person_id=ada.id)
    session.commit()
    sign_up(session, token, "ada@example.com", name="Not Ada")
    assert person(session, "ada@example.com").name == "Ada Byron"  # nothing of theirs changed
    [mail] = mails_to(session, ada.id)
    assert mail.subject == "Joining Open cohort" and f"/join/{token}" in mail.text_body
    assert "/invite/" not in mail.text_body

    # Already enrolled by the import: joining keeps that.
    assert signup.join(session, auth.actor_for(user), token, NOW) == "enrolled"
    with pytest.raises(NotAllowed):
        signup.join(session, SYSTEM, token, NOW)


def test_a_signed_in_participant_of_another_programme_joins_and_waits(
    session: Session, program_id: int
) -> None:
    import_people(
        session,
        SYSTEM,
        "Other",
        b"employee_id,name,email,years_experience\nE9,Fay Ng,fay@example.com,3\n",
        now=NOW,
    )
    fay = person(session, "fay@example.com")
    user = create_user(session, SYSTEM, "fay@example.com", PASSWORD, person_id=fay.id)
    session.commit()
    token = open_signup(session, program_id)
    assert signup.join(session, auth.actor_for(user), token, NOW) == "pending"
    assert audited(session) == {"signup.joined": [{"needs_approval": True}]}
    mine = signup.my_enrolments(session, auth.actor_for(user))
    assert [(e.program, e.status) for e in mine] == [
        ("Open cohort", "pending"),
        ("Other", "enrolled"),
    ]


def test_a_declined_sign_up_stays_declined(session: Session, program_id: int) -> None:
    token = open_signup(session, program_id)
    sign_up(session, token, "gus@example.com")
    gus = person(session, "gus@example.com")
    auth.accept_invitation(session, confirm_link(mails_to(session, gus.id)[0]), PASSWORD, NOW)
    with pytest.raises(ValidationError):
        signup.decide(session, SYSTEM, program_id, [], approve=False, now=NOW)
    assert signup.decide(session, SYSTEM, program_id, [gus.id], approve=False, now=NOW) == 1
    assert status_of(session, program_id, gus.id) == "declined"
    assert mails_to(session, gus.id)[-1].subject == "Your sign-up to Open cohort"
    sign_up(session, token, "gus@example.com", now=NOW + timedelta(minutes=5))
    assert status_of(session, program_id, gus.id) == "declined"
    assert "gus@example.com" not in pool(session, program_id)
    assert audited(session)["signup.declined"] == [{"people": 1}]


def test_one_address_is_mailed_a_few_times_then_throttled(
    session: Session, program_id: int
) -> None:
    token = open_signup(session, program_id)
    for _ in range(5):
        sign_up(session, token, "hal@example.com")
    with pytest.raises(TooManyAttempts):
        sign_up(session, token, "hal@example.com")
    sign_up(session, token, "hal@example.com", client="10.9.9.9")  # elsewhere: fine


def test_an_import_names_a_signed_up_person_by_email_and_gives_them_hr_data(
    session: Session, program_id: int
) -> None:
    token = open_signup(session, program_id, approval=False)
    sign_up(session, token, "ivy@example.com", name="Ivy")
    ivy = person(session, "ivy@example.com")
    auth.accept_invitation(session, confirm_link(mails_to(session, ivy.id)[0]), PASSWORD, NOW)

    summary = import_people(
        session,
        SYSTEM,
        "Open cohort",
        (PEOPLE + "E7,Ivy Hart,IVY@example.com,8\n").encode(),
        now=NOW,
    )
    session.expire_all()
    named = person(session, "IVY@example.com")
    assert named.id == ivy.id and named.employee_id == "E7" and not named.self_enrolled
    assert (named.name, named.years_experience) == ("Ivy Hart", 8)
    assert (summary.created, summary.updated) == (0, 1)
    assert status_of(session, program_id, ivy.id) == "enrolled"
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "people.imported").order_by(AuditEntry.id)
    ).all()[-1]
    assert entry.details["signed_up_named"] == 1


def test_a_refused_import_leaves_the_signed_up_person_as_they_were(
    session: Session, program_id: int
) -> None:
    token = open_signup(session, program_id)
    sign_up(session, token, "jo@example.com")
    jo = person(session, "jo@example.com")
    placeholder = jo.employee_id
    # Jo is named (and so taken in), but another row takes Bo's address: refused whole.
    bad = "employee_id,name,email,years_experience\nE8,Jo Park,jo@example.com,3\n"
    bad += "E9,Zed Roe,bo@example.com,2\n"
    with pytest.raises(ImportRejected):
        import_people(session, SYSTEM, "Open cohort", bad.encode(), now=NOW)
    session.expire_all()
    assert person(session, "jo@example.com").employee_id == placeholder


def test_a_signed_up_person_gives_their_own_name_and_years_until_hr_names_them(
    session: Session, program_id: int
) -> None:
    from peermentor.services.access import Actor
    from peermentor.services.profiles import my_profile, update_my_profile

    token = open_signup(session, program_id, approval=False)
    sign_up(session, token, "kai@example.com", name="Kai")
    kai = person(session, "kai@example.com")
    me = Actor(role="participant", user_id=None, person_id=kai.id)
    assert my_profile(session, me).keeps_name_and_years
    update_my_profile(session, me, {"name": "Kai Moana", "years_experience": "7.5"}, NOW)
    with pytest.raises(ValidationError) as refused:
        update_my_profile(session, me, {"years_experience": "200"}, NOW)
    assert refused.value.field == "years_experience"
    session.expire_all()
    assert (person(session, "kai@example.com").name, kai.years_experience) == ("Kai Moana", 7.5)

    # Once an import names them, HR's data keeps name and years again.
    import_people(
        session,
        SYSTEM,
        "Open cohort",
        (PEOPLE + "E11,Kai M. Moana,kai@example.com,8\n").encode(),
        now=NOW,
    )
    session.expire_all()
    assert not my_profile(session, me).keeps_name_and_years
    with pytest.raises(ValidationError) as hr:
        update_my_profile(session, me, {"name": "Kai"}, NOW)
    assert hr.value.field == "name" and "kept by HR" in hr.value.message
    assert person(session, "kai@example.com").name == "Kai M. Moana"


def test_a_sign_up_never_confirmed_is_forgotten_after_its_link_ran_out(
    session: Session, program_id: int
) -> None:
    from sqlalchemy.orm import sessionmaker

    from peermentor.config import Settings
    from peermentor.runtime import Store
    from peermentor.services.auth import INVITATION_LIFETIME
    from peermentor.store.models import User

    token = open_signup(session, program_id)
    sign_up(session, token, "stranger@example.com", name="Typed By Someone")
    sign_up(session, token, "ada@example.com", name="Ada")  # imported, no account yet
    sign_up(session, token, "lena@example.com", name="Lena")
    lena = person(session, "lena@example.com")
    auth.accept_invitation(session, confirm_link(mails_to(session, lena.id)[0]), PASSWORD, NOW)
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    store = Store(engine=session.connection().engine, sessions=factory)
    settings = Settings(database_url="sqlite:///unused.db")

    assert signup.forget_unconfirmed(store, settings, NOW + INVITATION_LIFETIME) == 0
    later = NOW + INVITATION_LIFETIME + timedelta(days=1, minutes=1)
    assert signup.forget_unconfirmed(store, settings, later) == 1  # the stranger's only
    session.expire_all()
    assert session.scalar(select(Person).where(Person.email == "stranger@example.com")) is None
    assert session.scalar(select(User).where(User.email == "stranger@example.com")) is None
    ada = person(session, "ada@example.com")  # imported: kept, in her programme as before
    assert status_of(session, program_id, ada.id) == "enrolled"
    assert status_of(session, program_id, lena.id) == "pending"  # confirmed: kept
