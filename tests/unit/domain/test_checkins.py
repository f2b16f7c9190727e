from datetime import timedelta

import pytest

from peermentor.domain import checkins as ci
from peermentor.domain.errors import NotAMember, ValidationError
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, OUTSIDER, PAIR, TRIAD, later

PULSE = timedelta(days=14)


def pulse(pairing_id: str, member: str = ANA, score: int = 4, **kw: int) -> ci.CheckIn:
    scores = {"trust": score, "candour": score, "mutual_benefit": score, "progress": score}
    scores.update(kw)
    return ci.check_in(
        pairing_id, PAIR, member, NOW, trust=scores["trust"], candour=scores["candour"],
        mutual_benefit=scores["mutual_benefit"], progress=scores["progress"],
    )  # fmt: skip


@pytest.mark.parametrize("field", ["trust", "candour", "mutual_benefit", "progress"])
@pytest.mark.parametrize("value", [0, 6, 3.5, True])
def test_scores_are_whole_numbers_from_one_to_five(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as err:
        pulse("p1", **{field: value})  # type: ignore[arg-type]
    assert err.value.field == field


def test_outsider_cannot_check_in() -> None:
    with pytest.raises(NotAMember):
        pulse("p1", OUTSIDER)


def test_first_checkin_is_due_one_interval_after_activation_then_after_the_last() -> None:
    assert not ci.is_due(None, NOW, later(days=13), PULSE)
    assert ci.is_due(None, NOW, later(days=14), PULSE)
    assert not ci.is_due(later(days=14), NOW, later(days=20), PULSE)


def test_members_due_in_a_triad() -> None:
    done = [ci.check_in("p1", TRIAD, KIM, later(days=10), trust=3, candour=3,
                        mutual_benefit=3, progress=3)]  # fmt: skip
    assert ci.members_due(TRIAD, done, NOW, later(days=15), PULSE) == (ANA, LEE)


@pytest.mark.parametrize("pairings", [0, 1, 4])
def test_aggregate_refuses_fewer_than_five_pairings(pairings: int) -> None:
    many_answers = [pulse(f"p{i}", m) for i in range(pairings) for m in PAIR for _ in range(5)]
    result = ci.aggregate(many_answers)
    assert result == ci.NotEnoughData(pairings=pairings)
    assert "not enough data" in result.message


def test_aggregate_over_five_pairings_weighs_each_pairing_equally() -> None:
    answers = [pulse("p0", score=1)] * 10 + [pulse(f"p{i}", score=5) for i in range(1, 5)]
    result = ci.aggregate(answers)
    assert isinstance(result, ci.Aggregate)
    assert (result.pairings, result.responses) == (5, 14)
    assert result.trust == pytest.approx((1 + 5 * 4) / 5)
    assert ci.MIN_AGGREGATE_GROUP == 5
