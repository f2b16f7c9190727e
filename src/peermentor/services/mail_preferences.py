"""What each person wants by mail: the kinds they stopped, and whether a weekly digest
replaces single mails. Changed on the account page, or from a mail's unsubscribe link
without signing in: the link carries a token signed with the app's secret (itsdangerous),
good for one person and one kind, so it can stop nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.mail import kinds
from peermentor.services.access import Actor, InvalidInput, NotFound
from peermentor.store import mail_repo

_SALT = "mail-unsubscribe"
LINK_GONE = "This unsubscribe link is not valid. Change your mail preferences on your account page."


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def unsubscribe_token(secret: str, person_id: int, kind: str) -> str:
    return _serializer(secret).dumps({"p": person_id, "k": kind})


def unsubscribe_url(settings: Settings, person_id: int, kind: str) -> str:
    token = unsubscribe_token(settings.resolved_secret_key(), person_id, kind)
    return f"{settings.base_url.rstrip('/')}/mail/unsubscribe/{token}"


def read_token(secret: str, token: str) -> tuple[int, str]:
    """(person id, kind) of a link; NotFound for anything that is not one of ours."""
    try:
        data = _serializer(secret).loads(token)
    except BadSignature:
        raise NotFound(LINK_GONE) from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("p"), int)
        or not isinstance(data.get("k"), str)
        or not kinds.stoppable(data["k"])
    ):
        raise NotFound(LINK_GONE)
    return data["p"], data["k"]


@dataclass(frozen=True)
class Preferences:
    stopped: frozenset[str]
    weekly_digest: bool

    def receives(self, kind: str) -> bool:
        return kind not in self.stopped


def preferences_of(session: Session, person_id: int) -> Preferences:
    row = mail_repo.preference(session, person_id)
    if row is None:
        return Preferences(frozenset(), False)
    return Preferences(frozenset(row.unsubscribed), row.weekly_digest)


def my_preferences(session: Session, actor: Actor) -> Preferences | None:
    """None for an account with no person (an admin): nothing is mailed to it but invitations."""
    if actor.person_id is None:
        return None
    return preferences_of(session, actor.person_id)


def set_my_preferences(
    session: Session, actor: Actor, wanted: set[str], weekly_digest: bool, now: datetime
) -> Preferences:
    """Keep the kinds in `wanted` among the listed ones; stop the other listed kinds."""
    if actor.person_id is None:
        raise InvalidInput("mail: this account has no person to mail")
    unknown = wanted - set(kinds.KINDS)
    if unknown:
        raise InvalidInput(f"mail: unknown kind {sorted(unknown)[0]!r}")
    before = preferences_of(session, actor.person_id)
    # Kinds stopped from a mail but not on the form stay stopped.
    stopped = (before.stopped - set(kinds.KINDS)) | (set(kinds.KINDS) - wanted)
    mail_repo.save_preference(session, actor.person_id, sorted(stopped), weekly_digest, now)
    session.commit()
    return preferences_of(session, actor.person_id)


def unsubscribe(session: Session, secret: str, token: str, now: datetime) -> str:
    """Stop the link's kind for the link's person; returns the kind. Idempotent."""
    person_id, kind = read_token(secret, token)
    if mail_repo.recipient_address(session, person_id) is None:
        raise NotFound(LINK_GONE)
    before = preferences_of(session, person_id)
    mail_repo.save_preference(
        session, person_id, sorted(before.stopped | {kind}), before.weekly_digest, now
    )
    session.commit()
    return kind
