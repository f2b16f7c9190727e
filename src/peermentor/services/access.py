"""Who is acting, and the checks every use case starts with."""

from __future__ import annotations

from dataclasses import dataclass


class ServiceError(Exception):
    """Base of the errors a use case reports to its caller (page, API or CLI)."""


class Forbidden(ServiceError):
    """The actor may not do this."""


class NotFound(ServiceError):
    """The thing asked for does not exist (or the actor may not know that it does)."""


class InvalidInput(ServiceError):
    """The request is well-formed but its content is refused; the message says why."""


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
