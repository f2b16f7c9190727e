"""Programme insight for its admins: every figure read from the insight tables and
made safe by domain.insight (none over fewer than 5 people or pairings)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from peermentor.domain import insight as fig
from peermentor.domain.insight import Band, Diversity, FunnelStep, Groups, Hidden, Point, Share
from peermentor.services.access import Actor, NotFound, require_admin
from peermentor.services.insight import ensure_fresh, refresh_programme
from peermentor.services.programs import require_program_admin
from peermentor.store import insight_repo as repo
from peermentor.store.models import Program

AT_RISK_LIST = 200  # pairings listed by id; the counts cover them all
CACHED = 32  # insights kept in memory, each for one refresh of one programme and range


@dataclass(frozen=True, slots=True)
class RunInsight:
    run_id: int
    published_at: datetime | None
    pairings: int | Hidden
    funnel: tuple[FunnelStep, ...]
    gap: float | None
    blocking_pairs: int | None
    criterion_share: dict[str, float]
    worst_score: float | None
    mean_score: float | None
    bands: tuple[Band, ...]
    reading: str


@dataclass(frozen=True, slots=True)
class AtRisk:
    pairing_id: int
    state: str
    reasons: tuple[str, ...]
    last_session_on: date | None


@dataclass(frozen=True, slots=True)
class Insight:
    program_id: int
    program_name: str
    refreshed_at: datetime
    since: date | None
    until: date | None
    funnel: tuple[FunnelStep, ...]
    runs: tuple[RunInsight, ...]
    sessions_per_month: tuple[Point, ...]
    feedback_per_month: tuple[Point, ...]
    checkin_per_month: tuple[Point, ...]
    exchange: tuple[tuple[str, Share | Hidden], ...]
    answer_hours: float | Hidden
    balance: Groups
    risk_counts: tuple[tuple[str, int | Hidden], ...]
    at_risk: tuple[AtRisk, ...]
    diversity: tuple[Diversity, ...]


def _funnel(enrolled: int, t: dict[str, float]) -> tuple[FunnelStep, ...]:
    keys = [key for key, _ in fig.FUNNEL_STEPS[1:]]
    return fig.funnel({"enrolled": enrolled} | {k: int(t[k]) for k in keys})


def _in_range(
    points: list[tuple[date, int, float]], since: date | None, until: date | None
) -> list[tuple[date, int, float]]:
    return [
        p
        for p in points
        if (since is None or p[0] >= fig.month_start(since)) and (until is None or p[0] <= until)
    ]


def _runs(
    session: Session, program_id: int, outcomes: dict[int | None, list[Any]]
) -> tuple[RunInsight, ...]:
    runs = []
    for run_id, published_at, summary in repo.published_runs(session, program_id):
        t = repo.totals(session, program_id, run_id=run_id)
        pool = int(summary.get("matched_people", 0)) + int(summary.get("unmatched", 0))
        quality = summary.get("quality") or {}
        worst = quality.get("worst_pair") or {}
        bands = fig.by_score_band(
            [fig.Outcome(o.score, o.sessions, o.checkin_mean, o.renewed) for o in outcomes[run_id]]
        )
        runs.append(
            RunInsight(
                run_id=run_id,
                published_at=published_at,
                pairings=fig.safe_count(int(t["pairings"])),
                funnel=_funnel(pool or int(t["matched"]), t),
                gap=summary.get("gap"),
                blocking_pairs=summary.get("blocking_pairs"),
                criterion_share=dict(quality.get("criterion_share") or {}),
                # One pair's score describes one pair: shown only beside a run of 5 or more.
                worst_score=worst.get("score") if t["pairings"] >= fig.MIN_GROUP else None,
                mean_score=quality.get("mean_score"),
                bands=bands,
                reading=fig.reading(bands),
            )
        )
    return tuple(runs)


def _risk(session: Session, program_id: int) -> tuple[AtRisk, ...]:
    listed = []
    for pid, state, silent, balance, missed, overdue, last in repo.at_risk(
        session, program_id, AT_RISK_LIST
    ):
        reasons = [
            word
            for word, flag in (
                ("silent", silent),
                ("one-sided", balance is not None and balance >= 0.6),
                ("behind on role-plays", missed > 0),
                ("proposal unanswered", overdue),
            )
            if flag
        ]
        listed.append(AtRisk(pid, state, tuple(reasons), last))
    return tuple(listed)


def _diversity(session: Session, program_id: int, t: dict[str, float]) -> tuple[Diversity, ...]:
    pairings = int(t["pairings"])
    result = [
        fig.diversity(a, int(t[f"cross_{a}"]), pairings, repo.pool_by(session, program_id, a))
        for a in ("department", "location")
    ]
    pool = repo.pool_backgrounds(session, program_id)
    result.append(fig.diversity("background", int(t["cross_background"]), pairings, pool))
    return tuple(result)


_CACHE: OrderedDict[tuple[int, datetime, date | None, date | None], Insight] = OrderedDict()


def programme_insight(
    session: Session,
    actor: Actor,
    program_id: int,
    now: datetime,
    since: date | None = None,
    until: date | None = None,
) -> Insight:
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    require_program_admin(session, actor, program)
    refreshed = ensure_fresh(session, program_id, now)
    # Every figure follows from the stored counters: the same refresh, the same figures.
    key = (program_id, refreshed, since, until)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    made = _computed(session, program, refreshed, since, until)
    _CACHE[key] = made
    while len(_CACHE) > CACHED:
        _CACHE.popitem(last=False)
    return made


def _computed(
    session: Session, program: Program, refreshed: datetime, since: date | None, until: date | None
) -> Insight:
    program_id = program.id
    t = repo.totals(session, program_id, since=since, until=until)
    series = repo.series(session, program_id)
    accepted = int(t["accepted_pairings"])
    answered = int(t["answered_pairings"])
    exchange = (
        ("Asked for guidance", fig.safe_share(int(t["asked_pairings"]), accepted)),
        ("Had guidance answered", fig.safe_share(answered, accepted)),
        ("Gave feedback", fig.safe_share(int(t["feedback_pairings"]), accepted)),
        ("Gave feedback both ways", fig.safe_share(int(t["feedback_both_ways"]), accepted)),
        (
            "Kept role-plays to cadence",
            fig.safe_share(int(t["on_cadence"]), int(t["scheduled_pairings"])),
        ),
        (
            "Moved a gap to done",
            fig.safe_share(int(t["gap_moved_pairings"]), int(t["gap_pairings"])),
        ),
    )
    risk = (
        ("Silent for 30 days or more", fig.safe_count(int(t["silent"]))),
        ("One-sided", fig.safe_count(int(t["one_sided"]))),
        ("Behind on role-plays", fig.safe_count(int(t["overdue_roleplay"]))),
        ("Proposal past its response window", fig.safe_count(int(t["overdue_proposal"]))),
    )
    return Insight(
        program_id=program_id,
        program_name=program.name,
        refreshed_at=refreshed,
        since=since,
        until=until,
        funnel=_funnel(repo.enrolled(session, program_id), t),
        runs=_runs(session, program_id, repo.outcomes(session, program_id)),
        sessions_per_month=fig.mean_series(_in_range(series.get("sessions", []), since, until)),
        feedback_per_month=fig.mean_series(_in_range(series.get("feedback", []), since, until)),
        checkin_per_month=fig.mean_series(_in_range(series.get("checkin", []), since, until)),
        exchange=exchange,
        answer_hours=(
            t["answer_hours_sum"] / answered if answered >= fig.MIN_GROUP else Hidden(answered)
        ),
        balance=fig.balance_distribution(repo.balances(session, program_id)),
        risk_counts=risk,
        at_risk=_risk(session, program_id),
        diversity=_diversity(session, program_id, t),
    )


def refresh_now(session: Session, actor: Actor, program_id: int, now: datetime) -> int:
    """An admin's "refresh now": the programme's figures recomputed and committed."""
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    require_program_admin(session, actor, program)
    counted = refresh_programme(session, program_id, now)
    session.commit()
    return counted
