"""Queries on the outbox and the mail preferences.

Claims are conditional updates: a row moves from queued (or from sending whose lease
ran out) to sending only if nobody else moved it first, so two workers never hold the
same message."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from peermentor.store.mail_models import MailPreference, OutboxMessage
from peermentor.store.models import Enrolment, Person, User

_CHUNK = 500


def insert_once(session: Session, values: dict[str, Any]) -> bool:
    """Insert the row unless its key is there already; True when it was inserted."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(OutboxMessage).on_conflict_do_nothing(
            index_elements=["key"]
        )
    elif dialect == "sqlite":
        statement = sqlite.insert(OutboxMessage).on_conflict_do_nothing(index_elements=["key"])
    else:  # pragma: no cover - only the two supported databases
        statement = insert(OutboxMessage)
    inserted = session.scalar(statement.values(**values).returning(OutboxMessage.id))
    return inserted is not None


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found |= set(session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk))))
    return found


def preference(session: Session, person_id: int) -> MailPreference | None:
    return session.get(MailPreference, person_id)


def save_preference(
    session: Session, person_id: int, unsubscribed: Sequence[str], digest: bool, now: datetime
) -> MailPreference:
    row = session.get(MailPreference, person_id)
    if row is None:
        row = MailPreference(person_id=person_id)
        session.add(row)
    row.unsubscribed = sorted(set(unsubscribed))
    row.weekly_digest = digest
    row.updated_at = now
    session.flush()
    return row


def digest_people(session: Session) -> list[int]:
    return list(
        session.scalars(select(MailPreference.person_id).where(MailPreference.weekly_digest))
    )


def cancel_waiting(session: Session, person_id: int, kind: str, blank: str) -> None:
    """Earlier messages of this kind that have not gone yet will not go (and lose their
    body: an invitation's link is a credential)."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.person_id == person_id,
            OutboxMessage.kind == kind,
            OutboxMessage.state.in_(("queued", "failed")),
        )
        .values(state="cancelled", text_body=blank, html_body=blank)
    )


def _claimable(now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.state == "sending", OutboxMessage.lease_until < now),
    )


def due_ids(session: Session, now: datetime, limit: int) -> list[int]:
    return list(
        session.scalars(
            select(OutboxMessage.id)
            .where(_claimable(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def claim(session: Session, message_id: int, owner: str, now: datetime, until: datetime) -> bool:
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(
            state="sending",
            lease_owner=owner,
            lease_until=until,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish(session: Session, message_id: int, owner: str, **values: Any) -> bool:
    """Record what became of a claimed message, if the claim is still ours."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.state == "sending",
            OutboxMessage.lease_owner == owner,
        )
        .values(lease_owner=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def recipient_address(session: Session, person_id: int) -> tuple[str, str] | None:
    """(name, address): the account's email when the person has one, else the person's."""
    row = session.execute(
        select(Person.name, Person.email, User.email)
        .outerjoin(User, User.person_id == Person.id)
        .where(Person.id == person_id)
    ).first()
    if row is None:
        return None
    name, person_email, account_email = row
    return name, account_email or person_email


def latest(session: Session, limit: int) -> list[tuple[OutboxMessage, str]]:
    rows = session.execute(
        select(OutboxMessage, Person.email)
        .join(Person, Person.id == OutboxMessage.person_id)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [(message, email) for message, email in rows]


def _in_program(program_id: int) -> Any:
    return OutboxMessage.person_id.in_(
        select(Enrolment.person_id).where(Enrolment.program_id == program_id)
    )


def counts_for_program(session: Session, program_id: int) -> list[tuple[str, str, int]]:
    rows = session.execute(
        select(OutboxMessage.kind, OutboxMessage.state, func.count())
        .where(_in_program(program_id))
        .group_by(OutboxMessage.kind, OutboxMessage.state)
        .order_by(OutboxMessage.kind, OutboxMessage.state)
    )
    return [(kind, state, int(n)) for kind, state, n in rows]


def failures_for_program(
    session: Session, program_id: int, limit: int
) -> list[tuple[OutboxMessage, str]]:
    rows = session.execute(
        select(OutboxMessage, Person.name)
        .join(Person, Person.id == OutboxMessage.person_id)
        .where(_in_program(program_id), OutboxMessage.state == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [(message, name) for message, name in rows]


def message_in_program(session: Session, message_id: int, program_id: int) -> OutboxMessage | None:
    return session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == message_id, _in_program(program_id))
    )


def digested_between(
    session: Session, person_id: int, start: datetime, end: datetime
) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.person_id == person_id,
                OutboxMessage.state == "digested",
                OutboxMessage.queued_at >= start,
                OutboxMessage.queued_at < end,
            )
            .order_by(OutboxMessage.queued_at, OutboxMessage.id)
        )
    )


def person_mail(session: Session, person_id: int) -> dict[str, Any]:
    """For the export of a person's data: their preferences and what was mailed to them
    (no bodies: an invitation's held a one-time link)."""
    preference = session.get(MailPreference, person_id)
    mails = session.scalars(
        select(OutboxMessage).where(OutboxMessage.person_id == person_id).order_by(OutboxMessage.id)
    )
    return {
        "mail_preferences": None
        if preference is None
        else {"unsubscribed": preference.unsubscribed, "weekly_digest": preference.weekly_digest},
        "mails": [
            {
                "kind": m.kind,
                "subject": m.subject,
                "state": m.state,
                "queued_at": m.queued_at.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            }
            for m in mails
        ],
    }


def erase_person_mail(session: Session, person_id: int, name: str, stand_in: str) -> int:
    """For erasure: mail to the person and their preferences go (nothing more is sent to
    them); mail to others names them no more. Returns how many of their mails went."""
    gone = session.execute(delete(OutboxMessage).where(OutboxMessage.person_id == person_id))
    session.execute(delete(MailPreference).where(MailPreference.person_id == person_id))
    if name:
        columns = (OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body)
        session.execute(
            update(OutboxMessage)
            .where(or_(*(c.contains(name, autoescape=True) for c in columns)))
            .values({c.key: func.replace(c, name, stand_in) for c in columns})
            .execution_options(synchronize_session=False)
        )
    return int(gone.rowcount)  # type: ignore[attr-defined]
