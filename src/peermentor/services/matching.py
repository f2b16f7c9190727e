"""Run the matching engine on a programme, keep the result as draft pairings, publish.

The engine is pure; this module feeds it the programme's eligible people, the pinned
pairings an admin chose, and everyone's past partners, and stores what comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from peermentor.csv_safety import escape_cell
from peermentor.domain.people import PersonRecord
from peermentor.matching.audit import allowed_pair_scores
from peermentor.matching.engine import run_matching
from peermentor.matching.result import MatchResult
from peermentor.matching.run_inputs import RunInputs
from peermentor.matching.settings import MatchSettings
from peermentor.services import audit
from peermentor.services.access import Actor, InvalidInput, NotFound, require_admin
from peermentor.services.programs import admin_program, get_program_by_id
from peermentor.store import people_repo
from peermentor.store.models import Enrolment, MatchRun, Pairing, PairingMember, Person, Program

LIVE_STATES = ("proposed", "active", "paused")
# A pairing that was published once makes its members past partners for later runs.
PAST_STATES = ("proposed", "active", "paused", "completed", "dissolved")
BATCH = 2_000

Progress = Callable[[str, float], None]


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


def save_match_settings(
    session: Session, actor: Actor, program_name: str, changes: dict[str, Any]
) -> MatchSettings:
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    merged = program_match_settings(program).to_dict() | changes
    try:
        settings = MatchSettings.from_dict(merged)
    except (TypeError, ValueError) as error:
        raise InvalidInput(str(error)) from None
    program.settings = dict(program.settings) | {"matching": settings.to_dict()}
    session.commit()
    return settings


def _member_ids(
    session: Session, program_id: int, states: tuple[str, ...], *, pinned_only: bool = False
) -> list[list[str]]:
    statement = (
        select(Pairing.id, Person.employee_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(Pairing.program_id == program_id, Pairing.state.in_(states))
        .order_by(Pairing.id, PairingMember.id)
    )
    if pinned_only:
        statement = statement.where(Pairing.pinned.is_(True))
    rows = session.execute(statement)
    groups: dict[int, list[str]] = {}
    for pairing_id, employee_id in rows:
        groups.setdefault(pairing_id, []).append(employee_id)
    return list(groups.values())


def past_partners_of(session: Session) -> list[frozenset[str]]:
    """Every pair that was ever published together, in any programme."""
    rows = session.execute(
        select(Pairing.id, Person.employee_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(Pairing.state.in_(PAST_STATES))
    )
    groups: dict[int, list[str]] = {}
    for pairing_id, employee_id in rows:
        groups.setdefault(pairing_id, []).append(employee_id)
    pairs = set()
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add(frozenset((a, b)))
    return list(pairs)


def pool_of(session: Session, program: Program) -> list[PersonRecord]:
    """Enrolled people not already in a live pairing of this programme."""
    busy = {e for group in _member_ids(session, program.id, LIVE_STATES) for e in group}
    return [
        p for p in people_repo.enrolled_records(session, program.id) if p.employee_id not in busy
    ]


def run_match(
    session: Session,
    actor: Actor,
    program_name: str,
    *,
    publish: bool = False,
    mode: str | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> MatchOutcome:
    """Match the programme's pool around the pinned pairings; replace the draft."""
    require_admin(actor)
    now = now or datetime.now(UTC)
    program = admin_program(session, actor, program_name)
    settings = program_match_settings(program)
    if mode is not None:
        try:
            settings = settings.with_changes(mode=mode)
        except ValueError as error:
            raise InvalidInput(str(error)) from None
    pool = pool_of(session, program)
    # Draft pairings survive a rerun only when an admin pinned them.
    pinned = _member_ids(session, program.id, ("draft",), pinned_only=True)
    past_partners = past_partners_of(session)
    result = run_matching(
        pool, settings, pinned=pinned, past_partners=past_partners, progress=progress
    )
    session.execute(
        update(MatchRun)
        .where(MatchRun.program_id == program.id, MatchRun.status == "draft")
        .values(status="discarded")
    )
    run = MatchRun(
        program_id=program.id,
        status="draft",
        settings=settings.to_dict(),
        # What it was computed on, so `match scores --run N` can serve it after publish.
        inputs=RunInputs.of(pool, past_partners, pinned).to_json(),
        created_at=now,
    )
    session.add(run)
    session.flush()
    session.execute(
        delete(Pairing).where(Pairing.program_id == program.id, Pairing.state == "draft")
    )
    _store_pairings(session, program.id, run.id, result, now)
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
        },
        now=now,
    )
    if publish:
        _publish(session, actor, program.id, run, now)
    session.commit()  # one commit: the run, its drafts and (with publish) the proposals
    return outcome


def _store_pairings(
    session: Session, program_id: int, run_id: int, result: MatchResult, now: datetime
) -> None:
    person_ids = {
        employee_id: pk
        for employee_id, pk in session.execute(
            select(Person.employee_id, Person.id)
            .join(Enrolment, Enrolment.person_id == Person.id)
            .where(Enrolment.program_id == program_id)
        )
    }
    for start in range(0, len(result.pairings), BATCH):
        chunk = result.pairings[start : start + BATCH]
        ids = session.scalars(
            insert(Pairing).returning(Pairing.id, sort_by_parameter_order=True),
            [
                {
                    "program_id": program_id,
                    "match_run_id": run_id,
                    "state": "draft",
                    "score": p.score,
                    "components": p.components,
                    "pinned": p.pinned,
                    "cycle": 1,
                    "created_at": now,
                }
                for p in chunk
            ],
        ).all()
        session.execute(
            insert(PairingMember),
            [
                {
                    "pairing_id": pairing_id,
                    "person_id": person_ids[member],
                    "explanation": p.explanations.get(member, ""),
                }
                for pairing_id, p in zip(ids, chunk, strict=True)
                for member in p.members
            ],
        )


def _publish(session: Session, actor: Actor, program_id: int, run: MatchRun, now: datetime) -> int:
    """Propose the run's drafts, mark the run published, one audit entry; no commit."""
    # The workspace owns what "proposed" means (who is asked, since when).
    from peermentor.services.workspace.proposals import propose_drafts

    count = propose_drafts(session, program_id, now)
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
    run published; returns how many. The one publish path: review page, API and CLI."""
    program = get_program_by_id(session, actor, program_id)
    run = session.scalar(
        select(MatchRun)
        .where(MatchRun.program_id == program.id, MatchRun.status == "draft")
        .order_by(MatchRun.id.desc())
    )
    if run is None:
        raise InvalidInput(f"{program.name!r} has no draft match to publish; run a match first")
    count = _publish(session, actor, program.id, run, now or datetime.now(UTC))
    session.commit()
    return count


def publish_draft(
    session: Session, actor: Actor, program_name: str, now: datetime | None = None
) -> int:
    """publish_program_draft for adapters that know the programme by name."""
    program = admin_program(session, actor, program_name)
    return publish_program_draft(session, actor, program.id, now)


MAX_RUN_ID = 2_147_483_647  # a 32-bit key on every database


def stored_run(session: Session, program: Program, run_id: int | None) -> MatchRun:
    """Run `run_id` of the programme, or its latest run; another programme's run is
    not found, as an unknown one is."""
    if run_id is None:
        run = session.scalar(
            select(MatchRun).where(MatchRun.program_id == program.id).order_by(MatchRun.id.desc())
        )
        if run is None:
            raise InvalidInput(f"{program.name!r} has no match run yet; run a match first")
        return run
    run = session.get(MatchRun, run_id) if 1 <= run_id <= MAX_RUN_ID else None
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


def _pairing_rows(session: Session, *where: Any) -> dict[str, list[str]]:
    rows = session.execute(
        select(Pairing.id, Pairing.score, Person.employee_id, PairingMember.explanation)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(*where)
        .order_by(Pairing.id, PairingMember.id)
    ).all()
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
    session: Session, actor: Actor, program_name: str, run_id: int | None = None
) -> Iterator[list[str]]:
    """One row per participant: employee_id, partner_ids, pairing_id, score,
    explanation, as CSV cells. Without a run: the current pairings (draft or live) of
    every enrolled person. With a run: that run's pairings, in whatever state they are
    now, then the people it left unmatched. Unmatched people get empties."""
    require_admin(actor)
    program = admin_program(session, actor, program_name)
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
        current = Pairing.state.in_(("draft", *LIVE_STATES))
        placed = _pairing_rows(session, Pairing.program_id == program.id, current)
        people = [p.employee_id for p in people_repo.enrolled_people(session, program.id)]
    else:
        placed = _pairing_rows(session, Pairing.match_run_id == run.id)
        # The run's pool in its order; a run from before 0007 knows its unmatched only.
        pool = [p["employee_id"] for p in (run.inputs or {}).get("pool", [])] or [
            u["employee_id"] for u in run.summary.get("unmatched_people", [])
        ]
        in_pool = set(pool)
        people = [*pool, *(e for e in placed if e not in in_pool)]
    return iter([placed.get(e, [escape_cell(e), "", "", "", ""]) for e in people])


def score_rows(
    session: Session, actor: Actor, program_name: str, run_id: int | None = None
) -> Iterator[tuple[str, str, float]]:
    """Every allowed pair of a stored run's pool (default: the latest run) with the
    score the engine maximised, recomputed from the inputs the run kept. Refusals
    come before the first row, so a refused export writes nothing."""
    require_admin(actor)
    program = admin_program(session, actor, program_name)
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
    return allowed_pair_scores(inputs.pool, settings, inputs.past_partners)


def compare_mode(session: Session, actor: Actor, program_name: str, mode: str) -> dict[str, Any]:
    """The figures another mode would reach on the same pool, without storing anything."""
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    try:
        settings = program_match_settings(program).with_changes(mode=mode)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    pinned = _member_ids(session, program.id, ("draft",), pinned_only=True)
    result = run_matching(
        pool_of(session, program), settings, pinned=pinned, past_partners=past_partners_of(session)
    )
    return {
        "mode": result.mode,
        "pairings": len(result.pairings),
        "triads": sum(1 for p in result.pairings if len(p.members) == 3),
        "matched_people": sum(len(p.members) for p in result.pairings),
        "unmatched": len(result.unmatched),
        "total_score": result.total_score,
        "upper_bound": result.upper_bound,
        "gap": result.gap,
        "exact": result.exact,
        "blocking_pairs": result.blocking_pairs,
        "seconds": result.seconds,
        "worst_pair_score": result.quality.worst_pair[1] if result.quality.worst_pair else 0.0,
    }


def dry_run(
    session: Session,
    actor: Actor,
    program_name: str,
    changes: dict[str, Any],
    progress: Progress | None = None,
) -> dict[str, Any]:
    """What a match with changed settings would give; nothing is stored."""
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    try:
        settings = MatchSettings.from_dict(program_match_settings(program).to_dict() | changes)
    except (TypeError, ValueError) as error:
        raise InvalidInput(str(error)) from None
    pinned = _member_ids(session, program.id, ("draft",), pinned_only=True)
    result = run_matching(
        pool_of(session, program),
        settings,
        pinned=pinned,
        past_partners=past_partners_of(session),
        progress=progress,
    )
    return MatchOutcome(run_id=0, program=program.name, published=False, result=result).summary()
