"""Logins, browser sessions, invitations and API tokens.

Tokens are random (256 bits) and stored only as SHA-256 digests. A login answers the
same for an unknown account and a wrong password, and spends the same time on both.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput, NotFound, ServiceError, require_admin
from peermentor.services.passwords import check_password_policy, hash_password, verify_password
from peermentor.services.users import find_user
from peermentor.store.auth_models import ApiToken, Invitation, LoginAttempt, UserSession
from peermentor.store.models import Person, User

SESSION_LIFETIME = timedelta(days=14)
INVITATION_LIFETIME = timedelta(days=14)
# Failed logins within the window before further tries are refused for a while.
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_CLIENT = 30
LOGIN_REFUSED = "Email or password is not right."


class LoginFailed(ServiceError):
    """Wrong email or password (the message never says which)."""


class TooManyAttempts(ServiceError):
    """Rate limit reached; try again later."""


class InvalidToken(ServiceError):
    """An invitation or token that does not exist, was used, or expired."""


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


def _recent_failures(session: Session, now: datetime, **match: str) -> int:
    since = now - RATE_WINDOW
    conditions = [LoginAttempt.attempted_at >= since]
    conditions += [getattr(LoginAttempt, key) == value for key, value in match.items()]
    return session.scalar(select(func.count()).select_from(LoginAttempt).where(*conditions)) or 0


def login(session: Session, email: str, password: str, client: str, now: datetime) -> NewSession:
    email = email.strip().lower()[:320]
    if (
        _recent_failures(session, now, email=email) >= MAX_FAILURES_PER_ACCOUNT
        or _recent_failures(session, now, client=client) >= MAX_FAILURES_PER_CLIENT
    ):
        raise TooManyAttempts("Too many failed attempts. Wait 15 minutes and try again.")
    user = find_user(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        session.add(LoginAttempt(email=email, client=client[:64], attempted_at=now))
        # The account the email names, if any; an unknown email leaves nothing identifying.
        target = ("user", user.id) if user is not None else (None, None)
        audit.record(
            session, None, "sign_in.failed", target_kind=target[0], target_id=target[1], now=now
        )
        session.commit()
        raise LoginFailed(LOGIN_REFUSED)
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.email == email)
    )  # a success clears the account's count
    new = start_session(session, user, now)
    audit.record(session, actor_for(user), "sign_in", now=now)
    session.commit()
    return new


def start_session(session: Session, user: User, now: datetime) -> NewSession:
    """Always a fresh id at login, so a planted session id is never promoted."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=digest(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    return NewSession(user=user, token=token, csrf_token=csrf)


def resolve_session(
    session: Session, token: str | None, now: datetime
) -> tuple[User, UserSession] | None:
    if not token:
        return None
    row = session.scalar(select(UserSession).where(UserSession.token_hash == digest(token)))
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return user, row


def logout(session: Session, token: str | None, now: datetime) -> None:
    if token:
        ended = session.scalar(
            update(UserSession)
            .where(UserSession.token_hash == digest(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(UserSession.user_id)
        )
        if ended is not None:
            audit.record(session, audit.account(ended), "sign_out", now=now)
        session.commit()


def revoke_all_sessions(session: Session, user_id: int, now: datetime) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def change_password(
    session: Session, actor: Actor, current: str, new: str, now: datetime
) -> NewSession:
    """Every session of the account ends, the caller's included; a new one is returned."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or not verify_password(user.password_hash, current):
        raise InvalidInput("current password: not right")
    check_password_policy(new)
    user.password_hash = hash_password(new)
    revoke_all_sessions(session, user.id, now)
    fresh = start_session(session, user, now)
    audit.record(session, actor, "password.changed", target_kind="user", target_id=user.id, now=now)
    session.commit()
    return fresh


def invite_person(
    session: Session, actor: Actor, person_id: int, now: datetime, *, commit: bool = True
) -> str:
    """A one-time token for the person to set a password; creates their account.
    A caller inviting many people passes commit=False and commits once."""
    require_admin(actor)
    person = session.get(Person, person_id)
    if person is None:
        raise InvalidInput("person: not found")
    user = session.scalar(select(User).where(User.person_id == person_id))
    if user is None:
        user = find_user(session, person.email)
        if user is not None and user.person_id is None:
            user.person_id = person.id
    if user is None:
        user = User(email=person.email.lower(), role="participant", person_id=person.id)
        session.add(user)
        session.flush()
    # A new invitation replaces any earlier, unused one.
    session.execute(
        delete(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    )
    token = secrets.token_urlsafe(32)
    session.add(
        Invitation(
            token_hash=digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
    )
    audit.record(
        session, actor, "invitation.created", target_kind="user", target_id=user.id, now=now
    )
    if commit:
        session.commit()
    return token


def invitation_user(session: Session, token: str, now: datetime) -> tuple[Invitation, User]:
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == digest(token)))
    if invitation is None or invitation.used_at is not None or _aware(invitation.expires_at) <= now:
        raise InvalidToken("This invitation link is not valid any more. Ask for a new one.")
    user = session.get(User, invitation.user_id)
    if user is None:
        raise InvalidToken("This invitation link is not valid any more. Ask for a new one.")
    return invitation, user


def accept_invitation(session: Session, token: str, password: str, now: datetime) -> NewSession:
    invitation, user = invitation_user(session, token, now)
    check_password_policy(password)
    user.password_hash = hash_password(password)
    user.is_active = True
    invitation.used_at = now
    revoke_all_sessions(session, user.id, now)
    new = start_session(session, user, now)
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


def create_api_token(session: Session, actor: Actor, name: str, now: datetime) -> str:
    if actor.user_id is None:
        raise InvalidInput("an API token belongs to a user account")
    token = "pm_" + secrets.token_urlsafe(32)
    row = ApiToken(token_hash=digest(token), user_id=actor.user_id, name=name[:100], created_at=now)
    session.add(row)
    session.flush()
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
    last_used_at: datetime | None
    revoked_at: datetime | None


def _info(row: ApiToken) -> TokenInfo:
    def aware(moment: datetime | None) -> datetime | None:
        return None if moment is None else _aware(moment)

    return TokenInfo(
        row.id,
        row.name,
        _aware(row.created_at),
        aware(row.last_used_at),
        aware(row.revoked_at),
    )


def list_api_tokens(session: Session, actor: Actor) -> list[TokenInfo]:
    """The caller's own tokens, oldest first (never the secret: only its hash is kept)."""
    if actor.user_id is None:
        raise InvalidInput("an API token belongs to a user account")
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id)
    )
    return [_info(row) for row in rows]


def revoke_api_token(session: Session, actor: Actor, token_id: int, now: datetime) -> TokenInfo:
    """Stop one of the caller's tokens from working. Someone else's token is "not
    found", as if it did not exist. Revoking twice keeps the first time."""
    row = session.get(ApiToken, token_id)
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
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    row.last_used_at = now
    session.commit()
    return user
