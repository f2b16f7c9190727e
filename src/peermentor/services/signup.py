"""Self sign-up: a programme's admins open it through a link (optionally for some email
domains only, optionally with their approval); a person signs up there, proves their
address through the link mailed to them (the invitation that sets their password),
fills in their profile, and is enrolled, at once or once an admin approves.

The sign-up form answers the same whatever the address (so it tells nobody who is
known here) and mails its owner only: a new person gets a link to confirm and choose a
password; someone who can already sign in is asked to sign in and join from the link.
Self sign-up needs mail, as invitations do: the link is how an address is proven.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.domain import signup as rules
from peermentor.domain.errors import NotAllowed, NotFound, ValidationError, ValidationErrors
from peermentor.domain.signup import SignupSettings
from peermentor.mail import kinds
from peermentor.mail.compose import simple_message
from peermentor.mail.message import Outgoing
from peermentor.people_csv_cells import CellError, read_email, read_non_negative_number
from peermentor.runtime import Store
from peermentor.services import audit, outbox, throttle
from peermentor.services.access import SYSTEM, Actor
from peermentor.services.auth import INVITATION_LIFETIME, InvitationRefused, invite_person
from peermentor.services.invitations import MAIL_NEEDED, MailNotConfigured, invitation_link
from peermentor.services.programs import get_program_by_id
from peermentor.store import accounts_repo, signup_repo
from peermentor.store.models import Person
from peermentor.store.signup_repo import SignupRow

LINK_GONE = "This sign-up link is not open any more. Ask the programme's admins for a new one."
MAX_NAME = 200
MAX_DECISIONS = 1000
STATUS_WORDS = {
    rules.UNCONFIRMED: "Waiting for you to confirm your address (see your mail)",
    rules.PENDING: "Waiting for the programme's admins to approve your sign-up",
    rules.ENROLLED: "Enrolled: the next match includes you",
    rules.DECLINED: "Not accepted this time",
    "withdrawn": "Withdrawn",
}


@dataclass(frozen=True, slots=True)
class SignupLink:
    """What the sign-up page shows of the programme behind a link."""

    program_id: int
    program: str
    description: str
    domains: tuple[str, ...]
    approval: bool


@dataclass(frozen=True, slots=True)
class SignupSetup:
    """The admin's view of the programme's sign-up."""

    settings: SignupSettings
    link: str  # "" while closed
    counts: dict[str, int]
    waiting: list[SignupRow]  # pending approval
    unconfirmed: int
    declined: list[SignupRow] = field(default_factory=list)  # may be approved after all


@dataclass(frozen=True, slots=True)
class MyEnrolment:
    program_id: int
    program: str
    status: str
    words: str
    paused_until: date | None = None  # the person's own pause in the programme
    program_settings: dict[str, Any] = field(default_factory=dict)  # how it matches, ...


def signup_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/join/{token}"


# --- the admins' side ---


def setup(session: Session, actor: Actor, program_id: int, base_url: str) -> SignupSetup:
    program = get_program_by_id(session, actor, program_id)
    settings = SignupSettings.of(program.settings)
    counts = signup_repo.count_by_status(session, program.id)
    return SignupSetup(
        settings=settings,
        link=signup_url(base_url, settings.token) if settings.open and settings.token else "",
        counts=counts,
        waiting=signup_repo.signups(session, program.id, [rules.PENDING]),
        unconfirmed=counts.get(rules.UNCONFIRMED, 0),
        declined=signup_repo.signups(session, program.id, [rules.DECLINED]),
    )


def change_settings(
    session: Session,
    actor: Actor,
    program_id: int,
    *,
    open: bool,
    approval: bool,
    domains: str,
    now: datetime,
    mail_ready: bool,
    new_link: bool = False,
) -> SignupSettings:
    """Open or close sign-up, ask for approval or not, limit the domains. Opening needs
    mail. A new link (or the first opening) makes a new secret: the old link stops."""
    program = get_program_by_id(session, actor, program_id)
    if open and not mail_ready:
        raise MailNotConfigured(MAIL_NEEDED.replace("Invitations", "Sign-up confirmations"))
    before = SignupSettings.of(program.settings)
    token = before.token
    if open and (new_link or not token):
        token = secrets.token_urlsafe(24)
    after = SignupSettings(
        open=open, approval=approval, domains=rules.read_domains(domains), token=token
    )
    if after == before:
        return after
    program.settings = dict(program.settings or {}) | {"signup": after.stored()}
    audit.record(
        session,
        actor,
        "program.signup_changed",
        program_id=program.id,
        details={
            "open": after.open,
            "approval": after.approval,
            "domains": len(after.domains),
            "new_link": after.token != before.token,
        },
        now=now,
    )
    session.commit()
    return after


def decide(
    session: Session,
    actor: Actor,
    program_id: int,
    person_ids: list[int],
    *,
    approve: bool,
    now: datetime,
    base_url: str = "",
    after_all: bool = False,
) -> int:
    """Approve or decline waiting sign-ups at once, each person mailed the answer;
    returns how many were decided (one decided by someone else already is left).
    `after_all`: approve sign-ups that were declined (a no by mistake can be undone;
    a yes cannot be turned into a no here, the person is enrolled)."""
    program = get_program_by_id(session, actor, program_id)
    chosen = list(dict.fromkeys(person_ids))
    if not chosen:
        raise ValidationError("choose at least one sign-up", field="person_ids")
    if len(chosen) > MAX_DECISIONS:
        raise ValidationError(f"at most {MAX_DECISIONS} at once", field="person_ids")
    if after_all and not approve:
        raise ValidationError("a declined sign-up can only be approved", field="person_ids")
    to = rules.ENROLLED if approve else rules.DECLINED
    source = rules.DECLINED if after_all else rules.PENDING
    moved = signup_repo.move(session, program.id, chosen, source, to, now)
    if moved:
        audit.record(
            session,
            actor,
            "signup.approved" if approve else "signup.declined",
            program_id=program.id,
            details={"people": len(moved)},
            now=now,
        )
        names = signup_repo.names_of(session, moved)
        for person_id in moved:  # each is told, in the same commit as the decision
            mail = _decision_mail(
                program.name, person_id, names.get(person_id, ""), approve, base_url
            )
            outbox.queue(session, mail, now)
    session.commit()
    return len(moved)


# --- the person's side ---


def open_link(session: Session, token: str) -> SignupLink:
    program = signup_repo.program_of_link(session, token)
    if program is None:
        raise NotFound(LINK_GONE)
    settings = SignupSettings.of(program.settings)
    return SignupLink(
        program.id, program.name, program.description or "", settings.domains, settings.approval
    )


def _read_form(
    name: str, email: str, years: str, domains: tuple[str, ...]
) -> tuple[str, str, float]:
    problems: list[ValidationError] = []
    clean_name = name.strip()
    if not clean_name:
        problems.append(ValidationError("your name, as colleagues know it", field="name"))
    elif len(clean_name) > MAX_NAME:
        problems.append(ValidationError(f"at most {MAX_NAME} characters", field="name"))
    clean_email = email.strip()
    try:
        read_email(clean_email)
        if not rules.domain_allowed(clean_email, domains):
            problems.append(
                ValidationError(
                    "this programme is open to addresses at "
                    f"{rules.domains_in_words(domains)} only",
                    field="email",
                )
            )
    except CellError:
        problems.append(
            ValidationError("a work email address, like name@example.com", field="email")
        )
    number = 0.0
    try:
        number = read_non_negative_number(years.strip())
        if number > rules.MAX_YEARS:
            raise CellError("too many")
    except CellError:
        problems.append(
            ValidationError(
                f"a number of years from 0 to {rules.MAX_YEARS}, like 4 or 2.5", field="years"
            )
        )
    if problems:
        raise ValidationErrors(tuple(problems)) if len(problems) > 1 else problems[0]
    return clean_name, clean_email, number


def sign_up(
    session: Session,
    token: str,
    *,
    name: str,
    email: str,
    years: str,
    client: str,
    base_url: str,
    now: datetime,
) -> None:
    """Record the sign-up and mail its owner; the caller tells everyone the same thing
    ("look in your mail"). Each address may be tried a few times from one place."""
    link = open_link(session, token)
    clean_name, clean_email, number = _read_form(name, email, years, link.domains)
    attempt = throttle.Attempt("signup", clean_email.casefold(), client)
    throttle.check(session, attempt, now)
    # Every sign-up counts: what is throttled is mail sent to one address, not guessing.
    throttle.failed(session, attempt, now)

    person = accounts_repo.person_by_email(session, clean_email)
    user = (
        accounts_repo.user_of_person(session, person.id)
        if person is not None
        else accounts_repo.user_by_email(session, clean_email)
    )
    if user is not None and (
        user.password_hash is not None or accounts_repo.identity_issuers_of(session, user.id)
    ):
        # They can sign in already: joining is one button once they have.
        if person is not None:
            outbox.queue(
                session, _sign_in_to_join(link, person.id, person.name, token, base_url, now), now
            )
        session.commit()
        return
    if user is not None and person is None:
        session.commit()  # an admin's address: nothing to join with
        return
    created = person is None
    if person is None:
        person = signup_repo.add_signed_up_person(session, clean_name, clean_email, number, now)
    enrolment = signup_repo.enrolment(session, link.program_id, person.id)
    if enrolment is None:
        signup_repo.add_enrolment(session, link.program_id, person.id, rules.UNCONFIRMED, now)
    elif enrolment.status == rules.DECLINED:
        session.commit()  # declined: a new sign-up does not reopen it
        return
    try:
        invitation = invite_person(session, SYSTEM, person.id, now, commit=False)
    except InvitationRefused:
        session.commit()  # the address is another account's: an admin sorts it out
        return
    outbox.replace_waiting(session, person.id, kinds.INVITATION)
    outbox.queue(
        session,
        _confirm_mail(link, person.id, person.name, invitation_link(base_url, invitation), now),
        now,
    )
    audit.record(
        session,
        None,
        "signup.requested",
        target_kind="person",
        target_id=person.id,
        program_id=link.program_id,
        details={"new_person": created},
        now=now,
    )
    session.commit()


def join(session: Session, actor: Actor, token: str, now: datetime) -> str:
    """A signed-in participant joins the programme behind the link; returns the status
    they now have. Their account already proves their address."""
    link = open_link(session, token)
    if actor.person_id is None:
        raise NotAllowed("join a programme", "this account belongs to no person (an admin's)")
    person = accounts_repo.person(session, actor.person_id)
    assert person is not None
    if not rules.domain_allowed(person.email, link.domains):
        raise NotAllowed(
            "join this programme",
            f"it is open to addresses at {rules.domains_in_words(link.domains)} only",
        )
    enrolment = signup_repo.enrolment(session, link.program_id, person.id)
    if enrolment is not None and enrolment.status != rules.UNCONFIRMED:
        return enrolment.status
    status = rules.PENDING if link.approval else rules.ENROLLED
    if enrolment is None:
        signup_repo.add_enrolment(session, link.program_id, person.id, status, now)
    else:
        enrolment.status = status
    audit.record(
        session,
        actor,
        "signup.joined",
        target_kind="person",
        target_id=person.id,
        program_id=link.program_id,
        details={"needs_approval": status == rules.PENDING},
        now=now,
    )
    session.commit()
    return status


def my_enrolments(session: Session, actor: Actor) -> list[MyEnrolment]:
    if actor.person_id is None:
        return []
    return [
        MyEnrolment(pid, name, status, STATUS_WORDS.get(status, status), paused, stored)
        for pid, name, status, paused, stored in signup_repo.enrolments_of(session, actor.person_id)
    ]


def person_from_company_account(
    session: Session, token: str, name: str, email: str, now: datetime
) -> Person | None:
    """Someone not in the people data signs up through an open link with a company
    account whose provider vouches for the address: a person of their own, their
    sign-up confirmed at once (pending or enrolled). None when the link is not open or
    the address is outside its domains. Their years of experience are theirs to give
    on their profile (0 until then). The caller makes the account and commits."""
    program = signup_repo.program_of_link(session, token)
    if program is None:
        return None
    settings = SignupSettings.of(program.settings)
    if not rules.domain_allowed(email, settings.domains):
        return None
    person = signup_repo.add_signed_up_person(session, name[:MAX_NAME], email, 0.0, now)
    signup_repo.add_enrolment(
        session, program.id, person.id, rules.status_after_confirming(settings), now
    )
    audit.record(
        session,
        None,
        "signup.requested",
        target_kind="person",
        target_id=person.id,
        program_id=program.id,
        details={"new_person": True, "company_account": True},
        now=now,
    )
    return person


# --- mail: a link and the programme's name, nothing anyone wrote ---


def _confirm_mail(link: SignupLink, person_id: int, name: str, url: str, now: datetime) -> Outgoing:
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    expires = now + INVITATION_LIFETIME
    then = (
        "An admin of the programme then approves your sign-up."
        if link.approval
        else "You are then enrolled and in the next match."
    )
    return Outgoing(
        kinds.INVITATION,
        person_id,
        f"{kinds.INVITATION}:{person_id}:{digest}",
        simple_message(
            f"Confirm your sign-up to {link.program}",
            [
                f"Hello {name},",
                f"You signed up to the peer-mentoring programme {link.program}. Open the "
                f"link below to confirm this is your address and choose a password. {then}",
                f"The link is for you only and works once, until {expires:%d %B %Y %H:%M} UTC. "
                "If you did not sign up, ignore this mail: nothing happens without the link.",
            ],
            "Confirm and choose a password",
            url,
        ),
    )


def _decision_mail(
    program: str, person_id: int, name: str, approved: bool, base_url: str
) -> Outgoing:
    home = base_url.rstrip("/") + "/"
    if approved:
        subject = f"You are in: {program}"
        words = [
            f"Your sign-up to the peer-mentoring programme {program} is approved: you are "
            "in its next match.",
            "Your start page shows your peer, and why you two were matched, once the "
            "match is published. Keep your profile current: the matching reads it.",
        ]
    else:
        subject = f"Your sign-up to {program}"
        words = [
            f"The admins of the peer-mentoring programme {program} did not take your "
            "sign-up this time.",
            "If you would like to know why, or to be considered later, ask them.",
        ]
    return Outgoing(
        kinds.SIGNUP_DECIDED,
        person_id,
        f"{kinds.SIGNUP_DECIDED}:{person_id}:{program}",
        simple_message(
            subject, [f"Hello {name}," if name else "Hello,", *words], "Your peer mentoring", home
        ),
    )


def _sign_in_to_join(
    link: SignupLink, person_id: int, name: str, token: str, base_url: str, now: datetime
) -> Outgoing:
    url = signup_url(base_url, token)
    return Outgoing(
        kinds.INVITATION,
        person_id,
        f"{kinds.INVITATION}:join:{person_id}:{link.program_id}:{now:%Y%m%d%H%M}",
        simple_message(
            f"Joining {link.program}",
            [
                f"Hello {name},",
                f"Someone, probably you, signed up with this address to {link.program}. You "
                "already have an account: sign in, then join from the page below.",
                "If it was not you, ignore this mail.",
            ],
            f"Join {link.program}",
            url,
        ),
    )


def forget_unconfirmed(store: Store, settings: Settings, now: datetime) -> int:
    """Periodic task: a sign-up whose confirmation link ran out (and a day more) is
    forgotten, with the person when the sign-up was all there was of them: nobody
    keeps the names and addresses strangers typed into a form."""
    with store.sessions() as session:
        gone = signup_repo.forget_unconfirmed(
            session, now - INVITATION_LIFETIME - timedelta(days=1)
        )
        session.commit()
    return gone


def waiting_count(session: Session, program_id: int) -> int:
    return signup_repo.count_by_status(session, program_id).get(rules.PENDING, 0)
