from datetime import datetime, timedelta

import pytest

from peermentor.domain import lifecycle as lc
from peermentor.domain.errors import InvalidTransition, NotAMember, NotReady, ValidationError
from peermentor.domain.lifecycle import Action, PairingState
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, OUTSIDER, PAIR, TRIAD, later

S = PairingState
EXPECTED = {
    S.PROPOSED: {
        Action.ACCEPT: S.ACTIVE,
        Action.DECLINE: S.DISSOLVED,
        Action.WITHDRAW: S.DISSOLVED,
    },
    S.ACTIVE: {
        Action.PAUSE: S.PAUSED,
        Action.COMPLETE: S.COMPLETED,
        Action.RENEW: S.ACTIVE,
        Action.REMATCH: S.DISSOLVED,
        Action.DISSOLVE: S.DISSOLVED,
    },
    S.PAUSED: {
        Action.RESUME: S.ACTIVE,
        Action.COMPLETE: S.COMPLETED,
        Action.RENEW: S.ACTIVE,
        Action.REMATCH: S.DISSOLVED,
        Action.DISSOLVE: S.DISSOLVED,
    },
    S.COMPLETED: {},
    S.DISSOLVED: {},
}
ALL_PAIRS = [(s, a) for s in PairingState for a in Action]


def in_state(state: PairingState, members: tuple[str, ...] = PAIR) -> lc.Pairing:
    p = lc.propose("p1", members, NOW)
    if state is S.PROPOSED:
        return p
    if state is S.DISSOLVED:
        return lc.decline(p, members[0], NOW, "too busy")
    for m in members:
        p = lc.accept(p, m, NOW)
    if state is S.PAUSED:
        p = lc.pause(p, ANA, NOW)
    if state is S.COMPLETED:
        p = lc.complete(p, NOW)
    assert p.state is state
    return p


def perform(p: lc.Pairing, action: Action) -> lc.Pairing:
    calls = {
        Action.ACCEPT: lambda: lc.accept(lc.accept(p, ANA, NOW), KIM, NOW),
        Action.DECLINE: lambda: lc.decline(p, KIM, NOW),
        Action.WITHDRAW: lambda: lc.withdraw(p, NOW),
        Action.PAUSE: lambda: lc.pause(p, KIM, NOW),
        Action.RESUME: lambda: lc.resume(p, KIM, NOW),
        Action.COMPLETE: lambda: lc.complete(p, NOW),
        Action.RENEW: lambda: lc.renew(p, NOW),
        Action.REMATCH: lambda: lc.request_rematch(p, KIM, NOW),
        Action.DISSOLVE: lambda: lc.dissolve(p, NOW),
    }
    return calls[action]()


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS)
def test_every_state_and_action_follows_the_table(state: S, action: Action) -> None:
    p = in_state(state)
    expected = EXPECTED[state].get(action)
    if expected is None:
        with pytest.raises(InvalidTransition) as err:
            perform(p, action)
        assert err.value.state == state.value and err.value.action == action.value
        assert state.value in str(err.value) and action.value in str(err.value)
    else:
        after = perform(p, action)
        assert after.state is expected
        assert after.history[-1].action is action
        assert after.history[-1].from_state is state


def test_the_table_in_code_is_the_table_in_this_test() -> None:
    flat = {(s, a): t for s, row in EXPECTED.items() for a, t in row.items()}
    assert flat == lc.TRANSITIONS


def test_pairing_becomes_active_only_when_every_member_accepts() -> None:
    p = lc.propose("p1", TRIAD, NOW)
    p = lc.accept(p, ANA, NOW)
    p = lc.accept(p, KIM, NOW)
    assert p.state is S.PROPOSED and p.awaiting == (LEE,)
    p = lc.accept(p, LEE, later(hours=1))
    assert p.state is S.ACTIVE


def test_one_decline_dissolves_and_returns_members_to_pool() -> None:
    p = lc.accept(lc.propose("p1", TRIAD, NOW), ANA, NOW)
    p = lc.decline(p, LEE, NOW, "  different time zones  ")
    assert p.state is S.DISSOLVED and p.returns_members_to_pool
    assert p.response_of(LEE) == lc.Response(LEE, False, NOW, "different time zones")


def test_outsider_cannot_answer_a_proposal() -> None:
    with pytest.raises(NotAMember):
        lc.accept(lc.propose("p1", PAIR, NOW), OUTSIDER, NOW)


def test_a_member_answers_only_once() -> None:
    p = lc.accept(lc.propose("p1", PAIR, NOW), ANA, NOW)
    with pytest.raises(NotReady, match="already answered"):
        lc.accept(p, ANA, NOW)


def test_accept_after_dissolution_names_state_and_action() -> None:
    p = lc.decline(lc.propose("p1", PAIR, NOW), ANA, NOW)
    with pytest.raises(InvalidTransition, match="cannot accept a pairing that is dissolved"):
        lc.accept(p, KIM, NOW)


def test_renewal_starts_a_new_cycle() -> None:
    p = lc.renew(in_state(S.ACTIVE), NOW, by=ANA)
    assert (p.state, p.cycle) == (S.ACTIVE, 2)


@pytest.mark.parametrize("members", [(ANA,), (ANA, KIM, LEE, OUTSIDER), (ANA, ANA), (ANA, " ")])
def test_a_pairing_has_two_or_three_distinct_members(members: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as err:
        lc.propose("p1", members, NOW)
    assert err.value.field == "members"


def test_times_without_a_zone_are_refused() -> None:
    with pytest.raises(ValidationError, match="now"):
        lc.propose("p1", PAIR, datetime(2026, 3, 2, 9, 0))


def test_unanswered_proposal_is_flagged_after_the_response_window() -> None:
    window = timedelta(days=7)
    p = lc.accept(lc.propose("p1", PAIR, NOW), ANA, NOW)
    assert not lc.proposal_overdue(p, later(days=7), window)
    assert lc.proposal_overdue(p, later(days=7, seconds=1), window)
    answered = lc.accept(p, KIM, later(days=8))
    assert not lc.proposal_overdue(answered, later(days=30), window)
