"""Who is acting, and the checks every use case starts with."""

from __future__ import annotations

from dataclasses import dataclass

from peermentor.domain.errors import DomainError, NotAllowed, ValidationError
from peermentor.domain.errors import NotFound as NotFound  # there is one NotFound

# The services refuse with the domain's family (domain/errors.py). These are its older
# names, kept so that code written against them reads and runs the same.
ServiceError = DomainError
Forbidden = NotAllowed  # the actor may not do this
InvalidInput = ValidationError  # a value is refused; the message starts with its field


ADMIN_ROLES = frozenset({"program_admin", "org_admin", "system"})


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a use case runs for. `system` is the operator at the command line,
    who already holds the server and its database."""

    role: str
    user_id: int | None = None
    person_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES


SYSTEM = Actor(role="system")


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("only a programme or organisation admin may do this")


def require_org_admin(actor: Actor) -> None:
    if actor.role not in ("org_admin", "system"):
        raise Forbidden("only an organisation admin may do this")
