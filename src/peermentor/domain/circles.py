"""Team circles: rotating peer-feedback rounds that do not depend on the team lead.

The rules here decide who reads a note, when an anonymous note is released, and what
the lead and admins may count. Rotation lives in `domain.rotation`.

- A note goes to its receiver; a signed note is also its giver's to re-read. The lead
  and admins never read one.
- Anonymous rounds need a circle of at least ANONYMOUS_MIN_MEMBERS. Anonymous notes are
  held until their round's deadline (so the moment of writing tells nothing) and until
  the receiver has at least RELEASE_MIN_NOTES of them; then they come all at once, in a
  shuffled order, without a giver.
- Participation figures over fewer than FIGURE_MIN_PEOPLE people are not shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from peermentor.domain.errors import ValidationError
from peermentor.domain.validation import require_text

ANONYMOUS_MIN_MEMBERS = 5
RELEASE_MIN_NOTES = 3
FIGURE_MIN_PEOPLE = 5
MIN_MEMBERS = 3
MAX_MEMBERS = 30
DEFAULT_CADENCE_DAYS = 14
MAX_REPLY = 2000


class ReplyKind(StrEnum):
    THANKS = "thanks"
    QUESTION = "question"


@dataclass(frozen=True, slots=True)
class NoteView:
    """What one viewer may know of a note: for an anonymous note, never its giver."""

    note_id: int
    round_number: int
    giver: str | None
    receiver: str
    anonymous: bool
    dimension: str
    situation: str
    behaviour: str
    impact: str
    suggestion: str
    acknowledged: bool


def require_anonymity_allowed(anonymous: bool, members: int) -> bool:
    if anonymous and members < ANONYMOUS_MIN_MEMBERS:
        raise ValidationError(
            "anonymous",
            f"a circle needs at least {ANONYMOUS_MIN_MEMBERS} members for anonymous rounds, "
            f"this one has {members}",
        )
    return anonymous


def require_cadence(days: int) -> int:
    if not 1 <= days <= 365:
        raise ValidationError("cadence_days", "must be between 1 and 365 days")
    return days


def require_reply(kind: str, text: str) -> tuple[ReplyKind, str]:
    try:
        chosen = ReplyKind(kind)
    except ValueError:
        raise ValidationError("kind", "choose thanks or question") from None
    return chosen, require_text("text", text, max_len=MAX_REPLY)


def can_read_signed(giver: str, receiver: str, viewer: str) -> bool:
    return viewer in (giver, receiver)


def can_read(*, giver: str, receiver: str, anonymous: bool, viewer: str) -> bool:
    """Whether the viewer may ever read the note (release aside): the receiver, and the
    giver of a signed note. An anonymous note is not shown back to its giver either, so
    nothing on the giver's screen ties them to it."""
    if anonymous:
        return viewer == receiver
    return can_read_signed(giver, receiver, viewer)


def released(anonymous_deadlines: Sequence[datetime], now: datetime) -> list[bool]:
    """For one receiver's anonymous notes (the deadline of each note's round): which are
    released now. A note waits for its deadline, and all wait until at least
    RELEASE_MIN_NOTES have passed theirs; then every note past its deadline is out."""
    past = [deadline <= now for deadline in anonymous_deadlines]
    if sum(past) < RELEASE_MIN_NOTES:
        return [False] * len(past)
    return past


def release_time(anonymous_deadlines: Iterable[datetime]) -> datetime | None:
    """When a receiver's anonymous notes first came out: the deadline at which the
    RELEASE_MIN_NOTES-th note's round closed."""
    ordered = sorted(anonymous_deadlines)
    if len(ordered) < RELEASE_MIN_NOTES:
        return None
    return ordered[RELEASE_MIN_NOTES - 1]


def shuffled(note_ids: Iterable[int], seed: str) -> list[int]:
    """A fixed order that says nothing about who wrote which or when: sorted by a keyed
    hash (the seed is secret to the server), not by id or time."""
    return sorted(note_ids, key=lambda note: hashlib.sha256(f"{seed}:{note}".encode()).hexdigest())


@dataclass(frozen=True, slots=True)
class RoundFigures:
    """Participation in one round, for the lead and admins. None: hidden (too few)."""

    round_number: int
    participants: int | None
    gave: int | None
    received: int | None
    acknowledged: int | None
    on_time: int | None
    late: int | None

    @property
    def hidden(self) -> bool:
        return self.participants is None


@dataclass(frozen=True, slots=True)
class NoteFact:
    """What participation counts of a note: no text, no names."""

    giver: str
    receiver: str
    given_at: datetime
    acknowledged: bool


def participation(
    round_number: int,
    participants: Iterable[str],
    deadline: datetime,
    notes: Iterable[NoteFact],
) -> RoundFigures:
    people = set(participants)
    if len(people) < FIGURE_MIN_PEOPLE:
        return RoundFigures(round_number, None, None, None, None, None, None)
    notes = [n for n in notes if n.giver in people]
    gave = {n.giver for n in notes}
    on_time = {n.giver for n in notes if n.given_at <= deadline}
    return RoundFigures(
        round_number=round_number,
        participants=len(people),
        gave=len(gave),
        received=len({n.receiver for n in notes}),
        acknowledged=len({n.receiver for n in notes if n.acknowledged}),
        on_time=len(on_time),
        late=len(gave - on_time),
    )
