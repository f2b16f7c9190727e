"""A participant's "what now?" and a programme admin's health numbers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from peermentor.domain.checkins import Aggregate, NotEnoughData
from peermentor.services.access import SYSTEM, Actor, Forbidden
from peermentor.services.programs import add_program_admin
from peermentor.services.workspace.charter import agree_charter, edit_charter, set_my_goals
from peermentor.services.workspace.checkins import check_in
from peermentor.services.workspace.guidance import answer_request, ask_for_guidance
from peermentor.services.workspace.health import BalanceDistribution, programme_health
from peermentor.services.workspace.overview import Pending, my_overview
from peermentor.services.workspace.proposals import accept_proposal
from peermentor.services.workspace.roleplay import set_schedule
from peermentor.store.models import User
from tests.store.workspace.factories import (
    ADMIN,
    NOW,
    World,
    later,
    make_cohort,
    participant,
)


def kinds(pending: tuple[Pending, ...]) -> list[str]:
    return [p.kind for p in pending]


def test_a_new_proposal_asks_each_member_to_accept(proposed: World, session: Session) -> None:
    [mine] = my_overview(session, proposed.ana, NOW).pairings
    assert mine.state == "proposed" and kinds(mine.pending) == ["accept"]
    assert mine.why == "why Ana Silva was matched"
    assert [(p.name, p.why) for p in mine.peers] == [("Kim Park", "why Kim Park was matched")]
    accept_proposal(session, proposed.ana, proposed.pairing_id, NOW)
    assert my_overview(session, proposed.ana, NOW).pairings[0].pending == ()
    assert kinds(my_overview(session, proposed.kim, NOW).pairings[0].pending) == ["accept"]


def test_an_active_pairing_lists_what_is_waiting(pair: World, session: Session) -> None:
    [mine] = my_overview(session, pair.kim, NOW).pairings
    assert kinds(mine.pending) == ["agree_charter"] and mine.balance_index is None
    ask_for_guidance(session, pair.ana, pair.pairing_id, NOW, topic="Help")
    set_schedule(session, pair.ana, pair.pairing_id, NOW, start=date(2026, 3, 2), cadence="weekly")
    interval = pair.program.settings["pulse_interval_days"]
    [mine] = my_overview(session, pair.kim, later(days=interval)).pairings
    pending = {p.kind: p for p in mine.pending}
    assert list(pending) == ["agree_charter", "answer_request", "overdue_roleplay", "check_in"]
    assert pending["answer_request"].overdue  # the window (7 days) has passed too
    assert pending["overdue_roleplay"].count == 2


def test_the_overview_clears_as_the_member_acts(pair: World, session: Session) -> None:
    edit_charter(session, pair.ana, pair.pairing_id, NOW, purpose="Grow")
    set_my_goals(session, pair.ana, pair.pairing_id, ["Lead"], NOW)
    set_my_goals(session, pair.kim, pair.pairing_id, ["Speak"], NOW)
    agree_charter(session, pair.kim, pair.pairing_id, NOW)
    req = ask_for_guidance(session, pair.ana, pair.pairing_id, NOW, topic="Help")
    answer_request(session, pair.kim, pair.pairing_id, int(req.request_id), "Here", NOW)
    [mine] = my_overview(session, pair.kim, later(days=1)).pairings
    assert mine.pending == ()
    assert mine.balance_index == 1.0  # kim gives, ana has not given yet
    assert kinds(my_overview(session, pair.ana, later(days=1)).pairings[0].pending) == [
        "agree_charter"
    ]


def test_an_overview_shows_only_the_actors_own_pairings(pair: World, session: Session) -> None:
    assert [p.pairing_id for p in my_overview(session, pair.outsider, NOW).pairings] == [
        pair.other_pairing_id
    ]
    assert my_overview(session, pair.admin, NOW).pairings == ()


def test_health_counts_pairings_by_state_and_pending_proposals(
    proposed: World, session: Session
) -> None:
    window = proposed.program.settings["response_window_days"]
    accept_proposal(session, proposed.outsider, proposed.other_pairing_id, NOW)
    health = programme_health(session, ADMIN, proposed.program.id, later(days=window, hours=1))
    assert health.by_state["proposed"] == 2 and health.by_state["active"] == 0
    assert (health.pending_proposals, health.overdue_proposals) == (2, 2)
    early = programme_health(session, ADMIN, proposed.program.id, later(days=1))
    assert early.overdue_proposals == 0


def test_health_refuses_averages_over_fewer_than_five_pairings(session: Session) -> None:
    program, pairs = make_cohort(session, 4)
    for a, _b, pid in pairs:
        check_in(
            session, participant(a), pid, NOW, trust=5, candour=5, mutual_benefit=5, progress=5
        )
    health = programme_health(session, ADMIN, program.id, NOW)
    assert isinstance(health.checkins, NotEnoughData)
    assert health.checkins.message == "not enough data: 4 pairing(s), at least 5 needed"
    assert isinstance(health.balance, NotEnoughData)


def test_health_averages_check_ins_and_balance_over_five_pairings(session: Session) -> None:
    program, pairs = make_cohort(session, 5)
    for n, (a, b, pid) in enumerate(pairs):
        check_in(
            session, participant(a), pid, NOW, trust=5, candour=4, mutual_benefit=3, progress=2
        )
        check_in(
            session, participant(b), pid, NOW, trust=3, candour=4, mutual_benefit=3, progress=2
        )
        req = ask_for_guidance(session, participant(a), pid, NOW, topic="Help")
        answer_request(session, participant(b), pid, int(req.request_id), "Sure", NOW)
        if n < 2:  # two pairings give both ways
            back = ask_for_guidance(session, participant(b), pid, NOW, topic="Help")
            answer_request(session, participant(a), pid, int(back.request_id), "Sure", NOW)
    health = programme_health(session, ADMIN, program.id, NOW)
    assert isinstance(health.checkins, Aggregate)
    assert (health.checkins.pairings, health.checkins.responses) == (5, 10)
    assert (health.checkins.trust, health.checkins.candour) == (4.0, 4.0)
    assert isinstance(health.balance, BalanceDistribution)
    assert dict(health.balance.bands) == {"balanced": 2, "leaning": 0, "one-sided": 3}


def test_health_counts_pairings_with_a_missed_roleplay(pair: World, session: Session) -> None:
    set_schedule(session, pair.ana, pair.pairing_id, NOW, start=date(2026, 3, 2), cadence="weekly")
    assert programme_health(session, ADMIN, pair.program.id, later(days=3)).overdue_roleplays == 0
    assert programme_health(session, ADMIN, pair.program.id, later(days=4)).overdue_roleplays == 1


def test_admins_of_the_programme_see_health(pair: World, session: Session) -> None:
    assert (
        programme_health(session, Actor(role="org_admin"), pair.program.id, NOW).by_state["active"]
        == 2
    )
    lead = User(email="lead@example.com", role="program_admin")
    session.add(lead)
    session.flush()
    add_program_admin(session, SYSTEM, lead.id, pair.program.name)
    as_lead = Actor(role="program_admin", user_id=lead.id)
    assert programme_health(session, as_lead, pair.program.id, NOW).by_state["active"] == 2


def test_admin_of_another_programme_cannot_see_health(pair: World, session: Session) -> None:
    with pytest.raises(Forbidden, match="not an admin of the programme"):
        programme_health(session, Actor(role="program_admin", user_id=999), pair.program.id, NOW)


def test_participants_cannot_see_health(pair: World, session: Session) -> None:
    with pytest.raises(Forbidden):
        programme_health(session, pair.ana, pair.program.id, NOW)
