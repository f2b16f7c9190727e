"""A management chain that runs through someone the run leaves out still keeps a
person and their manager's manager apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from peermentor.domain.people import PersonRecord
from peermentor.services.access import SYSTEM
from peermentor.services.availability import set_availability
from peermentor.services.chains import bridge_chains
from peermentor.services.matching import pool_of, run_match
from peermentor.services.people import import_people
from peermentor.services.programs import get_program_by_id
from tests.programs import pid
from tests.store.test_leaving import actor_of, groups

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
HEADER = (
    "employee_id,name,email,manager_id,department,team,level,years_experience,"
    "skills_offered,skills_sought,career_goals,challenges,hours_per_month"
)


def row(e: str, manager: str, department: str) -> str:
    return (
        f"{e},Person {e},{e.lower()}@example.com,{manager},{department},Team {e},4,8,"
        "hiring;coaching,hiring;coaching,grow,delegation,4"
    )


def test_a_paused_middle_manager_does_not_let_their_report_meet_their_manager(
    session: Session,
) -> None:
    # B manages M, M manages A; the others make sure A and B have other partners to take.
    lines = [row("B", "", "Sales"), row("M", "B", "Finance"), row("A", "M", "Legal")]
    csv = "\n".join([HEADER, *lines]) + "\n"
    import_people(session, SYSTEM, "Chains", csv.encode())
    program_id = pid(session, "Chains")
    set_availability(
        session,
        actor_of(session, "M"),
        program_id,
        paused_until=(NOW + timedelta(days=30)).date(),
        capacity=1,
        now=NOW,
    )
    pool = {
        p.employee_id: p
        for p in pool_of(session, get_program_by_id(session, SYSTEM, program_id), NOW)
    }
    assert set(pool) == {"A", "B"}
    assert pool["A"].manager_id == "B"  # M is outside the pool: the nearest one above stands in
    outcome = run_match(session, SYSTEM, program_id, now=NOW)
    assert not groups(session, ("draft",))
    assert {e for e, _ in outcome.result.unmatched} == {"A", "B"}


def record(e: str, manager: str | None) -> PersonRecord:
    return PersonRecord(employee_id=e, name=e, email="", years_experience=5, manager_id=manager)


def test_bridging_skips_every_level_outside_the_pool_and_stops_at_loops() -> None:
    people = {"A": "M1", "M1": "M2", "M2": "C", "C": None, "L1": "L2", "L2": "L1"}
    asked: list[set[str]] = []

    def managers_of(ids: object) -> dict[str, str | None]:
        wanted = set(ids)  # type: ignore[call-overload]
        asked.append(wanted)
        return {e: people[e] for e in wanted if e in people}

    pool = [record("A", "M1"), record("C", None), record("X", "L1"), record("Y", "nobody")]
    bridged = {p.employee_id: p.manager_id for p in bridge_chains(pool, managers_of)}
    assert bridged == {"A": "C", "C": None, "X": "L1", "Y": "nobody"}
    assert len(asked) == 2  # one question per missing level, not one per person
    # Everyone's manager in the pool: the people data is not asked at all.
    assert bridge_chains([record("A", "C"), record("C", None)], managers_of)
    assert len(asked) == 2
