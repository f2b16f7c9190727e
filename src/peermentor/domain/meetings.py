"""Meetings a pair puts in its calendars: a series of sessions or role-plays.

A series has a stable uid (the calendar apps' handle on it), a first meeting at a
local time in one time zone, a length and a cadence (the charter's, or once). Every
change, cancelling included, raises its sequence, which is how calendar apps know a
newer invite replaces the one they hold. The time zone is the series' own (the one
the member who scheduled it chose): a weekly 10:00 in Paris stays at 10:00 in Paris
across daylight-saving changes, and each member's calendar shows it in their zone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peermentor.domain.charter import Cadence, CadenceKind
from peermentor.domain.errors import NotReady, ValidationError
from peermentor.domain.validation import require_aware, require_member, require_members

MIN_MINUTES, MAX_MINUTES = 15, 8 * 60
MAX_AHEAD = timedelta(days=366)
DEFAULT_ZONE = "UTC"


class MeetingKind(StrEnum):
    SESSION = "session"
    ROLEPLAY = "roleplay"


KIND_WORDS = {MeetingKind.SESSION: "session", MeetingKind.ROLEPLAY: "role-play"}


@dataclass(frozen=True, slots=True)
class MeetingSeries:
    series_id: str
    uid: str
    members: tuple[str, ...]
    kind: MeetingKind
    starts_at: datetime  # aware, in `zone`
    zone: str
    minutes: int
    cadence: Cadence | None  # None: a single meeting
    sequence: int = 0
    cancelled_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


def zone_of(name: str) -> ZoneInfo:
    """An IANA zone; an empty name is UTC (people imported without one)."""
    text = (name or "").strip() or DEFAULT_ZONE
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "timezone", f"{text!r} is not a time zone (e.g. Europe/Paris)"
        ) from None


def local_start(day: date, at: time, zone: str) -> datetime:
    """The aware moment `day` `at` o'clock in `zone`. A time that does not exist there
    (skipped by a daylight-saving change) is refused rather than moved silently."""
    tz = zone_of(zone)
    moment = datetime.combine(day, at, tzinfo=tz)
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(tz)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ValidationError("time", f"{at:%H:%M} does not exist on {day} in {zone}")
    return moment


def _checked(
    starts_at: datetime, zone: str, minutes: int, now: datetime
) -> tuple[datetime, str, int]:
    require_aware("now", now)
    require_aware("starts_at", starts_at)
    tz = zone_of(zone)
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValidationError("minutes", "must be a whole number")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError("minutes", f"must be from {MIN_MINUTES} to {MAX_MINUTES}")
    if abs(starts_at - now) > MAX_AHEAD:
        raise ValidationError("date", "must be within a year of today")
    return starts_at.astimezone(tz), tz.key, minutes


def schedule(
    series_id: str,
    uid: str,
    members: tuple[str, ...],
    author: str,
    kind: MeetingKind | str,
    now: datetime,
    *,
    starts_at: datetime,
    zone: str,
    minutes: int,
    cadence: Cadence | None,
) -> MeetingSeries:
    members = require_members(members)
    require_member(members, author)
    try:
        k = MeetingKind(kind)
    except ValueError:
        raise ValidationError("kind", "must be a session or a role-play") from None
    if not uid.strip():
        raise ValidationError("uid", "must not be empty")
    start, tz, length = _checked(starts_at, zone, minutes, now)
    return MeetingSeries(series_id, uid, members, k, start, tz, length, cadence, 0, None, now)


def change(
    s: MeetingSeries,
    author: str,
    now: datetime,
    *,
    starts_at: datetime,
    zone: str,
    minutes: int,
    cadence: Cadence | None,
) -> MeetingSeries:
    """A new time, length or cadence: the same series (uid), a higher sequence. Saving
    the same values again is not a change and sends nothing new."""
    require_member(s.members, author)
    if s.cancelled:
        raise NotReady("change this meeting", "it was cancelled; schedule a new one")
    start, tz, length = _checked(starts_at, zone, minutes, now)
    if (start, tz, length, cadence) == (s.starts_at, s.zone, s.minutes, s.cadence):
        return s
    return replace(
        s,
        starts_at=start,
        zone=tz,
        minutes=length,
        cadence=cadence,
        sequence=s.sequence + 1,
        updated_at=now,
    )


def cancel(s: MeetingSeries, author: str, now: datetime) -> MeetingSeries:
    require_member(s.members, author)
    require_aware("now", now)
    if s.cancelled:
        return s
    return replace(s, cancelled_at=now, sequence=s.sequence + 1, updated_at=now)


def rrule_of(cadence: Cadence | None, first: date) -> dict[str, object] | None:
    """The RFC 5545 recurrence of a cadence, as icalendar's vRecur parts. Monthly keeps
    the day of the month and falls back to the month's last day, as the charter does
    (31 January, then 28 or 29 February)."""
    if cadence is None:
        return None
    if cadence.kind is CadenceKind.WEEKLY:
        return {"FREQ": "WEEKLY", "INTERVAL": 1}
    if cadence.kind is CadenceKind.FORTNIGHTLY:
        return {"FREQ": "WEEKLY", "INTERVAL": 2}
    if cadence.kind is CadenceKind.EVERY_N_DAYS:
        return {"FREQ": "DAILY", "INTERVAL": cadence.days}
    if first.day <= 28:
        return {"FREQ": "MONTHLY", "INTERVAL": 1}
    if first.day == 31:
        return {"FREQ": "MONTHLY", "BYMONTHDAY": -1}
    return {"FREQ": "MONTHLY", "BYMONTHDAY": [first.day, -1], "BYSETPOS": 1}


def next_meeting(s: MeetingSeries, now: datetime) -> datetime | None:
    """The first meeting that has not ended by `now` (local wall time kept across
    daylight-saving changes), or None when the series is over or cancelled."""
    if s.cancelled:
        return None
    if s.cadence is None:
        return s.starts_at if s.ends_at > now else None
    tz = zone_of(s.zone)
    wall = s.starts_at.replace(tzinfo=None)
    n = 0
    while n < 10_000:
        day = s.cadence.occurrence(wall.date(), n)
        moment = datetime.combine(day, wall.time(), tzinfo=tz)
        if moment + timedelta(minutes=s.minutes) > now:
            return moment
        n += 1
    return None
