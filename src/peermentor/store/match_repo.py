"""Match runs and their pairings: what a run stores, what the review page edits, what
the exports read. Only queries; the rules are services/matching.py and match_review.py.

Pairings are read by state: "draft" is a run's proposal under review; the live states
are those a member is in now; the past states make people past partners of each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from peermentor.matching.result import Pairing as EnginePairing
from peermentor.store import bulk
from peermentor.store.models import Enrolment, MatchRun, Pairing, PairingMember, Person
from peermentor.store.workspace_models import PairingResponse

LIVE_STATES = ("proposed", "active", "paused")
CURRENT_STATES = ("draft", *LIVE_STATES)
# A pairing that was published once makes its members past partners for later runs.
PAST_STATES = ("proposed", "active", "paused", "completed", "dissolved")
BATCH = 2_000
MAX_RUN_ID = 2_147_483_647  # a 32-bit key on every database

ExportRow = tuple[int, float, str, str]  # pairing id, score, employee_id, explanation
Json = dict[str, Any]


# Runs


def run(session: Session, run_id: int) -> MatchRun | None:
    return session.get(MatchRun, run_id) if 1 <= run_id <= MAX_RUN_ID else None


def latest_run(session: Session, program_id: int, *, status: str | None = None) -> MatchRun | None:
    """The programme's newest run (with `status`: its newest run in that status)."""
    statement = select(MatchRun).where(MatchRun.program_id == program_id)
    if status is not None:
        statement = statement.where(MatchRun.status == status)
    return session.scalar(statement.order_by(MatchRun.id.desc()).limit(1))


def latest_kept_run(session: Session, program_id: int) -> MatchRun | None:
    """The newest run a later one did not discard."""
    return session.scalar(
        select(MatchRun)
        .where(MatchRun.program_id == program_id, MatchRun.status != "discarded")
        .order_by(MatchRun.id.desc())
        .limit(1)
    )


def replace_draft_run(
    session: Session, program_id: int, settings: Json, inputs: Json, now: datetime
) -> MatchRun:
    """A new draft run; the programme's earlier draft run is discarded and its unpinned
    draft pairings deleted (the pinned ones are the caller's to re-store)."""
    session.execute(
        update(MatchRun)
        .where(MatchRun.program_id == program_id, MatchRun.status == "draft")
        .values(status="discarded")
    )
    row = MatchRun(
        program_id=program_id, status="draft", settings=settings, inputs=inputs, created_at=now
    )
    session.add(row)
    session.flush()
    session.execute(
        delete(Pairing).where(Pairing.program_id == program_id, Pairing.state == "draft")
    )
    return row


# Pairings as groups of employee_ids


def _groups(rows: Iterable[tuple[int, str]]) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for pairing_id, employee_id in rows:
        groups.setdefault(pairing_id, []).append(employee_id)
    return list(groups.values())


def _members_by_pairing() -> Any:
    return (
        select(Pairing.id, Person.employee_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
    )


def member_groups(
    session: Session, program_id: int, states: Sequence[str], *, pinned_only: bool = False
) -> list[list[str]]:
    """The employee_ids of each pairing of the programme in those states."""
    statement = (
        _members_by_pairing()
        .where(Pairing.program_id == program_id, Pairing.state.in_(states))
        .order_by(Pairing.id, PairingMember.id)
    )
    if pinned_only:
        statement = statement.where(Pairing.pinned.is_(True))
    return _groups(session.execute(statement))


def groups_ever_published(session: Session) -> list[list[str]]:
    """Every pairing that was ever published, in any programme."""
    return _groups(session.execute(_members_by_pairing().where(Pairing.state.in_(PAST_STATES))))


def person_ids(session: Session, employee_ids: Iterable[str]) -> dict[str, int]:
    wanted = list(dict.fromkeys(employee_ids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), BATCH):
        rows = session.execute(
            select(Person.employee_id, Person.id).where(
                Person.employee_id.in_(wanted[start : start + BATCH])
            )
        )
        found.update({employee_id: pk for employee_id, pk in rows})
    return found


def enrolled_person_ids(session: Session, program_id: int) -> dict[str, int]:
    # Through the session's connection: plain rows, not the ORM's row loading (100,000
    # of them at the end of a large run).
    rows = session.connection().execute(
        select(Person.employee_id, Person.id)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.program_id == program_id)
    )
    return {employee_id: pk for employee_id, pk in rows}


def insert_drafts(
    session: Session,
    program_id: int,
    run_id: int,
    pairings: Sequence[EnginePairing],
    now: datetime,
) -> None:
    """A run's pairings as drafts, in bulk (a cohort of 100,000 is 50,000 pairings and
    100,000 members): ids reserved first, then COPY (PostgreSQL) or one executemany
    (SQLite), inside the caller's transaction."""
    person_pk = enrolled_person_ids(session, program_id)
    ids = bulk.next_ids(session, Pairing.__table__, len(pairings))  # type: ignore[arg-type]
    bulk.insert_rows(
        session,
        Pairing.__table__,  # type: ignore[arg-type]
        (
            "id",
            "program_id",
            "match_run_id",
            "state",
            "score",
            "components",
            "pinned",
            "cycle",
            "created_at",
        ),
        (
            (pk, program_id, run_id, "draft", p.score, p.components, p.pinned, 1, now)
            for pk, p in zip(ids, pairings, strict=True)
        ),
    )
    bulk.insert_rows(
        session,
        PairingMember.__table__,  # type: ignore[arg-type]
        ("pairing_id", "person_id", "explanation"),
        (
            (pk, person_pk[member], p.explanations.get(member, ""))
            for pk, p in zip(ids, pairings, strict=True)
            for member in p.members
        ),
    )


def add_pinned_draft(
    session: Session, program_id: int, run_id: int | None, pairing: EnginePairing, now: datetime
) -> int:
    """One hand-made draft pairing, locked; its id."""
    pk = person_ids(session, pairing.members)
    row = Pairing(
        program_id=program_id,
        match_run_id=run_id,
        state="draft",
        score=pairing.score,
        components=pairing.components,
        pinned=True,
        created_at=now,
    )
    row.members = [
        PairingMember(person_id=pk[m], explanation=pairing.explanations[m]) for m in pairing.members
    ]
    session.add(row)
    session.flush()
    return row.id


# Pairings as rows, for the review page


def pairing(session: Session, pairing_id: int) -> Pairing | None:
    return session.get(Pairing, pairing_id)


def delete_pairings(session: Session, pairings: Iterable[Pairing]) -> None:
    for row in pairings:
        session.delete(row)
    session.flush()


def current_page(
    session: Session,
    program_id: int,
    offset: int,
    limit: int,
    query: str = "",
    strongest_first: bool = False,
) -> tuple[list[Pairing], int]:
    """The draft or live pairings, lowest score first (or highest), members and people
    loaded; and how many there are in all. `query` keeps the pairings with a member
    whose name holds it or whose employee id is it (case-insensitive)."""
    condition = (Pairing.program_id == program_id) & Pairing.state.in_(CURRENT_STATES)
    wanted = query.strip().casefold()
    if wanted:
        named = (
            select(PairingMember.pairing_id)
            .join(Person, Person.id == PairingMember.person_id)
            .where(
                func.lower(Person.name).contains(wanted, autoescape=True)
                | (func.lower(Person.employee_id) == wanted)
            )
        )
        condition = condition & Pairing.id.in_(named)
    total = session.scalar(select(func.count()).select_from(Pairing).where(condition)) or 0
    order = (Pairing.score.desc(), Pairing.id) if strongest_first else (Pairing.score, Pairing.id)
    rows = session.scalars(
        select(Pairing)
        .where(condition)
        .options(selectinload(Pairing.members).selectinload(PairingMember.person))
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def current_figures(session: Session, program_id: int) -> tuple[int, int, float]:
    """(pairings, triads, total score) of the draft or live pairings as they are now,
    after any hand edit."""
    condition = (Pairing.program_id == program_id) & Pairing.state.in_(CURRENT_STATES)
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(Pairing.score), 0.0)).where(condition)
    ).one()
    sizes = (
        select(PairingMember.pairing_id)
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .where(condition)
        .group_by(PairingMember.pairing_id)
        .having(func.count() == 3)
        .subquery()
    )
    triads = session.scalar(select(func.count()).select_from(sizes)) or 0
    return int(count), int(triads), float(total)


def declined_waiting(session: Session, program_id: int) -> int:
    """Proposals a member declined (the pairing dissolved) with a member who is in no
    draft or live pairing since: the people an admin still has to rematch."""
    placed = (
        select(PairingMember.person_id)
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .where(Pairing.program_id == program_id, Pairing.state.in_(CURRENT_STATES))
    )
    declined = select(PairingResponse.pairing_id).where(PairingResponse.accepted.is_(False))
    waiting = (
        select(PairingMember.pairing_id)
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .where(
            Pairing.program_id == program_id,
            Pairing.state == "dissolved",
            Pairing.id.in_(declined),
            PairingMember.person_id.not_in(placed),
        )
        .distinct()
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(waiting)) or 0)


def enrolled_without_pairing(
    session: Session, program_id: int, limit: int
) -> tuple[list[tuple[str, str]], int]:
    """(employee id, name) of enrolled people who have not opted out and are in no
    draft or live pairing now, by name (the first `limit`); and how many there are."""
    paired = (
        select(PairingMember.person_id)
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .where(Pairing.program_id == program_id, Pairing.state.in_(CURRENT_STATES))
    )
    condition = (
        (Enrolment.program_id == program_id)
        & (Enrolment.status == "enrolled")
        & Person.opt_out.is_(False)
        & Person.id.not_in(paired)
    )
    base = select(Person.employee_id, Person.name).join(Enrolment, Enrolment.person_id == Person.id)
    total = (
        session.scalar(
            select(func.count())
            .select_from(Person)
            .join(Enrolment, Enrolment.person_id == Person.id)
            .where(condition)
        )
        or 0
    )
    rows = session.execute(base.where(condition).order_by(Person.name, Person.id).limit(limit))
    return [(e, n) for e, n in rows], int(total)


def current_pairing_of(session: Session, program_id: int, employee_id: str) -> Pairing | None:
    """The person's draft or live pairing in the programme."""
    return session.scalar(
        select(Pairing)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(
            Pairing.program_id == program_id,
            Pairing.state.in_(CURRENT_STATES),
            Person.employee_id == employee_id,
        )
        .limit(1)
    )


def best_proposed_pair(session: Session, program_id: int) -> list[Person]:
    """Both members of the best-scoring proposed two-person pairing (not a hand-made
    one): a match worth showing in the demo. Empty when there is none."""
    for row in session.scalars(
        select(Pairing)
        .where(
            Pairing.program_id == program_id,
            Pairing.state == "proposed",
            Pairing.pinned.is_(False),
        )
        .order_by(Pairing.score.desc(), Pairing.id)
        .limit(20)
    ):
        if len(row.members) == 2:
            return [member.person for member in row.members]
    return []


# Pairings as export rows


def _export_rows(session: Session, *where: ColumnElement[bool]) -> list[ExportRow]:
    rows = session.execute(
        select(Pairing.id, Pairing.score, Person.employee_id, PairingMember.explanation)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(*where)
        .order_by(Pairing.id, PairingMember.id)
    )
    return [(pairing_id, score, e, why) for pairing_id, score, e, why in rows]


def current_export_rows(session: Session, program_id: int) -> list[ExportRow]:
    return _export_rows(
        session, Pairing.program_id == program_id, Pairing.state.in_(CURRENT_STATES)
    )


def run_export_rows(session: Session, run_id: int) -> list[ExportRow]:
    return _export_rows(session, Pairing.match_run_id == run_id)


def live_pairings_of(session: Session, person_id: int) -> list[tuple[int, list[int]]]:
    """(pairing id, the other members' person ids) of every live pairing the person is
    in, in any programme."""
    mine = select(PairingMember.pairing_id).where(PairingMember.person_id == person_id)
    rows = session.execute(
        select(Pairing.id, PairingMember.person_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .where(Pairing.id.in_(mine.scalar_subquery()), Pairing.state.in_(LIVE_STATES))
        .order_by(Pairing.id, PairingMember.id)
    )
    out: dict[int, list[int]] = {}
    for pairing_id, member in rows:
        out.setdefault(pairing_id, [])
        if member != person_id:
            out[pairing_id].append(member)
    return list(out.items())
