"""The outbox on SQLite and PostgreSQL against a real SMTP server on loopback: one mail
per occasion, both parts and the unsubscribe headers, stopped kinds not sent, refused
mail retried with backoff and then shown as failed."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.mail import kinds
from peermentor.mail.compose import simple_message
from peermentor.mail.links import page
from peermentor.mail.message import Attachment, MailMessage, Outgoing
from peermentor.services import outbox
from peermentor.services.access import SYSTEM
from peermentor.services.mail_preferences import unsubscribe
from peermentor.services.personal_data import erase_person, export_person_data
from peermentor.store import mail_repo
from peermentor.store.mail_models import OutboxMessage
from tests.mail.conftest import (
    BASE,
    SECRET_KEY,
    SmtpServer,
    folder_settings,
    smtp_settings,
    store_on,
)
from tests.store.workspace.factories import NOW, later, make_person


def notice(person_id: int, kind: str = kinds.FEEDBACK, key: str = "1") -> Outgoing:
    return Outgoing(
        kind,
        person_id,
        f"{kind}:{person_id}:{key}",
        simple_message(
            "Feedback from Kim arrived", ["Kim gave you feedback."], "Read it", page("/x")
        ),
    )


def aware(moment: datetime) -> datetime:
    """SQLite hands stamps back without their zone; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rows(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_same_occasion_is_queued_once(session: Session) -> None:
    ana = make_person(session, "Ana Silva")
    assert outbox.queue(session, notice(ana.id), NOW) is True
    assert outbox.queue(session, notice(ana.id), later(hours=1)) is False
    assert outbox.queue(session, notice(ana.id, key="2"), NOW) is True
    assert [r.key for r in rows(session)] == [
        f"{kinds.FEEDBACK}:{ana.id}:1",
        f"{kinds.FEEDBACK}:{ana.id}:2",
    ]


def test_one_mail_with_both_parts_links_and_the_unsubscribe_headers(
    session: Session, smtp: SmtpServer, tmp_path: Path
) -> None:
    ana = make_person(session, "Ana Silva")
    invite = Attachment("invite.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\n")
    message = simple_message(
        "Feedback from Kim arrived", ["Kim gave you feedback."], "Read it", page("/p/1")
    )
    outbox.queue(
        session,
        Outgoing(
            kinds.FEEDBACK,
            ana.id,
            "k1",
            MailMessage(message.subject, message.text, message.html, (invite,)),
        ),
        NOW,
    )
    session.commit()
    settings = smtp_settings(smtp.port, tmp_path)
    store = store_on(session)
    assert outbox.deliver_due(store, settings, NOW) == 1
    assert outbox.deliver_due(store, settings, later(hours=1)) == 0  # sent once
    [mail] = smtp.recorder.to("ana.silva@example.com")
    assert len(smtp.recorder.received) == 1
    assert mail["Subject"] == "Feedback from Kim arrived"
    assert mail["From"] == "peermentor@example.org"
    unsubscribe_link = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe_link.startswith(f"{BASE}/mail/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    assert f"{BASE}/p/1" in text.get_content() and unsubscribe_link in text.get_content()
    assert f'href="{BASE}/p/1"' in html.get_content()
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == "invite.ics"
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_param("method") == "REQUEST"
    [row] = rows(session)
    assert row.state == "sent" and row.attempts == 1
    # The link works without signing in, and stops exactly that kind.
    assert (
        unsubscribe(session, SECRET_KEY, unsubscribe_link.rsplit("/", 1)[1], NOW) == kinds.FEEDBACK
    )


def test_a_stopped_kind_is_not_sent_but_others_are(
    session: Session, smtp: SmtpServer, tmp_path: Path
) -> None:
    ana = make_person(session, "Ana Silva")
    mail_repo.save_preference(session, ana.id, [kinds.FEEDBACK], False, NOW)
    outbox.queue(session, notice(ana.id), NOW)
    outbox.queue(session, notice(ana.id, kind=kinds.REQUEST), NOW)
    session.commit()
    assert outbox.deliver_due(store_on(session), smtp_settings(smtp.port, tmp_path), NOW) == 1
    [mail] = smtp.recorder.to("ana.silva@example.com")
    assert len(smtp.recorder.received) == 1
    assert {r.kind: r.state for r in rows(session)} == {
        kinds.FEEDBACK: "skipped",
        kinds.REQUEST: "sent",
    }
    assert mail["Subject"] == "Feedback from Kim arrived"  # the request's, same words here


def test_a_refused_mail_is_retried_with_backoff_then_shown_as_failed(
    session: Session, smtp: SmtpServer, tmp_path: Path
) -> None:
    ana = make_person(session, "Ana Silva")
    smtp.recorder.refuse.add("ana.silva@example.com")
    outbox.queue(session, notice(ana.id), NOW)
    session.commit()
    store, settings = store_on(session), smtp_settings(smtp.port, tmp_path)
    moment = NOW
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert outbox.deliver_due(store, settings, moment) == 0
        [row] = rows(session)
        session.refresh(row)
        assert row.attempts == attempt
        assert "550" in row.last_error and "mailbox unavailable" in row.last_error
        if attempt < outbox.MAX_ATTEMPTS:
            assert row.state == "queued"
            due = aware(row.next_attempt_at)
            assert due == moment + outbox.retry_delay(attempt)
            # Not before its time...
            assert (
                outbox.deliver_due(store, settings, row.next_attempt_at - timedelta(seconds=1)) == 0
            )
            session.refresh(row)
            assert row.attempts == attempt
            moment = due
    assert row.state == "failed"
    assert outbox.deliver_due(store, settings, moment + timedelta(days=1)) == 0
    assert smtp.recorder.received == []


def test_without_smtp_mail_lands_in_the_mail_folder(session: Session, tmp_path: Path) -> None:
    ana = make_person(session, "Ana Silva")
    outbox.queue(session, notice(ana.id), NOW)
    session.commit()
    settings = folder_settings(tmp_path)
    assert outbox.deliver_due(store_on(session), settings, NOW) == 1
    [mail] = list(mailbox.Maildir(tmp_path / "mail", create=False))
    assert mail["To"] == "Ana Silva <ana.silva@example.com>"
    assert mail.is_multipart()


def test_a_body_and_so_an_invitation_link_is_not_kept_once_sent(
    session: Session, tmp_path: Path
) -> None:
    ana = make_person(session, "Ana Silva")
    link = f"{BASE}/invite/credential-token"
    outbox.queue(
        session,
        Outgoing(kinds.INVITATION, ana.id, "inv", simple_message("Invited", ["Hi"], "Set", link)),
        NOW,
    )
    session.commit()
    [row] = rows(session)
    assert link in row.text_body
    outbox.deliver_due(store_on(session), folder_settings(tmp_path), NOW)
    session.refresh(row)
    assert row.state == "sent"
    assert link not in row.text_body + row.html_body
    [mail] = list(mailbox.Maildir(tmp_path / "mail", create=False))
    assert link in mail.as_string() and "List-Unsubscribe" not in mail


def test_a_persons_data_export_lists_their_mails_and_preferences_without_bodies(
    session: Session,
) -> None:
    ana = make_person(session, "Ana Silva")
    mail_repo.save_preference(session, ana.id, [kinds.REQUEST], True, NOW)
    outbox.queue(session, notice(ana.id, kind=kinds.PROPOSAL), NOW)
    session.commit()
    doc = export_person_data(session, SYSTEM, ana.employee_id, NOW)
    assert doc["mail_preferences"] == {"unsubscribed": [kinds.REQUEST], "weekly_digest": True}
    [mail] = doc["mails"]
    assert mail["kind"] == kinds.PROPOSAL and mail["state"] == "queued"
    assert "Kim gave you feedback" not in str(doc)


def test_erasing_a_person_removes_their_mails_and_others_mails_name_them_no_more(
    session: Session,
) -> None:
    ana, kim = make_person(session, "Ana Silva"), make_person(session, "Kim Park")
    mail_repo.save_preference(session, ana.id, [kinds.REQUEST], False, NOW)
    outbox.queue(session, notice(ana.id), NOW)
    about_ana = simple_message("Ana Silva asked you", ["Ana Silva asked."], "Open", page("/"))
    outbox.queue(session, Outgoing(kinds.REQUEST, kim.id, "to-kim", about_ana), NOW)
    session.commit()
    erase_person(session, SYSTEM, ana.employee_id, NOW)
    session.expire_all()
    [left] = rows(session)
    assert left.person_id == kim.id and mail_repo.preference(session, ana.id) is None
    assert "Ana" not in left.subject + left.text_body + left.html_body
    assert left.subject == "Erased person asked you"
