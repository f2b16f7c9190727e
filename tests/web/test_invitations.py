"""Invitations through the pages: nobody takes over an account with one, links come
from PEERMENTOR_BASE_URL, and without mail only an organisation admin sees links."""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.services.access import SYSTEM
from peermentor.services.invitations import InvitationMessage, OutboxMailer
from peermentor.services.outbox import deliver_due
from peermentor.services.people import import_people
from peermentor.services.users import create_program_admin
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.models import Program
from peermentor.web.app import create_app
from tests.web.conftest import ADMIN, csrf_of, sign_in

BASE = "https://mentoring.example.org"
LEAD = ("lead@example.com", "lead-password-1")
COHORT = (
    "employee_id,name,email,years_experience\n"
    "E1,Kim Park,kim@example.com,5\n"
    "E2,Lee Chan,lee@example.com,3\n"
)
LINK = re.compile(r"<code>([^<]*/invite/[^<]+)</code>")
LINK_IN_TEXT = re.compile(r"(https://\S+/invite/[A-Za-z0-9_-]+)")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="sqlite:///unused.db",
        secret_key_file=tmp_path / "secret",
        base_url=BASE,
        mail_dir="",  # no mail unless a test sets it up
    )


@pytest.fixture
def program_id(client: TestClient, session: Session) -> int:
    import_people(session, SYSTEM, "Cohort", COHORT.encode())
    create_program_admin(session, SYSTEM, *LEAD, "Cohort")
    session.commit()
    found = session.scalar(select(Program.id).where(Program.name == "Cohort"))
    assert found is not None
    return found


def invite(client: TestClient, csrf: str, program_id: int, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/admin/programs/{program_id}/invitations", data={"csrf_token": csrf}, headers=headers
    )


def signs_in(client: TestClient, email: str, password: str) -> bool:
    client.cookies.clear()
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    return response.status_code == 303


def plain_text(mail: mailbox.MaildirMessage) -> str:
    parsed = email.message_from_bytes(mail.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    body = parsed.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


class RecordingMailer:
    """Stands in for the mail issue's sender at the seam it will plug into."""

    def __init__(self) -> None:
        self.sent: list[InvitationMessage] = []

    def send_invitation(self, message: InvitationMessage) -> None:
        self.sent.append(message)


def test_a_programme_admin_cannot_take_over_the_owners_account(
    client: TestClient, program_id: int
) -> None:
    csrf = sign_in(client, *LEAD)
    attack = COHORT + f"X9,Mallory,{ADMIN[0].upper()},1\n"
    response = client.post(
        f"/admin/programs/{program_id}/people",
        data={"csrf_token": csrf},
        files={"file": ("people.csv", attack.encode(), "text/csv")},
    )
    assert response.status_code == 422 and "Nothing was imported" in response.text
    assert re.search(r"<td>4</td><td>email</td><td>[^<]*another account", response.text)
    links = invite(client, csrf, program_id)
    assert links.status_code == 409 and "/invite/" not in links.text
    assert signs_in(client, *ADMIN)


def test_without_mail_a_programme_admin_is_told_mail_is_needed(
    client: TestClient, program_id: int
) -> None:
    csrf = sign_in(client, *LEAD)
    overview = client.get(f"/admin/programs/{program_id}").text
    assert "Create invitation links" not in overview
    assert "no mail set up" in overview and "PEERMENTOR_SMTP_HOST" in overview
    refused = invite(client, csrf, program_id)
    assert refused.status_code == 409
    assert "Ask an organisation admin" in refused.text
    assert not LINK.search(refused.text)


def test_an_organisation_admin_gets_links_on_the_configured_address_with_a_warning(
    client: TestClient, program_id: int
) -> None:
    csrf = sign_in(client, *ADMIN)
    page = invite(client, csrf, program_id, host="evil.example")
    assert page.status_code == 200
    links = LINK.findall(page.text)
    assert len(links) == 2
    assert all(link.startswith(f"{BASE}/invite/") for link in links)
    assert "evil.example" not in page.text  # nor the stylesheet or any other link
    assert "These links are credentials" in page.text and "privately" in page.text
    form = client.get("/invite/" + links[0].rsplit("/", 1)[1])
    assert form.status_code == 200 and "kim@example.com" in form.text


def test_people_who_can_sign_in_are_not_invited_again(client: TestClient, program_id: int) -> None:
    csrf = sign_in(client, *ADMIN)
    [first, _] = LINK.findall(invite(client, csrf, program_id).text)
    token = first.rsplit("/", 1)[1]
    form = client.get(f"/invite/{token}")
    client.post(
        f"/invite/{token}",
        data={
            "password": "kims-password-1",
            "repeat": "kims-password-1",
            "csrf_token": csrf_of(form.text),
        },
    )
    csrf = sign_in(client, *ADMIN)
    again = invite(client, csrf, program_id).text
    assert len(LINK.findall(again)) == 1 and "1 can already sign in" in again
    assert signs_in(client, "kim@example.com", "kims-password-1")


def test_with_mail_a_programme_admin_sends_invitations_and_sees_no_link(
    client: TestClient, program_id: int
) -> None:
    mailer = RecordingMailer()
    client.app.state.invitation_mailer = mailer  # type: ignore[attr-defined]
    csrf = sign_in(client, *LEAD)
    assert "Send invitations by mail" in client.get(f"/admin/programs/{program_id}").text
    page = invite(client, csrf, program_id, host="evil.example")
    assert page.status_code == 200 and "2 invitations sent by mail" in page.text
    assert "/invite/" not in page.text
    assert sorted(m.to for m in mailer.sent) == ["kim@example.com", "lee@example.com"]
    assert all(m.link.startswith(f"{BASE}/invite/") for m in mailer.sent)
    assert client.get("/invite/" + mailer.sent[0].link.rsplit("/", 1)[1]).status_code == 200


def test_with_a_mail_folder_each_invitation_arrives_once_and_no_link_stays_behind(
    client: TestClient, program_id: int, session: Session, tmp_path: Path
) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    folder = Settings(
        database_url="sqlite:///unused.db",
        secret_key_file=tmp_path / "secret",
        base_url=BASE,
        mail_dir=str(tmp_path / "mail"),
    )
    assert isinstance(create_app(folder, store).state.invitation_mailer, OutboxMailer)
    client.app.state.invitation_mailer = OutboxMailer(store)  # type: ignore[attr-defined]
    csrf = sign_in(client, *LEAD)
    page = invite(client, csrf, program_id)
    assert "2 invitations sent by mail" in page.text and "/invite/" not in page.text
    assert deliver_due(store, folder, datetime.now(UTC)) == 2
    assert deliver_due(store, folder, datetime.now(UTC)) == 0
    mails = list(mailbox.Maildir(tmp_path / "mail", create=False))
    assert sorted(m["To"] for m in mails) == [
        "Kim Park <kim@example.com>",
        "Lee Chan <lee@example.com>",
    ]
    links = [LINK_IN_TEXT.findall(plain_text(m))[0] for m in mails]
    assert all(link.startswith(f"{BASE}/invite/") for link in links)
    assert client.get("/invite/" + links[0].rsplit("/", 1)[1]).status_code == 200
    stored = session.scalars(select(OutboxMessage)).all()
    assert {m.state for m in stored} == {"sent"}
    assert not any(link in m.text_body + m.html_body for m in stored for link in links)


def test_a_newer_invitation_cancels_one_not_sent_yet(
    client: TestClient, program_id: int, session: Session
) -> None:
    client.app.state.invitation_mailer = OutboxMailer(client.app.state.store)  # type: ignore[attr-defined]
    csrf = sign_in(client, *LEAD)
    invite(client, csrf, program_id)
    invite(client, csrf, program_id)
    states = sorted(session.scalars(select(OutboxMessage.state)))
    assert states == ["cancelled", "cancelled", "queued", "queued"]
    cancelled = session.scalars(
        select(OutboxMessage).where(OutboxMessage.state == "cancelled")
    ).all()
    assert all("/invite/" not in m.text_body + m.html_body for m in cancelled)
