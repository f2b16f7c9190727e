"""Keeping programme insight up to date: per-pairing counters and monthly series,
computed from the workspace tables in one pass a programme and stored, so that the
pages read a row a pairing instead of every pairing's history.

The worker refreshes a programme once its figures are older than REFRESH_EVERY
(`refresh_task`, in services.periodic); a page that finds none computes them once.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.domain.insight import month_start, months_between
from peermentor.runtime import Store
from peermentor.services.access import SYSTEM
from peermentor.services.nudges import inactive_members
from peermentor.services.workspace.access import timing_from
from peermentor.services.workspace.balance import report_of
from peermentor.services.workspace.roleplay import overdue_sequences
from peermentor.store import insight_repo as repo
from peermentor.store.models import Program
from peermentor.store.workspace_counts import load_exchange
from peermentor.store.workspace_practice import load_schedules
from peermentor.store.workspace_repo import member_id

REFRESH_EVERY = timedelta(minutes=10)
SILENT_DAYS = 30
OPEN_STATES = ("active", "paused")
CHUNK = 2_000


def _chunks(members: dict[int, tuple[str, ...]]) -> Iterator[dict[int, tuple[str, ...]]]:
    items = iter(members.items())
    while chunk := dict(islice(items, CHUNK)):
        yield chunk


def _open_balance_and_roleplays(
    session: Session, open_members: dict[int, tuple[str, ...]], now: datetime
) -> tuple[dict[int, float], dict[int, int], set[int]]:
    """|balance index| and missed role-plays of open pairings, and who has a schedule."""
    distance: dict[int, float] = {}
    missed: dict[int, int] = {}
    scheduled: set[int] = set()
    for chunk in _chunks(open_members):
        schedules = load_schedules(session, chunk)
        exchange = load_exchange(session, chunk)
        scheduled |= set(schedules)
        for pid, group in chunk.items():
            ex = exchange[pid]
            missed[pid] = len(overdue_sequences(schedules.get(pid), ex.roleplays, now))
            if ex.sessions or ex.requests or ex.feedback or ex.roleplays:
                report = report_of(group, ex)
                if report.has_data:
                    distance[pid] = abs(report.index)
    return distance, missed, scheduled


def _closed_schedules(session: Session, members: dict[int, tuple[str, ...]]) -> set[int]:
    scheduled: set[int] = set()
    for chunk in _chunks(members):
        scheduled |= set(load_schedules(session, chunk))
    return scheduled


def _crosses(values: list[Any]) -> bool:
    return len(set(values)) > 1


def _series(
    session: Session, program_id: int, heads: list[repo.Head], now: datetime
) -> list[dict[str, Any]]:
    """Monthly series: sessions per open pairing, feedback per open pairing, and each
    month's mean check-in over the pairings that checked in."""
    started = [h.activated_at.date() for h in heads if h.activated_at is not None]
    if not started:
        return []
    months = months_between(min(started), now.date())
    open_in: dict[date, set[int]] = {m: set() for m in months}
    for h in heads:
        if h.activated_at is None:
            continue
        last = h.ended_at.date() if h.ended_at is not None else now.date()
        for m in months_between(h.activated_at.date(), last):
            if m in open_in:
                open_in[m].add(h.id)
    rows: list[dict[str, Any]] = []
    for table in ("sessions", "feedback"):
        count: dict[date, int] = defaultdict(int)
        for _pid, when, _ in repo.dated(session, program_id, table):
            day = when if isinstance(when, date) and not isinstance(when, datetime) else when.date()
            count[month_start(day)] += 1
        for m in months:
            rows.append(
                {
                    "program_id": program_id,
                    "series": table,
                    "period": m,
                    "pairings": len(open_in[m]),
                    "total": float(count.get(m, 0)),
                }
            )
    per: dict[date, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for pid, when, value in repo.dated(session, program_id, "checkins"):
        per[month_start(when.date())][pid].append(value)
    for m in months:
        means = [sum(v) / len(v) for v in per.get(m, {}).values()]
        rows.append(
            {
                "program_id": program_id,
                "series": "checkin",
                "period": m,
                "pairings": len(means),
                "total": sum(means),
            }
        )
    return rows


def refresh_programme(session: Session, program_id: int, now: datetime) -> int:
    """Recompute one programme's insight (no commit); returns the pairings counted."""
    started = time.perf_counter()
    program = session.get(Program, program_id)
    if program is None:
        return 0
    window = timing_from(program.settings).response_window
    heads = repo.heads(session, program_id)
    people = repo.members(session, program_id)
    counts = repo.counters(session, program_id)
    agreed = repo.charter_agreed(session, program_id)
    hours: dict[int, list[float]] = defaultdict(list)
    for pid, asked, answered in repo.answer_times(session, program_id):
        if answered is not None:
            hours[pid].append((answered - asked).total_seconds() / 3600)
    open_members = {
        h.id: tuple(member_id(m.person_id) for m in people.get(h.id, []))
        for h in heads
        if h.state in OPEN_STATES
    }
    distance, missed, scheduled = _open_balance_and_roleplays(session, open_members, now)
    closed = {
        h.id: tuple(member_id(m.person_id) for m in people.get(h.id, []))
        for h in heads
        if h.state not in OPEN_STATES
    }
    scheduled |= _closed_schedules(session, closed)
    silent_since = (now - timedelta(days=SILENT_DAYS)).date()

    def row_of(h: repo.Head) -> dict[str, Any]:
        group = people.get(h.id, [])
        sessions = counts["sessions"].get(h.id)
        guidance = counts["guidance"].get(h.id)
        feedback = counts["feedback"].get(h.id)
        gaps = counts["gaps"].get(h.id)
        checkins = counts["checkins"].get(h.id)
        n_sessions = int(sessions[1]) if sessions else 0
        last_session = sessions[2] if sessions else None
        last_activity = last_session or (h.activated_at.date() if h.activated_at else None)
        answered = hours.get(h.id)
        return {
            "pairing_id": h.id,
            "program_id": program_id,
            "match_run_id": h.match_run_id,
            "state": h.state,
            "members": len(group),
            "score": float(h.score or 0.0),
            "proposed_on": h.proposed_at.date() if h.proposed_at else None,
            "accepted": h.activated_at is not None,
            "charter_agreed": bool(group) and agreed.get(h.id, 0) >= len(group),
            "renewed": h.cycle > 1,
            "sessions": n_sessions,
            "last_session_on": last_session,
            "requests_asked": int(guidance[1]) if guidance else 0,
            "requests_answered": int(guidance[2] or 0) if guidance else 0,
            "answer_hours": sum(answered) / len(answered) if answered else None,
            "feedback": int(feedback[1]) if feedback else 0,
            "feedback_both_ways": feedback is not None and int(feedback[2]) >= 2,
            "roleplays_done": int(counts["roleplays"][h.id][1])
            if h.id in counts["roleplays"]
            else 0,
            "roleplays_missed": missed.get(h.id, 0),
            "has_roleplay_schedule": h.id in scheduled,
            "gaps": int(gaps[1]) if gaps else 0,
            "gaps_done": int(gaps[2] or 0) if gaps else 0,
            "checkins": int(checkins[1]) if checkins else 0,
            "checkin_mean": float(checkins[2]) if checkins else None,
            **{
                f"checkin_{d}": float(checkins[3 + n]) if checkins else None
                for n, d in enumerate(("trust", "candour", "mutual_benefit", "progress"))
            },
            "balance": distance.get(h.id),
            "cross_department": _crosses([m.department for m in group]),
            "cross_location": _crosses([m.location for m in group]),
            "cross_background": _crosses([m.background for m in group]),
            "silent": h.state == "active"
            and last_activity is not None
            and last_activity < silent_since,
            "overdue_proposal": h.state == "proposed"
            and h.proposed_at is not None
            and now - h.proposed_at > window
            and counts["responses"].get(h.id, (0, 0))[1] < len(group),
            "refreshed_at": now,
        }

    rows = [row_of(h) for h in heads]
    series = _series(session, program_id, heads, now)
    repo.replace(session, program_id, rows, series, now, time.perf_counter() - started)
    found = inactive_members(session, SYSTEM, program_id, now)
    repo.save_inactive(
        session,
        program_id,
        [[i.person_id, i.pairing_id, i.state, i.since.isoformat(), i.releasable] for i in found],
    )
    return len(rows)


def ensure_fresh(session: Session, program_id: int, now: datetime) -> datetime:
    """When the programme's insight was computed; computed now (and committed) if never."""
    at = repo.refreshed_at(session, program_id)
    if at is None:
        refresh_programme(session, program_id, now)
        session.commit()
        at = now
    return at


def refresh_task(store: Store, settings: Settings, now: datetime) -> int:
    """The worker's periodic task: refresh every programme whose insight is stale."""
    del settings
    done = 0
    with store.sessions() as session:
        stale = repo.stale_programmes(session, now - REFRESH_EVERY)
    for program_id in stale:
        with store.sessions() as session:
            refresh_programme(session, program_id, now)
            session.commit()
            done += 1
    return done
