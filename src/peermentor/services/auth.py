"""Logins, browser sessions, invitations and API tokens.

Tokens are random (256 bits) and stored only as SHA-256 digests. A login answers the
same for an unknown account and a wrong password, and spends the same time on both.
Forms that check a secret are throttled (services/throttle.py). A session ends after
an idle time and at an absolute lifetime; an API token at the expiry chosen when it was
made. Changing a password ends every other session and every API token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from peermentor.services import audit, throttle
from peermentor.services.access import (
    Actor,
    Forbidden,
    InvalidInput,
    NotFound,
    ServiceError,
    require_admin,
)
from peermentor.services.passwords import check_password_policy, hash_password, verify_password
from peermentor.services.users import find_user
from peermentor.store import accounts_repo, data_version, people_repo, signup_repo
from peermentor.store.auth_models import ApiToken, Invitation, UserSession
from peermentor.store.models import Person, User

INVITATION_LIFETIME = timedelta(days=14)
# The last-seen time is written at most this often: a write per request would make
# every page a write transaction, for an idle timeout measured in minutes.
SEEN_EVERY = timedelta(minutes=1)
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365
LOGIN_REFUSED = "Email or password is not right."
PASSWORDS_OFF = (
    "Participants sign in with their company account here: use the company sign-in "
    "button. Passwords are for admins only."
)


@dataclass(frozen=True, slots=True)
class SessionLimits:
    """How long a browser session lasts (the settings PEERMENTOR_SESSION_*)."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)


class LoginFailed(ServiceError):
    """Wrong email or password (the message never says which)."""


class InvalidToken(ServiceError):
    """An invitation or token that does not exist, was used, or expired."""


class InvitationRefused(InvalidInput):
    """This person cannot get an invitation link; the message says why."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def actor_for(user: User) -> Actor:
    return Actor(role=user.role, user_id=user.id, person_id=user.person_id)


@dataclass(frozen=True, slots=True)
class NewSession:
    user: User
    token: str  # goes in the cookie; only its digest is stored
    csrf_token: str


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def login(
    session: Session,
    email: str,
    password: str,
    client: str,
    now: datetime,
    limits: SessionLimits = SessionLimits(),
    *,
    participant_passwords: bool = True,
) -> NewSession:
    """participant_passwords False (PEERMENTOR_PASSWORD_SIGN_IN=admins): only admin
    accounts sign in with a password; participants use the company sign-in."""
    email = email.strip().lower()[:320]
    attempt = throttle.Attempt("login", email, client)
    throttle.check(session, attempt, now)
    user = find_user(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        lock = throttle.failed(session, attempt, now)
        # The account the email names, if any; an unknown email leaves nothing identifying.
        target = ("user", user.id) if user is not None else (None, None)
        audit.record(
            session, None, "sign_in.failed", target_kind=target[0], target_id=target[1], now=now
        )
        if lock is not None:
            audit.record(
                session,
                None,
                "sign_in.locked",
                target_kind=target[0],
                target_id=target[1],
                details=lock.details(),
                now=now,
            )
        session.commit()
        raise LoginFailed(LOGIN_REFUSED)
    throttle.succeeded(session, attempt)
    if not participant_passwords and user.role == "participant":
        audit.record(
            session,
            None,
            "sign_in.failed",
            target_kind="user",
            target_id=user.id,
            details={"password_off": True},
            now=now,
        )
        session.commit()
        raise LoginFailed(PASSWORDS_OFF)
    new = start_session(session, user, now, limits)
    audit.record(session, actor_for(user), "sign_in", now=now)
    session.commit()
    return new


def start_session(
    session: Session, user: User, now: datetime, limits: SessionLimits = SessionLimits()
) -> NewSession:
    """Always a fresh id at login, so a planted session id is never promoted."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    accounts_repo.add_session(
        session, digest(token), user.id, csrf, now, expires_at=now + limits.absolute
    )
    return NewSession(user=user, token=token, csrf_token=csrf)


def resolve_session(
    session: Session, token: str | None, now: datetime, limits: SessionLimits = SessionLimits()
) -> tuple[User, UserSession] | None:
    """The live session of the cookie, its last-seen time brought up to date."""
    if not token:
        return None
    found = accounts_repo.session_with_user(session, digest(token))
    if found is None:
        return None
    row, user = found
    state = SessionState(
        row.revoked_at, row.created_at, row.last_seen_at, row.expires_at, user.is_active
    )
    if not state.live(now, limits):
        return None
    if state.seen_due(now):
        touch_session(session, row.id, now)
    return user, row


@dataclass(frozen=True)
class SessionState:
    """What decides whether a sign-in session still holds, read from its row."""

    revoked_at: datetime | None
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_active: bool

    def live(self, now: datetime, limits: SessionLimits) -> bool:
        if self.revoked_at is not None or not self.user_active:
            return False
        last_seen, created = _aware(self.last_seen_at), _aware(self.created_at)
        # Both ends are checked now, so a shorter setting applies to sessions already open.
        ends = min(_aware(self.expires_at), created + limits.absolute, last_seen + limits.idle)
        return now < ends

    def seen_due(self, now: datetime) -> bool:
        return now - _aware(self.last_seen_at) >= SEEN_EVERY


@dataclass(frozen=True, slots=True)
class LiveSession:
    session_id: int
    data_version: int
    seen_due: bool  # its last-seen time should be written (see touch_session)


def live_session_and_version(
    engine: Engine, token: str | None, now: datetime, limits: SessionLimits
) -> LiveSession | None:
    """For a kept page (web/page_cache.py): the session's row id and the data version,
    read in one statement outside any transaction, when the session holds; None sends
    the request down the ordinary path, which decides as resolve_session does."""
    if not token:
        return None
    found = data_version.session_and_version(engine, digest(token))
    if found is None:
        return None
    session_id, revoked, created, seen, expires, active, version = found
    state = SessionState(revoked, created, seen, expires, active)
    if not state.live(now, limits):
        return None
    return LiveSession(session_id, version, state.seen_due(now))


def touch_session(session: Session, session_id: int, now: datetime) -> None:
    """Write a session's last-seen time (once a minute at most), as resolve_session
    does; for a kept page this runs after the answer, off the request's path."""
    accounts_repo.touch_session(session, session_id, now, now - SEEN_EVERY)
    session.commit()


def logout(session: Session, token: str | None, now: datetime) -> None:
    if token:
        ended = accounts_repo.end_session(session, digest(token), now)
        if ended is not None:
            audit.record(session, audit.account(ended), "sign_out", now=now)
        session.commit()


def revoke_all_sessions(session: Session, user_id: int, now: datetime) -> None:
    accounts_repo.end_sessions_of(session, user_id, now)


def revoke_every_login(session: Session, user_id: int, now: datetime) -> None:
    """Every session and every API token of the account: what a new password must end,
    since whoever knew the old one may have opened either."""
    revoke_all_sessions(session, user_id, now)
    accounts_repo.end_tokens_of(session, user_id, now)


def change_password(
    session: Session,
    actor: Actor,
    current: str,
    new: str,
    now: datetime,
    client: str = "unknown",
    limits: SessionLimits = SessionLimits(),
) -> NewSession:
    """Every session and token of the account ends, the caller's session included; a
    new one is returned. Wrong current passwords are throttled like sign-ins."""
    user = accounts_repo.user(session, actor.user_id) if actor.user_id else None
    if user is None:
        raise InvalidInput("current password: not right")
    attempt = throttle.Attempt("password", str(user.id), client)
    throttle.check(session, attempt, now)
    if not verify_password(user.password_hash, current):
        lock = throttle.failed(session, attempt, now)
        if lock is not None:
            audit.record(
                session,
                actor,
                "password.locked",
                target_kind="user",
                target_id=user.id,
                details=lock.details(),
                now=now,
            )
        session.commit()
        raise InvalidInput("current password: not right")
    throttle.succeeded(session, attempt)
    check_password_policy(new, user_inputs=_personal_words(session, user))
    user.password_hash = hash_password(new)
    revoke_every_login(session, user.id, now)
    fresh = start_session(session, user, now, limits)
    audit.record(session, actor, "password.changed", target_kind="user", target_id=user.id, now=now)
    session.commit()
    return fresh


def _personal_words(session: Session, user: User) -> list[str]:
    """What a guesser knows about the account: a password built from it is weak."""
    words = [user.email, user.email.split("@")[0]]
    person = accounts_repo.person(session, user.person_id) if user.person_id else None
    if person is not None:
        words += [person.name, *person.name.split()]
    return words


def _may_invite(session: Session, actor: Actor, person: Person) -> None:
    """Organisation admins invite anyone; a programme admin only people enrolled in a
    programme they manage."""
    require_admin(actor)
    if actor.role != "program_admin":
        return
    if actor.user_id is None or not people_repo.enrolled_under(session, person.id, actor.user_id):
        raise Forbidden("you may only invite people of the programmes you manage")


def _account_to_invite(session: Session, person: Person) -> User:
    """The person's own account, made when they have none. Never an account with a
    password, an admin's, or one that belongs to someone else: the link sets its password."""
    user = accounts_repo.user_of_person(session, person.id)
    if user is None:
        user = find_user(session, person.email)
        if user is not None and (user.person_id is not None or user.role != "participant"):
            raise InvitationRefused(
                f"{person.email} is the sign-in address of another account; an "
                "organisation admin has to sort out which account is whose"
            )
        if user is not None and user.password_hash is None:
            user.person_id = person.id  # an empty account made for this address, now theirs
    if user is not None and user.role != "participant":
        raise InvitationRefused("an admin account is never invited; its owner signs in")
    if user is not None and user.password_hash is not None:
        raise InvitationRefused("can already sign in")
    if user is None:
        user = accounts_repo.add_user(session, person.email.lower(), None, "participant", person.id)
    return user


def invite_person(
    session: Session, actor: Actor, person_id: int, now: datetime, *, commit: bool = True
) -> str:
    """A one-time token for the person to set a password; creates their account.
    Refused (InvitationRefused) for anyone whose account already has a password.
    A caller inviting many people passes commit=False and commits once."""
    require_admin(actor)
    person = accounts_repo.person(session, person_id)
    if person is None:
        raise InvalidInput("person: not found")
    _may_invite(session, actor, person)
    user = _account_to_invite(session, person)
    token = secrets.token_urlsafe(32)
    accounts_repo.replace_invitation(
        session, user.id, digest(token), now, expires_at=now + INVITATION_LIFETIME
    )
    audit.record(
        session, actor, "invitation.created", target_kind="user", target_id=user.id, now=now
    )
    if commit:
        session.commit()
    return token


INVITATION_GONE = "This invitation link is not valid any more. Ask for a new one."


def invitation_user(session: Session, token: str, now: datetime) -> tuple[Invitation, User]:
    """The account an invitation is for: only a participant's account with no password
    yet (an invitation made before a password was set is void)."""
    invitation = accounts_repo.invitation_by_hash(session, digest(token))
    if invitation is None or invitation.used_at is not None or _aware(invitation.expires_at) <= now:
        raise InvalidToken(INVITATION_GONE)
    user = accounts_repo.user(session, invitation.user_id)
    if user is None or user.password_hash is not None or user.role != "participant":
        raise InvalidToken(INVITATION_GONE)
    return invitation, user


def open_invitation(
    session: Session, token: str, client: str, now: datetime
) -> tuple[Invitation, User]:
    """The invitation behind a link, for the form: a link that is not valid counts as a
    failed guess from that address."""
    attempt = throttle.Attempt("invite", None, client)
    throttle.check(session, attempt, now)
    try:
        return invitation_user(session, token, now)
    except InvalidToken:
        throttle.failed(session, attempt, now)
        session.commit()
        raise


def accept_invitation(
    session: Session,
    token: str,
    password: str,
    now: datetime,
    limits: SessionLimits = SessionLimits(),
) -> NewSession:
    invitation, user = invitation_user(session, token, now)
    check_password_policy(password, user_inputs=_personal_words(session, user))
    # Guarded updates: of two tabs sending the same link, only the first sets a password.
    used = accounts_repo.use_invitation(session, invitation.id, now)
    claimed = accounts_repo.set_first_password(session, user.id, hash_password(password))
    if not (used and claimed):
        session.rollback()
        raise InvalidToken(INVITATION_GONE)
    session.refresh(user)
    if user.person_id is not None:
        # The link reached its owner's mailbox: their sign-ups are confirmed.
        signup_repo.confirm_address(session, user.person_id, now)
    revoke_every_login(session, user.id, now)
    new = start_session(session, user, now, limits)
    audit.record(
        session,
        actor_for(user),
        "invitation.accepted",
        target_kind="user",
        target_id=user.id,
        now=now,
    )
    session.commit()
    return new


def create_api_token(
    session: Session, actor: Actor, name: str, now: datetime, days: int = DEFAULT_TOKEN_DAYS
) -> str:
    if actor.user_id is None:
        raise InvalidInput("an API token belongs to a user account")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput(f"expires_in_days: from 1 to {MAX_TOKEN_DAYS}")
    token = "pm_" + secrets.token_urlsafe(32)
    row = accounts_repo.add_token(
        session, digest(token), actor.user_id, name[:100], now, now + timedelta(days=days)
    )
    audit.record(
        session, actor, "token.created", target_kind="api_token", target_id=row.id, now=now
    )
    session.commit()
    return token


@dataclass(frozen=True)
class TokenInfo:
    token_id: int
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _info(row: ApiToken) -> TokenInfo:
    def aware(moment: datetime | None) -> datetime | None:
        return None if moment is None else _aware(moment)

    return TokenInfo(
        row.id,
        row.name,
        _aware(row.created_at),
        _aware(row.expires_at),
        aware(row.last_used_at),
        aware(row.revoked_at),
    )


def list_api_tokens(session: Session, actor: Actor) -> list[TokenInfo]:
    """The caller's own tokens, oldest first (never the secret: only its hash is kept)."""
    if actor.user_id is None:
        raise InvalidInput("an API token belongs to a user account")
    return [_info(row) for row in accounts_repo.tokens_of(session, actor.user_id)]


def revoke_api_token(session: Session, actor: Actor, token_id: int, now: datetime) -> TokenInfo:
    """Stop one of the caller's tokens from working. Someone else's token is "not
    found", as if it did not exist. Revoking twice keeps the first time."""
    row = accounts_repo.token(session, token_id)
    if row is None or actor.user_id is None or row.user_id != actor.user_id:
        raise NotFound("no such API token of yours")
    if row.revoked_at is None:
        row.revoked_at = now
        audit.record(
            session, actor, "token.revoked", target_kind="api_token", target_id=row.id, now=now
        )
        session.commit()
    return _info(row)


def resolve_api_token(session: Session, token: str, now: datetime) -> User | None:
    row = accounts_repo.token_by_hash(session, digest(token))
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= now:
        return None
    user = accounts_repo.user(session, row.user_id)
    if user is None or not user.is_active:
        return None
    if row.last_used_at is None or now - _aware(row.last_used_at) >= SEEN_EVERY:
        row.last_used_at = now
        session.commit()
    return user
