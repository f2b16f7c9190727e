"""Company sign-in through a real OpenID Connect provider on loopback, the whole
redirect: the button, the provider's page, the callback, the session.

Who may come in: an imported person (by verified email, or by the employee-id claim),
linked on first use and followed by subject afterwards; never an unverified email, an
address outside the allowed domains, someone missing from the people data, or a
callback that this browser did not start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services.access import SYSTEM
from peermentor.services.auth import actor_for, invite_person
from peermentor.services.people import import_people
from peermentor.services.personal_data import export_my_data
from peermentor.services.users import create_admin, create_user
from peermentor.store.audit_models import AuditEntry
from peermentor.store.auth_models import SsoIdentity
from peermentor.store.models import Person, User
from peermentor.web.app import create_app
from peermentor.web.security import SESSION_COOKIE
from tests.web.conftest import ADMIN, PEER, csrf_of
from tests.web.oidc_provider import callback_path, running_provider, set_user, through_provider

COHORT = (
    "employee_id,name,email,years_experience\n"
    "E1,Kim Park,kim@example.com,5\n"
    "E2,Lee Chan,Lee@Example.com,3\n"
)
CLIENT_ID = "peermentor-test"


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with running_provider() as url:
        yield url


@pytest.fixture
def make_client(
    session: Session, tmp_path: Path, issuer: str
) -> Iterator[Callable[..., TestClient]]:
    """A browser on an app whose company sign-in is configured with `overrides`."""
    import_people(session, SYSTEM, "Cohort", COHORT.encode())
    create_admin(session, SYSTEM, *ADMIN)
    create_user(session, SYSTEM, PEER[0], PEER[1])
    session.commit()
    connection = session.connection()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    store = Store(engine=connection.engine, sessions=factory)
    opened: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        values: dict[str, object] = {
            "database_url": "sqlite:///unused.db",
            "secret_key_file": tmp_path / "secret",
            "mail_dir": "",
            "base_url": "https://testserver",
            "oidc_issuer": issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": "provider-mock-takes-any-secret",
            **overrides,
        }
        browser = TestClient(create_app(Settings(**values), store), base_url="https://testserver")
        opened.append(browser.__enter__())
        return browser

    yield make
    for browser in opened:
        browser.__exit__(None, None, None)


def _actions(session: Session) -> list[tuple[str, dict[str, object]]]:
    session.expire_all()
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(row.action, row.details) for row in rows]


def _signed_in_as(browser: TestClient) -> str:
    page = browser.get("/")
    assert page.status_code == 200
    return page.text


def test_the_login_page_shows_the_company_button_only_when_it_is_configured(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(oidc_issuer="")
    plain = client.get("/login")
    assert "company" not in plain.text.lower()
    assert client.get("/login/sso", follow_redirects=False).status_code == 404
    assert client.get("/login/sso/callback?state=x&code=y").status_code == 404

    with_sso = make_client(oidc_button_label="Sign in with Acme")
    page = with_sso.get("/login", params={"next": "/account/password"})
    assert 'href="/login/sso?next=%2Faccount%2Fpassword"' in page.text
    assert "Sign in with Acme" in page.text
    assert 'name="password"' in page.text  # passwords still work for everyone


def test_a_first_sign_in_links_the_imported_person_and_makes_their_account(
    make_client: Callable[..., TestClient], session: Session, issuer: str
) -> None:
    browser = make_client()
    set_user(issuer, "sub-lee", email="lee@example.com", email_verified=True, name="Lee")
    back = through_provider(browser, "sub-lee", next_url="/account/password")
    assert back.status_code == 303, back.text
    assert back.headers["location"] == "/account/password"
    assert SESSION_COOKIE in back.cookies or browser.cookies.get(SESSION_COOKIE)
    assert "Lee@Example.com".lower() in _signed_in_as(browser).lower()

    lee = session.scalar(select(Person).where(Person.employee_id == "E2"))
    account = session.scalar(select(User).where(User.person_id == lee.id))
    assert account is not None and account.password_hash is None  # no password to steal
    identity = session.scalar(select(SsoIdentity).where(SsoIdentity.subject == "sub-lee"))
    assert identity is not None and identity.user_id == account.id and identity.issuer == issuer
    actions = _actions(session)
    assert ("account.created_at_sign_in", {}) in actions
    assert ("sso.linked", {}) in actions
    assert ("sign_in", {"sso": True}) in actions
    # The person's own data download lists the link (and erasure removes it with the account).
    mine = export_my_data(session, actor_for(account), datetime.now(UTC))
    assert [row["subject"] for row in mine["sso_identities"]] == ["sub-lee"]

    # Later sign-ins follow the subject, even when the provider's email has changed.
    set_user(issuer, "sub-lee", email="lee.chan@example.com", email_verified=True)
    other = make_client()
    assert through_provider(other, "sub-lee").status_code == 303
    assert session.scalar(select(User).where(User.person_id == lee.id)).id == account.id
    assert len(session.scalars(select(SsoIdentity)).all()) == 1


def test_the_employee_id_claim_links_even_without_a_matching_email(
    make_client: Callable[..., TestClient], session: Session, issuer: str
) -> None:
    browser = make_client(oidc_employee_id_claim="employee_number")
    set_user(issuer, "sub-kim", email="k.park@corp.example.com", employee_number="E1")
    assert through_provider(browser, "sub-kim").status_code == 303
    kim = session.scalar(select(Person).where(Person.employee_id == "E1"))
    assert session.scalar(select(User).where(User.person_id == kim.id)) is not None


def test_an_admin_account_signs_in_by_its_verified_email(
    make_client: Callable[..., TestClient], session: Session, issuer: str
) -> None:
    browser = make_client()
    set_user(issuer, "sub-admin", email=ADMIN[0].upper(), email_verified=True)
    assert through_provider(browser, "sub-admin").status_code == 303
    assert "Programmes" in _signed_in_as(browser)


def test_an_unverified_email_is_refused(
    make_client: Callable[..., TestClient], session: Session, issuer: str
) -> None:
    browser = make_client()
    set_user(issuer, "sub-unverified", email="kim@example.com", email_verified=False)
    back = through_provider(browser, "sub-unverified")
    assert back.status_code == 403
    assert "not verified" in back.text
    assert not browser.cookies.get(SESSION_COOKIE)
    assert session.scalars(select(SsoIdentity)).all() == []
    assert ("sign_in.failed", {"sso": True, "email_unverified": True}) in _actions(session)


def test_an_email_outside_the_allowed_domains_is_refused(
    make_client: Callable[..., TestClient], session: Session, issuer: str
) -> None:
    browser = make_client(oidc_allowed_domains="example.com")
    set_user(issuer, "sub-outsider", email="kim@example.org", email_verified=True)
    back = through_provider(browser, "sub-outsider")
    assert back.status_code == 403
    assert "kim@example.org is not one of them" in back.text
    assert not browser.cookies.get(SESSION_COOKIE)
    assert ("sign_in.failed", {"sso": True, "domain_not_allowed": True}) in _actions(session)

    # Inside the domains, the same setting lets the person in.
    set_user(issuer, "sub-kim", email="kim@example.com", email_verified=True)
    assert (
        through_provider(make_client(oidc_allowed_domains="example.com"), "sub-kim").status_code
        == 303
    )


def test_someone_not_in_the_people_data_gets_no_account(
    make_client: Callable[..., TestClient], session: Session, issuer: str
) -> None:
    browser = make_client()
    set_user(issuer, "sub-stranger", email="stranger@example.com", email_verified=True)
    back = through_provider(browser, "sub-stranger")
    assert back.status_code == 403
    assert "not in any programme here yet" in back.text
    assert session.scalar(select(User).where(User.email == "stranger@example.com")) is None
    assert ("sign_in.failed", {"sso": True, "not_in_people_data": True}) in _actions(session)


def test_a_wrong_state_or_a_callback_this_browser_did_not_start_is_refused(
    make_client: Callable[..., TestClient], session: Session, issuer: str
) -> None:
    browser = make_client()
    set_user(issuer, "sub-kim", email="kim@example.com", email_verified=True)
    to_provider = browser.get("/login/sso", follow_redirects=False)
    back = httpx.post(to_provider.headers["location"], data={"sub": "sub-kim"}, timeout=10)
    location = callback_path(back.headers["location"])

    tampered = location.replace("state=", "state=x")
    refused = browser.get(tampered, follow_redirects=False)
    assert refused.status_code == 400
    assert "Start again from the sign-in page" in refused.text
    assert not browser.cookies.get(SESSION_COOKIE)

    # An attacker's own callback link, opened in the victim's browser: no flow cookie.
    victim = make_client()
    assert victim.get(location, follow_redirects=False).status_code == 400
    assert not victim.cookies.get(SESSION_COOKIE)
    assert session.scalars(select(SsoIdentity)).all() == []


def test_a_callback_is_good_once(make_client: Callable[..., TestClient], issuer: str) -> None:
    browser = make_client()
    set_user(issuer, "sub-kim", email="kim@example.com", email_verified=True)
    to_provider = browser.get("/login/sso", follow_redirects=False)
    flow_cookie = browser.cookies.get("pm_sso")
    back = httpx.post(to_provider.headers["location"], data={"sub": "sub-kim"}, timeout=10)
    location = callback_path(back.headers["location"])
    assert browser.get(location, follow_redirects=False).status_code == 303
    # Replayed with the flow cookie put back: the provider will not take the code twice.
    replay = make_client()
    replay.cookies.set("pm_sso", flow_cookie, domain="testserver")
    assert replay.get(location, follow_redirects=False).status_code == 400
    assert not replay.cookies.get(SESSION_COOKIE)


def test_cancelling_at_the_provider_says_so(
    make_client: Callable[..., TestClient], issuer: str
) -> None:
    browser = make_client()
    to_provider = browser.get("/login/sso", follow_redirects=False)
    denied = httpx.post(to_provider.headers["location"], data={"action": "deny"}, timeout=10)
    answer = browser.get(callback_path(denied.headers["location"]), follow_redirects=False)
    assert answer.status_code == 400
    assert "cancelled or refused" in answer.text
    assert "Back to the start page" in answer.text  # which leads to the sign-in page


def test_participant_passwords_can_be_turned_off(
    make_client: Callable[..., TestClient], session: Session
) -> None:
    browser = make_client(password_sign_in="admins")
    form = browser.get("/login")
    assert "Admin sign-in with a password" in form.text
    refused = browser.post(
        "/login",
        data={"email": PEER[0], "password": PEER[1], "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert refused.status_code == 401
    assert "Participants sign in with their company account" in refused.text
    assert not browser.cookies.get(SESSION_COOKIE)
    assert ("sign_in.failed", {"password_off": True}) in _actions(session)
    # A wrong password still reads as before: the new message proves nothing to a guesser.
    wrong = browser.post(
        "/login",
        data={"email": PEER[0], "password": "not-it-at-all", "csrf_token": csrf_of(form.text)},
    )
    assert "Email or password is not right." in wrong.text

    admin = browser.post(
        "/login",
        data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert admin.status_code == 303


def test_with_participant_passwords_off_an_invitation_leads_to_the_company_sign_in(
    make_client: Callable[..., TestClient], session: Session
) -> None:
    kim = session.scalar(select(Person).where(Person.employee_id == "E1"))
    token = invite_person(session, SYSTEM, kim.id, datetime.now(UTC))
    browser = make_client(password_sign_in="admins")
    page = browser.get(f"/invite/{token}")
    assert page.status_code == 200
    assert 'href="/login/sso"' in page.text and 'name="password"' not in page.text
    refused = browser.post(
        f"/invite/{token}",
        data={
            "password": "a long new passphrase",
            "repeat": "a long new passphrase",
            "csrf_token": csrf_of(browser.get("/login").text),
        },
    )
    assert refused.status_code == 422
    assert session.scalar(select(User).where(User.person_id == kim.id)).password_hash is None


def test_someone_not_in_the_people_data_signs_up_with_the_company_account_from_a_link(
    make_client: Callable[..., TestClient], session: Session, issuer: str
) -> None:
    from peermentor.services import signup
    from tests.programs import pid

    program_id = pid(session, "Cohort")
    signup.change_settings(
        session,
        SYSTEM,
        program_id,
        open=True,
        approval=True,
        domains="example.com",
        now=datetime.now(UTC),
        mail_ready=True,
    )
    token = signup.setup(session, SYSTEM, program_id, "https://testserver").settings.token
    browser = make_client()
    set_user(issuer, "sub-nia", email="nia@example.com", email_verified=True, name="Nia Okafor")
    set_user(issuer, "sub-out", email="out@elsewhere.org", email_verified=True, name="Out")

    # Without the link, or outside the link's domains: still not known here.
    assert through_provider(browser, "sub-nia").status_code == 403
    assert through_provider(browser, "sub-out", next_url=f"/join/{token}").status_code == 403
    assert session.scalar(select(Person).where(Person.email == "nia@example.com")) is None

    back = through_provider(browser, "sub-nia", next_url=f"/join/{token}")
    assert (back.status_code, back.headers["location"]) == (303, f"/join/{token}")
    nia = session.scalars(select(Person).where(Person.email == "nia@example.com")).one()
    assert (nia.name, nia.self_enrolled, nia.years_experience) == ("Nia Okafor", True, 0)
    page = browser.get(f"/join/{token}")
    assert "You are signed up to Cohort: Waiting for the programme" in page.text
    actions = [a for a, _ in _actions(session)]
    assert actions.count("signup.requested") == 1 and "sso.linked" in actions
    assert ("signup.requested", {"new_person": True, "company_account": True}) in _actions(session)


def test_with_participant_passwords_off_the_invitation_mail_says_company_sign_in(
    make_client: Callable[..., TestClient], session: Session, tmp_path: Path
) -> None:
    from dataclasses import replace

    from peermentor.services.invitations import InvitationMessage
    from peermentor.store.mail_models import OutboxMessage

    kim = session.scalar(select(Person).where(Person.employee_id == "E1"))
    message = InvitationMessage(
        to="kim@example.com",
        name="Kim",
        program="Cohort",
        link="https://testserver/invite/secret-link",
        expires_at=datetime.now(UTC),
        person_id=kim.id,
    )
    for mode, words in (
        ("admins", "sign in with your company account"),
        ("everyone", "set your password"),
    ):
        browser = make_client(password_sign_in=mode, mail_dir=str(tmp_path / mode))
        mailer = browser.app.state.invitation_mailer  # type: ignore[attr-defined]
        mailer.send_invitation(replace(message, link=f"{message.link}-{mode}"))
        mail = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.person_id == kim.id)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert mail is not None and words in mail.text_body
        if mode == "admins":
            assert "password" not in mail.text_body.lower()
