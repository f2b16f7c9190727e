"""Pause, capacity, blocks, leaving early, cooldown and rematch, on a stored programme."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services.access import SYSTEM, Actor, Forbidden
from peermentor.services.availability import set_availability
from peermentor.services.leaving import (
    block_partner,
    end_early,
    endings_for_admins,
    file_report,
    report_queue,
)
from peermentor.services.matching import publish_program_draft, run_match, why_not
from peermentor.services.people import import_people
from peermentor.services.rematch import rematch, set_cooldown
from peermentor.services.workspace.proposals import accept_proposal
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.models import Pairing, PairingMember, Person
from tests.programs import pid

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SECRET = "PLANTED-LEAVE-REASON-7f3a"


def groups(session: Session, states: tuple[str, ...]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    rows = session.execute(
        select(Pairing.id, Person.employee_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(Pairing.state.in_(states))
    )
    for pairing_id, employee_id in rows:
        out.setdefault(pairing_id, set()).add(employee_id)
    return out


def person(session: Session, employee_id: str) -> Person:
    row = session.scalar(select(Person).where(Person.employee_id == employee_id))
    assert row is not None
    return row


def actor_of(session: Session, employee_id: str) -> Actor:
    return Actor(role="participant", user_id=None, person_id=person(session, employee_id).id)


def cohort(session: Session, n: int = 24, seed: int = 3) -> int:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(n, seed=seed).encode())
    return pid(session, "Cohort")


def live_pairing(session: Session, program_id: int) -> tuple[int, list[str]]:
    """Match, publish, and have both members of one pairing accept it."""
    run_match(session, SYSTEM, program_id, now=NOW)
    publish_program_draft(session, SYSTEM, program_id, NOW)
    pairing_id, members = next(iter(groups(session, ("proposed",)).items()))
    for m in members:
        accept_proposal(session, actor_of(session, m), pairing_id, NOW)
    return pairing_id, sorted(members)


def test_a_paused_person_is_not_matched_and_why_not_says_so(session: Session) -> None:
    program_id = cohort(session)
    run_match(session, SYSTEM, program_id, now=NOW)
    placed = sorted(e for g in groups(session, ("draft",)).values() for e in g)
    paused = placed[0]
    set_availability(
        session,
        actor_of(session, paused),
        program_id,
        paused_until=(NOW + timedelta(days=20)).date(),
        capacity=1,
        now=NOW,
    )
    run_match(session, SYSTEM, program_id, now=NOW)
    assert paused not in {e for g in groups(session, ("draft",)).values() for e in g}
    assert why_not(session, SYSTEM, program_id, paused, placed[1]).startswith("paused:")
    # After the date they are matched again.
    run_match(session, SYSTEM, program_id, now=NOW + timedelta(days=21))
    assert paused in {e for g in groups(session, ("draft",)).values() for e in g}


def test_a_blocked_pair_is_never_matched_again(session: Session) -> None:
    program_id = cohort(session)
    pairing_id, (a, b) = live_pairing(session, program_id)
    block_partner(session, actor_of(session, a), pairing_id, NOW)
    end_early(session, actor_of(session, a), pairing_id, "not_a_fit", "", NOW)
    set_cooldown(session, SYSTEM, program_id, 0)
    run_match(session, SYSTEM, program_id, now=NOW)  # past partners allowed or not
    assert {a, b} not in groups(session, ("draft",)).values()
    assert why_not(session, SYSTEM, program_id, b, a).startswith("blocked:")


def test_leaving_early_keeps_the_reason_for_admins_and_tells_the_partner_kindly(
    session: Session,
) -> None:
    program_id = cohort(session)
    pairing_id, (a, b) = live_pairing(session, program_id)
    end_early(session, actor_of(session, a), pairing_id, "no_time", SECRET, NOW)
    assert session.get(Pairing, pairing_id).state == "dissolved"  # type: ignore[union-attr]
    day = NOW.date()
    endings, total = endings_for_admins(session, SYSTEM, program_id, day, day)
    assert [(e.reason, e.details) for e, _ in endings] == [("no_time", SECRET)] and total == 1
    mails = session.scalars(select(OutboxMessage)).all()
    to_partner = [m for m in mails if m.person_id == person(session, b).id]
    assert [m.kind for m in to_partner if m.kind == "pairing.ended_early"]
    for m in mails:
        assert SECRET not in m.subject + m.text_body + m.html_body
        assert "no time" not in (m.text_body + m.html_body).lower()
    with pytest.raises(Forbidden):
        endings_for_admins(session, actor_of(session, b), program_id, day, day)


def test_reports_reach_the_programme_admins_only(session: Session) -> None:
    program_id = cohort(session)
    pairing_id, (a, b) = live_pairing(session, program_id)
    file_report(session, actor_of(session, a), pairing_id, "selling", SECRET, NOW)
    queue = report_queue(session, SYSTEM, program_id)
    assert [(r.category, r.details, r.status) for r, _, _ in queue] == [("selling", SECRET, "open")]
    for who in (a, b):
        with pytest.raises(Forbidden):
            report_queue(session, actor_of(session, who), program_id)


def test_cooldown_keeps_the_leaver_out_of_a_rematch_which_leaves_live_pairings(
    session: Session,
) -> None:
    program_id = cohort(session, 30)
    pairing_id, (a, b) = live_pairing(session, program_id)
    # A second live pairing that must stay exactly as it is.
    others = groups(session, ("proposed",))
    other_id, other_members = next(iter(others.items()))
    for m in other_members:
        accept_proposal(session, actor_of(session, m), other_id, NOW)
    end_early(session, actor_of(session, a), pairing_id, "goals_changed", "", NOW)
    set_cooldown(session, SYSTEM, program_id, 14)
    rematch(session, SYSTEM, program_id, NOW + timedelta(days=1))
    drafts = groups(session, ("draft",))
    drafted = {e for g in drafts.values() for e in g}
    assert a not in drafted, "the leaver is cooling down"
    assert why_not(session, SYSTEM, program_id, a, b).startswith("cooldown:")
    assert groups(session, ("active",)) == {other_id: other_members}
    assert not drafted & other_members
    assert {a, b} not in drafts.values()
    later = rematch(session, SYSTEM, program_id, NOW + timedelta(days=15)).result
    in_pool = {e for p in later.pairings for e in p.members} | {e for e, _ in later.unmatched}
    assert a in in_pool, "after the cooldown the leaver can be matched again"
    drafts = groups(session, ("draft",))
    assert {a, b} not in drafts.values(), "a rematch never repeats a past partner"


def test_open_to_one_more_is_matched_beside_the_live_pairing(session: Session) -> None:
    program_id = cohort(session, 31)
    _, (a, b) = live_pairing(session, program_id)
    set_availability(
        session, actor_of(session, a), program_id, paused_until=None, capacity=2, now=NOW
    )
    result = run_match(session, SYSTEM, program_id, now=NOW).result
    in_pool = {e for p in result.pairings for e in p.members} | {e for e, _ in result.unmatched}
    assert a in in_pool and b not in in_pool
    drafts = groups(session, ("draft",)).values()
    assert {a, b} not in drafts


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_blocks_and_pauses_always_hold(session: Session, data: st.DataObject) -> None:
    session.rollback()
    if session.scalar(select(Person.id).limit(1)) is None:
        cohort(session, 20, seed=5)
    program_id = pid(session, "Cohort")
    ids = sorted(session.scalars(select(Person.employee_id)))
    blocked = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6))
    paused = data.draw(st.sets(st.sampled_from(ids), max_size=4))
    from peermentor.store import leave_repo

    for x, y in blocked:
        if x != y:
            leave_repo.add_block(session, person(session, x).id, person(session, y).id, NOW)
    for e in paused:
        leave_repo.set_availability(
            session, program_id, person(session, e).id, (NOW + timedelta(days=3)).date(), 1, NOW
        )
    run_match(session, SYSTEM, program_id, now=NOW)
    for g in groups(session, ("draft",)).values():
        assert not g & paused
        for x, y in blocked:
            assert not {x, y} <= g or x == y
    for x, y in blocked:
        leave_repo.remove_block(session, person(session, x).id, person(session, y).id)
    for e in paused:
        leave_repo.set_availability(session, program_id, person(session, e).id, None, 1, NOW)


def test_erasing_a_member_ends_their_live_pairing_and_frees_the_partner(
    session: Session,
) -> None:
    from peermentor.services.matching import pool_of
    from peermentor.services.personal_data import erase_person
    from peermentor.services.programs import get_program_by_id

    program_id = cohort(session)
    pairing_id, (a, b) = live_pairing(session, program_id)
    erasure = erase_person(session, SYSTEM, a, NOW)
    assert erasure.counts["live_pairings_ended"] == 1
    pairing = session.get(Pairing, pairing_id)
    assert pairing is not None and pairing.state == "dissolved" and pairing.ended_at
    program = get_program_by_id(session, SYSTEM, program_id)
    assert b in {p.employee_id for p in pool_of(session, program, NOW)}
    told = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.person_id == person(session, b).id,
            OutboxMessage.kind == "pairing.ended_early",
        )
    ).all()
    assert [m.subject for m in told] == ["Your pairing has ended"]
    assert "left the programme" in told[0].text_body
