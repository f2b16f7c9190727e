"""The pairs' calendars: schedule, change and cancel meetings; invites and feeds.

A pair schedules its sessions and its role-plays as series (one of each kind at a
time); every member gets an iCalendar invite, by mail (`invite_mail`, or `due_mail`
as an outbox source) and as a download from the workspace (`my_invite`). Each person
may also have a private feed address that calendar apps subscribe to without signing
in: its token is shown once, stored as a digest, and replaced or revoked from the
account page.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape

from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.domain import meetings as rules
from peermentor.domain.charter import Cadence
from peermentor.domain.charter import cadence as make_cadence
from peermentor.domain.errors import NotFound as NoSuchItem
from peermentor.domain.errors import NotReady, ValidationError
from peermentor.domain.meetings import MeetingKind, MeetingSeries
from peermentor.mail.message import Attachment, MailMessage, Outgoing
from peermentor.services.access import Actor, InvalidInput, NotFound
from peermentor.services.auth import digest
from peermentor.services.calendar_ics import (
    Attendee,
    EventText,
    content_type,
    feed,
    invite,
    summary_for,
)
from peermentor.services.workspace.access import find_pairing, open_for_writing, open_workspace
from peermentor.store import calendar_repo as repo
from peermentor.store.models import Pairing, Person
from peermentor.store.workspace_charter import load_charter
from peermentor.store.workspace_practice import load_schedules
from peermentor.store.workspace_repo import NEW_ID, members_of, person_id

ONCE = "once"
# Invites are offered to the outbox for this long after a change: the outbox keeps the
# key (uid + sequence + recipient), so offering one again sends nothing new.
INVITE_WINDOW = timedelta(days=7)
FEED_PATH = "/calendar/{token}.ics"


@dataclass(frozen=True, slots=True)
class CalendarBoard:
    series: tuple[MeetingSeries, ...]  # newest first
    my_zone: str  # the acting member's time zone (the form's default)
    default_cadence: dict[str, Cadence]  # by meeting kind: the charter's, the role-plays'


def _zone_name(person: Person) -> str:
    try:
        return rules.zone_of(person.timezone).key
    except Exception:  # a zone imported before zones were checked: fall back to UTC
        return rules.DEFAULT_ZONE


def _defaults(session: Session, pairing: Pairing) -> dict[str, Cadence]:
    members = members_of(pairing)
    charter = load_charter(session, pairing.id, members)
    schedule = load_schedules(session, {pairing.id: members}).get(pairing.id)
    result = {}
    if charter is not None:
        result[MeetingKind.SESSION.value] = charter.current.cadence
    if schedule is not None:
        result[MeetingKind.ROLEPLAY.value] = schedule.cadence
    return result


def pairing_calendar(session: Session, actor: Actor, pairing_id: int) -> CalendarBoard:
    ws = open_workspace(session, actor, pairing_id)
    row = find_pairing(session, ws.id)
    me = _people_of(row)[ws.me]
    return CalendarBoard(
        series=tuple(reversed(repo.load_series(session, row))),
        my_zone=_zone_name(me),
        default_cadence=_defaults(session, row),
    )


def _cadence(
    session: Session, pairing: Pairing, kind: str, chosen: str | None, every_days: int | None
) -> Cadence | None:
    if chosen == ONCE:
        return None
    if chosen:
        return make_cadence(chosen, every_days)
    found = _defaults(session, pairing).get(kind)
    if found is None:
        raise NotReady(
            f"schedule {rules.KIND_WORDS[MeetingKind(kind)]}s by the agreed rhythm",
            "none is set yet: choose how often",
        )
    return found


def schedule_meeting(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    *,
    kind: str,
    day: date,
    at: time,
    zone: str,
    minutes: int,
    cadence: str | None = None,
    every_days: int | None = None,
) -> MeetingSeries:
    """Schedule the pairing's sessions or role-plays. Without a cadence: the charter's
    (sessions) or the role-play schedule's; "once": a single meeting. A series of this
    kind that stands already is changed (same uid, higher sequence)."""
    ws = open_for_writing(session, actor, pairing_id, "schedule meetings in")
    if kind not in {k.value for k in MeetingKind}:
        raise ValidationError("kind", "must be a session or a role-play")
    row = find_pairing(session, ws.id)
    rhythm = _cadence(session, row, kind, cadence, every_days)
    starts = rules.local_start(day, at, zone)
    current = next(
        (s for s in repo.load_series(session, row) if s.kind == kind and not s.cancelled),
        None,
    )
    if current is None:
        new = rules.schedule(
            NEW_ID, f"{uuid.uuid4()}@peermentor", ws.members, ws.me, kind, now,
            starts_at=starts, zone=zone, minutes=minutes, cadence=rhythm,
        )  # fmt: skip
    else:
        new = rules.change(
            current, ws.me, now, starts_at=starts, zone=zone, minutes=minutes, cadence=rhythm
        )
        if new is current:
            return current
    saved = repo.save_series(session, ws.id, new, created_by=person_id(ws.me))
    session.commit()
    return saved


def _of_pairing(session: Session, pairing: Pairing, series_id: int) -> MeetingSeries:
    found = repo.find_series(session, series_id)
    if found is None or found[0].id != pairing.id:
        raise NoSuchItem("meeting", str(series_id))
    return found[1]


def cancel_meeting(
    session: Session, actor: Actor, pairing_id: int, series_id: int, now: datetime
) -> MeetingSeries:
    ws = open_for_writing(session, actor, pairing_id, "cancel meetings in")
    current = _of_pairing(session, find_pairing(session, ws.id), series_id)
    after = rules.cancel(current, ws.me, now)
    if after is current:
        return current
    saved = repo.save_series(session, ws.id, after)
    session.commit()
    return saved


def _text(s: MeetingSeries, pairing: Pairing, me: str, base_url: str) -> EventText:
    people = _people_of(pairing)
    partners = [_first(people[m].name) for m in s.members if m != me and m in people]
    url = f"{base_url.rstrip('/')}/pairings/{pairing.id}/calendar"
    summary = summary_for(s, partners)
    return EventText(summary, f"{summary}. Your pairing's page: {url}", url)


def _people_of(pairing: Pairing) -> dict[str, Person]:
    return {str(m.person_id): m.person for m in pairing.members}


def _first(name: str) -> str:
    return (name.split() or [name])[0]


def _invite_for(
    s: MeetingSeries, pairing: Pairing, me: str, now: datetime, base_url: str, organizer: str
) -> bytes:
    people = _people_of(pairing)
    attendees = [Attendee(people[m].name, people[m].email) for m in s.members if m in people]
    return invite(s, _text(s, pairing, me, base_url), now, attendees=attendees, organizer=organizer)


def my_invite(
    session: Session,
    actor: Actor,
    pairing_id: int,
    series_id: int,
    now: datetime,
    *,
    base_url: str,
    organizer: str,
) -> tuple[bytes, str]:
    """The acting member's invite to one series, and its content type (members only)."""
    ws = open_workspace(session, actor, pairing_id)
    row = find_pairing(session, ws.id)
    s = _of_pairing(session, row, series_id)
    return _invite_for(s, row, ws.me, now, base_url, organizer), content_type(s)


def _mail_for(
    s: MeetingSeries, pairing: Pairing, m: str, now: datetime, base_url: str, organizer: str
) -> Outgoing:
    people = _people_of(pairing)
    text = _text(s, pairing, m, base_url)
    local = s.starts_at.astimezone(rules.zone_of(_zone_name(people[m])))
    when = f"{local:%A %d %B %Y, %H:%M} ({local.tzinfo})"
    if s.cancelled:
        subject = f"Cancelled: {text.summary}"
        body = f"{text.summary} is cancelled; the attached file removes it from your calendar."
    else:
        subject = f"Invitation: {text.summary}" if s.sequence == 0 else f"Updated: {text.summary}"
        body = f"{text.summary}, first on {when}. The attached invite adds it to your calendar."
    data = _invite_for(s, pairing, m, now, base_url, organizer)
    kind = "calendar.cancel" if s.cancelled else "calendar.invite"
    return Outgoing(
        kind=kind,
        person_id=people[m].id,
        key=f"{kind}:{people[m].id}:{s.uid}:{s.sequence}",
        message=MailMessage(
            subject=subject,
            text=f"Hello {_first(people[m].name)},\n\n{body}\n\n{text.url}\n",
            html=(
                f"<p>Hello {escape(_first(people[m].name))},</p><p>{escape(body)}</p>"
                f'<p><a href="{escape(text.url)}">{escape(text.url)}</a></p>'
            ),
            attachments=(Attachment("invite.ics", content_type(s), data),),
        ),
    )


def invite_mail(
    session: Session, series_id: int, now: datetime, *, base_url: str, organizer: str
) -> list[Outgoing]:
    """The invite (or cancellation) of one series for each of its members, to queue
    right after a change."""
    found = repo.find_series(session, series_id)
    if found is None:
        raise NotFound(f"no meeting series {series_id}")
    pairing, s = found
    return [_mail_for(s, pairing, m, now, base_url, organizer) for m in s.members]


def due_mail(
    session: Session,
    now: datetime,
    base_url: str | None = None,
    organizer: str | None = None,
) -> Iterator[Outgoing]:
    """Invites for every series changed in the last INVITE_WINDOW, as an outbox source;
    key = kind + recipient + uid + sequence, so each version is sent once."""
    settings = Settings() if base_url is None or organizer is None else None
    url = base_url if base_url is not None else settings.base_url  # type: ignore[union-attr]
    sender = organizer if organizer is not None else settings.smtp_from  # type: ignore[union-attr]
    for pairing, s in repo.changed_since(session, now - INVITE_WINDOW):
        if pairing.state not in repo.LIVE_STATES and not s.cancelled:
            continue
        for m in s.members:
            yield _mail_for(s, pairing, m, now, url, sender)


# --- the private feed ---


def feed_created_at(session: Session, actor: Actor) -> datetime | None:
    if actor.person_id is None:
        return None
    row = repo.feed_of(session, actor.person_id)
    return None if row is None else row.created_at


def _require_person(actor: Actor) -> int:
    if actor.person_id is None:
        raise InvalidInput("calendar feeds are for people in a programme; this account has none")
    return actor.person_id


def create_feed(session: Session, actor: Actor, now: datetime) -> str:
    """A new secret feed token for the actor (any older address stops working). The
    token is returned once and only its digest is kept."""
    pid = _require_person(actor)
    token = secrets.token_urlsafe(32)
    repo.replace_feed(session, pid, digest(token), now)
    session.commit()
    return token


def revoke_feed(session: Session, actor: Actor) -> bool:
    gone = repo.drop_feed(session, _require_person(actor))
    session.commit()
    return gone


def feed_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + FEED_PATH.format(token=token)


def feed_calendar(session: Session, token: str, now: datetime, *, base_url: str) -> bytes:
    """The calendar of the person holding this token; NotFound for anything else."""
    row = repo.feed_by_hash(session, digest(token)) if 10 < len(token) < 200 else None
    if row is None:
        raise NotFound("no such calendar")
    events = [
        (s, _text(s, pairing, str(row.person_id), base_url))
        for pairing, s in repo.series_of_person(session, row.person_id)
    ]
    return feed(events, now, "Peer mentoring")


def mail_source(settings: Settings) -> Callable[[Session, datetime], Iterator[Outgoing]]:
    """due_mail bound to the settings' base URL and sender, for the outbox's sources."""

    def source(session: Session, now: datetime) -> Iterator[Outgoing]:
        return due_mail(session, now, settings.base_url, settings.smtp_from)

    return source
