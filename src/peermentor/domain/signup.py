"""Self sign-up: a programme open through a link, who may use it, and what a sign-up
becomes.

A sign-up travels: `unconfirmed` (the address is not proven yet) -> `pending` (waits
for an admin, when the programme asks for approval) -> `enrolled`, or `declined`.
Only an enrolled person is ever matched. The link's secret is not a rule and lives in
the programme's settings; these are the rules around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peermentor.domain.errors import ValidationError

UNCONFIRMED, PENDING, ENROLLED, DECLINED = "unconfirmed", "pending", "enrolled", "declined"
# The stand-in employee id of a person who signed up; an import gives them HR's.
PLACEHOLDER_PREFIX = "self-"
MAX_DOMAINS = 50
MAX_YEARS = 70


@dataclass(frozen=True, slots=True)
class SignupSettings:
    open: bool = False
    approval: bool = True  # an admin approves each sign-up before it can be matched
    domains: tuple[str, ...] = ()  # lower case, no "@"; empty: any address
    token: str = ""  # the link's secret; a new one ends the old link

    @classmethod
    def of(cls, settings: dict[str, Any] | None) -> SignupSettings:
        stored = (settings or {}).get("signup") or {}
        return cls(
            open=bool(stored.get("open", False)),
            approval=bool(stored.get("approval", True)),
            domains=tuple(stored.get("domains", ())),
            token=str(stored.get("token", "")),
        )

    def stored(self) -> dict[str, Any]:
        return {
            "open": self.open,
            "approval": self.approval,
            "domains": list(self.domains),
            "token": self.token,
        }


def status_after_confirming(settings: SignupSettings) -> str:
    return PENDING if settings.approval else ENROLLED


def domain_allowed(email: str, domains: tuple[str, ...]) -> bool:
    if not domains:
        return True
    domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
    return domain in domains


def read_domains(text: str) -> tuple[str, ...]:
    """`example.com, @corp.example.org` -> ("example.com", "corp.example.org")."""
    found: list[str] = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        domain = part.strip().lower().removeprefix("@")
        if not domain:
            continue
        labels = domain.split(".")
        if len(labels) < 2 or not all(
            label and all(c.isalnum() or c == "-" for c in label) for label in labels
        ):
            raise ValidationError(
                f'"{part.strip()}" is not an email domain (like example.com)', field="domains"
            )
        if domain not in found:
            found.append(domain)
    if len(found) > MAX_DOMAINS:
        raise ValidationError(f"at most {MAX_DOMAINS} domains", field="domains")
    return tuple(found)


def domains_in_words(domains: tuple[str, ...]) -> str:
    return ", ".join("@" + d for d in domains)
