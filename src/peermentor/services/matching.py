"""Run the matching engine on a programme, keep the result as draft pairings, publish.

The engine is pure; this module feeds it the programme's eligible people, the pinned
pairings an admin chose, and everyone's past partners, and stores what comes back
(store/match_repo.py). Every use case takes the programme's id: adapters that know it
by name resolve it once (services.programs.program_id_named).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from peermentor.csv_safety import escape_cell
from peermentor.domain.errors import NotReady
from peermentor.domain.people import PersonRecord
from peermentor.domain.self_match import SelfMatchSettings
from peermentor.matching.result import MatchResult
from peermentor.matching.run_inputs import RunInputs
from peermentor.matching.settings import MatchSettings
from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput, NotFound
from peermentor.services.programs import get_program_by_id
from peermentor.store import match_repo, people_repo, programs_repo
from peermentor.store.match_repo import LIVE_STATES
from peermentor.store.models import MatchRun, Program

Progress = Callable[[str, float], None]

# The engine (NumPy, SciPy, Numba, scikit-learn) is imported by the use cases that run
# it, not with this module: every CLI command loads it, and most never match.


def _figures(r: MatchResult) -> dict[str, Any]:
    """The headline figures of a result: the run summary's and the comparison's."""
    return {
        "mode": r.mode,
        "pairings": len(r.pairings),
        "triads": sum(1 for p in r.pairings if len(p.members) == 3),
        "matched_people": sum(len(p.members) for p in r.pairings),
        "unmatched": len(r.unmatched),
        "total_score": r.total_score,
        "upper_bound": r.upper_bound,
        "gap": r.gap,
        "exact": r.exact,
        "blocking_pairs": r.blocking_pairs,
        "seconds": r.seconds,
    }


@dataclass(frozen=True)
class MatchOutcome:
    run_id: int
    program: str
    published: bool
    result: MatchResult

    def summary(self) -> dict[str, Any]:
        r = self.result
        return {
            "program": self.program,
            "run_id": self.run_id,
            "published": self.published,
            **_figures(r),
            "timings": r.timings,
            "candidate_edges": r.edges,
            "full_graph": r.full_graph,
            "quality": {
                "criterion_share": r.quality.criterion_share,
                "threshold": r.quality.threshold,
                "score_quantiles": r.quality.quantiles,
                "mean_score": r.quality.mean_score,
                "worst_pair": (
                    {"members": list(r.quality.worst_pair[0]), "score": r.quality.worst_pair[1]}
                    if r.quality.worst_pair
                    else None
                ),
            },
            "unmatched_people": [
                {"employee_id": employee_id, "reason": reason}
                for employee_id, reason in r.unmatched
            ],
        }


def program_match_settings(program: Program) -> MatchSettings:
    try:
        return MatchSettings.from_dict(dict(program.settings.get("matching", {})))
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"matching settings of {program.name!r}: {error}") from None


def _settings_with(program: Program, changes: dict[str, Any]) -> MatchSettings:
    try:
        return MatchSettings.from_dict(program_match_settings(program).to_dict() | changes)
    except (TypeError, ValueError) as error:
        raise InvalidInput(str(error)) from None


def save_match_settings(
    session: Session, actor: Actor, program_id: int, changes: dict[str, Any]
) -> MatchSettings:
    program = get_program_by_id(session, actor, program_id)
    settings = _settings_with(program, changes)
    program.settings = dict(program.settings) | {"matching": settings.to_dict()}
    session.commit()
    return settings


def past_partners_of(session: Session) -> list[frozenset[str]]:
    """Every pair that was ever published together, in any programme."""
    pairs = set()
    for members in match_repo.groups_ever_published(session):
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add(frozenset((a, b)))
    return list(pairs)


def pool_of(session: Session, program: Program, now: datetime | None = None) -> list[PersonRecord]:
    """Enrolled people not already in a live pairing of this programme (unless open to
    one more), not paused, not cooling down after leaving; blocks as do-not-match
    (services/availability.py)."""
    from peermentor.services.availability import filter_pool

    live = match_repo.member_groups(session, program.id, LIVE_STATES)
    return filter_pool(
        session, program, people_repo.enrolled_records(session, program.id), live, now
    )


def _pinned(session: Session, program: Program) -> list[list[str]]:
    # Draft pairings survive a rerun only when an admin pinned them.
    return match_repo.member_groups(session, program.id, ("draft",), pinned_only=True)


def run_match(
    session: Session,
    actor: Actor,
    program_id: int,
    *,
    publish: bool = False,
    mode: str | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    rematch: bool = False,
) -> MatchOutcome:
    """Match the programme's pool around the pinned pairings; replace the draft."""
    now = now or datetime.now(UTC)
    program = get_program_by_id(session, actor, program_id)
    refusal = SelfMatchSettings.of(program.settings).run_refusal(now.date())
    if refusal:  # people are choosing: a run now would take the ones they are about to ask
        raise NotReady(refusal)
    settings = program_match_settings(program)
    if mode is not None:
        try:
            settings = settings.with_changes(mode=mode)
        except ValueError as error:
            raise InvalidInput(str(error)) from None
    if rematch:  # a rematch never repeats a past partner, whatever the programme allows
        settings = settings.with_changes(allow_past_partners=False)
    started = time.perf_counter()
    from peermentor.matching.engine import run_matching

    pool = pool_of(session, program, now)
    pinned = _pinned(session, program)
    past_partners = past_partners_of(session)
    pool_read = time.perf_counter() - started
    result = run_matching(
        pool, settings, pinned=pinned, past_partners=past_partners, progress=progress
    )
    started = time.perf_counter()
    # What it was computed on, so `match scores --run N` can serve it after publish.
    inputs = RunInputs.of(pool, past_partners, pinned).to_json()
    run = match_repo.replace_draft_run(session, program.id, settings.to_dict(), inputs, now)
    match_repo.insert_drafts(session, program.id, run.id, result.pairings, now)
    # The store's own stages beside the engine's, in the run's summary.
    store_write = time.perf_counter() - started
    timings = dict(result.timings) | {"pool read": pool_read, "store write": store_write}
    result = replace(result, timings=timings)
    outcome = MatchOutcome(run_id=run.id, program=program.name, published=publish, result=result)
    run.summary = outcome.summary()
    audit.record(
        session,
        actor,
        "match.run",
        target_kind="match_run",
        target_id=run.id,
        program_id=program.id,
        details={
            "pairings": len(result.pairings),
            "unmatched": len(result.unmatched),
            "publish": publish,
            **({"rematch": True} if rematch else {}),
        },
        now=now,
    )
    if publish:
        _publish(session, actor, program.id, run, now)
    session.commit()  # one commit: the run, its drafts and (with publish) the proposals
    return outcome


# A programme is active from its first published match; closed stays closed.
BEFORE_ACTIVE = ("draft", "enrolling", "matching")


def _publish(session: Session, actor: Actor, program_id: int, run: MatchRun, now: datetime) -> int:
    """Propose the run's drafts, mark the run published, one audit entry; no commit."""
    # The workspace owns what "proposed" means (who is asked, since when).
    from peermentor.services.workspace.proposals import propose_drafts

    count = propose_drafts(session, program_id, now)
    program = programs_repo.program(session, program_id)
    if program is not None and count and program.status in BEFORE_ACTIVE:
        program.status = "active"  # its people now have proposals to answer
    run.status = "published"
    run.published_at = now
    run.summary = dict(run.summary) | {"published": True}
    audit.record(
        session,
        actor,
        "match.published",
        target_kind="match_run",
        target_id=run.id,
        program_id=program_id,
        details={"pairings": count},
        now=now,
    )
    return count


def publish_program_draft(
    session: Session, actor: Actor, program_id: int, now: datetime | None = None
) -> int:
    """Propose every draft pairing of the programme to its members and mark its draft
    run published; returns how many. The one publish path: review page, API and CLI;
    one look-up of the programme, one commit."""
    program = get_program_by_id(session, actor, program_id)
    run = match_repo.latest_run(session, program.id, status="draft")
    if run is None:
        raise InvalidInput(f"{program.name!r} has no draft match to publish; run a match first")
    count = _publish(session, actor, program.id, run, now or datetime.now(UTC))
    session.commit()
    return count


def stored_run(session: Session, program: Program, run_id: int | None) -> MatchRun:
    """Run `run_id` of the programme, or its latest run; another programme's run is
    not found, as an unknown one is."""
    if run_id is None:
        latest = match_repo.latest_run(session, program.id)
        if latest is None:
            raise InvalidInput(f"{program.name!r} has no match run yet; run a match first")
        return latest
    run = match_repo.run(session, run_id)
    if run is None or run.program_id != program.id:
        raise NotFound(f"{program.name!r} has no match run {run_id}")
    return run


def _export_row(
    employee_id: str, partners: list[str], pairing_id: int, score: float, why: str
) -> list[str]:
    # Text cells formula-safe (csv_safety); the numbers are written as they are.
    return [
        escape_cell(employee_id),
        escape_cell(";".join(partners)),
        str(pairing_id),
        f"{score:.6f}",
        escape_cell(why),
    ]


def _rows_by_member(rows: list[match_repo.ExportRow]) -> dict[str, list[str]]:
    members: dict[int, list[str]] = {}
    for pairing_id, _, employee_id, _ in rows:
        members.setdefault(pairing_id, []).append(employee_id)
    return {
        employee_id: _export_row(
            employee_id,
            [m for m in members[pairing_id] if m != employee_id],
            pairing_id,
            score,
            explanation,
        )
        for pairing_id, score, employee_id, explanation in rows
    }


def export_rows(
    session: Session, actor: Actor, program_id: int, run_id: int | None = None
) -> Iterator[list[str]]:
    """One row per participant: employee_id, partner_ids, pairing_id, score,
    explanation, as CSV cells. Without a run: the current pairings (draft or live) of
    every enrolled person. With a run: that run's pairings, in whatever state they are
    now, then the people it left unmatched. Unmatched people get empties."""
    program = get_program_by_id(session, actor, program_id)
    run = None if run_id is None else stored_run(session, program, run_id)
    if run is not None and run.status == "discarded":
        raise InvalidInput(f"run {run.id} was discarded by a later run; its pairings are gone")
    audit.record(
        session,
        actor,
        "match.exported",
        target_kind=None if run is None else "match_run",
        target_id=None if run is None else run.id,
        program_id=program.id,
        now=datetime.now(UTC),
    )
    session.commit()  # an export that started is recorded, however far it is read
    if run is None:
        placed = _rows_by_member(match_repo.current_export_rows(session, program.id))
        people = [p.employee_id for p in people_repo.enrolled_people(session, program.id)]
    else:
        placed = _rows_by_member(match_repo.run_export_rows(session, run.id))
        # The run's pool in its order; a run from before 0007 knows its unmatched only.
        pool = [p["employee_id"] for p in (run.inputs or {}).get("pool", [])] or [
            u["employee_id"] for u in run.summary.get("unmatched_people", [])
        ]
        in_pool = set(pool)
        people = [*pool, *(e for e in placed if e not in in_pool)]
    return iter([placed.get(e, [escape_cell(e), "", "", "", ""]) for e in people])


def score_rows(
    session: Session, actor: Actor, program_id: int, run_id: int | None = None
) -> Iterator[tuple[str, str, float]]:
    """Every allowed pair of a stored run's pool (default: the latest run) with the
    score the engine maximised, recomputed from the inputs the run kept. Refusals
    come before the first row, so a refused export writes nothing."""
    program = get_program_by_id(session, actor, program_id)
    run = stored_run(session, program, run_id)
    if run.inputs is None:
        raise InvalidInput(
            f"run {run.id} of {program.name!r} was stored before runs kept their inputs; "
            "its scores cannot be recomputed"
        )
    try:
        settings = MatchSettings.from_dict(dict(run.settings))
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"settings of run {run.id}: {error}") from None
    inputs = RunInputs.from_json(run.inputs)
    audit.record(
        session,
        actor,
        "match.scores_exported",
        target_kind="match_run",
        target_id=run.id,
        program_id=program.id,
        now=datetime.now(UTC),
    )
    session.commit()  # an export that started is recorded, however far it is read
    from peermentor.matching.audit import allowed_pair_scores

    return allowed_pair_scores(inputs.pool, settings, inputs.past_partners)


def _trial(
    session: Session, program: Program, settings: MatchSettings, progress: Progress | None = None
) -> MatchResult:
    """What a run with these settings would give now; nothing is stored."""
    from peermentor.matching.engine import run_matching

    return run_matching(
        pool_of(session, program),
        settings,
        pinned=_pinned(session, program),
        past_partners=past_partners_of(session),
        progress=progress,
    )


def compare_mode(session: Session, actor: Actor, program_id: int, mode: str) -> dict[str, Any]:
    """The figures another mode would reach on the same pool, without storing anything."""
    program = get_program_by_id(session, actor, program_id)
    try:
        settings = program_match_settings(program).with_changes(mode=mode)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    result = _trial(session, program, settings)
    worst = result.quality.worst_pair
    return _figures(result) | {"worst_pair_score": worst[1] if worst else 0.0}


def dry_run(
    session: Session,
    actor: Actor,
    program_id: int,
    changes: dict[str, Any],
    progress: Progress | None = None,
) -> dict[str, Any]:
    """What a match with changed settings would give; nothing is stored."""
    program = get_program_by_id(session, actor, program_id)
    result = _trial(session, program, _settings_with(program, changes), progress)
    found = MatchOutcome(run_id=0, program=program.name, published=False, result=result).summary()
    # Beside the last stored run (draft or published), so the figures mean something.
    last = match_repo.latest_kept_run(session, program.id)
    if last is not None and last.summary:
        keys = ("pairings", "triads", "matched_people", "unmatched", "total_score", "gap")
        found["compared_with"] = {
            "run_id": last.id,
            "status": last.status,
            **{k: last.summary.get(k) for k in keys},
            "worst_pair": ((last.summary.get("quality") or {}).get("worst_pair") or {}).get(
                "score"
            ),
            "blocking_pairs": last.summary.get("blocking_pairs"),
        }
    return found


def why_not(session: Session, actor: Actor, program_id: int, first: str, second: str) -> str:
    """The hard rule that keeps two enrolled people apart, or what pairing them costs:
    their score together and what each would lose against their current (draft or
    live) partners, under the programme's settings."""
    program = get_program_by_id(session, actor, program_id)
    a, b = first.strip(), second.strip()
    if a == b:
        raise InvalidInput(f"{a}: name two different people")
    people = list(people_repo.enrolled_records(session, program.id))
    enrolled = {p.employee_id for p in people}
    for employee_id in (a, b):
        if employee_id not in enrolled:
            raise NotFound(f"{employee_id!r} is not enrolled in {program.name!r}")
    partners: dict[str, tuple[str, ...]] = {}
    current = match_repo.member_groups(session, program.id, match_repo.CURRENT_STATES)
    for group in current:
        for member in group:
            partners[member] = tuple(m for m in group if m != member)
    # A live pairing is also "ever published"; against themselves it is no rule.
    together_now = {frozenset((m, n)) for g in current for m in g for n in g if m != n}
    past = [p for p in past_partners_of(session) if p not in together_now]
    from peermentor.matching.audit import why_not_apart
    from peermentor.services.availability import why_apart

    own_rule = why_apart(session, program, a, b)
    if own_rule is not None:
        return own_rule
    return why_not_apart(people, partners, a, b, program_match_settings(program), past)
