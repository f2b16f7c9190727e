"""Company sign-in (OpenID Connect): who a verified identity is here.

The web adapter (web/oidc.py) runs the redirect and checks the ID token's signature,
issuer, audience, nonce and expiry; what reaches this module is an identity the
provider vouched for. Here are the rules of who it may be:

- An identity already linked (issuer + subject) signs in to its account, whatever
  its email says today: the subject is the provider's stable id for a person.
- A first sign-in is linked to the imported person whose employee id the configured
  claim holds, or else to the person (or admin account) with the same email, but only
  when the provider says the email is verified: an unverified address proves nothing.
- A person with no account yet gets one at that moment (just in time); someone who is
  in no programme's people data gets none and is told to ask their admin.
- With allowed domains set, an email outside them is refused even for a linked
  identity, so narrowing the setting takes effect at the next sign-in.

Every refusal is audited as a failed sign-in with a flag naming the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain.errors import DomainError
from peermentor.services import audit, signup
from peermentor.services.auth import NewSession, SessionLimits, actor_for, start_session
from peermentor.store import accounts_repo, signup_repo
from peermentor.store.models import User

NOT_KNOWN = (
    "Your company account is not in any programme here yet. Ask your programme's admin "
    "to add you, then sign in again."
)


class SsoRefused(DomainError):
    """The provider vouched for the identity, but it may not sign in here."""


class SsoNotCompleted(DomainError):
    """The sign-in did not complete: the provider refused, the link was stale or forged."""


@dataclass(frozen=True, slots=True)
class VerifiedIdentity:
    issuer: str
    subject: str
    email: str
    email_verified: bool
    employee_id: str | None = None
    name: str = ""  # the provider's display name, for someone who signs up with it


@dataclass(frozen=True, slots=True)
class SsoPolicy:
    allowed_domains: tuple[str, ...] = ()
    # The configured claim's value (VerifiedIdentity.employee_id) is trusted to link.
    link_by_employee_id: bool = False


def _domain_allowed(email: str, domains: tuple[str, ...]) -> bool:
    if not domains:
        return True
    domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
    return domain in domains


def _refuse(
    session: Session, reason: str, message: str, now: datetime, user: User | None = None
) -> SsoRefused:
    target = ("user", user.id) if user is not None else (None, None)
    audit.record(
        session,
        None,
        "sign_in.failed",
        target_kind=target[0],
        target_id=target[1],
        details={"sso": True, reason: True},
        now=now,
    )
    session.commit()
    return SsoRefused(message)


def _first_account(
    session: Session,
    identity: VerifiedIdentity,
    policy: SsoPolicy,
    now: datetime,
    join_token: str | None = None,
) -> User:
    """The account a first sign-in links to, made for an imported person who has none;
    or the refusal, audited."""
    person = None
    if policy.link_by_employee_id and identity.employee_id:
        person = accounts_repo.person_by_employee_id(session, identity.employee_id)
    if person is None and not identity.email_verified:
        raise _refuse(
            session,
            "email_unverified",
            "Your company account's email address is not verified, so it cannot be linked "
            "to you here. Verify it with your company's sign-in service, then try again.",
            now,
        )
    if person is None:
        person = accounts_repo.person_by_email(session, identity.email)
    user = (
        accounts_repo.user_of_person(session, person.id)
        if person is not None
        else accounts_repo.user_by_email(session, identity.email)
    )
    if user is None and person is not None:
        # An empty account made for this address earlier (never used) becomes theirs.
        user = accounts_repo.user_by_email(session, person.email)
        if user is not None and user.person_id not in (None, person.id):
            raise _refuse(session, "account_conflict", _CONFLICT, now, user)
        if user is not None and user.person_id is None and user.role == "participant":
            user.person_id = person.id
    if user is None and person is None and join_token:
        # Not in the people data, but signing up through a programme's open link: the
        # provider vouches for the address, so they become a person of their own.
        name = identity.name.strip() or identity.email.split("@", 1)[0]
        person = signup.person_from_company_account(session, join_token, name, identity.email, now)
    if user is None and person is None:
        raise _refuse(session, "not_in_people_data", NOT_KNOWN, now)
    if user is None:
        assert person is not None
        user = accounts_repo.add_user(session, person.email.lower(), None, "participant", person.id)
        audit.record(
            session,
            actor_for(user),
            "account.created_at_sign_in",
            target_kind="user",
            target_id=user.id,
            now=now,
        )
    if identity.issuer in accounts_repo.identity_issuers_of(session, user.id):
        # The account is linked to another person at this provider.
        raise _refuse(session, "account_conflict", _CONFLICT, now, user)
    return user


_CONFLICT = (
    "This account is already linked to a different company account. An organisation "
    "admin has to sort out which account is whose."
)


def sign_in(
    session: Session,
    identity: VerifiedIdentity,
    policy: SsoPolicy,
    now: datetime,
    limits: SessionLimits = SessionLimits(),
    join_token: str | None = None,
) -> NewSession:
    """A new browser session for the identity, or SsoRefused (audited, committed).
    `join_token`: the sign-up link the person came from, if any (someone not in the
    people data may then sign up with their company account)."""
    email = identity.email.strip()
    if not _domain_allowed(email, policy.allowed_domains):
        raise _refuse(
            session,
            "domain_not_allowed",
            "Company sign-in is open to the organisation's own email addresses only, "
            f"and {email or 'this account'} is not one of them.",
            now,
        )
    user = accounts_repo.user_of_identity(session, identity.issuer, identity.subject)
    linked = user is not None
    if user is None:
        user = _first_account(session, identity, policy, now, join_token)
    if not user.is_active:
        raise _refuse(
            session,
            "account_inactive",
            "This account is switched off. Ask an organisation admin.",
            now,
            user,
        )
    if linked:
        accounts_repo.identity_used(session, identity.issuer, identity.subject, now)
    else:
        accounts_repo.link_identity(session, user.id, identity.issuer, identity.subject, now)
        audit.record(
            session, actor_for(user), "sso.linked", target_kind="user", target_id=user.id, now=now
        )
    if user.person_id is not None and identity.email_verified:
        # The provider vouches for the address: the person's sign-ups are confirmed.
        signup_repo.confirm_address(session, user.person_id, now)
    new = start_session(session, user, now, limits)
    audit.record(session, actor_for(user), "sign_in", details={"sso": True}, now=now)
    session.commit()
    return new
