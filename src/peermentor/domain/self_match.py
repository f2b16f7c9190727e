"""Choosing one's own peer: how a programme matches, and the life of a request.

A programme matches by its admins (a whole-cohort run, as ever), by its people
(`self`: each sees their best few suggestions from the engine and asks one), or
`both`: a self-match window first, then the admins' run for everyone still unpaired.

A request travels `open` -> `accepted` (the pair is made, live at once: both said
yes), `declined`, `withdrawn` by the one who asked, `expired` (no answer in time, or
the window closed), or `lapsed` (one of them was paired another way meanwhile). The
one who asked reads the last three alike ("not taken up"), so nobody learns who
declined whom; a declined pair is not suggested to each other again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from peermentor.domain.errors import ValidationError

ADMIN, SELF, BOTH = "admin", "self", "both"
MODES = (ADMIN, SELF, BOTH)
MODE_WORDS = {
    ADMIN: "Admins match the whole cohort (no choosing)",
    SELF: "People choose their own peer",
    BOTH: "People choose during a window, then admins match everyone still unpaired",
}
OPEN, ACCEPTED, DECLINED, WITHDRAWN, EXPIRED, LAPSED = (
    "open",
    "accepted",
    "declined",
    "withdrawn",
    "expired",
    "lapsed",
)
STATUSES = (OPEN, ACCEPTED, DECLINED, WITHDRAWN, EXPIRED, LAPSED)
CLOSED_UNTAKEN = (DECLINED, EXPIRED, LAPSED)  # the asker reads these alike
MAX_REPLY_DAYS = 30
MAX_SUGGESTIONS = 10
MAX_WINDOW_DAYS = 365


@dataclass(frozen=True, slots=True)
class SelfMatchSettings:
    mode: str = ADMIN
    window_ends: date | None = None  # `both`: the last day people may ask and answer
    reply_days: int = 7  # how long the asked person has to answer
    suggestions: int = 5  # how many suggestions a person sees

    @classmethod
    def of(cls, settings: dict[str, Any] | None) -> SelfMatchSettings:
        stored = (settings or {}).get("self_match") or {}
        ends = stored.get("window_ends")
        return cls(
            mode=stored.get("mode", ADMIN) if stored.get("mode") in MODES else ADMIN,
            window_ends=date.fromisoformat(ends) if ends else None,
            reply_days=int(stored.get("reply_days", 7)),
            suggestions=int(stored.get("suggestions", 5)),
        )

    def stored(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "window_ends": self.window_ends.isoformat() if self.window_ends else None,
            "reply_days": self.reply_days,
            "suggestions": self.suggestions,
        }

    def open_on(self, today: date) -> bool:
        """Whether people may ask and answer today."""
        if self.mode == SELF:
            return True
        return self.mode == BOTH and self.window_ends is not None and today <= self.window_ends

    def deadline(self, asked_at: datetime) -> datetime:
        """When a request asked now expires: its reply time, or the window's end."""
        due = asked_at + timedelta(days=self.reply_days)
        if self.mode == BOTH and self.window_ends is not None:
            window_closes = datetime.combine(self.window_ends + timedelta(days=1), time(), UTC)
            due = min(due, window_closes)
        return due

    def run_refusal(self, today: date) -> str | None:
        """Why an admins' whole-cohort run may not start today, or None."""
        if self.mode == SELF:
            return (
                "people choose their own peer in this programme; set matching to 'both' "
                "to run a match for everyone still unpaired after a window"
            )
        if self.mode == BOTH and self.open_on(today):
            assert self.window_ends is not None
            return (
                f"the self-match window is open until {self.window_ends:%Y-%m-%d}; the match "
                "for everyone still unpaired runs after it"
            )
        return None


def validated(
    mode: str, window_ends: date | None, reply_days: int, suggestions: int, today: date
) -> SelfMatchSettings:
    if mode not in MODES:
        raise ValidationError("one of " + ", ".join(MODES), field="mode")
    if mode == BOTH:
        if window_ends is None:
            raise ValidationError("the last day people may choose", field="window_ends")
        if not today <= window_ends <= today + timedelta(days=MAX_WINDOW_DAYS):
            raise ValidationError(
                f"a day from today to {MAX_WINDOW_DAYS} days ahead", field="window_ends"
            )
    if not 1 <= reply_days <= MAX_REPLY_DAYS:
        raise ValidationError(f"1 to {MAX_REPLY_DAYS} days", field="reply_days")
    if not 1 <= suggestions <= MAX_SUGGESTIONS:
        raise ValidationError(f"1 to {MAX_SUGGESTIONS}", field="suggestions")
    return SelfMatchSettings(mode, window_ends if mode == BOTH else None, reply_days, suggestions)


def status_now(status: str, expires_at: datetime, now: datetime) -> str:
    """A request's status as of `now`: an open one past its deadline has expired, even
    before the worker has marked it."""
    at = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
    return EXPIRED if status == OPEN and at <= now else status


def asker_words(status: str) -> str:
    """What the one who asked reads of their request."""
    if status in CLOSED_UNTAKEN:
        return "Not taken up"
    return {OPEN: "Waiting for an answer", ACCEPTED: "Accepted", WITHDRAWN: "Withdrawn"}[status]
