"""Role-play: schedule at the pair's cadence, rotating roles, reflections, overdue ones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotReady, ValidationError
from peermentor.services.access import Actor, Forbidden
from peermentor.services.workspace.roleplay import (
    add_scenario,
    complete_roleplay,
    list_scenarios,
    plan_roleplay,
    reflect_on_roleplay,
    roleplay_board,
    set_schedule,
)
from tests.store.workspace.factories import ADMIN, NOW, World, later

START = date(2026, 3, 2)


def test_the_library_ships_the_required_scenarios(pair: World, session: Session) -> None:
    ids = {s.scenario_id for s in list_scenarios(session, pair.ana, pair.pairing_id)}
    assert len(ids) >= 8
    assert {
        "onboarding-new-hire",
        "difficult-feedback",
        "negotiating-scope",
        "presenting-to-executive",
    } <= ids


def test_an_admin_adds_a_programme_scenario_members_then_see(pair: World, session: Session) -> None:
    def add(actor: Actor) -> None:
        add_scenario(
            session,
            actor,
            pair.program.id,
            NOW,
            scenario_id="pilot",
            title="Pitching a pilot",
            situation="A customer doubts the pilot",
            practising=("Seller", "Make the case"),
            counterpart=("Buyer", "Be sceptical"),
            practise="Handling doubt",
        )

    with pytest.raises(Forbidden):
        add(pair.ana)
    add(ADMIN)
    assert "pilot" in {s.scenario_id for s in list_scenarios(session, pair.kim, pair.pairing_id)}
    with pytest.raises(ValidationError):  # the programme already has a "pilot"
        add(ADMIN)


def test_the_default_schedule_follows_the_programme_cadence(pair: World, session: Session) -> None:
    board = set_schedule(session, pair.ana, pair.pairing_id, NOW, start=START)
    assert board.schedule is not None and board.schedule.cadence.days == 14
    assert (board.next_sequence, board.next_on) == (0, START)


def test_roles_alternate_between_the_members(pair: World, session: Session) -> None:
    set_schedule(session, pair.ana, pair.pairing_id, NOW, start=START, cadence="weekly")
    first = plan_roleplay(session, pair.ana, pair.pairing_id, "negotiating-scope", NOW)
    second = plan_roleplay(session, pair.kim, pair.pairing_id, "difficult-feedback", NOW)
    assert (first.sequence, second.sequence) == (0, 1)
    assert second.scheduled_on == date(2026, 3, 9)
    assert first.role_of(pair.mid("ana")).value == "practising"
    assert second.role_of(pair.mid("ana")).value == "counterpart"
    assert second.role_of(pair.mid("kim")).value == "practising"


def test_each_member_reflects_after_the_roleplay(pair: World, session: Session) -> None:
    set_schedule(session, pair.ana, pair.pairing_id, NOW, start=START)
    rp = plan_roleplay(session, pair.ana, pair.pairing_id, "onboarding-new-hire", NOW)
    rid = int(rp.roleplay_id)
    with pytest.raises(NotReady):
        reflect_on_roleplay(session, pair.ana, pair.pairing_id, rid, "Too early", NOW)
    complete_roleplay(session, pair.kim, pair.pairing_id, rid, later(hours=2))
    reflect_on_roleplay(session, pair.ana, pair.pairing_id, rid, "I rushed", later(hours=3))
    done = reflect_on_roleplay(
        session, pair.kim, pair.pairing_id, rid, "Good questions", later(hours=3)
    )
    assert done.completed_at == later(hours=2) and done.missing_reflections == ()
    again = reflect_on_roleplay(
        session, pair.ana, pair.pairing_id, rid, "I rushed a bit", later(hours=4)
    )
    assert {r.text for r in again.reflections} == {"I rushed a bit", "Good questions"}


def test_a_missed_roleplay_is_overdue_by_the_time_passed_in(pair: World, session: Session) -> None:
    set_schedule(session, pair.ana, pair.pairing_id, NOW, start=START, cadence="weekly")
    rp = plan_roleplay(session, pair.ana, pair.pairing_id, "negotiating-scope", NOW)
    assert roleplay_board(session, pair.ana, pair.pairing_id, later(days=3)).overdue == ()
    board = roleplay_board(session, pair.ana, pair.pairing_id, later(days=4))
    assert board.overdue == (0,)
    complete_roleplay(session, pair.ana, pair.pairing_id, int(rp.roleplay_id), later(days=4))
    # The second one (9 March) was never planned and is missed all the same.
    board = roleplay_board(session, pair.ana, pair.pairing_id, later(days=11))
    assert board.overdue == (1,) and board.next_sequence == 1


def test_only_missed_roleplays_nobody_planned_may_be_caught_up(
    pair: World, session: Session
) -> None:
    """The rule the role-play page offers ("number 2, missed"), now the service's, so
    the API answers it too."""
    set_schedule(session, pair.ana, pair.pairing_id, NOW, start=START, cadence="weekly")
    plan_roleplay(session, pair.ana, pair.pairing_id, "negotiating-scope", NOW)  # number 0
    board = roleplay_board(session, pair.ana, pair.pairing_id, later(days=18))
    assert board.overdue == (0, 1, 2)
    assert board.catch_up == (1, 2)  # 0 is planned already: it is done, not planned again
    plan_roleplay(session, pair.kim, pair.pairing_id, "negotiating-scope", NOW, sequence=2)
    assert roleplay_board(session, pair.ana, pair.pairing_id, later(days=18)).catch_up == (1,)


def test_planning_needs_a_schedule_and_a_known_scenario(pair: World, session: Session) -> None:
    with pytest.raises(NotReady):
        plan_roleplay(session, pair.ana, pair.pairing_id, "negotiating-scope", NOW)
    set_schedule(session, pair.ana, pair.pairing_id, NOW, start=START)
    # A scenario is a value chosen on the form or in the body: refused naming its field.
    with pytest.raises(ValidationError, match="scenario_id: no scenario 'no-such-scenario'"):
        plan_roleplay(session, pair.ana, pair.pairing_id, "no-such-scenario", NOW)
    plan_roleplay(session, pair.ana, pair.pairing_id, "negotiating-scope", NOW, sequence=2)
    with pytest.raises(NotReady):
        plan_roleplay(session, pair.ana, pair.pairing_id, "negotiating-scope", NOW, sequence=2)


def test_in_a_triad_each_member_plays_each_role_in_turn(triad: World, session: Session) -> None:
    set_schedule(session, triad.lee, triad.pairing_id, NOW, start=START)
    plays = [
        plan_roleplay(session, triad.lee, triad.pairing_id, "resolving-conflict", NOW)
        for _ in range(3)
    ]
    for who in ("ana", "kim", "lee"):
        assert {rp.role_of(triad.mid(who)).value for rp in plays} == {
            "practising",
            "counterpart",
            "observer",
        }


def test_outsider_and_admin_cannot_see_or_run_roleplays(pair: World, session: Session) -> None:
    set_schedule(session, pair.ana, pair.pairing_id, NOW, start=START)
    rp = plan_roleplay(session, pair.ana, pair.pairing_id, "negotiating-scope", NOW)
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            roleplay_board(session, actor, pair.pairing_id, NOW)
        with pytest.raises(Forbidden):
            reflect_on_roleplay(session, actor, pair.pairing_id, int(rp.roleplay_id), "x", NOW)
