"""Running the engine on a stored programme: drafts, pins, publishing, exports."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv, generate_organisation
from peermentor.people_csv import serialize_people_csv
from peermentor.services.access import SYSTEM, Actor, Forbidden
from peermentor.services.matching import (
    export_rows,
    publish_program_draft,
    run_match,
    save_match_settings,
    score_rows,
)
from peermentor.services.people import import_people
from peermentor.store.models import MatchRun, Pairing, PairingMember, Person
from tests.programs import pid

PARTICIPANT = Actor(role="participant", user_id=5, person_id=5)


def stored_groups(session: Session, program_id: int | None = None) -> dict[int, set[str]]:
    statement = (
        select(Pairing.id, Person.employee_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
    )
    if program_id is not None:
        statement = statement.where(Pairing.program_id == program_id)
    groups: dict[int, set[str]] = {}
    for pairing_id, employee_id in session.execute(statement):
        groups.setdefault(pairing_id, set()).add(employee_id)
    return groups


def test_match_stores_one_draft_pairing_per_matched_person(session: Session) -> None:
    people = generate_organisation(61, seed=4)
    import_people(session, SYSTEM, "Cohort", serialize_people_csv(people).encode())
    outcome = run_match(session, SYSTEM, pid(session, "Cohort"))
    groups = stored_groups(session)
    placed = [e for g in groups.values() for e in g]
    assert len(placed) == len(set(placed)), "someone is in two pairings"
    assert len(groups) == len(outcome.result.pairings)
    unmatched = {e for e, _ in outcome.result.unmatched}
    assert set(placed) | unmatched == {p.employee_id for p in people}
    opted_out = {p.employee_id for p in people if p.opt_out}
    assert opted_out <= unmatched
    states = set(session.scalars(select(Pairing.state)))
    assert states == {"draft"}
    members = session.scalars(select(PairingMember)).all()
    assert all(m.explanation for m in members), "every member gets a 'why you two'"


def test_rerun_replaces_the_draft_but_keeps_pinned_pairings(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(40, seed=8).encode())
    run_match(session, SYSTEM, pid(session, "Cohort"))
    first_id, first_members = next(iter(stored_groups(session).items()))
    pairing = session.get(Pairing, first_id)
    assert pairing is not None
    pairing.pinned = True
    session.commit()
    run_match(session, SYSTEM, pid(session, "Cohort"))
    groups = stored_groups(session)
    assert first_members in groups.values()
    runs = session.scalars(select(MatchRun.status).order_by(MatchRun.id)).all()
    assert runs == ["discarded", "draft"]


def test_publish_proposes_the_draft_and_a_rerun_leaves_live_pairings_alone(
    session: Session,
) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(30, seed=2).encode())
    run_match(session, SYSTEM, pid(session, "Cohort"))
    count = publish_program_draft(session, SYSTEM, pid(session, "Cohort"))
    assert count > 0
    assert set(session.scalars(select(Pairing.state))) == {"proposed"}
    before = stored_groups(session)
    again = run_match(session, SYSTEM, pid(session, "Cohort"))
    assert again.result.pairings == []  # everyone eligible is already in a live pairing
    assert stored_groups(session) == before


def test_publish_without_a_draft_says_so(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(10, seed=2).encode())
    with pytest.raises(Exception, match="no draft match to publish"):
        publish_program_draft(session, SYSTEM, pid(session, "Cohort"))


def test_a_new_programme_never_repeats_a_past_partner(session: Session) -> None:
    csv = demo_people_csv(24, seed=5).encode()
    import_people(session, SYSTEM, "Spring", csv)
    run_match(session, SYSTEM, pid(session, "Spring"), publish=True)
    spring = {frozenset(g) for g in stored_groups(session).values()}
    import_people(session, SYSTEM, "Autumn", csv)
    outcome = run_match(session, SYSTEM, pid(session, "Autumn"))
    for pairing in outcome.result.pairings:
        members = pairing.members
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                assert not any({a, b} <= group for group in spring), (a, b)


def test_export_has_a_row_per_participant_and_names_partners(session: Session) -> None:
    people = generate_organisation(21, seed=6)
    import_people(session, SYSTEM, "Cohort", serialize_people_csv(people).encode())
    run_match(session, SYSTEM, pid(session, "Cohort"))
    rows = list(export_rows(session, SYSTEM, pid(session, "Cohort")))
    assert [r[0] for r in rows] == [p.employee_id for p in people]
    by_id = {r[0]: r for r in rows}
    for row in rows:
        for partner in filter(None, row[1].split(";")):
            assert row[0] in by_id[partner][1].split(";")
            assert by_id[partner][2] == row[2]


def test_scores_cover_every_allowed_pair_and_match_the_total(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(20, seed=9).encode())
    settings = save_match_settings(
        session, SYSTEM, pid(session, "Cohort"), {"odd_mode": "waitlist"}
    )
    assert settings.odd_mode == "waitlist"
    outcome = run_match(session, SYSTEM, pid(session, "Cohort"))
    scores = {
        frozenset((a, b)): s for a, b, s in score_rows(session, SYSTEM, pid(session, "Cohort"))
    }
    total = sum(scores[frozenset(p.members)] for p in outcome.result.pairings)
    assert total == pytest.approx(outcome.result.total_score, rel=1e-9)


def test_bad_matching_settings_are_refused_by_name(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(10, seed=9).encode())
    with pytest.raises(Exception, match="odd_mode"):
        save_match_settings(session, SYSTEM, pid(session, "Cohort"), {"odd_mode": "sometimes"})


def test_participants_cannot_run_or_read_matches(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(10, seed=9).encode())
    with pytest.raises(Forbidden):
        run_match(session, PARTICIPANT, pid(session, "Cohort"))
    with pytest.raises(Forbidden):
        list(export_rows(session, PARTICIPANT, pid(session, "Cohort")))
    with pytest.raises(Forbidden):
        list(score_rows(session, PARTICIPANT, pid(session, "Cohort")))


def test_a_publish_reads_the_programme_once_and_commits_once(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(12, seed=2).encode())
    program_id = pid(session, "Cohort")
    run_match(session, SYSTEM, program_id)
    session.expire_all()  # nothing cached: every read of the programme is a query
    commits: list[int] = []
    programme_reads: list[str] = []

    def count_commits(_: Session) -> None:
        commits.append(1)

    def count_reads(conn, cursor, statement: str, *args: object) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "FROM programs" in statement:
            programme_reads.append(statement)

    engine = session.get_bind()
    event.listen(session, "after_commit", count_commits)
    event.listen(engine, "before_cursor_execute", count_reads)
    try:
        assert publish_program_draft(session, SYSTEM, program_id) > 0
    finally:
        event.remove(session, "after_commit", count_commits)
        event.remove(engine, "before_cursor_execute", count_reads)
    assert len(commits) == 1
    assert len(programme_reads) == 1, programme_reads
