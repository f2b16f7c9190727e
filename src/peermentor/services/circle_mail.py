"""The mail circles send, as a source for the outbox: `due_mail(session, now)`.

- circle.reminder: a giver whose note is not written yet, REMINDER_BEFORE the deadline.
- circle.feedback_arrived: a signed note reached its receiver.
- circle.feedback_released: anonymous notes came out at a round's deadline. It is sent
  at the deadline, never when a note is written, so its time says nothing of who wrote.

No mail names a giver or carries a note's text; each has a key unique to its occasion,
so polling again (or from two workers) queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from peermentor.domain import circles as rules
from peermentor.mail.message import MailMessage, Outgoing
from peermentor.store import circles_repo as repo
from peermentor.store.circles_models import Circle, CircleRound

REMINDER_BEFORE = timedelta(days=2)
# How far back a source looks: the outbox keeps what it queued, by key, so an occasion
# older than this was queued on an earlier tick (the worker runs every minute or so).
LOOK_BACK = timedelta(days=7)


def _message(subject: str, line: str, link: str) -> MailMessage:
    text = f"{line}\n\nOpen your circle: {link}\n"
    html = f'<p>{line}</p><p><a href="{link}">Open your circle</a></p>'
    return MailMessage(subject=subject, text=text, html=html)


def due_mail(session: Session, now: datetime, *, base_url: str = "") -> Iterator[Outgoing]:
    """Everything circles have to say at `now` (see the module docstring)."""
    base = base_url.rstrip("/")
    circles: dict[int, Circle | None] = {}

    def circle_of(round_: CircleRound) -> Circle | None:
        if round_.circle_id not in circles:
            circles[round_.circle_id] = repo.get_circle(session, round_.circle_id)
        return circles[round_.circle_id]

    # Reminders: rounds whose deadline is near and not passed.
    for round_ in repo.rounds_with_deadline_between(session, now, now + REMINDER_BEFORE):
        circle = circle_of(round_)
        if circle is None:
            continue
        written = {n.assignment_id for n in repo.notes_of_rounds(session, [round_.id])}
        owing = sorted(
            {a.giver_id for a in repo.assignments_of(session, [round_.id]) if a.id not in written}
        )
        for giver in owing:
            yield Outgoing(
                kind="circle.reminder",
                person_id=giver,
                key=f"circle.reminder:{giver}:{round_.id}",
                message=_message(
                    f"Your note for {circle.name} is due {round_.deadline:%Y-%m-%d}",
                    f"Round {round_.number} of {circle.name} closes on "
                    f"{round_.deadline:%Y-%m-%d %H:%M} UTC and your colleague is waiting "
                    "for your note.",
                    f"{base}/circles/{circle.id}",
                ),
            )

    # Signed notes, as they arrive.
    for note in repo.notes_given_since(session, now - LOOK_BACK):
        if note.given_at > now:
            continue
        note_round = session.get(CircleRound, note.round_id)
        if note_round is None or note_round.anonymous:
            continue
        circle = circle_of(note_round)
        if circle is None:
            continue
        yield Outgoing(
            kind="circle.feedback_arrived",
            person_id=note.receiver_id,
            key=f"circle.feedback_arrived:{note.receiver_id}:{note.id}",
            message=_message(
                f"New feedback in {circle.name}",
                f"A colleague in {circle.name} gave you feedback.",
                f"{base}/circles/{circle.id}",
            ),
        )

    # Anonymous notes, at the deadline that released them.
    for round_ in repo.rounds_with_deadline_between(session, now - LOOK_BACK, now):
        if not round_.anonymous:
            continue
        circle = circle_of(round_)
        if circle is None:
            continue
        receivers = sorted({n.receiver_id for n in repo.notes_of_rounds(session, [round_.id])})
        for receiver in receivers:
            deadlines = [
                r.deadline
                for _, r in repo.anonymous_notes_for(session, receiver)
                if r.circle_id == circle.id
            ]
            out_at = rules.release_time(deadlines)
            if out_at is None or out_at > round_.deadline:
                continue  # still held: fewer than three so far
            yield Outgoing(
                kind="circle.feedback_released",
                person_id=receiver,
                key=f"circle.feedback_released:{receiver}:{round_.id}",
                message=_message(
                    f"Anonymous feedback released in {circle.name}",
                    f"Round {round_.number} of {circle.name} has closed and the anonymous "
                    "feedback colleagues wrote for you is now released.",
                    f"{base}/circles/{circle.id}",
                ),
            )
