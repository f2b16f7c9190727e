"""Invitations for a whole programme: who gets one, and how the link reaches them.

An invitation link is a credential (whoever opens it sets that account's password), so
it should travel by mail to its owner. `OutboxMailer` implements `InvitationMailer` over
the outbox (SMTP, or the local mail folder without an SMTP host) and is installed on the
app whenever mail is set up; with no mail at all (PEERMENTOR_MAIL_DIR empty and no SMTP
host), only an organisation admin may see links on a page and pass them on by hand. A
programme admin is refused, so nobody who runs a single programme ever holds a way into
someone's account.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.mail import kinds
from peermentor.mail.compose import simple_message
from peermentor.mail.message import Outgoing
from peermentor.runtime import Store
from peermentor.services import outbox
from peermentor.services.access import Actor, ServiceError
from peermentor.services.auth import INVITATION_LIFETIME, InvitationRefused, invite_person
from peermentor.services.programs import admin_program
from peermentor.store import people_repo
from peermentor.store.models import User


@dataclass(frozen=True, slots=True)
class InvitationMessage:
    """One invitation to deliver. `link` is a credential: never log or store it."""

    to: str
    name: str
    program: str
    link: str
    expires_at: datetime
    person_id: int = 0


class InvitationMailer(Protocol):
    """Delivers invitations (the mail issue implements it over SMTP or a mail folder).
    Called after the invitations are committed; one that raises leaves the rest unsent,
    and inviting again replaces every unused link."""

    def send_invitation(self, message: InvitationMessage) -> None: ...


class OutboxMailer:
    """Queues each invitation in the outbox (the worker sends it). The body holds the
    link until the message is sent, then it is blanked; a newer invitation cancels and
    blanks an older one that has not gone yet."""

    def __init__(self, store: Store, company_sign_in: str | None = None) -> None:
        self.store = store
        # The company button's label when participants have no passwords
        # (PEERMENTOR_PASSWORD_SIGN_IN=admins): the link then leads to that sign-in.
        self.company_sign_in = company_sign_in

    def send_invitation(self, message: InvitationMessage) -> None:
        now = message.expires_at - INVITATION_LIFETIME
        with self.store.sessions() as session:
            outbox.replace_waiting(session, message.person_id, kinds.INVITATION)
            outbox.queue(session, invitation_mail(message, self.company_sign_in), now)
            session.commit()


def invitation_mail(message: InvitationMessage, company_sign_in: str | None = None) -> Outgoing:
    link_digest = hashlib.sha256(message.link.encode()).hexdigest()[:16]
    if company_sign_in:
        how = f"Open the link below and sign in with your company account ({company_sign_in})."
        button = company_sign_in
    else:
        how, button = "Open the link below to set your password and sign in.", "Set your password"
    return Outgoing(
        kinds.INVITATION,
        message.person_id,
        f"{kinds.INVITATION}:{message.person_id}:{link_digest}",
        simple_message(
            f"You are invited to {message.program} on peermentor",
            [
                f"Hello {message.name},",
                f"You are invited to the peer-mentoring programme {message.program}. {how}",
                f"The link is for you only and works once, until "
                f"{message.expires_at:%d %B %Y %H:%M} UTC.",
            ],
            button,
            message.link,
        ),
    )


class MailNotConfigured(ServiceError):
    """Links may not be shown to this caller and there is no mail to send them by."""


MAIL_NEEDED = (
    "Invitations can only be sent by mail, and this server has no mail set up "
    "(PEERMENTOR_SMTP_HOST, or a mail folder: PEERMENTOR_MAIL_DIR). Ask an organisation "
    "admin to configure mail, or to create the invitation links and send them privately."
)


@dataclass(frozen=True, slots=True)
class NotInvited:
    name: str
    email: str
    reason: str


@dataclass
class InvitationRound:
    program: str
    sent: int = 0  # delivered by the mailer
    links: list[InvitationMessage] = field(default_factory=list)  # shown, when no mailer
    not_invited: list[NotInvited] = field(default_factory=list)
    already_signed_up: int = 0
    opted_out: int = 0


def mailer_for(store: Store, settings: Settings) -> OutboxMailer | None:
    """The outbox mailer when mail is set up, worded for how participants sign in."""
    if not settings.mail_enabled():
        return None
    admins_only = settings.password_sign_in == "admins"
    return OutboxMailer(store, settings.oidc_button_label if admins_only else None)


def may_see_links(actor: Actor) -> bool:
    return actor.role in ("org_admin", "system")


def invitation_link(base_url: str, token: str) -> str:
    """Links come from the configured address, never from the request (its Host header
    is whatever the sender typed)."""
    return f"{base_url.rstrip('/')}/invite/{token}"


def invite_program(
    session: Session,
    actor: Actor,
    program_name: str,
    base_url: str,
    now: datetime,
    mailer: InvitationMailer | None = None,
) -> InvitationRound:
    """One-time links for the programme's enrolled people who cannot sign in yet."""
    program = admin_program(session, actor, program_name)
    if mailer is None and not may_see_links(actor):
        raise MailNotConfigured(MAIL_NEEDED)
    with_password = set(
        session.scalars(select(User.person_id).where(User.password_hash.is_not(None)))
    )
    outcome = InvitationRound(program=program.name)
    for person in list(people_repo.enrolled_people(session, program.id)):
        if person.opt_out:
            outcome.opted_out += 1
            continue
        if person.id in with_password:
            outcome.already_signed_up += 1
            continue
        try:
            token = invite_person(session, actor, person.id, now, commit=False)
        except InvitationRefused as refused:
            outcome.not_invited.append(NotInvited(person.name, person.email, str(refused)))
            continue
        account = session.scalar(select(User.email).where(User.person_id == person.id))
        outcome.links.append(
            InvitationMessage(
                to=account or person.email,
                name=person.name,
                program=program.name,
                link=invitation_link(base_url, token),
                expires_at=now + INVITATION_LIFETIME,
                person_id=person.id,
            )
        )
    session.commit()
    if mailer is not None:
        for message in outcome.links:
            mailer.send_invitation(message)
        outcome.sent, outcome.links = len(outcome.links), []
    return outcome
