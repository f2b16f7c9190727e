"""Programme insight figures on worked examples computed by hand, and the k >= 5 rule."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from peermentor.domain.insight import (
    MIN_GROUP,
    OTHER,
    Hidden,
    Outcome,
    Share,
    balance_distribution,
    by_score_band,
    diversity,
    funnel,
    mean_series,
    merge_small,
    months_between,
    random_cross_share,
    reading,
    safe_count,
    safe_share,
)

group_counts = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3), st.integers(0, 40), max_size=12
)


@given(group_counts)
def test_no_group_shown_is_smaller_than_five_and_none_can_be_recovered(counts: dict[str, int]):
    groups = merge_small(counts)
    total = sum(counts.values())
    assert all(n >= MIN_GROUP for _, n in groups.shown)
    if total >= MIN_GROUP:
        # Everything is shown somewhere, so subtracting from the total reveals nothing.
        assert sum(n for _, n in groups.shown) == total
        assert groups.total_hidden == 0
    else:
        assert groups.shown == () and groups.total_hidden == total


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_a_share_never_rests_on_fewer_than_five(part: int, extra: int):
    whole = part + extra
    share = safe_share(part, whole)
    if isinstance(share, Share):
        assert whole >= MIN_GROUP
        assert part == 0 or part >= MIN_GROUP
        assert whole - part == 0 or whole - part >= MIN_GROUP


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "enrolled",
                "matched",
                "accepted",
                "charter",
                "first_session",
                "three_sessions",
                "ended",
            ]
        ),
        st.integers(0, 60),
    )
)
def test_no_funnel_figure_counts_one_to_four_people(counts: dict[str, int]):
    for step in funnel(counts):
        for figure in (step.people, step.dropped):
            assert figure is None or isinstance(figure, Hidden) or figure == 0 or figure >= 5


def test_small_groups_merge_into_other():
    groups = merge_small({"Sales": 12, "Legal": 2, "HR": 3, "IT": 7})
    # Legal + HR = 5: enough for "other" on its own.
    assert groups.shown == (("Sales", 12), ("IT", 7), (OTHER, 5))
    assert groups.merged == ("HR", "Legal")


def test_other_too_small_takes_the_smallest_shown_group():
    groups = merge_small({"Sales": 12, "Legal": 2, "IT": 7})
    # "other" would be 2; IT (the smallest shown) joins it: 9.
    assert groups.shown == (("Sales", 12), (OTHER, 9))
    assert groups.merged == ("IT", "Legal")


def test_a_set_of_four_shows_nothing():
    groups = merge_small({"Sales": 3, "IT": 1})
    assert groups.shown == () and groups.total_hidden == 4


def test_funnel_on_a_worked_example():
    steps = funnel(
        {
            "enrolled": 100,
            "matched": 90,
            "accepted": 80,
            "charter": 60,
            "first_session": 57,
            "three_sessions": 40,
            "ended": 10,
        }
    )
    assert [s.people for s in steps] == [100, 90, 80, 60, 57, 40, 10]
    assert steps[0].dropped is None
    assert [s.dropped for s in steps[1:3]] == [10, 10]
    assert steps[4].dropped == Hidden(3)  # 60 -> 57: three people, not shown
    assert steps[5].dropped == 17 and steps[6].dropped == 30
    assert steps[3].share_of_start == 0.6


def test_funnel_hides_a_step_of_three_people():
    steps = funnel({"enrolled": 20, "matched": 3})
    assert steps[1].people == Hidden(3) and steps[1].share_of_start is None
    assert steps[1].dropped == 17
    assert steps[2].people == 0 and steps[2].dropped == Hidden(3)


def test_mean_series_divides_by_pairings_and_hides_thin_months():
    points = mean_series([(date(2026, 2, 1), 4, 8.0), (date(2026, 1, 1), 10, 15.0)])
    assert [p.period for p in points] == [date(2026, 1, 1), date(2026, 2, 1)]
    assert points[0].value == 1.5
    assert points[1].value == Hidden(4)


def test_months_between_crosses_a_year():
    assert months_between(date(2025, 11, 20), date(2026, 1, 3)) == (
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    )


def test_balance_distribution_bands_by_distance():
    groups = balance_distribution(
        [0.0, 0.1, -0.15, 0.19, 0.05, 0.3, -0.5, 0.25, 0.4, 0.21, 0.7, 0.9]
    )
    # 5 balanced (< 0.2), 5 leaning (0.2 to 0.6), 2 one-sided: merged into other.
    # other (2) < 5, so the smallest shown group (leaning, 5; ties go by name) joins it.
    assert dict(groups.shown) == {"balanced": 5, OTHER: 7}


def test_random_baseline_by_hand():
    # 3 in Sales, 2 in IT: same-department pairs 3*2 + 2*1 = 8 of 5*4 = 20 ordered pairs.
    assert random_cross_share({"Sales": 3, "IT": 2}) == 1 - 8 / 20
    assert random_cross_share({"Sales": 1}) == 0.0


def test_diversity_against_baseline():
    d = diversity("department", crossing=6, pairings=11, pool={"Sales": 10, "IT": 10})
    assert d.observed == Share(6, 11)
    assert d.random_baseline == 1 - (90 + 90) / (20 * 19)
    # Two pairings in ten stay within a department: too few to say how many.
    assert isinstance(diversity("x", 8, 10, {"a": 20}).observed, Hidden)


def test_score_thirds_on_a_worked_example():
    outcomes = [
        Outcome(score=float(i), sessions=i, checkin_mean=3.0 if i < 5 else 4.0, renewed=i >= 10)
        for i in range(15)
    ]
    low, mid, high = by_score_band(outcomes)
    assert (low.pairings, mid.pairings, high.pairings) == (5, 5, 5)
    assert low.mean_sessions == 2.0 and high.mean_sessions == 12.0  # (0+..+4)/5, (10+..+14)/5
    assert low.mean_checkin == 3.0 and mid.mean_checkin == 4.0
    assert low.renewed == Share(0, 5) and high.renewed == Share(5, 5)
    assert "met more often" in reading((low, mid, high))


def test_score_thirds_of_few_pairings_show_nothing():
    bands = by_score_band([Outcome(1.0, 1, None, False)] * 6)
    assert all(isinstance(b.mean_sessions, Hidden) for b in bands)
    assert reading(bands).startswith("Too few")


def test_safe_count_keeps_zero():
    assert safe_count(0) == 0 and safe_count(4) == Hidden(4) and safe_count(5) == 5
