"""Login accounts."""

from __future__ import annotations

from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput, require_org_admin
from peermentor.services.passwords import check_password_policy, hash_password
from peermentor.store import accounts_repo
from peermentor.store.models import ROLES, User


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise InvalidInput(f"email: {error}") from None


def find_user(session: Session, email: str) -> User | None:
    return accounts_repo.user_by_email(session, email)


def _granted(
    session: Session, actor: Actor, action: str, user: User, details: dict[str, bool]
) -> None:
    """The changed account is written, then its audit entry (no commit)."""
    session.flush()
    audit.record(
        session,
        actor,
        action,
        target_kind="user",
        target_id=user.id,
        details=dict(details),
        now=datetime.now(UTC),
    )


def create_user(
    session: Session,
    actor: Actor,
    email: str,
    password: str | None,
    role: str = "participant",
    person_id: int | None = None,
) -> User:
    require_org_admin(actor)
    if role not in ROLES:
        raise InvalidInput(f"role: must be one of {', '.join(ROLES)}")
    email = normalise_email(email)
    if find_user(session, email) is not None:
        raise InvalidInput(f"email: an account for {email} already exists")
    if password is not None:
        check_password_policy(password)
    password_hash = hash_password(password) if password is not None else None
    return accounts_repo.add_user(session, email, password_hash, role, person_id)


def create_admin(session: Session, actor: Actor, email: str, password: str) -> tuple[User, bool]:
    """Create an organisation admin, or promote and reset an existing account."""
    require_org_admin(actor)
    check_password_policy(password)
    user = find_user(session, email)
    created = user is None
    if user is None:
        user = create_user(session, actor, email, password, role="org_admin")
    else:
        from peermentor.services.auth import revoke_every_login

        user.role = "org_admin"
        user.password_hash = hash_password(password)
        user.is_active = True
        # A reset password ends every login opened with the old one, as a change does.
        revoke_every_login(session, user.id, datetime.now(UTC))
    _granted(session, actor, "role.org_admin_granted", user, {"created": created})
    return user, created


def create_program_admin(
    session: Session, actor: Actor, email: str, password: str | None, program_name: str
) -> tuple[User, bool]:
    """A programme admin account for one more programme (created when new)."""
    from peermentor.services.programs import add_program_admin

    require_org_admin(actor)
    user = find_user(session, email)
    created = user is None
    if user is None:
        if password is None:
            raise InvalidInput("password: needed for a new account")
        user = create_user(session, actor, email, password, role="program_admin")
    elif user.role == "participant":
        user.role = "program_admin"
    add_program_admin(session, actor, user.id, program_name)
    _granted(session, actor, "role.program_admin_granted", user, {"account_created": created})
    return user, created
