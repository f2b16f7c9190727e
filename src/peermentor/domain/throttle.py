"""How long failed sign-ins make someone wait (ASVS 5.0 chapter 6): a few free tries,
then a wait that doubles with every further failure, up to a cap; a count whose window
has passed starts over. Pure: the caller passes the counts and the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class ThrottleRule:
    free_failures: int  # failures allowed before the first wait
    first_wait: timedelta
    longest_wait: timedelta
    window: timedelta  # a count older than this starts over

    def wait_after(self, failures: int) -> timedelta:
        if failures < self.free_failures:
            return timedelta(0)
        doublings = min(failures - self.free_failures, 32)  # 2**32 minutes is past any cap
        return min(self.first_wait * 2**doublings, self.longest_wait)

    def counts(self, window_started_at: datetime, now: datetime) -> bool:
        """Whether a count begun then still counts now."""
        return now < window_started_at + self.window


@dataclass(frozen=True, slots=True)
class Counter:
    failures: int
    window_started_at: datetime
    last_failure_at: datetime


def refused_for(rule: ThrottleRule, counter: Counter | None, now: datetime) -> timedelta:
    """How much longer a new try must wait (zero: it may go ahead)."""
    if counter is None or not rule.counts(counter.window_started_at, now):
        return timedelta(0)
    until = counter.last_failure_at + rule.wait_after(counter.failures)
    return max(until - now, timedelta(0))


# One account from one address: five tries, then 1, 2, 4 ... 60 minutes. The owner
# elsewhere is never slowed by it (ASVS 6.3.1: no malicious lockout).
ACCOUNT_AT_ADDRESS = ThrottleRule(
    free_failures=5,
    first_wait=timedelta(minutes=1),
    longest_wait=timedelta(hours=1),
    window=timedelta(days=1),
)
# One address across every account and form, against password spraying: high enough
# that an office behind one address does not meet it through typos.
ADDRESS = ThrottleRule(
    free_failures=100,
    first_wait=timedelta(minutes=1),
    longest_wait=timedelta(hours=1),
    window=timedelta(days=1),
)
