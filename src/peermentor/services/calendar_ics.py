"""iCalendar files of the pairs' meetings, built with the `icalendar` package.

An invite (METHOD:REQUEST, or METHOD:CANCEL once cancelled) carries one series: its
stable UID, its SEQUENCE (raised on every change, so calendar apps replace the older
copy), DTSTART/DTEND in the series' time zone with that zone's VTIMEZONE, and an RRULE
for the cadence. A feed (no METHOD) lists a person's live series. Summaries are
neutral ("Peer mentoring session with Ana"): no word a pair wrote is ever in a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from icalendar import Calendar, Event, vCalAddress, vRecur, vText

from peermentor.domain.meetings import KIND_WORDS, MeetingSeries, rrule_of

PRODID = "-//peermentor//peer mentoring//EN"


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class EventText:
    summary: str  # e.g. "Peer mentoring session with Ana"
    description: str
    url: str


def summary_for(s: MeetingSeries, partner_names: list[str]) -> str:
    return f"Peer mentoring {KIND_WORDS[s.kind]} with " + " and ".join(partner_names)


def _event(
    s: MeetingSeries,
    text: EventText,
    now: datetime,
    attendees: Iterable[Attendee] = (),
    organizer: str | None = None,
) -> Event:
    event = Event()
    event.add("uid", s.uid)
    event.add("sequence", s.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", s.starts_at)
    event.add("dtend", s.ends_at)
    event.add("summary", text.summary)
    event.add("description", text.description)
    event.add("url", text.url)
    event.add("status", "CANCELLED" if s.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if s.updated_at is not None:
        event.add("last-modified", s.updated_at.astimezone(UTC))
    rule = rrule_of(s.cadence, s.starts_at.date())
    if rule is not None:
        event.add("rrule", vRecur(rule))
    if organizer:
        who = vCalAddress(f"mailto:{organizer}")
        who.params["cn"] = vText("peermentor")
        event["organizer"] = who
    for a in attendees:
        address = vCalAddress(f"mailto:{a.email}")
        address.params["cn"] = vText(a.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address, encode=False)
    return event


def _zones(cal: Calendar, series: list[MeetingSeries]) -> None:
    """VTIMEZONE for every zone used, from the year before the first meeting (the
    package's default starts in 1970, which only makes files longer)."""
    if series:
        first = min(s.starts_at.year for s in series) - 1
        cal.add_missing_timezones(first_date=date(first, 1, 1))


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def invite(
    s: MeetingSeries,
    text: EventText,
    now: datetime,
    *,
    attendees: Iterable[Attendee],
    organizer: str,
) -> bytes:
    """One member's invite to a series: REQUEST while it stands, CANCEL once cancelled."""
    cal = _calendar("CANCEL" if s.cancelled else "REQUEST")
    cal.add_component(_event(s, text, now, attendees, organizer))
    _zones(cal, [s])
    return cal.to_ical()


def feed(events: Iterable[tuple[MeetingSeries, EventText]], now: datetime, name: str) -> bytes:
    """A subscription calendar: every live series of one person."""
    cal = _calendar(None)
    cal.add("x-wr-calname", name)
    shown = list(events)
    for s, text in shown:
        cal.add_component(_event(s, text, now))
    _zones(cal, [s for s, _ in shown])
    return cal.to_ical()


def content_type(s: MeetingSeries) -> str:
    return f"text/calendar; charset=utf-8; method={'CANCEL' if s.cancelled else 'REQUEST'}"
