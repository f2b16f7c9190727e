"""Pairings ended early in numbers: no figure, shown or derivable, over fewer than 5."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peermentor.domain.checkins import NotEnoughData
from peermentor.domain.endings import EndingCounts, ending_counts

REASONS = ("no_time", "not_a_fit", "goals_changed", "partner_absent", "other")


def test_under_five_in_all_says_not_enough() -> None:
    assert ending_counts({"no_time": 4}) == NotEnoughData(pairings=4, required=5)


def test_small_reasons_are_folded_together() -> None:
    assert ending_counts({"no_time": 6, "not_a_fit": 3, "other": 2}) == EndingCounts(
        total=11, by_reason=(("no_time", 6),), folded=5
    )


def test_a_small_fold_takes_in_the_smallest_reason_shown() -> None:
    # Apart, 7 - 5 = 2 would give the two "not a fit" away: everything is folded.
    result = ending_counts({"no_time": 5, "goals_changed": 6, "not_a_fit": 2})
    assert result == EndingCounts(total=13, by_reason=(("goals_changed", 6),), folded=7)


@given(st.dictionaries(st.sampled_from(REASONS), st.integers(0, 30)))
def test_every_figure_shown_or_left_over_is_zero_or_five_and_more(counts: dict[str, int]) -> None:
    result = ending_counts(counts)
    if isinstance(result, NotEnoughData):
        assert sum(counts.values()) < 5
        return
    assert result.total == sum(counts.values())
    assert all(n >= 5 for _, n in result.by_reason)
    assert result.folded == 0 or result.folded >= 5
    assert result.folded + sum(n for _, n in result.by_reason) == result.total
