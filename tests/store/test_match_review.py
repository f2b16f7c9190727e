"""An admin's hand edits of a draft match: lock, swap, unpair, pair by hand."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.orm import Session

from peermentor.demo_org import generate_organisation
from peermentor.people_csv import serialize_people_csv
from peermentor.services.access import SYSTEM, Actor, Forbidden, InvalidInput
from peermentor.services.match_review import (
    PairingView,
    current_pairings,
    latest_run,
    pair_by_hand,
    set_locked,
    swap,
    unpair,
)
from peermentor.services.matching import export_rows, publish_program_draft, run_match
from peermentor.services.people import import_people
from tests.programs import pid

PARTICIPANT = Actor(role="participant", user_id=9, person_id=9)


@pytest.fixture
def matched(session: Session) -> Session:
    people = generate_organisation(40, seed=12)
    import_people(session, SYSTEM, "Cohort", serialize_people_csv(people).encode())
    run_match(session, SYSTEM, pid(session, "Cohort"))
    return session


def two_pairs(session: Session) -> tuple[PairingView, PairingView]:
    views, _ = current_pairings(session, SYSTEM, pid(session, "Cohort"))
    pairs = [v for v in views if len(v.members) == 2]
    return pairs[0], pairs[1]


def test_review_lists_pairings_weakest_first_with_explanations(matched: Session) -> None:
    views, total = current_pairings(matched, SYSTEM, pid(matched, "Cohort"))
    assert total == len(views) > 0
    assert [v.score for v in views] == sorted(v.score for v in views)
    assert all(m.explanation for v in views for m in v.members)


def test_swap_exchanges_two_people_and_locks_both_pairings(matched: Session) -> None:
    views, _ = current_pairings(matched, SYSTEM, pid(matched, "Cohort"))
    pairs = [v for v in views if len(v.members) == 2]
    for first, second in itertools.pairwise(pairs):
        a, b = first.members[0].employee_id, second.members[0].employee_id
        try:
            swap(matched, SYSTEM, pid(matched, "Cohort"), a, b)
        except InvalidInput as refused:  # this swap breaks a hard rule; try the next
            assert "hard rule" in str(refused)
            continue
        break
    else:
        pytest.fail("no allowed swap in the whole cohort")
    views, _ = current_pairings(matched, SYSTEM, pid(matched, "Cohort"))
    groups = {frozenset(m.employee_id for m in v.members): v for v in views}
    new_first = frozenset({b, first.members[1].employee_id})
    new_second = frozenset({a, second.members[1].employee_id})
    assert new_first in groups and new_second in groups
    assert groups[new_first].pinned and groups[new_second].pinned


def test_swap_inside_a_reporting_line_is_refused(matched: Session) -> None:
    people = {p.employee_id: p for p in generate_organisation(40, seed=12)}
    views, _ = current_pairings(matched, SYSTEM, pid(matched, "Cohort"))
    by_member = {m.employee_id: v for v in views for m in v.members}
    for view in views:
        if len(view.members) != 2:
            continue
        x, y = (m.employee_id for m in view.members)
        manager = people[x].manager_id
        other = by_member.get(manager or "")
        if other is None or other.id == view.id:
            continue
        # Swapping y for x's manager would put x with their own manager.
        with pytest.raises(InvalidInput, match="hard rule"):
            swap(matched, SYSTEM, pid(matched, "Cohort"), y, manager)  # type: ignore[arg-type]
        return
    pytest.fail("the generated cohort has no manager paired apart from a report")


def test_unpair_then_pair_by_hand(matched: Session) -> None:
    first, _ = two_pairs(matched)
    members = unpair(matched, SYSTEM, pid(matched, "Cohort"), first.id)
    pairing_id = pair_by_hand(matched, SYSTEM, pid(matched, "Cohort"), members)
    views, _ = current_pairings(matched, SYSTEM, pid(matched, "Cohort"))
    [made] = [v for v in views if v.id == pairing_id]
    assert {m.employee_id for m in made.members} == set(members)
    assert made.pinned
    assert made.score == pytest.approx(first.score)


def test_pair_by_hand_refuses_someone_already_paired(matched: Session) -> None:
    first, second = two_pairs(matched)
    with pytest.raises(InvalidInput, match="already in a pairing"):
        pair_by_hand(
            matched,
            SYSTEM,
            pid(matched, "Cohort"),
            [first.members[0].employee_id, second.members[0].employee_id],
        )


def test_lock_survives_and_published_pairings_cannot_be_edited(matched: Session) -> None:
    first, _ = two_pairs(matched)
    set_locked(matched, SYSTEM, pid(matched, "Cohort"), first.id, True)
    publish_program_draft(matched, SYSTEM, pid(matched, "Cohort"))
    with pytest.raises(InvalidInput, match="only a draft can change"):
        unpair(matched, SYSTEM, pid(matched, "Cohort"), first.id)


def test_participant_cannot_review_or_edit(matched: Session) -> None:
    first, _ = two_pairs(matched)
    with pytest.raises(Forbidden):
        current_pairings(matched, PARTICIPANT, pid(matched, "Cohort"))
    with pytest.raises(Forbidden):
        unpair(matched, PARTICIPANT, pid(matched, "Cohort"), first.id)


def test_a_hand_pairing_belongs_to_the_run_under_review(matched: Session) -> None:
    program_id = pid(matched, "Cohort")
    run = latest_run(matched, SYSTEM, program_id)
    assert run is not None
    first, _ = two_pairs(matched)
    members = unpair(matched, SYSTEM, program_id, first.id)
    pairing_id = pair_by_hand(matched, SYSTEM, program_id, members)
    # The run's own export lists the hand-made pairing, as it listed the one it replaced.
    rows = {row[0]: row for row in export_rows(matched, SYSTEM, program_id, run.id)}
    for member in members:
        assert rows[member][2] == str(pairing_id)
    publish_program_draft(matched, SYSTEM, program_id)
    rows = {row[0]: row for row in export_rows(matched, SYSTEM, program_id, run.id)}
    assert {rows[m][2] for m in members} == {str(pairing_id)}


def test_a_locked_pairing_is_not_swapped_until_it_is_unlocked(matched: Session) -> None:
    program_id = pid(matched, "Cohort")
    views, _ = current_pairings(matched, SYSTEM, program_id)
    pairs = [v for v in views if len(v.members) == 2]
    kept = pairs[0]
    set_locked(matched, SYSTEM, program_id, kept.id, True)
    for other in pairs[1:]:
        with pytest.raises(InvalidInput, match="locked; unlock it first"):
            swap(
                matched,
                SYSTEM,
                program_id,
                kept.members[0].employee_id,
                other.members[0].employee_id,
            )
    views, _ = current_pairings(matched, SYSTEM, program_id)
    assert any(v.id == kept.id and v.pinned for v in views)  # untouched

    set_locked(matched, SYSTEM, program_id, kept.id, False)
    for other in pairs[1:]:
        try:
            swap(
                matched,
                SYSTEM,
                program_id,
                kept.members[0].employee_id,
                other.members[0].employee_id,
            )
        except InvalidInput as refused:  # a hard rule may still say no, never the lock
            assert "locked" not in str(refused)
            continue
        break
    else:
        pytest.fail("no allowed swap once unlocked")
