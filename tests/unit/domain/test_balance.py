"""Worked examples of the balance index (definition in peermentor.domain.balance)."""

from datetime import date
from itertools import count

import pytest

from peermentor.domain import balance as bl
from peermentor.domain import feedback as fbk
from peermentor.domain import guidance as gd
from peermentor.domain import roleplay as rp
from peermentor.domain import sessions as ss
from peermentor.domain.balance import Component
from peermentor.domain.charter import cadence
from peermentor.domain.errors import ValidationError
from peermentor.domain.scenarios import LIBRARY
from tests.unit.domain.personas import ANA, KIM, LEE, NAMES, NOW, PAIR, TRIAD

ids = count()


def answered(asker: str, recipient: str, members: tuple[str, ...] = PAIR) -> gd.GuidanceRequest:
    r = gd.ask(f"r{next(ids)}", members, asker, recipient, NOW, topic="help")
    return gd.answer(r, recipient, "here is how", NOW)


def unanswered(asker: str, recipient: str) -> gd.GuidanceRequest:
    return gd.ask(f"r{next(ids)}", PAIR, asker, recipient, NOW, topic="help")


def session(members: tuple[str, ...], *bringers: str) -> ss.Session:
    s = ss.log_session(f"s{next(ids)}", members, members[0], NOW, held_on=date(2026, 3, 1),
                       duration_minutes=60)  # fmt: skip
    for m in members:
        s = ss.record_contribution(s, m, gave=("advice",) if m in bringers else (), got=("x",))
    return s


def feedback(giver: str, receiver: str) -> fbk.Feedback:
    return fbk.give_feedback(f"f{next(ids)}", PAIR, giver, receiver, NOW, dimension="behaviour",
                             situation="s", behaviour="b", impact="i")  # fmt: skip


def roleplays(members: tuple[str, ...], n: int) -> list[rp.RolePlay]:
    sched = rp.make_schedule(members, date(2026, 1, 5), cadence("fortnightly"))
    return [rp.complete(rp.plan(sched, f"rp{i}", i, LIBRARY[0]), members[0], NOW) for i in range(n)]


def test_no_data_is_balanced_and_says_so() -> None:
    report = bl.balance(PAIR)
    assert (report.index, report.leaning_member, report.has_data) == (0.0, None, False)
    assert report.nudges == ()


def test_even_exchange_is_balanced() -> None:
    report = bl.balance(
        PAIR,
        sessions=[session(PAIR, ANA, KIM)] * 3,
        requests=[answered(ANA, KIM), answered(KIM, ANA)] * 2,
        feedback=[feedback(ANA, KIM), feedback(KIM, ANA)],
        roleplays=roleplays(PAIR, 4),
        names=NAMES,
    )
    assert report.index == 0 and report.leaning_member is None and report.has_data
    assert report.nudges == ()
    assert report.component(Component.ROLEPLAY).gives == ((ANA, 2), (KIM, 2))


def test_all_one_way_is_minus_one_from_the_takers_side_with_the_nudge() -> None:
    # Kim answered four of Ana's requests; Ana left both of Kim's unanswered.
    requests = [answered(ANA, KIM) for _ in range(4)] + [unanswered(KIM, ANA)] * 2
    report = bl.balance(PAIR, requests=requests, names=NAMES)
    assert report.index == -1.0 and report.leaning_member == ANA
    assert report.index_of(KIM) == 1.0
    assert [n.to_member for n in report.nudges] == [ANA]
    assert (
        report.nudges[0].text
        == "Kim has answered 4 of your requests; you have answered none of Kim's."
    )


def test_all_one_way_seen_from_the_giver_first_is_plus_one() -> None:
    report = bl.balance((KIM, ANA), feedback=[feedback(KIM, ANA)] * 3, names=NAMES)
    assert report.index == 1.0 and report.leaning_member == KIM
    assert report.nudges[0].to_member == ANA
    assert (
        report.nudges[0].text
        == "Kim has given you feedback 3 times; you have not given Kim any yet."
    )


def test_taker_who_was_never_asked_is_invited_to_offer_help() -> None:
    report = bl.balance(PAIR, requests=[answered(ANA, KIM) for _ in range(3)], names=NAMES)
    assert "has not asked you for anything yet: offer help on one of Kim's gaps" in (
        report.nudges[0].text
    )


def test_weighted_mean_over_components_with_data() -> None:
    # sessions: Ana brought something 3 times, Kim once -> Ana (3-1)/(3+1) = +0.5
    # feedback: one each -> 0; role-play: two each -> 0; guidance: no data, left out.
    report = bl.balance(
        PAIR,
        sessions=[session(PAIR, ANA)] * 2 + [session(PAIR, ANA, KIM)],
        feedback=[feedback(ANA, KIM), feedback(KIM, ANA)],
        roleplays=roleplays(PAIR, 4),
    )
    assert report.component(Component.SESSIONS).share_of(ANA) == 0.5
    assert report.component(Component.GUIDANCE).share_of(ANA) is None
    assert report.index == pytest.approx(0.5 / 3)
    weighted = bl.balance(
        PAIR,
        sessions=[session(PAIR, ANA)] * 2 + [session(PAIR, ANA, KIM)],
        feedback=[feedback(ANA, KIM), feedback(KIM, ANA)],
        weights={Component.SESSIONS: 3, Component.ROLEPLAY: 0},
    )
    assert weighted.index == pytest.approx((3 * 0.5 + 1 * 0) / 4)
    assert report.nudges == ()  # Kim's -1/6 is within the threshold


def test_triad_compares_each_member_with_the_mean_of_the_others() -> None:
    # Ana brought something to 4 sessions, Kim to 2, Lee to none.
    sessions = [session(TRIAD, ANA, KIM)] * 2 + [session(TRIAD, ANA)] * 2
    report = bl.balance(TRIAD, sessions=sessions, names=NAMES)
    assert report.index_of(ANA) == pytest.approx((4 - 1) / (4 + 1))
    assert report.index_of(KIM) == 0.0
    assert report.index_of(LEE) == -1.0
    assert (report.index, report.leaning_member) == (-1.0, LEE)
    assert [(n.to_member, n.text) for n in report.nudges] == [
        (LEE, "Ana brought something to 4 of your sessions; you brought something to none.")
    ]


def test_triad_roleplays_in_full_rotation_are_balanced() -> None:
    report = bl.balance(TRIAD, roleplays=roleplays(TRIAD, 6))
    assert report.component(Component.ROLEPLAY).gives == ((ANA, 2), (KIM, 2), (LEE, 2))
    assert report.index == 0


def test_too_little_data_gives_no_nudge_yet() -> None:
    report = bl.balance(PAIR, requests=[answered(ANA, KIM)] * 2)
    assert report.index == -1.0 and report.nudges == ()


@pytest.mark.parametrize(
    "weights", [{Component.SESSIONS: -1}, {"charm": 1}, dict.fromkeys(Component, 0)]
)
def test_bad_weights_are_refused(weights: dict[Component, float]) -> None:
    with pytest.raises(ValidationError) as err:
        bl.balance(PAIR, weights=weights)
    assert err.value.field == "weights"
