from datetime import timedelta

import pytest

from peermentor.domain import guidance as gd
from peermentor.domain.errors import NotAllowed, NotAMember, NotReady, ValidationError
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, OUTSIDER, PAIR, TRIAD, later

WINDOW = timedelta(days=5)


def ana_asks_kim(request_id: str = "r1", members: tuple[str, ...] = PAIR) -> gd.GuidanceRequest:
    return gd.ask(request_id, members, ANA, KIM, NOW, topic="Negotiating a promotion")


def test_the_asked_member_answers_and_the_asker_closes() -> None:
    r = gd.answer(ana_asks_kim(), KIM, "Start with the evidence", later(days=1))
    assert r.status is gd.RequestStatus.ANSWERED
    r = gd.close(r, ANA, later(days=2))
    assert r.status is gd.RequestStatus.CLOSED


def test_asker_cannot_answer_own_request_and_recipient_cannot_close_it() -> None:
    r = ana_asks_kim()
    with pytest.raises(NotAllowed, match="asked of kim"):
        gd.answer(r, ANA, "I know already", NOW)
    with pytest.raises(NotAllowed, match="only ana"):
        gd.close(r, KIM, NOW)


def test_third_member_of_a_triad_cannot_answer_a_request_to_another() -> None:
    r = ana_asks_kim(members=TRIAD)
    with pytest.raises(NotAllowed):
        gd.answer(r, LEE, "me!", NOW)


def test_outsider_can_neither_ask_nor_answer() -> None:
    with pytest.raises(NotAMember):
        gd.ask("r", PAIR, OUTSIDER, KIM, NOW, topic="x")
    with pytest.raises(NotAMember):
        gd.answer(ana_asks_kim(), OUTSIDER, "x", NOW)


def test_nobody_asks_themselves() -> None:
    with pytest.raises(ValidationError) as err:
        gd.ask("r", PAIR, ANA, ANA, NOW, topic="x")
    assert err.value.field == "recipient"


def test_blank_topic_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        gd.ask("r", PAIR, ANA, KIM, NOW, topic="   ")
    assert err.value.field == "topic"


def test_closed_request_cannot_be_answered() -> None:
    r = gd.close(ana_asks_kim(), ANA, NOW)
    with pytest.raises(NotReady, match="closed"):
        gd.answer(r, KIM, "late", later(days=1))


def test_request_becomes_overdue_after_the_window_unless_answered() -> None:
    r = ana_asks_kim()
    assert not gd.is_overdue(r, later(days=5), WINDOW)
    assert gd.is_overdue(r, later(days=5, minutes=1), WINDOW)
    assert not gd.is_overdue(gd.answer(r, KIM, "ok", later(days=6)), later(days=9), WINDOW)
    assert not gd.is_overdue(gd.close(r, ANA, later(days=1)), later(days=9), WINDOW)


def test_counts_per_direction_in_a_triad() -> None:
    answered = gd.answer(ana_asks_kim("r1", TRIAD), KIM, "yes", later(days=1))
    overdue = ana_asks_kim("r2", TRIAD)
    fresh = gd.ask("r3", TRIAD, KIM, LEE, later(days=9), topic="Hiring")
    c = gd.counts(TRIAD, [answered, overdue, fresh], later(days=10), WINDOW)
    assert len(c) == 6
    assert c[(ANA, KIM)] == gd.DirectionCounts(ANA, KIM, asked=2, answered=1, open=1, overdue=1)
    assert c[(KIM, LEE)] == gd.DirectionCounts(KIM, LEE, asked=1, answered=0, open=1, overdue=0)
    assert c[(KIM, ANA)].asked == 0


def test_a_request_taken_back_before_an_answer_no_longer_counts_as_asked() -> None:
    withdrawn = gd.close(ana_asks_kim("r1"), ANA, later(hours=1))
    answer = gd.answer(ana_asks_kim("r2"), KIM, "Yes", later(hours=2))
    answered = gd.close(answer, ANA, later(hours=3))
    assert withdrawn.was_withdrawn and not answered.was_withdrawn
    both = gd.counts(PAIR, [withdrawn, answered], later(days=1), WINDOW)[(ANA, KIM)]
    assert (both.asked, both.answered) == (1, 1)


def test_the_same_request_sent_twice_is_found_while_it_is_open() -> None:
    first = ana_asks_kim("r1")
    again = gd.ask("new", PAIR, ANA, KIM, later(minutes=1), topic="  negotiating a  PROMOTION ")
    assert gd.open_duplicate([first], again) == first
    other = gd.ask("new", PAIR, ANA, KIM, NOW, topic="Negotiating a promotion", detail="More")
    assert gd.open_duplicate([first], other) is None
    assert gd.open_duplicate([gd.close(first, ANA, later(hours=1))], again) is None
    assert gd.open_duplicate([gd.answer(first, KIM, "Yes", later(hours=1))], again) is None
