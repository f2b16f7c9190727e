"""The shape every mail takes on its way to the outbox.

Whoever has something to tell a person (an event, a nudge, a circle reminder) builds an
`Outgoing`; the outbox stores it under its `key`, so the same occasion queued twice (a
retry, a second worker, a source polled again) is sent once. No body carries private
text: a mail says that something happened and links to the page that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class MailMessage:
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = field(default=())


@dataclass(frozen=True)
class Outgoing:
    kind: str  # the unit a person can unsubscribe from, e.g. "nudge.request_unanswered"
    person_id: int  # the recipient (people.id); the outbox finds their address
    key: str  # unique per occasion: kind + recipient + subject object + due date
    message: MailMessage
