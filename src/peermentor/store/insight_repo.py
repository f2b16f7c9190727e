"""Queries of programme insight: what a refresh reads (one grouped query per table, no
private text selected) and what the pages read back (the insight tables only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, case, cast, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from peermentor.store.insight_models import InsightRefresh, InsightSeries, PairingInsight
from peermentor.store.models import Enrolment, MatchRun, Pairing, PairingMember, Person, Program
from peermentor.store.workspace_models import (
    CharterAgreement,
    CharterVersionRow,
    CheckInRow,
    FeedbackRow,
    GapRow,
    GuidanceRequestRow,
    PairingResponse,
    RolePlayRow,
    SessionLog,
)
from peermentor.store.workspace_repo import as_utc

# --- what a refresh reads ---


@dataclass(frozen=True, slots=True)
class Head:
    id: int
    match_run_id: int | None
    state: str
    score: float
    cycle: int
    proposed_at: datetime | None
    activated_at: datetime | None
    ended_at: datetime | None


def heads(session: Session, program_id: int) -> list[Head]:
    p = Pairing
    rows = session.execute(
        select(
            p.id,
            p.match_run_id,
            p.state,
            p.score,
            p.cycle,
            p.proposed_at,
            p.activated_at,
            p.ended_at,
        ).where(p.program_id == program_id, p.state != "draft")
    )
    return [
        Head(
            i,
            run,
            state,
            score,
            cycle,
            None if proposed is None else as_utc(proposed),
            None if activated is None else as_utc(activated),
            None if ended is None else as_utc(ended),
        )
        for i, run, state, score, cycle, proposed, activated, ended in rows
    ]


@dataclass(frozen=True, slots=True)
class MemberFacts:
    person_id: int
    department: str
    location: str
    background: tuple[str, ...]


def members(session: Session, program_id: int) -> dict[int, list[MemberFacts]]:
    rows = session.execute(
        select(
            PairingMember.pairing_id,
            Person.id,
            Person.department,
            Person.location,
            Person.background,
        )
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(Pairing.program_id == program_id, Pairing.state != "draft")
        .order_by(PairingMember.pairing_id, PairingMember.id)
    )
    result: dict[int, list[MemberFacts]] = defaultdict(list)
    for pairing_id, pid, department, location, background in rows:
        result[pairing_id].append(MemberFacts(pid, department, location, tuple(background or ())))
    return result


def _in_programme(program_id: int) -> Any:
    return select(Pairing.id).where(Pairing.program_id == program_id).scalar_subquery()


def _grouped(session: Session, query: Any) -> dict[int, tuple[Any, ...]]:
    return {row[0]: tuple(row) for row in session.execute(query)}


def counters(session: Session, program_id: int) -> dict[str, dict[int, tuple[Any, ...]]]:
    """Per pairing, one grouped query per table: sessions, guidance, feedback, ..."""
    ids = _in_programme(program_id)
    s, g, f, r, gp, c = (
        SessionLog,
        GuidanceRequestRow,
        FeedbackRow,
        RolePlayRow,
        GapRow,
        CheckInRow,
    )
    answered = case((g.answered_at.is_not(None), 1), else_=0)
    return {
        "sessions": _grouped(
            session,
            select(s.pairing_id, func.count(), func.max(s.held_on))
            .where(s.pairing_id.in_(ids))
            .group_by(s.pairing_id),
        ),
        "guidance": _grouped(
            session,
            select(g.pairing_id, func.count(), func.sum(answered))
            .where(g.pairing_id.in_(ids))
            .group_by(g.pairing_id),
        ),
        "feedback": _grouped(
            session,
            select(f.pairing_id, func.count(), func.count(f.giver_id.distinct()))
            .where(f.pairing_id.in_(ids))
            .group_by(f.pairing_id),
        ),
        "roleplays": _grouped(
            session,
            select(r.pairing_id, func.count())
            .where(r.pairing_id.in_(ids), r.completed_at.is_not(None))
            .group_by(r.pairing_id),
        ),
        "gaps": _grouped(
            session,
            select(gp.pairing_id, func.count(), func.sum(case((gp.status == "closed", 1), else_=0)))
            .where(gp.pairing_id.in_(ids))
            .group_by(gp.pairing_id),
        ),
        "checkins": _grouped(
            session,
            select(
                c.pairing_id,
                func.count(),
                func.avg((c.trust + c.candour + c.mutual_benefit + c.progress) / 4.0),
                func.avg(c.trust * 1.0),
                func.avg(c.candour * 1.0),
                func.avg(c.mutual_benefit * 1.0),
                func.avg(c.progress * 1.0),
            )
            .where(c.pairing_id.in_(ids))
            .group_by(c.pairing_id),
        ),
        "responses": _grouped(
            session,
            select(PairingResponse.pairing_id, func.count())
            .where(PairingResponse.pairing_id.in_(ids))
            .group_by(PairingResponse.pairing_id),
        ),
    }


def charter_agreed(session: Session, program_id: int) -> dict[int, int]:
    """Per pairing: how many members agreed to the charter's current version."""
    ids = _in_programme(program_id)
    latest = (
        select(CharterVersionRow.pairing_id, func.max(CharterVersionRow.version).label("v"))
        .where(CharterVersionRow.pairing_id.in_(ids))
        .group_by(CharterVersionRow.pairing_id)
        .subquery()
    )
    a = CharterAgreement
    rows = session.execute(
        select(a.pairing_id, func.count(a.person_id.distinct()))
        .join(latest, (latest.c.pairing_id == a.pairing_id) & (latest.c.v == a.version))
        .group_by(a.pairing_id)
    )
    return {pid: n for pid, n in rows}


def answer_times(session: Session, program_id: int) -> list[tuple[int, datetime, datetime | None]]:
    g = GuidanceRequestRow
    rows = session.execute(
        select(g.pairing_id, g.asked_at, g.answered_at).where(
            g.pairing_id.in_(_in_programme(program_id))
        )
    )
    return [(pid, as_utc(a), None if b is None else as_utc(b)) for pid, a, b in rows]


def dated(session: Session, program_id: int, table: str) -> list[tuple[int, Any, float]]:
    """(pairing, when, value) of every session (value: 1), check-in (value: its mean of
    the four scores) or feedback (value: 1) of the programme: for the monthly series."""
    ids = _in_programme(program_id)
    query: Any
    if table == "sessions":
        query = select(SessionLog.pairing_id, SessionLog.held_on, literal(1.0)).where(
            SessionLog.pairing_id.in_(ids)
        )
    elif table == "feedback":
        query = select(FeedbackRow.pairing_id, FeedbackRow.given_at, literal(1.0)).where(
            FeedbackRow.pairing_id.in_(ids)
        )
    else:
        c = CheckInRow
        query = select(
            c.pairing_id, c.at, (c.trust + c.candour + c.mutual_benefit + c.progress) / 4.0
        ).where(c.pairing_id.in_(ids))
    return [(pid, when, float(value)) for pid, when, value in session.execute(query)]


# --- what a refresh writes ---


def replace(
    session: Session,
    program_id: int,
    rows: Sequence[Mapping[str, Any]],
    series: Sequence[Mapping[str, Any]],
    now: datetime,
    seconds: float,
) -> None:
    """The programme's insight, whole: its old rows deleted, the new ones inserted."""
    session.execute(delete(PairingInsight).where(PairingInsight.program_id == program_id))
    session.execute(delete(InsightSeries).where(InsightSeries.program_id == program_id))
    for start in range(0, len(rows), 2_000):
        session.execute(insert(PairingInsight), list(rows[start : start + 2_000]))
    if series:
        session.execute(insert(InsightSeries), list(series))
    known = session.get(InsightRefresh, program_id)
    if known is None:
        session.add(InsightRefresh(program_id=program_id, refreshed_at=now, seconds=seconds))
    else:
        known.refreshed_at, known.seconds = now, seconds
    session.flush()


# --- what the pages read ---


def refreshed_at(session: Session, program_id: int) -> datetime | None:
    at = session.scalar(
        select(InsightRefresh.refreshed_at).where(InsightRefresh.program_id == program_id)
    )
    return None if at is None else as_utc(at)


def stale_programmes(session: Session, before: datetime) -> list[int]:
    """Programmes with pairings whose insight is older than `before` (or never made)."""
    with_pairings = select(Pairing.program_id).distinct()
    fresh = select(InsightRefresh.program_id).where(InsightRefresh.refreshed_at >= before)
    return list(
        session.scalars(
            select(Program.id)
            .where(Program.id.in_(with_pairings), Program.id.not_in(fresh))
            .order_by(Program.id)
        )
    )


def enrolled(session: Session, program_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                Enrolment.program_id == program_id, Enrolment.status == "enrolled"
            )
        )
        or 0
    )


def pool_by(session: Session, program_id: int, attribute: str) -> dict[str, int]:
    """Enrolled people by department or location (blank: its own group)."""
    column = {"department": Person.department, "location": Person.location}[attribute]
    rows = session.execute(
        select(column, func.count())
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.program_id == program_id, Enrolment.status == "enrolled")
        .group_by(column)
    )
    return {value or "(blank)": n for value, n in rows}


def pool_backgrounds(session: Session, program_id: int) -> dict[str, int]:
    """Enrolled people by their whole list of backgrounds (as stored), counted in SQL."""
    text = cast(Person.background, Text)
    rows = session.execute(
        select(text, func.count())
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.program_id == program_id, Enrolment.status == "enrolled")
        .group_by(text)
    )
    return {value or "[]": n for value, n in rows}


def save_inactive(session: Session, program_id: int, found: list[list[Any]]) -> None:
    """The inactive members found at a refresh: [person_id, pairing_id, state, since
    (ISO), releasable] each; names are looked up when shown, so an erased person goes."""
    known = session.get(InsightRefresh, program_id)
    if known is not None:
        known.inactive = found
        session.flush()


def inactive(session: Session, program_id: int) -> list[list[Any]]:
    return list(
        session.scalar(
            select(InsightRefresh.inactive).where(InsightRefresh.program_id == program_id)
        )
        or []
    )


def names(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    ids = list(person_ids)
    if not ids:
        return {}
    return dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all())


_SUMMED = (
    "members",
    "sessions",
    "requests_asked",
    "requests_answered",
    "feedback",
    "roleplays_done",
    "roleplays_missed",
    "gaps",
    "gaps_done",
    "checkins",
)


def _flag(condition: Any, weight: Any = 1) -> Any:
    return func.sum(case((condition, weight), else_=0))


def totals(
    session: Session,
    program_id: int,
    run_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, float]:
    """The programme's (or one run's, or of the pairings proposed between since and
    until) sums over its pairings' counters, in one query."""
    i = PairingInsight
    people = i.members
    columns = {
        "pairings": func.count(),
        **{name: func.sum(getattr(i, name)) for name in _SUMMED},
        "matched": func.sum(people),
        "accepted": _flag(i.accepted, people),
        "charter": _flag(i.charter_agreed, people),
        "first_session": _flag(i.sessions >= 1, people),
        "three_sessions": _flag(i.sessions >= 3, people),
        "ended": _flag((i.state == "completed") | i.renewed, people),
        "accepted_pairings": _flag(i.accepted),
        "open_pairings": _flag(i.state.in_(("active", "paused"))),
        "asked_pairings": _flag(i.requests_asked > 0),
        "answered_pairings": _flag(i.requests_answered > 0),
        "answer_hours_sum": func.sum(i.answer_hours),
        "feedback_pairings": _flag(i.feedback > 0),
        "feedback_both_ways": _flag(i.feedback_both_ways),
        "scheduled_pairings": _flag(i.has_roleplay_schedule),
        "on_cadence": _flag(i.has_roleplay_schedule & (i.roleplays_missed == 0)),
        "gap_pairings": _flag(i.gaps > 0),
        "gap_moved_pairings": _flag(i.gaps_done > 0),
        "cross_department": _flag(i.cross_department),
        "cross_location": _flag(i.cross_location),
        "cross_background": _flag(i.cross_background),
        "silent": _flag(i.silent),
        "one_sided": _flag(i.balance >= 0.6),
        "overdue_roleplay": _flag(i.state.in_(("active", "paused")) & (i.roleplays_missed > 0)),
        "overdue_proposal": _flag(i.overdue_proposal),
        "renewed": _flag(i.renewed),
    }
    query = select(*(c.label(name) for name, c in columns.items())).where(
        i.program_id == program_id
    )
    if run_id is not None:
        query = query.where(i.match_run_id == run_id)
    if since is not None:
        query = query.where(i.proposed_on >= since)
    if until is not None:
        query = query.where(i.proposed_on <= until)
    row = session.execute(query).one()
    return {name: float(value or 0) for name, value in row._mapping.items()}


def balances(session: Session, program_id: int) -> list[float]:
    i = PairingInsight
    return list(
        session.scalars(
            select(i.balance).where(
                i.program_id == program_id,
                i.balance.is_not(None),
                i.state.in_(("active", "paused")),
            )
        )
    )


def outcomes(session: Session, program_id: int) -> dict[int | None, list[Any]]:
    """(score, sessions, checkin_mean, renewed) of every accepted pairing, by run."""
    i = PairingInsight
    rows = session.execute(
        select(i.match_run_id, i.score, i.sessions, i.checkin_mean, i.renewed).where(
            i.program_id == program_id, i.accepted
        )
    )
    result: dict[int | None, list[Any]] = defaultdict(list)
    for row in rows:
        result[row[0]].append(row)
    return result


def at_risk(session: Session, program_id: int, limit: int) -> list[tuple[Any, ...]]:
    """Open pairings that are silent, one-sided or behind on role-plays: ids and flags."""
    i = PairingInsight
    open_ = i.state.in_(("active", "paused"))
    risky = i.silent | (i.balance >= 0.6) | (i.roleplays_missed > 0) | i.overdue_proposal
    return [
        tuple(row)
        for row in session.execute(
            select(
                i.pairing_id,
                i.state,
                i.silent,
                i.balance,
                i.roleplays_missed,
                i.overdue_proposal,
                i.last_session_on,
            )
            .where(i.program_id == program_id, risky, open_ | i.overdue_proposal)
            .order_by(i.pairing_id)
            .limit(limit)
        )
    ]


def series(session: Session, program_id: int) -> dict[str, list[tuple[date, int, float]]]:
    s = InsightSeries
    result: dict[str, list[tuple[date, int, float]]] = defaultdict(list)
    for name, period, pairings, total in session.execute(
        select(s.series, s.period, s.pairings, s.total)
        .where(s.program_id == program_id)
        .order_by(s.series, s.period)
    ):
        result[name].append((period, pairings, total))
    return result


def published_runs(
    session: Session, program_id: int
) -> list[tuple[int, datetime | None, dict[str, Any]]]:
    rows = session.execute(
        select(MatchRun.id, MatchRun.published_at, MatchRun.summary)
        .where(MatchRun.program_id == program_id, MatchRun.status == "published")
        .order_by(MatchRun.id)
    )
    return [(rid, at, dict(summary or {})) for rid, at, summary in rows]


def flatten(values: Iterable[Iterable[str]]) -> list[str]:
    return [v for group in values for v in group]


def health_figures(session: Session, program_id: int) -> dict[str, float]:
    """What the health page needs beyond the live counts of states, in one query."""
    i = PairingInsight
    open_ = i.state.in_(("active", "paused"))
    has = i.checkins > 0
    row = session.execute(
        select(
            _flag(open_ & (i.roleplays_missed > 0)).label("overdue_roleplays"),
            _flag(i.overdue_proposal).label("overdue_proposals"),
            _flag(has).label("checkin_pairings"),
            func.sum(i.checkins).label("checkin_responses"),
            *(
                func.avg(getattr(i, f"checkin_{d}")).label(d)
                for d in ("trust", "candour", "mutual_benefit", "progress")
            ),
            _flag(open_ & i.balance.is_not(None)).label("balance_pairings"),
            _flag(open_ & (i.balance < 0.2)).label("balanced"),
            _flag(open_ & (i.balance >= 0.2) & (i.balance < 0.6)).label("leaning"),
            _flag(open_ & (i.balance >= 0.6)).label("one_sided"),
            func.avg(case((open_, i.balance), else_=None)).label("mean_distance"),
        ).where(i.program_id == program_id)
    ).one()
    return {k: float(v or 0) for k, v in row._mapping.items()}
