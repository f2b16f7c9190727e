"""What the nudge rules look at, for many pairings at once, with no private text read.

The rules (domain.nudges) need, per pairing: who has not answered the proposal, the
requests and when they were asked and answered, the last session's date, the role-play
schedule and which role-plays are done, each member's last check-in, the exchange for
the balance, and when each member was last active. Everything is read in a few queries
per chunk of pairings; the text columns are never selected.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from peermentor.domain.nudges import PairingFacts
from peermentor.store.auth_models import ApiToken, UserSession
from peermentor.store.models import Pairing, PairingMember, Person, Program, User
from peermentor.store.workspace_counts import Exchange, load_exchange
from peermentor.store.workspace_models import (
    CharterAgreement,
    CharterVersionRow,
    CheckInRow,
    ClosingReflectionRow,
    FeedbackRow,
    GuidanceRequestRow,
    PairingResponse,
    RolePlayReflection,
    SessionLog,
)
from peermentor.store.workspace_practice import load_schedules
from peermentor.store.workspace_repo import (
    as_utc,
    member_id,
    optional_utc,
    person_id,
    proposed_time,
)

CHUNK = 1_000  # pairings a batch: with their members, well inside SQLite's variable limit
NUDGING_STATES = ("proposed", "active")


@dataclass(frozen=True, slots=True)
class Loaded:
    row: Pairing
    facts: PairingFacts  # balance left None: the service computes it from `exchange`
    exchange: Exchange


def pairing_chunks(
    session: Session,
    *,
    program_id: int | None = None,
    pairing_ids: Sequence[int] | None = None,
    states: Sequence[str] = NUDGING_STATES,
) -> Iterator[list[Pairing]]:
    """Pairings in the given states, in id order, a chunk at a time (keyset paging, so a
    programme of 50,000 pairings is never held at once)."""
    after = 0
    while True:
        query = select(Pairing).where(Pairing.state.in_(list(states)), Pairing.id > after)
        if program_id is not None:
            query = query.where(Pairing.program_id == program_id)
        if pairing_ids is not None:
            query = query.where(Pairing.id.in_(list(pairing_ids)))
        rows = list(session.scalars(query.order_by(Pairing.id).limit(CHUNK)))
        if not rows:
            return
        yield rows
        after = rows[-1].id


def _members(session: Session, ids: list[int]) -> dict[int, tuple[str, ...]]:
    result: dict[int, list[str]] = {pid: [] for pid in ids}
    for pairing_id, pid in session.execute(
        select(PairingMember.pairing_id, PairingMember.person_id)
        .where(PairingMember.pairing_id.in_(ids))
        .order_by(PairingMember.pairing_id, PairingMember.id)
    ):
        result[pairing_id].append(member_id(pid))
    return {k: tuple(v) for k, v in result.items()}


def _last_activity_query() -> Select[Any]:
    """Built once: thirteen selects in a union cost more to build than to run."""
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    sources = [
        select(User.person_id.label("pid"), UserSession.last_seen_at.label("at")).join(
            UserSession, UserSession.user_id == User.id
        ),
        select(User.person_id, ApiToken.last_used_at).join(ApiToken, ApiToken.user_id == User.id),
        select(PairingResponse.person_id, PairingResponse.at),
        select(GuidanceRequestRow.asker_id, GuidanceRequestRow.asked_at),
        select(GuidanceRequestRow.recipient_id, GuidanceRequestRow.answered_at),
        select(SessionLog.logged_by, SessionLog.logged_at),
        select(FeedbackRow.giver_id, FeedbackRow.given_at),
        select(FeedbackRow.receiver_id, FeedbackRow.acknowledged_at),
        select(CheckInRow.person_id, CheckInRow.at),
        select(CharterVersionRow.edited_by, CharterVersionRow.edited_at),
        select(CharterAgreement.person_id, CharterAgreement.at),
        select(RolePlayReflection.person_id, RolePlayReflection.at),
        select(ClosingReflectionRow.person_id, ClosingReflectionRow.at),
    ]
    # Each person column leads an index (workspace_models.LAST_ACTIVITY_INDEXES).
    every = union_all(*(s.where(s.selected_columns[0].in_(ids)) for s in sources)).subquery()
    return (
        select(every.c.pid, func.max(every.c.at))
        .where(every.c.at.is_not(None))
        .group_by(every.c.pid)
    )


_LAST_ACTIVITY = _last_activity_query()


def last_activity(session: Session, person_ids: Sequence[int]) -> dict[int, datetime]:
    """When each person last did anything: used the site (a browser session or an API
    token), answered a proposal, or wrote anything in a pairing."""
    ids = list(person_ids)
    if not ids:
        return {}
    rows = session.execute(_LAST_ACTIVITY, {"ids": ids})
    return {pid: as_utc(at) for pid, at in rows if at is not None}


def _last_sessions(session: Session, ids: list[int]) -> dict[int, date]:
    return dict(
        session.execute(
            select(SessionLog.pairing_id, func.max(SessionLog.held_on))
            .where(SessionLog.pairing_id.in_(ids))
            .group_by(SessionLog.pairing_id)
        ).all()
    )


def _last_checkins(session: Session, ids: list[int]) -> dict[int, dict[str, datetime]]:
    result: dict[int, dict[str, datetime]] = {pid: {} for pid in ids}
    for pairing_id, pid, at in session.execute(
        select(CheckInRow.pairing_id, CheckInRow.person_id, func.max(CheckInRow.at))
        .where(CheckInRow.pairing_id.in_(ids))
        .group_by(CheckInRow.pairing_id, CheckInRow.person_id)
    ):
        result[pairing_id][member_id(pid)] = as_utc(at)
    return result


def _answered(session: Session, ids: list[int]) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {pid: set() for pid in ids}
    for pairing_id, pid in session.execute(
        select(PairingResponse.pairing_id, PairingResponse.person_id).where(
            PairingResponse.pairing_id.in_(ids)
        )
    ):
        result[pairing_id].add(member_id(pid))
    return result


def load_facts(
    session: Session,
    rows: list[Pairing],
    pulse_interval: Mapping[int, object],
    *,
    activity_only: bool = False,
    read: tuple[Mapping[int, Exchange], Mapping[int, Any]] | None = None,
) -> list[Loaded]:
    """The facts of a chunk of pairings; `pulse_interval` maps programme id to its
    interval (a timedelta). activity_only: members, answers and last activity only
    (the inactive list), without the exchange the other rules read. `read`: the
    exchange and role-play schedules of these pairings as the caller already read
    them (the overview page's card), so they are not read twice."""
    ids = [row.id for row in rows]
    members = _members(session, ids)
    exchange: dict[int, Exchange]
    schedules: dict
    last_session: dict[int, date]
    checkins: dict[int, dict[str, datetime]]
    if activity_only:
        exchange = {pid: Exchange() for pid in ids}
        schedules, last_session = {}, {}
        checkins = {pid: {} for pid in ids}
    else:
        known = read[0] if read is not None else {}
        # What the caller has not read (a proposed pairing has no card facts) is read here.
        unread = {pid: group for pid, group in members.items() if pid not in known}
        exchange = dict(known) | (load_exchange(session, unread) if unread else {})
        schedules = {pid: s for pid, s in (read[1] if read else {}).items() if pid in known}
        if unread:
            schedules |= load_schedules(session, unread)
        last_session = _last_sessions(session, ids)
        checkins = _last_checkins(session, ids)
    answered = _answered(session, ids)
    everyone = {person_id(m) for group in members.values() for m in group}
    active = last_activity(session, sorted(everyone))
    result = []
    for row in rows:
        group = members[row.id]
        ex = exchange[row.id]
        facts = PairingFacts(
            pairing_id=str(row.id),
            members=group,
            state=row.state,
            proposed_at=proposed_time(row),
            activated_at=optional_utc(row.activated_at),
            awaiting=tuple(m for m in group if m not in answered[row.id]),
            requests=tuple(ex.requests),
            last_session_on=last_session.get(row.id),
            schedule=schedules.get(row.id),
            completed_roleplays=frozenset(rp.sequence for rp in ex.roleplays if rp.completed),
            last_checkin=checkins[row.id],
            pulse_interval=pulse_interval[row.program_id],  # type: ignore[arg-type]
            last_active={m: active[person_id(m)] for m in group if person_id(m) in active},
        )
        result.append(Loaded(row, facts, ex))
    return result


def programmes(session: Session, ids: Sequence[int]) -> dict[int, Program]:
    return {p.id: p for p in session.scalars(select(Program).where(Program.id.in_(list(ids))))}


def people(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(list(ids))))}
