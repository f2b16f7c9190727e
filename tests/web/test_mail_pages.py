"""Mail pages: the unsubscribe link works without signing in (button and one-click),
each person sets their preferences on the account page, and a programme's admin sees
counts and failures (never a body) and can send a failed mail again, which is audited."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.mail import kinds
from peermentor.mail.compose import simple_message
from peermentor.mail.links import page
from peermentor.mail.message import Outgoing
from peermentor.services.access import SYSTEM
from peermentor.services.mail_preferences import preferences_of, unsubscribe_token
from peermentor.services.outbox import queue
from peermentor.services.users import create_program_admin, create_user
from peermentor.store.audit_models import AuditEntry
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.models import Enrolment
from tests.store.workspace.factories import make_person, make_program
from tests.web.conftest import csrf_of, sign_in

PRIVATE_BODY = "PLANTED-body-never-shown"
LEAD = ("lead@example.com", "lead-password-1")


def secret_of(client: TestClient) -> str:
    return str(client.app.state.secret_key)  # type: ignore[attr-defined]


def test_an_unsubscribe_link_stops_its_kind_without_signing_in(
    client: TestClient, session: Session
) -> None:
    ana = make_person(session, "Ana Silva")
    session.commit()
    token = unsubscribe_token(secret_of(client), ana.id, kinds.FEEDBACK)
    shown = client.get(f"/mail/unsubscribe/{token}")
    assert shown.status_code == 200 and "Stop these mails" in shown.text
    assert "Feedback arrives for you" in shown.text
    assert preferences_of(session, ana.id).receives(kinds.FEEDBACK)  # a GET changes nothing
    done = client.post(f"/mail/unsubscribe/{token}")
    assert done.status_code == 200 and "no more of these mails" in done.text
    after = preferences_of(session, ana.id)
    assert not after.receives(kinds.FEEDBACK) and after.receives(kinds.REQUEST)


def test_one_click_unsubscribe_from_a_mail_client(client: TestClient, session: Session) -> None:
    ana = make_person(session, "Ana Silva")
    session.commit()
    token = unsubscribe_token(secret_of(client), ana.id, kinds.REQUEST)
    response = client.post(
        f"/mail/unsubscribe/{token}",
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert not preferences_of(session, ana.id).receives(kinds.REQUEST)


def test_a_forged_or_foreign_link_is_not_found(client: TestClient, session: Session) -> None:
    ana = make_person(session, "Ana Silva")
    session.commit()
    forged = unsubscribe_token("another-secret-key-of-another-server-000", ana.id, kinds.FEEDBACK)
    assert client.get(f"/mail/unsubscribe/{forged}").status_code == 404
    assert client.post(f"/mail/unsubscribe/{forged}").status_code == 404
    invitation = unsubscribe_token(secret_of(client), ana.id, kinds.INVITATION)
    assert client.post(f"/mail/unsubscribe/{invitation}").status_code == 404
    assert preferences_of(session, ana.id).stopped == frozenset()


def test_a_participant_sets_their_mail_preferences(client: TestClient, session: Session) -> None:
    kim = make_person(session, "Kim Park")
    create_user(session, SYSTEM, "kim.park@example.com", "kims-password-1", person_id=kim.id)
    session.commit()
    sign_in(client, "kim.park@example.com", "kims-password-1")
    account = client.get("/account")
    assert 'name="kind" value="feedback.received" checked' in account.text
    keep = [k for k in kinds.KINDS if k != kinds.FEEDBACK]
    saved = client.post(
        "/account/mail",
        data={"csrf_token": csrf_of(account.text), "kind": keep, "weekly_digest": "on"},
    )
    assert saved.status_code == 200 and "mail preferences are saved" in saved.text
    assert 'name="kind" value="feedback.received">' in saved.text
    assert 'name="weekly_digest" checked' in saved.text
    prefs = preferences_of(session, kim.id)
    assert prefs.stopped == {kinds.FEEDBACK} and prefs.weekly_digest


def test_an_admin_sees_counts_and_failures_never_a_body_and_resends(
    client: TestClient, session: Session
) -> None:
    program = make_program(session, "Cohort")
    people = [make_person(session, f"Person {n}") for n in range(3)]
    for p in people:
        session.add(Enrolment(program_id=program.id, person_id=p.id))
    create_program_admin(session, SYSTEM, *LEAD, "Cohort")
    now = datetime.now(UTC)
    for n, p in enumerate(people):
        body = simple_message("A notice", [PRIVATE_BODY], "Open", page("/"))
        queue(session, Outgoing(kinds.FEEDBACK, p.id, f"t:{n}", body), now)
    failed = session.scalars(select(OutboxMessage).where(OutboxMessage.key == "t:0")).one()
    failed.state, failed.attempts, failed.last_error = "failed", 5, "550 5.1.1 mailbox unavailable"
    session.commit()
    csrf = sign_in(client, *LEAD)
    view = client.get(f"/admin/programs/{program.id}/mail")
    assert view.status_code == 200
    assert "Feedback arrives for you" in view.text and "550 5.1.1 mailbox unavailable" in view.text
    assert "Person 0" in view.text
    # Two queued and one failed: too few to count without pointing at someone.
    assert view.text.count("fewer than 5") == 2
    assert PRIVATE_BODY not in view.text and "A notice" not in view.text
    resent = client.post(
        f"/admin/programs/{program.id}/mail/{failed.id}/resend", data={"csrf_token": csrf}
    )
    assert resent.status_code == 200 and "queued to be sent again" in resent.text
    session.refresh(failed)
    assert (failed.state, failed.attempts, failed.last_error) == ("queued", 0, "")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "mail.resent")).one()
    assert entry.target_id == failed.id
    again = client.post(
        f"/admin/programs/{program.id}/mail/{failed.id}/resend", data={"csrf_token": csrf}
    )
    assert again.status_code == 422  # only a failed mail is sent again
