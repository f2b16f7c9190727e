"""Mapping between pairing rows and the domain's lifecycle, plus the helpers every
workspace repository shares.

Member ids: the domain speaks `str(people.id)`, the tables hold people.id.
New values: the domain wants an id before a row exists, so a new value carries
NEW_ID until its row is inserted; the repositories return it with its real id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from peermentor.domain.lifecycle import Action, Pairing, PairingState, Response, Transition
from peermentor.store.models import Pairing as PairingRow
from peermentor.store.models import PairingMember
from peermentor.store.workspace_models import PairingResponse, PairingTransition

if TYPE_CHECKING:
    from peermentor.store.workspace_heads import PairingHead

NEW_ID = "new"


def member_id(person_id: int) -> str:
    return str(person_id)


def person_id(member: str) -> int:
    return int(member)


def optional_person_id(member: str | None) -> int | None:
    return None if member is None else int(member)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def optional_utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def to_store(value: datetime) -> datetime:
    # SQLite drops the offset when it stores a datetime, so every time goes in as UTC.
    return value.astimezone(UTC)


def optional_store(value: datetime | None) -> datetime | None:
    return None if value is None else to_store(value)


def proposed_time(row: PairingRow) -> datetime:
    """When the members were asked. A pairing published by a path that only stamps
    published_at (an older publish) still gets a response window from that time."""
    at = row.proposed_at or row.published_at or row.created_at
    return as_utc(at)


def members_of(row: PairingRow) -> tuple[str, ...]:
    """Members of an ORM row in a fixed order (insertion order), as PairingHead.members."""
    return tuple(member_id(m.person_id) for m in row.members)


def lifecycle_of(session: Session, head: PairingHead) -> Pairing:
    """The domain view of a published pairing, with its answers and history."""
    responses = session.execute(
        select(
            PairingResponse.person_id,
            PairingResponse.accepted,
            PairingResponse.at,
            PairingResponse.reason,
        )
        .where(PairingResponse.pairing_id == head.id)
        .order_by(PairingResponse.id)
    )
    transitions = session.execute(
        select(
            PairingTransition.action,
            PairingTransition.from_state,
            PairingTransition.to_state,
            PairingTransition.at,
            PairingTransition.by_person_id,
            PairingTransition.reason,
        )
        .where(PairingTransition.pairing_id == head.id)
        .order_by(PairingTransition.id)
    )
    return Pairing(
        pairing_id=str(head.id),
        members=head.members,
        proposed_at=head.asked_at,
        state=PairingState(head.state),
        responses=tuple(
            Response(member_id(pid), accepted, as_utc(at), reason)
            for pid, accepted, at, reason in responses
        ),
        cycle=head.cycle,
        history=tuple(
            Transition(
                Action(action),
                PairingState(from_state),
                PairingState(to_state),
                as_utc(at),
                None if by is None else member_id(by),
                reason,
            )
            for action, from_state, to_state, at, by, reason in transitions
        ),
    )


def answers_of(session: Session, pairing_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Who has answered each proposal (yes or no), for many pairings in one query."""
    result: dict[int, list[str]] = {pid: [] for pid in pairing_ids}
    for pid, person in session.execute(
        select(PairingResponse.pairing_id, PairingResponse.person_id)
        .where(PairingResponse.pairing_id.in_(list(pairing_ids)))
        .order_by(PairingResponse.id)
    ):
        result[pid].append(member_id(person))
    return {k: tuple(v) for k, v in result.items()}


def save_lifecycle(session: Session, pairing_id: int, before: Pairing, after: Pairing) -> None:
    """Append what the domain added (answers, transitions) and copy the state over."""
    row = session.get(PairingRow, pairing_id, populate_existing=True)
    assert row is not None, "the caller has read the pairing in this transaction"
    for r in after.responses[len(before.responses) :]:
        session.add(
            PairingResponse(
                pairing_id=row.id,
                person_id=person_id(r.member_id),
                accepted=r.accepted,
                reason=r.reason,
                at=to_store(r.at),
            )
        )
    for t in after.history[len(before.history) :]:
        session.add(
            PairingTransition(
                pairing_id=row.id,
                action=t.action.value,
                from_state=t.from_state.value,
                to_state=t.to_state.value,
                at=to_store(t.at),
                by_person_id=optional_person_id(t.by),
                reason=t.reason,
            )
        )
        if t.to_state is PairingState.ACTIVE and row.activated_at is None:
            row.activated_at = to_store(t.at)
        if t.to_state in (PairingState.COMPLETED, PairingState.DISSOLVED):
            row.ended_at = to_store(t.at)
    row.state = after.state.value
    row.cycle = after.cycle
    session.flush()


def insert_draft(
    session: Session,
    *,
    program_id: int,
    person_ids: Sequence[int],
    score: float,
    components: dict[str, Any],
    explanations: dict[int, str],
    match_run_id: int | None,
) -> int:
    row = PairingRow(
        program_id=program_id,
        match_run_id=match_run_id,
        state="draft",
        score=score,
        components=dict(components),
    )
    session.add(row)
    session.flush()
    session.execute(
        insert(PairingMember),
        [
            {"pairing_id": row.id, "person_id": p, "explanation": explanations.get(p, "")}
            for p in person_ids
        ],
    )
    session.expire(row, ["members"])
    return row.id


def draft_sizes(session: Session, program_id: int) -> list[tuple[int, int]]:
    """(pairing id, members) of every draft pairing of the programme."""
    rows = session.execute(
        select(PairingMember.pairing_id, func.count())
        .join(PairingRow, PairingRow.id == PairingMember.pairing_id)
        .where(PairingRow.program_id == program_id, PairingRow.state == "draft")
        .group_by(PairingMember.pairing_id)
    )
    return [(pid, size) for pid, size in rows]


def mark_drafts_proposed(session: Session, program_id: int, state: str, now: datetime) -> int:
    """Every draft of the programme becomes `state`, asked now; one UPDATE for all."""
    published = session.execute(
        update(PairingRow)
        .where(PairingRow.program_id == program_id, PairingRow.state == "draft")
        .values(state=state, proposed_at=to_store(now), published_at=to_store(now))
        .execution_options(synchronize_session="fetch")
    )
    return int(published.rowcount or 0)  # type: ignore[attr-defined]


def members_by_pairing(
    session: Session, program_id: int, states: Sequence[str]
) -> dict[int, tuple[str, ...]]:
    """Members of every pairing of a programme in the given states, in one query."""
    result: dict[int, list[str]] = {}
    rows = session.execute(
        select(PairingMember.pairing_id, PairingMember.person_id)
        .join(PairingRow, PairingRow.id == PairingMember.pairing_id)
        .where(PairingRow.program_id == program_id, PairingRow.state.in_(list(states)))
        .order_by(PairingMember.pairing_id, PairingMember.id)
    )
    for pairing_id, pid in rows:
        result.setdefault(pairing_id, []).append(member_id(pid))
    return {k: tuple(v) for k, v in result.items()}


def proposals(session: Session, members: dict[int, tuple[str, ...]]) -> list[Pairing]:
    """Lifecycles of proposed pairings with their answers so far (no history needed)."""
    answers: dict[int, list[Response]] = {}
    for r in session.scalars(
        select(PairingResponse)
        .where(PairingResponse.pairing_id.in_(list(members)))
        .order_by(PairingResponse.id)
    ):
        # The reason is left out: this feeds admins' counts, which never carry text.
        answers.setdefault(r.pairing_id, []).append(
            Response(member_id(r.person_id), r.accepted, as_utc(r.at))
        )
    rows = session.scalars(select(PairingRow).where(PairingRow.id.in_(list(members))))
    proposed_at = {row.id: proposed_time(row) for row in rows}
    return [
        Pairing(
            pairing_id=str(pid),
            members=group,
            proposed_at=proposed_at[pid],
            responses=tuple(answers.get(pid, ())),
        )
        for pid, group in members.items()
    ]


def mark_proposed(session: Session, pairing_id: int, state: str, now: datetime) -> None:
    """One draft becomes `state`, asked now (a pairing two people chose themselves)."""
    session.execute(
        update(PairingRow)
        .where(PairingRow.id == pairing_id, PairingRow.state == "draft")
        .values(state=state, proposed_at=to_store(now), published_at=to_store(now))
        .execution_options(synchronize_session="fetch")
    )
