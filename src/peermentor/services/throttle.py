"""Throttling the forms that check a secret: sign-in, invitation, password change.

Failures count per (form, account, client address) together, so a guesser at one
address slows only their own tries, never the owner signing in from elsewhere; and per
address across every account and form, against one address spraying many accounts.
Keys are digests: the table holds no email and no address.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from peermentor.domain.throttle import ACCOUNT_AT_ADDRESS, ADDRESS, ThrottleRule, refused_for
from peermentor.services.access import ServiceError
from peermentor.store import throttle_repo


class TooManyAttempts(ServiceError):
    """Too many failures from this address (for this account); try again later."""

    def __init__(self, wait: timedelta) -> None:
        self.retry_after = max(1, math.ceil(wait.total_seconds()))
        minutes = math.ceil(self.retry_after / 60)
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(f"Too many failed attempts. Try again in {minutes} {unit}.")


@dataclass(frozen=True, slots=True)
class Attempt:
    form: str  # "login", "invite", "password"
    account: str | None  # the email typed, the user's id; None when there is no account
    address: str  # the client address (the real one once trusted proxies are set)

    def counted_keys(self) -> list[tuple[str, ThrottleRule]]:
        found = [(_key("address", self.address), ADDRESS)]
        if self.account is not None:
            found.append((_key(self.form, self.account, self.address), ACCOUNT_AT_ADDRESS))
        return found


def _key(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def check(session: Session, attempt: Attempt, now: datetime) -> None:
    """Refuse the try (before any secret is checked) while one of its counts says wait."""
    keys = attempt.counted_keys()
    found = throttle_repo.counters(session, [key for key, _ in keys])
    wait = max(refused_for(rule, found.get(key), now) for key, rule in keys)
    if wait > timedelta(0):
        raise TooManyAttempts(wait)


def failed(session: Session, attempt: Attempt, now: datetime) -> Lock | None:
    """Count a failure on every key of the attempt (the caller commits). The lock this
    failure starts, if it starts one: the caller audits it, once per wait, since the
    tries refused during the wait are not written down one by one (a guesser could
    fill the log with them)."""
    keys = attempt.counted_keys()
    for key, rule in keys:
        throttle_repo.count_failure(session, key, now, rule.window)
    throttle_repo.forget_stale(session, now, max(ACCOUNT_AT_ADDRESS.window, ADDRESS.window))
    found = throttle_repo.counters(session, [key for key, _ in keys])
    waits = [(refused_for(rule, found.get(key), now), rule) for key, rule in keys]
    wait, rule = max(waits, key=lambda pair: pair[0])
    if wait <= timedelta(0):
        return None
    return Lock(wait_seconds=math.ceil(wait.total_seconds()), address_wide=rule is ADDRESS)


@dataclass(frozen=True, slots=True)
class Lock:
    """A wait a failure has started: how long, and whether it holds the whole address
    (every account and form) or only this account from that address."""

    wait_seconds: int
    address_wide: bool

    def details(self) -> dict[str, int | bool]:
        return {"wait_seconds": self.wait_seconds, "address_wide": self.address_wide}


def succeeded(session: Session, attempt: Attempt) -> None:
    """The right secret clears the account's count at that address. The address's own
    count stays: one valid account must not reset a sprayer's ceiling."""
    if attempt.account is not None:
        throttle_repo.forget(session, _key(attempt.form, attempt.account, attempt.address))
