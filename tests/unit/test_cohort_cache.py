"""The choosing pages reuse a prepared cohort only while everything it was prepared
from is the same: an equal pool read again hits, any changed record, setting or past
pairing prepares afresh (and scores as a fresh preparation would)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest

from peermentor.demo_org import generate_organisation
from peermentor.matching.cohort import prepare_cohort
from peermentor.matching.settings import MatchSettings
from peermentor.services import cohort_cache
from peermentor.services.cohort_cache import cohort_of

PEOPLE = generate_organisation(80, seed=3)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cohort_cache.forget_all()
    yield
    cohort_cache.forget_all()


def _row_scores(records: list, settings: MatchSettings, past: list, use_cache: bool) -> np.ndarray:
    co = (
        cohort_of(records, settings, past)
        if use_cache
        else prepare_cohort(records, settings, (), past)
    )
    everyone = np.arange(co.n)
    return co.scorer(np.float64).scores(np.zeros(co.n, dtype=np.int64), everyone)


def test_the_same_pool_read_again_reuses_the_cohort() -> None:
    first = cohort_of(PEOPLE, MatchSettings(), [])
    again = cohort_of([replace(p) for p in PEOPLE], MatchSettings(), [])  # equal, not identical
    assert again is first


@pytest.mark.parametrize("change", ["a profile", "who is free", "the settings", "a past pairing"])
def test_any_change_prepares_afresh_and_scores_as_a_fresh_preparation(change: str) -> None:
    settings, past = MatchSettings(), []
    first = cohort_of(PEOPLE, settings, past)
    records = list(PEOPLE)
    if change == "a profile":
        records[1] = replace(records[1], skills_offered=("negotiation", "sql"))
    elif change == "who is free":
        records = records[:-1]
    elif change == "the settings":
        settings = replace(settings, top_k=settings.top_k + 5)
    else:
        past = [frozenset((PEOPLE[0].employee_id, PEOPLE[1].employee_id))]
    assert cohort_of(records, settings, past) is not first
    cached = _row_scores(records, settings, past, use_cache=True)
    fresh = _row_scores(records, settings, past, use_cache=False)
    assert np.array_equal(cached, fresh)


def test_only_a_few_cohorts_are_kept() -> None:
    pools = [PEOPLE[: 40 + k] for k in range(cohort_cache.KEPT + 1)]
    made = [cohort_of(pool, MatchSettings(), []) for pool in pools]
    assert cohort_of(pools[-1], MatchSettings(), []) is made[-1]
    assert cohort_of(pools[0], MatchSettings(), []) is not made[0]  # the oldest went
