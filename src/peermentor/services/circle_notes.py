"""Team circles, the members' side: this round's colleague, giving a note, notes
received, acknowledging and replying, skipping a round or pausing; and the lead's
participation figures. A note is its receiver's (and its giver's, when signed) and
nobody else's; the lead and admins get counts, never text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain import circles as rules
from peermentor.domain import feedback as feedback_rules
from peermentor.domain import rotation
from peermentor.domain.errors import NotReady, ValidationError
from peermentor.services.access import Actor, Forbidden, NotFound
from peermentor.services.circles import find_circle, require_lead_or_admin
from peermentor.store import circles_repo as repo
from peermentor.store.circles_models import (
    Circle,
    CircleAssignment,
    CircleNote,
    CircleReply,
    CircleRound,
    CircleSkip,
)
from peermentor.store.models import Person


def member_circle(session: Session, actor: Actor, circle_id: int, *, lock: bool = False) -> Circle:
    """A circle the actor is a member of now (the lead is not a member)."""
    circle = repo.get_circle(session, circle_id, lock=lock)
    if circle is None:
        raise NotFound(f"no circle {circle_id}")
    if actor.person_id is None or repo.membership(session, circle.id, actor.person_id) is None:
        raise Forbidden("only the members of a circle see its rounds and notes")
    return circle


def my_circles(session: Session, actor: Actor) -> list[tuple[Circle, bool]]:
    """(circle, I lead it) for every circle I am in or lead."""
    if actor.person_id is None:
        return []
    return [
        (c, c.lead_person_id == actor.person_id)
        for c in repo.circles_of_person(session, actor.person_id)
    ]


# --- what a member sees ---


@dataclass(frozen=True, slots=True)
class Reply:
    kind: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ShownNote:
    view: rules.NoteView
    given_at: datetime | None  # None for anonymous notes: the time could tell who wrote
    replies: tuple[Reply, ...]


@dataclass(frozen=True, slots=True)
class ToGive:
    assignment_id: int
    receiver: Person
    given: bool


@dataclass(frozen=True, slots=True)
class RoundLine:
    number: int
    starts_at: datetime
    deadline: datetime
    anonymous: bool
    took_part: bool
    skipped: bool
    gave: int
    to_give: int


@dataclass(frozen=True, slots=True)
class MemberView:
    circle: Circle
    round: CircleRound | None
    open: bool  # the current round still takes notes (until the next round starts)
    to_give: tuple[ToGive, ...]
    skipped: bool
    may_skip: bool
    received: tuple[ShownNote, ...]
    held: int  # anonymous notes to me not released yet (a count says nothing of who)
    given: tuple[ShownNote, ...]  # my signed notes
    history: tuple[RoundLine, ...]
    names: dict[int, str]


def _view(note: CircleNote, anonymous: bool) -> rules.NoteView:
    return rules.NoteView(
        note_id=note.id,
        round_number=0,
        giver=None if anonymous else str(note.giver_id),
        receiver=str(note.receiver_id),
        anonymous=anonymous,
        dimension=note.dimension,
        situation=note.situation,
        behaviour=note.behaviour,
        impact=note.impact,
        suggestion=note.suggestion,
        acknowledged=note.acknowledged_at is not None,
    )


def _replies(session: Session, notes: list[CircleNote]) -> dict[int, tuple[Reply, ...]]:
    found: dict[int, list[Reply]] = {}
    for r in repo.replies_of(session, [n.id for n in notes]):
        found.setdefault(r.note_id, []).append(Reply(r.kind, r.text, r.created_at))
    return {k: tuple(v) for k, v in found.items()}


def visible_received(
    session: Session, circle: Circle, me: int, now: datetime
) -> tuple[list[ShownNote], int]:
    """Notes to me that I may read now, and how many anonymous ones are still held."""
    rounds = {r.id: r for r in repo.rounds_of(session, circle.id)}
    mine = [n for n in repo.notes_of_rounds(session, list(rounds)) if n.receiver_id == me]
    signed = [n for n in mine if not rounds[n.round_id].anonymous]
    anonymous = [n for n in mine if rounds[n.round_id].anonymous]
    out_now = rules.released([rounds[n.round_id].deadline for n in anonymous], now)
    released = [n for n, ok in zip(anonymous, out_now, strict=True) if ok]
    order = rules.shuffled([n.id for n in released], f"{circle.shuffle_seed}:{me}")
    by_id = {n.id: n for n in released}
    replies = _replies(session, signed + released)
    shown = [
        ShownNote(_numbered(_view(n, False), rounds[n.round_id]), n.given_at, replies.get(n.id, ()))
        for n in reversed(signed)
    ] + [ShownNote(_view(by_id[i], True), None, replies.get(i, ())) for i in order]
    return shown, len(anonymous) - len(released)


def _numbered(view: rules.NoteView, round_: CircleRound) -> rules.NoteView:
    from dataclasses import replace

    return replace(view, round_number=round_.number)


def member_view(session: Session, actor: Actor, circle_id: int, now: datetime) -> MemberView:
    circle = member_circle(session, actor, circle_id)
    me = actor.person_id
    assert me is not None
    rounds = list(repo.rounds_of(session, circle.id))
    ids = [r.id for r in rounds]
    pairs = repo.assignments_of(session, ids)
    notes = repo.notes_of_rounds(session, ids)
    skips = {(s.round_id, s.person_id) for s in repo.skips_of(session, ids)}
    noted = {n.assignment_id for n in notes}
    current = rounds[-1] if rounds else None
    people = repo.people_by_id(
        session, sorted({p.giver_id for p in pairs} | {p.receiver_id for p in pairs} | {me})
    )
    to_give: list[ToGive] = []
    if current is not None:
        to_give = [
            ToGive(p.id, people[p.receiver_id], p.id in noted)
            for p in pairs
            if p.round_id == current.id and p.giver_id == me
        ]
    received, held = visible_received(session, circle, me, now)
    given_signed = [
        n for n in notes if n.giver_id == me and not _round(rounds, n.round_id).anonymous
    ]
    replies = _replies(session, given_signed)
    history = []
    for r in reversed(rounds):
        mine = [p for p in pairs if p.round_id == r.id and p.giver_id == me]
        part = any(me in (p.giver_id, p.receiver_id) for p in pairs if p.round_id == r.id)
        history.append(
            RoundLine(
                r.number,
                r.starts_at,
                r.deadline,
                r.anonymous,
                part,
                (r.id, me) in skips,
                sum(1 for p in mine if p.id in noted),
                len(mine),
            )
        )
    current_skipped = current is not None and (current.id, me) in skips
    return MemberView(
        circle=circle,
        round=current,
        open=current is not None,
        to_give=tuple(to_give),
        skipped=current_skipped,
        may_skip=current is not None
        and not current_skipped
        and _untouched(pairs, notes, current, me),
        received=tuple(received),
        held=held,
        given=tuple(
            ShownNote(
                _numbered(_view(n, False), _round(rounds, n.round_id)),
                n.given_at,
                replies.get(n.id, ()),
            )
            for n in reversed(given_signed)
        ),
        history=tuple(history),
        names={p.id: p.name for p in people.values()},
    )


def _round(rounds: list[CircleRound], round_id: int) -> CircleRound:
    return next(r for r in rounds if r.id == round_id)


def _untouched(pairs: object, notes: object, current: CircleRound, me: int) -> bool:
    """No note from me or to me in the round yet: I can still step out of it."""
    return not any(
        n.round_id == current.id and me in (n.giver_id, n.receiver_id)
        for n in notes  # type: ignore[attr-defined]
    )


# --- what a member does ---


def give_note(
    session: Session,
    actor: Actor,
    circle_id: int,
    now: datetime,
    *,
    receiver_id: int,
    dimension: str,
    situation: str,
    behaviour: str,
    impact: str,
    suggestion: str = "",
) -> CircleNote:
    """A note to this round's colleague; the pair workspace's feedback form and its
    rules (domain.feedback) apply. Late is allowed until the next round starts."""
    circle = member_circle(session, actor, circle_id, lock=True)
    me = actor.person_id
    assert me is not None
    current = repo.current_round(session, circle.id)
    if current is None:
        raise NotReady("give a note", "the circle has not started its first round")
    assignment = next(
        (
            a
            for a in repo.assignments_of(session, [current.id])
            if a.giver_id == me and a.receiver_id == receiver_id
        ),
        None,
    )
    if assignment is None:
        raise ValidationError("receiver_id", "is not a colleague you give to in this round")
    if any(n.assignment_id == assignment.id for n in repo.notes_of_rounds(session, [current.id])):
        raise NotReady("give a note", "you already gave this colleague their note this round")
    checked = feedback_rules.give_feedback(
        "new",
        (str(me), str(receiver_id)),
        str(me),
        str(receiver_id),
        now,
        dimension=dimension,
        situation=situation,
        behaviour=behaviour,
        impact=impact,
        suggestion=suggestion,
    )
    note = CircleNote(
        assignment_id=assignment.id,
        round_id=current.id,
        giver_id=me,
        receiver_id=receiver_id,
        dimension=checked.dimension.value,
        situation=checked.situation,
        behaviour=checked.behaviour,
        impact=checked.impact,
        suggestion=checked.suggestion,
        given_at=now,
    )
    session.add(note)
    session.commit()
    return note


def readable_note(
    session: Session, actor: Actor, note_id: int, now: datetime
) -> tuple[CircleNote, Circle]:
    """A note to me that I may read now (released, if anonymous)."""
    note = repo.note(session, note_id)
    if note is None or actor.person_id is None or note.receiver_id != actor.person_id:
        raise NotFound(f"no note {note_id} for you")
    round_ = session.get(CircleRound, note.round_id)
    assert round_ is not None
    circle = find_circle(session, round_.circle_id)
    visible, _ = visible_received(session, circle, actor.person_id, now)
    if note.id not in {s.view.note_id for s in visible}:
        raise NotFound(f"no note {note_id} for you")
    return note, circle


def acknowledge_note(session: Session, actor: Actor, note_id: int, now: datetime) -> CircleNote:
    note, _ = readable_note(session, actor, note_id, now)
    if note.acknowledged_at is None:
        note.acknowledged_at = now
    session.commit()
    return note


def reply_to_note(
    session: Session, actor: Actor, note_id: int, now: datetime, *, kind: str, text: str
) -> CircleReply:
    """A thank-you or a question back to a signed note's giver (acknowledging it too).
    An anonymous note cannot be answered: its giver is nobody's to know."""
    note, _ = readable_note(session, actor, note_id, now)
    round_ = session.get(CircleRound, note.round_id)
    assert round_ is not None
    if round_.anonymous:
        raise NotReady("reply", "an anonymous note's giver cannot be reached; acknowledge it")
    chosen, clean = rules.require_reply(kind, text)
    reply = CircleReply(note_id=note.id, kind=chosen.value, text=clean, created_at=now)
    session.add(reply)
    if note.acknowledged_at is None:
        note.acknowledged_at = now
    session.commit()
    return reply


def take_out_of_current_round(session: Session, circle: Circle, person_id: int) -> None:
    """Splice a person out of the round under way (domain.rotation.drop_from_round):
    pairs whose note is written stay; the rest close up around the gap."""
    current = repo.current_round(session, circle.id)
    if current is None:
        return
    rows = list(repo.assignments_of(session, [current.id]))
    written = {n.assignment_id for n in repo.notes_of_rounds(session, [current.id])}
    pairs = [(str(a.giver_id), str(a.receiver_id)) for a in rows]
    fixed = [(str(a.giver_id), str(a.receiver_id)) for a in rows if a.id in written]
    kept = set(rotation.drop_from_round(pairs, str(person_id), fixed))
    for a in rows:
        if (str(a.giver_id), str(a.receiver_id)) not in kept:
            session.delete(a)
    session.flush()
    existing = {(str(a.giver_id), str(a.receiver_id)) for a in rows}
    for giver, receiver in sorted(kept - existing):
        session.add(
            CircleAssignment(round_id=current.id, giver_id=int(giver), receiver_id=int(receiver))
        )
    session.flush()


def skip_round(session: Session, actor: Actor, circle_id: int, now: datetime) -> None:
    """Step out of the round under way, before any note from or to me: the rotation
    closes up around me."""
    circle = member_circle(session, actor, circle_id, lock=True)
    me = actor.person_id
    assert me is not None
    current = repo.current_round(session, circle.id)
    if current is None:
        raise NotReady("skip the round", "the circle has not started its first round")
    if any(s.person_id == me for s in repo.skips_of(session, [current.id])):
        raise NotReady("skip the round", "you already skip this round")
    notes = repo.notes_of_rounds(session, [current.id])
    if any(me in (n.giver_id, n.receiver_id) for n in notes):
        raise NotReady("skip the round", "a note from you or to you is already written")
    take_out_of_current_round(session, circle, me)
    session.add(CircleSkip(round_id=current.id, person_id=me, skipped_at=now))
    session.commit()


def pause(
    session: Session, actor: Actor, circle_id: int, now: datetime, *, until: datetime
) -> None:
    """Leave out the rounds that start before `until`; the current one is skipped when
    that is still possible."""
    if until.tzinfo is None:
        raise ValidationError("until", "give a time zone")
    if until <= now:
        raise ValidationError("until", "must be in the future")
    circle = member_circle(session, actor, circle_id, lock=True)
    assert actor.person_id is not None
    found = repo.membership(session, circle.id, actor.person_id)
    assert found is not None
    found.paused_until = until
    current = repo.current_round(session, circle.id)
    session.flush()
    if current is not None:
        notes = repo.notes_of_rounds(session, [current.id])
        skipped = any(s.person_id == actor.person_id for s in repo.skips_of(session, [current.id]))
        if not skipped and not any(actor.person_id in (n.giver_id, n.receiver_id) for n in notes):
            take_out_of_current_round(session, circle, actor.person_id)
            session.add(CircleSkip(round_id=current.id, person_id=actor.person_id, skipped_at=now))
    session.commit()


def resume(session: Session, actor: Actor, circle_id: int) -> None:
    circle = member_circle(session, actor, circle_id, lock=True)
    assert actor.person_id is not None
    found = repo.membership(session, circle.id, actor.person_id)
    assert found is not None
    found.paused_until = None
    session.commit()


# --- what the lead and admins see ---


def participation(
    session: Session, actor: Actor, circle_id: int
) -> tuple[Circle, list[rules.RoundFigures]]:
    """Counts per round, newest first; a round of fewer than five people shows none."""
    circle = require_lead_or_admin(session, actor, circle_id)
    rounds = list(repo.rounds_of(session, circle.id))
    ids = [r.id for r in rounds]
    pairs = repo.assignments_of(session, ids)
    notes = repo.notes_of_rounds(session, ids)
    figures = []
    for r in reversed(rounds):
        people = {p.giver_id for p in pairs if p.round_id == r.id} | {
            p.receiver_id for p in pairs if p.round_id == r.id
        }
        facts = [
            rules.NoteFact(
                str(n.giver_id), str(n.receiver_id), n.given_at, n.acknowledged_at is not None
            )
            for n in notes
            if n.round_id == r.id
        ]
        figures.append(rules.participation(r.number, [str(p) for p in people], r.deadline, facts))
    return circle, figures
