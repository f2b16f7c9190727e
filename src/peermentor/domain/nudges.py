"""Nudges that keep a pairing alive: what is due for whom, decided from facts and a clock.

Every rule here is pure: the caller gathers the facts of one pairing (its requests,
its last session, its role-play schedule, its check-ins, its balance, when each member
was last active) and passes `now`. A rule answers with nudges, each for one member and
with an *occasion*: the thing it is about (a request, a silence since a date, a missed
role-play ...). The same occasion always gives the same key, so a nudge is sent at most
once per occasion however often the rules are asked.

Settings (per programme, under "nudges" in the programme's settings; 0 turns a rule off):

| setting | default | a nudge when ... |
| --- | --- | --- |
| request_days | 3 | a guidance request is unanswered this many days (to the asked member) |
| request_escalate_days | 4 | ... and still unanswered this many days later (to every member) |
| no_session_weeks | 3 | no session has been logged for this many weeks (again every such spell) |
| roleplay_grace_days | 3 | a scheduled role-play is this many days past its date |
| checkin_late_days | 0 | a member's check-in has been due this many days |
| one_sided_weeks | 4 | the balance leans one way (at most once per component in this many weeks) |
| proposal_days | 3 | a member has not answered a proposal this many days |
| inactive_weeks | 4 | a member did nothing (signed in, wrote, answered) this many weeks |
| release_after_weeks | 2 | ... and this many more: their open proposal may be released |
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from peermentor.domain.balance import BalanceReport
from peermentor.domain.errors import ValidationError
from peermentor.domain.guidance import GuidanceRequest, RequestStatus
from peermentor.domain.roleplay import RolePlaySchedule, missed
from peermentor.domain.validation import require_aware

MAX_SETTING = 365
EPOCH = date(2000, 1, 3)  # a Monday: one-sided nudges count periods from here


class Kind(StrEnum):
    REQUEST_UNANSWERED = "request_unanswered"
    REQUEST_STILL_UNANSWERED = "request_still_unanswered"
    NO_SESSION = "no_session"
    ROLEPLAY_OVERDUE = "roleplay_overdue"
    CHECKIN_DUE = "checkin_due"
    ONE_SIDED = "one_sided"
    PROPOSAL_UNANSWERED = "proposal_unanswered"
    INACTIVE = "inactive"


@dataclass(frozen=True, slots=True)
class NudgeSettings:
    request_days: int = 3
    request_escalate_days: int = 4
    no_session_weeks: int = 3
    roleplay_grace_days: int = 3
    checkin_late_days: int = 0
    one_sided_weeks: int = 4
    proposal_days: int = 3
    inactive_weeks: int = 4
    release_after_weeks: int = 2

    @property
    def inactive_after(self) -> timedelta | None:
        return timedelta(weeks=self.inactive_weeks) if self.inactive_weeks else None

    @property
    def release_after(self) -> timedelta | None:
        """From the last activity until an open proposal may be released."""
        if not self.inactive_weeks or not self.release_after_weeks:
            return None
        return timedelta(weeks=self.inactive_weeks + self.release_after_weeks)


DEFAULTS = NudgeSettings()
SETTING_NAMES = tuple(f.name for f in fields(NudgeSettings))


def settings_from(values: Mapping[str, Any] | None) -> NudgeSettings:
    """Programme settings over the defaults; an unknown name or a bad number is refused
    with the setting named."""
    chosen: dict[str, int] = {}
    for name, value in (values or {}).items():
        if name not in SETTING_NAMES:
            raise ValidationError(f"nudges.{name}", "is not a nudge setting")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"nudges.{name}", "must be a whole number")
        if not 0 <= value <= MAX_SETTING:
            raise ValidationError(f"nudges.{name}", f"must be from 0 (off) to {MAX_SETTING}")
        chosen[name] = value
    return replace(DEFAULTS, **chosen)


@dataclass(frozen=True, slots=True)
class Nudge:
    kind: Kind
    to_member: str
    occasion: str  # with kind, recipient and pairing: the key of "sent once"
    about: str = ""  # a member id the nudge speaks of, or a request id, or a component
    since: datetime | None = None  # when the waiting started, for "for N days"
    role: str = ""  # for requests: "asked", "asker" or "other" (a triad's third member)


@dataclass(frozen=True, slots=True)
class PairingFacts:
    """What the rules look at in one pairing. No text a member wrote is needed."""

    pairing_id: str
    members: tuple[str, ...]
    state: str  # "proposed", "active", "paused" ... (only proposed and active nudge)
    proposed_at: datetime
    activated_at: datetime | None = None
    awaiting: tuple[str, ...] = ()  # members who have not answered the proposal
    requests: tuple[GuidanceRequest, ...] = ()
    last_session_on: date | None = None
    schedule: RolePlaySchedule | None = None
    completed_roleplays: frozenset[int] = frozenset()
    last_checkin: Mapping[str, datetime] = field(default_factory=dict)
    pulse_interval: timedelta = timedelta(days=14)
    balance: BalanceReport | None = None
    last_active: Mapping[str, datetime] = field(default_factory=dict)


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def request_nudges(f: PairingFacts, s: NudgeSettings, now: datetime) -> list[Nudge]:
    """First to the asked member; once the escalation has passed too, to every member."""
    if not s.request_days:
        return []
    result = []
    for r in f.requests:
        if r.status is not RequestStatus.OPEN or r.recipient not in f.members:
            continue
        waited = now - r.asked_at
        if waited < _days(s.request_days):
            continue
        occasion = f"request-{r.request_id}"
        result.append(
            Nudge(Kind.REQUEST_UNANSWERED, r.recipient, occasion, r.asker, r.asked_at, "asked")
        )
        if s.request_escalate_days and waited >= _days(s.request_days + s.request_escalate_days):
            for m in f.members:
                role = "asked" if m == r.recipient else "asker" if m == r.asker else "other"
                about = r.asker if role == "asked" else r.recipient
                result.append(
                    Nudge(Kind.REQUEST_STILL_UNANSWERED, m, occasion, about, r.asked_at, role)
                )
    return result


def _midnight(day: date, like: datetime) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=like.tzinfo)


def no_session_nudges(f: PairingFacts, s: NudgeSettings, now: datetime) -> list[Nudge]:
    """Silence counted from the last session (or from activation): one nudge every
    `no_session_weeks` of it, each its own occasion."""
    if not s.no_session_weeks or f.activated_at is None:
        return []
    since = _midnight(f.last_session_on, now) if f.last_session_on is not None else f.activated_at
    spells = (now - since) // timedelta(weeks=s.no_session_weeks)
    if spells < 1:
        return []
    occasion = f"since-{since.date().isoformat()}-{spells}"
    return [Nudge(Kind.NO_SESSION, m, occasion, since=since) for m in f.members]


def roleplay_nudges(f: PairingFacts, s: NudgeSettings, now: datetime) -> list[Nudge]:
    """The latest role-play past its date (plus grace) and not done: one nudge each."""
    if f.schedule is None or not s.roleplay_grace_days:
        return []
    late = missed(f.schedule, now, f.completed_roleplays, _days(s.roleplay_grace_days))
    if not late:
        return []
    number = late[-1]
    due = _midnight(f.schedule.date_of(number), now)
    return [
        Nudge(Kind.ROLEPLAY_OVERDUE, m, f"roleplay-{number}", str(number), due) for m in f.members
    ]


def checkin_nudges(f: PairingFacts, s: NudgeSettings, now: datetime) -> list[Nudge]:
    """Each member's pulse, once per due date."""
    if f.activated_at is None:
        return []
    result = []
    for m in f.members:
        due = (f.last_checkin.get(m) or f.activated_at) + f.pulse_interval
        if now >= due + _days(s.checkin_late_days):
            result.append(Nudge(Kind.CHECKIN_DUE, m, f"due-{due.date().isoformat()}", since=due))
    return result


def one_sided_nudges(f: PairingFacts, s: NudgeSettings, now: datetime) -> list[Nudge]:
    """The balance meter's own nudges (domain.balance), at most once per component a
    period, so a lasting lean is a reminder, not a stream."""
    if f.balance is None or not s.one_sided_weeks:
        return []
    period = (now.date() - EPOCH).days // (7 * s.one_sided_weeks)
    seen: set[tuple[str, str]] = set()
    result = []
    for n in f.balance.nudges:
        if (n.to_member, n.component.value) in seen or n.to_member not in f.members:
            continue
        seen.add((n.to_member, n.component.value))
        occasion = f"{n.component.value}-{period}"
        result.append(Nudge(Kind.ONE_SIDED, n.to_member, occasion, n.component.value))
    return result


def proposal_nudges(f: PairingFacts, s: NudgeSettings, now: datetime) -> list[Nudge]:
    if not s.proposal_days or now - f.proposed_at < _days(s.proposal_days):
        return []
    return [Nudge(Kind.PROPOSAL_UNANSWERED, m, "proposal", since=f.proposed_at) for m in f.awaiting]


def inactive_since(f: PairingFacts, member: str) -> datetime:
    """The last thing a member did, or, when they have done nothing yet, the moment they
    were first expected to (the proposal)."""
    return max(f.last_active.get(member) or f.proposed_at, f.proposed_at)


def is_inactive(last: datetime, now: datetime, s: NudgeSettings) -> bool:
    return s.inactive_after is not None and now - last >= s.inactive_after


def may_release(last: datetime, now: datetime, s: NudgeSettings) -> bool:
    """Inactive long enough that an open proposal waiting for them may be released."""
    return s.release_after is not None and now - last >= s.release_after


def inactive_nudges(f: PairingFacts, s: NudgeSettings, now: datetime) -> list[Nudge]:
    result = []
    for m in f.members:
        last = inactive_since(f, m)
        if is_inactive(last, now, s):
            result.append(Nudge(Kind.INACTIVE, m, f"since-{last.date().isoformat()}", since=last))
    return result


def due_nudges(f: PairingFacts, s: NudgeSettings, now: datetime) -> tuple[Nudge, ...]:
    """Every nudge due in one pairing at `now`. A proposed pairing nudges those who have
    not answered; an active one runs every rule; a paused or ended one is left alone
    (a pause stops the clock)."""
    require_aware("now", now)
    rules: Iterable = ()
    if f.state == "proposed":
        rules = (proposal_nudges,)
    elif f.state == "active":
        rules = (
            request_nudges,
            no_session_nudges,
            roleplay_nudges,
            checkin_nudges,
            one_sided_nudges,
            inactive_nudges,
        )
    nudges = [n for rule in rules for n in rule(f, s, now)]
    if f.state == "proposed":
        nudges += [n for n in inactive_nudges(f, s, now) if n.to_member in f.awaiting]
    return tuple(nudges)


def key_of(n: Nudge, person_id: int, pairing_id: int | str) -> str:
    """The outbox key: kind + recipient + pairing + occasion."""
    return f"nudge.{n.kind.value}:{person_id}:{pairing_id}:{n.occasion}"
