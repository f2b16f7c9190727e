"""The outbox: every mail is a row under a unique key, claimed before it is sent.

`queue` stores an occasion once (the same key again is a no-op) and decides at once what
becomes of it: stopped kinds are recorded as skipped, digestible kinds of people who
prefer the weekly digest as digested. The caller commits.

`deliver_due` sends what is due. Each message is claimed by a conditional update (queued
to sending, with a lease) in its own committed transaction before it goes, so a retry or a
second worker never sends it again; a worker killed while holding one leaves it to be
taken again when the lease runs out. Only a worker killed in the instant between the
server accepting a message and the commit that records it can cause a second copy: mail
cannot be sent and recorded atomically. Failures are tried again after 5, 10, 20 and 40
minutes, then the message is marked failed, with the server's reason, for admins.

A body is kept only until its message is sent, then blanked (the recipient has it; the
outbox keeps kind, recipient, subject and state). That matters most for an invitation,
whose body holds its link, a credential: it goes as soon as the mail is sent (or replaced
by a newer invitation), so the database never keeps a usable link.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.mail import kinds
from peermentor.mail.compose import Envelope, build_email
from peermentor.mail.message import Attachment, MailMessage, Outgoing
from peermentor.mail.transport import Refused, ServerUnreachable, Transport, open_transport
from peermentor.runtime import Store
from peermentor.services.mail_preferences import unsubscribe_url
from peermentor.store import mail_repo
from peermentor.store.mail_models import OutboxMessage

LEASE = timedelta(minutes=5)
RETRY_BASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BATCH = 200
BLANKED = "(not kept once sent)"


def queue(session: Session, outgoing: Outgoing, now: datetime) -> bool:
    """Store the occasion once; True when it is new (whatever then becomes of it)."""
    preference = mail_repo.preference(session, outgoing.person_id)
    state = "queued"
    if preference is not None:
        if outgoing.kind in preference.unsubscribed and kinds.stoppable(outgoing.kind):
            state = "skipped"
        elif preference.weekly_digest and outgoing.kind in kinds.DIGESTIBLE:
            state = "digested"
    message = outgoing.message
    keep_body = state == "queued"
    return mail_repo.insert_once(
        session,
        {
            "key": outgoing.key[:400],
            "kind": outgoing.kind,
            "person_id": outgoing.person_id,
            "subject": message.subject,
            "text_body": message.text if keep_body else "",
            "html_body": message.html if keep_body else "",
            "attachments": [_stored(a) for a in message.attachments] if keep_body else [],
            "state": state,
            "attempts": 0,
            "queued_at": now,
            "next_attempt_at": now,
            "last_error": "",
        },
    )


def replace_waiting(session: Session, person_id: int, kind: str) -> None:
    """A newer message of this kind supersedes any not sent yet (a newer invitation)."""
    mail_repo.cancel_waiting(session, person_id, kind, BLANKED)


def _stored(attachment: Attachment) -> dict[str, str]:
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "data": base64.b64encode(attachment.data).decode("ascii"),
    }


def _message_of(row: OutboxMessage) -> MailMessage:
    return MailMessage(
        subject=row.subject,
        text=row.text_body,
        html=row.html_body,
        attachments=tuple(
            Attachment(a["filename"], a["content_type"], base64.b64decode(a["data"]))
            for a in row.attachments or []
        ),
    )


def retry_delay(attempts: int) -> timedelta:
    return RETRY_BASE * (2 ** max(attempts - 1, 0))


@dataclass
class _Batch:
    store: Store
    settings: Settings
    now: datetime
    lease: timedelta
    owner: str
    transport: Transport


def deliver_due(
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    lease: timedelta = LEASE,
    limit: int = BATCH,
) -> int:
    """Send (or write to the mail folder) what is due; returns how many went."""
    transport = open_transport(settings)
    if transport is None:
        return 0  # no mail at all: messages wait until mail is set up
    with store.sessions() as session:
        ids = mail_repo.due_ids(session, now, limit)
    batch = _Batch(store, settings, now, lease, secrets.token_hex(8), transport)
    sent = 0
    try:
        for message_id in ids:
            outcome = _deliver_one(batch, message_id)
            if outcome == "unreachable":
                break
            sent += outcome == "sent"
    finally:
        transport.close()
    return sent


def _deliver_one(batch: _Batch, message_id: int) -> str:
    with batch.store.sessions() as session:
        if not mail_repo.claim(
            session, message_id, batch.owner, batch.now, batch.now + batch.lease
        ):
            session.rollback()
            return "taken"
        session.commit()
        row = session.get(OutboxMessage, message_id, populate_existing=True)
        assert row is not None
        recipient = mail_repo.recipient_address(session, row.person_id)
        if recipient is None:  # erased since it was queued
            mail_repo.finish(session, message_id, batch.owner, state="cancelled")
            session.commit()
            return "cancelled"
        name, address = recipient
        settings = batch.settings
        email = build_email(
            _message_of(row),
            Envelope(
                sender=settings.smtp_from,
                to_name=name,
                to_address=address,
                base_url=settings.base_url,
                unsubscribe_url=(
                    unsubscribe_url(settings, row.person_id, row.kind)
                    if kinds.stoppable(row.kind)
                    else None
                ),
                message_ref=f"outbox-{row.id}",
            ),
            batch.now,
        )
        attempts = row.attempts
        session.rollback()  # hold nothing while the server answers
        try:
            batch.transport.send(email, parseaddr(settings.smtp_from)[1], address)
        except (Refused, ServerUnreachable) as error:
            _failed(session, batch, message_id, attempts, str(error))
            return "unreachable" if isinstance(error, ServerUnreachable) else "failed"
        # The recipient has it now; the outbox keeps what it was, not what it said.
        done = {"state": "sent", "sent_at": batch.now, "last_error": ""}
        done |= {"text_body": BLANKED, "html_body": BLANKED, "attachments": []}
        mail_repo.finish(session, message_id, batch.owner, **done)
        session.commit()
        return "sent"


def _failed(session: Session, batch: _Batch, message_id: int, attempts: int, reason: str) -> None:
    values: dict[str, object]
    if attempts >= MAX_ATTEMPTS:
        values = {"state": "failed", "last_error": reason}
    else:
        values = {
            "state": "queued",
            "next_attempt_at": batch.now + retry_delay(attempts),
            "last_error": reason,
        }
    mail_repo.finish(session, message_id, batch.owner, **values)
    session.commit()
