"""When two people's working days overlap, in one of their clocks.

A pair in Berlin and Sydney needs to know that their 9-to-5s share nothing and that a
call at the day's edges is the way; a pair an hour apart, that they share seven hours.
Uses the IANA zones people were imported with (zoneinfo, the standard library) on the
given day, so clock changes are counted. Pure: the day is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True, slots=True)
class Overlap:
    """The shared working time, in the viewer's own clock (start and end as HH:MM)."""

    hours: float
    start: str = ""
    end: str = ""


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name.strip()) if name.strip() else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _at(day: date, hour: float, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=hour)


def overlap(
    mine: str, theirs: str, day: date, workday: tuple[float, float] = (9.0, 17.0)
) -> Overlap | None:
    """How the two working days (`workday` local hours each) overlap on `day`, told in
    my zone; None when either zone is unknown."""
    me, them = _zone(mine), _zone(theirs)
    if me is None or them is None:
        return None
    start, end = workday
    my_start, my_end = _at(day, start, me), _at(day, end, me)
    best = Overlap(0.0)
    # Their working day may fall on my day before, on it, or after it.
    for shift in (-1, 0, 1):
        their_day = day + timedelta(days=shift)
        their_start, their_end = _at(their_day, start, them), _at(their_day, end, them)
        lo, hi = max(my_start, their_start), min(my_end, their_end)
        hours = (hi - lo).total_seconds() / 3600
        if hours > best.hours:
            local = (lo.astimezone(me), hi.astimezone(me))
            best = Overlap(round(hours, 2), f"{local[0]:%H:%M}", f"{local[1]:%H:%M}")
    return best


def local_time(zone: str, now: datetime) -> str:
    """The time now in `zone` as HH:MM, or "" when the zone is unknown."""
    found = _zone(zone)
    return "" if found is None else f"{now.astimezone(found):%H:%M}"
