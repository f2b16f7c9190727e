"""Accounts: users, browser sessions, API tokens, invitations, programme admins, and
the company identities (single sign-on) linked to accounts.

Only queries live here; who may do what, and when a secret expires, is services/auth.py.
Tokens arrive already hashed: the store never sees a secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from peermentor.store.auth_models import (
    ApiToken,
    Invitation,
    ProgramAdmin,
    SsoIdentity,
    UserSession,
)
from peermentor.store.models import Person, User

Row = TypeVar("Row", User, UserSession, ApiToken)


def _added(session: Session, row: Row) -> Row:
    session.add(row)
    session.flush()  # the row has its id
    return row


def user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_email(session: Session, email: str) -> User | None:
    """Case-insensitively, as every address is compared."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def user_of_person(session: Session, person_id: int) -> User | None:
    return session.scalar(select(User).where(User.person_id == person_id))


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def add_user(
    session: Session, email: str, password_hash: str | None, role: str, person_id: int | None
) -> User:
    row = User(email=email, password_hash=password_hash, role=role, person_id=person_id)
    return _added(session, row)


def set_first_password(session: Session, user_id: int, password_hash: str) -> bool:
    """Guarded: only an account with no password yet gets one (of two tabs sending
    the same invitation, the first wins)."""
    claimed = session.execute(
        update(User)
        .where(User.id == user_id, User.password_hash.is_(None))
        .values(password_hash=password_hash, is_active=True)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


# Browser sessions


def add_session(
    session: Session,
    token_hash: str,
    user_id: int,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
) -> UserSession:
    row = UserSession(token_hash=token_hash, user_id=user_id, csrf_token=csrf_token)
    row.created_at = row.last_seen_at = now
    row.expires_at = expires_at
    return _added(session, row)


def session_by_hash(session: Session, token_hash: str) -> UserSession | None:
    return session.scalar(select(UserSession).where(UserSession.token_hash == token_hash))


def session_with_user(session: Session, token_hash: str) -> tuple[UserSession, User] | None:
    """The session and its account in one query: this runs on every signed-in request."""
    found = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash)
    ).first()
    return None if found is None else (found[0], found[1])


def touch_session(session: Session, session_id: int, now: datetime, seen_before: datetime) -> None:
    """Bring a session's last-seen time up to `now` if it is `seen_before` or older.

    Requests of one session that arrive together all find the time due; on PostgreSQL
    the ones that find another already writing it skip (SKIP LOCKED) instead of
    queueing on the row's lock for a write that the first makes for them all. SQLite
    serialises writers anyway, and the condition makes the later ones no-ops."""
    due = select(UserSession.id).where(
        UserSession.id == session_id, UserSession.last_seen_at <= seen_before
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    session.execute(
        update(UserSession)
        .where(UserSession.id.in_(due))
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def end_session(session: Session, token_hash: str, now: datetime) -> int | None:
    """Revoke the open session with that hash; its user's id, or None if none was open."""
    return session.scalar(
        update(UserSession)
        .where(UserSession.token_hash == token_hash, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(UserSession.user_id)
    )


def _end_open(
    session: Session, kind: type[UserSession | ApiToken], user_id: int, now: datetime
) -> None:
    session.execute(
        update(kind)
        .where(kind.user_id == user_id, kind.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def end_sessions_of(session: Session, user_id: int, now: datetime) -> None:
    _end_open(session, UserSession, user_id, now)


# API tokens


def add_token(
    session: Session,
    token_hash: str,
    user_id: int,
    name: str,
    now: datetime,
    expires_at: datetime,
) -> ApiToken:
    row = ApiToken(token_hash=token_hash, user_id=user_id, name=name, expires_at=expires_at)
    row.created_at = now
    return _added(session, row)


def token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def tokens_of(session: Session, user_id: int) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)
    ).all()


def end_tokens_of(session: Session, user_id: int, now: datetime) -> None:
    _end_open(session, ApiToken, user_id, now)


# Invitations


def replace_invitation(
    session: Session, user_id: int, token_hash: str, now: datetime, expires_at: datetime
) -> None:
    """A new invitation replaces any earlier, unused one."""
    session.execute(
        delete(Invitation).where(Invitation.user_id == user_id, Invitation.used_at.is_(None))
    )
    session.add(
        Invitation(token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at)
    )


def invitation_by_hash(session: Session, token_hash: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def use_invitation(session: Session, invitation_id: int, now: datetime) -> bool:
    """Guarded: an invitation is used once."""
    used = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.used_at.is_(None))
        .values(used_at=now)
    )
    return used.rowcount == 1  # type: ignore[attr-defined]


# Programme admins


def is_program_admin(session: Session, user_id: int, program_id: int) -> bool:
    found = session.scalar(
        select(ProgramAdmin.id).where(
            ProgramAdmin.user_id == user_id, ProgramAdmin.program_id == program_id
        )
    )
    return found is not None


def add_program_admin(session: Session, user_id: int, program_id: int) -> None:
    session.add(ProgramAdmin(user_id=user_id, program_id=program_id))
    session.flush()


# Company identities (single sign-on)


def user_of_identity(session: Session, issuer: str, subject: str) -> User | None:
    return session.scalar(
        select(User)
        .join(SsoIdentity, SsoIdentity.user_id == User.id)
        .where(SsoIdentity.issuer == issuer, SsoIdentity.subject == subject)
    )


def identity_issuers_of(session: Session, user_id: int) -> list[str]:
    """The providers an account is already linked to (one identity per provider)."""
    return list(session.scalars(select(SsoIdentity.issuer).where(SsoIdentity.user_id == user_id)))


def link_identity(session: Session, user_id: int, issuer: str, subject: str, now: datetime) -> None:
    session.add(
        SsoIdentity(
            user_id=user_id, issuer=issuer, subject=subject, created_at=now, last_sign_in_at=now
        )
    )
    session.flush()


def identity_used(session: Session, issuer: str, subject: str, now: datetime) -> None:
    session.execute(
        update(SsoIdentity)
        .where(SsoIdentity.issuer == issuer, SsoIdentity.subject == subject)
        .values(last_sign_in_at=now)
    )


def person_by_email(session: Session, email: str) -> Person | None:
    """Case-insensitively; the importer keeps addresses unique that way."""
    return session.scalar(select(Person).where(func.lower(Person.email) == email.strip().lower()))


def person_by_employee_id(session: Session, employee_id: str) -> Person | None:
    return session.scalar(select(Person).where(Person.employee_id == employee_id.strip()))
