"""The admin's view of what was mailed to a programme's people: counts by kind and
state, the failures with the server's reason, and a resend. Never a body: a mail's
subject and body stay between the outbox and its recipient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.mail import kinds
from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput, NotFound
from peermentor.services.programs import get_program_by_id
from peermentor.store import mail_repo

MAX_FAILURES_SHOWN = 200
# No figure over fewer than 5 people: "2 feedback mails" would say who got feedback.
# Failures are listed one by one all the same: an admin must see them to resend them.
MIN_COUNT_SHOWN = 5


@dataclass(frozen=True)
class KindCounts:
    kind: str
    label: str
    by_state: dict[str, int | None]  # None: 1 to 4, too few to show


@dataclass(frozen=True)
class Failure:
    id: int
    kind: str
    recipient: str
    attempts: int
    reason: str
    queued_at: datetime


@dataclass(frozen=True)
class ProgramMail:
    program_id: int
    program: str
    kinds: list[KindCounts]
    states: list[str]
    failures: list[Failure]


def program_mail(session: Session, actor: Actor, program_id: int) -> ProgramMail:
    program = get_program_by_id(session, actor, program_id)
    counts: dict[str, dict[str, int]] = {}
    for kind, state, n in mail_repo.counts_for_program(session, program.id):
        counts.setdefault(kind, {})[state] = n
    shown = {
        k: {state: (n if n >= MIN_COUNT_SHOWN else None) for state, n in v.items()}
        for k, v in counts.items()
    }
    states = sorted({s for by_state in counts.values() for s in by_state})
    failures = [
        Failure(m.id, kinds.label(m.kind), name, m.attempts, m.last_error, m.queued_at)
        for m, name in mail_repo.failures_for_program(session, program.id, MAX_FAILURES_SHOWN)
    ]
    return ProgramMail(
        program.id,
        program.name,
        [KindCounts(k, kinds.label(k), v) for k, v in sorted(shown.items())],
        states,
        failures,
    )


def resend(session: Session, actor: Actor, program_id: int, message_id: int, now: datetime) -> None:
    """Queue a failed mail to one of the programme's people again, from its first try."""
    program = get_program_by_id(session, actor, program_id)
    message = mail_repo.message_in_program(session, message_id, program.id)
    if message is None:
        raise NotFound(f"no mail {message_id} in this programme")
    if message.state != "failed":
        raise InvalidInput("message: only a mail that failed can be sent again")
    message.state = "queued"
    message.attempts = 0
    message.next_attempt_at = now
    message.last_error = ""
    audit.record(
        session,
        actor,
        "mail.resent",
        target_kind="mail_message",
        target_id=message.id,
        program_id=program.id,
        now=now,
    )
    session.commit()
