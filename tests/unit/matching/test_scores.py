"""The block scores, the per-pair scores and the criteria agree and stay in range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from peermentor.demo_org import generate_organisation
from peermentor.domain.people import PersonRecord
from peermentor.matching.cohort import prepare_cohort
from peermentor.matching.features import overlap_hours
from peermentor.matching.settings import MatchSettings
from peermentor.matching.text import goal_text_embedding, tfidf_matrix

from .cohorts import Case, people_case


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=people_case(min_size=2, max_size=25))
def test_block_scores_equal_pair_scores_and_components_stay_in_range(case: Case) -> None:
    co = prepare_cohort(case.people, MatchSettings(forbid_same_team=True), (), case.past)
    exact = co.scorer(np.float64)
    n = co.n
    if n == 0:
        return
    block = exact.block(0, n)
    u, v = np.divmod(np.arange(n * n), n)
    pairs = exact.scores(u, v).reshape(n, n)
    allowed = np.isfinite(pairs)
    assert np.array_equal(allowed, block > -1)
    assert np.allclose(block[allowed], pairs[allowed], atol=1e-9)
    assert np.allclose(pairs[allowed], pairs.T[allowed], atol=1e-9)  # symmetric
    comps, _ = exact.components(u, v)
    assert comps.min() >= 0 and comps.max() <= 1
    fast = co.scorer(np.float32).block(0, n)
    assert np.allclose(fast[allowed], pairs[allowed], atol=1e-5)


def test_a_manager_and_report_like_gap_scores_about_zero_on_experience() -> None:
    people = [
        PersonRecord("A", "Ana A", "a@x.org", 3, level=2),
        PersonRecord("B", "Ben B", "b@x.org", 4, level=3),
        PersonRecord("C", "Cy C", "c@x.org", 15, level=7),
    ]
    co = prepare_cohort(people, MatchSettings())
    comps, _ = co.scorer().components(np.array([0, 0]), np.array([1, 2]))
    assert comps[0, 0] > 0.85
    assert comps[1, 0] == pytest.approx(0.0)


def test_two_way_value_rewards_the_weaker_direction() -> None:
    giver = PersonRecord(
        "G", "Gia G", "g@x.org", 5, skills_offered=("sql", "python"), skills_sought=("hiring",)
    )
    taker = PersonRecord("T", "Tom T", "t@x.org", 5, skills_sought=("sql", "python"))
    co = prepare_cohort([giver, taker], MatchSettings())
    comps, _ = co.scorer().components(np.array([0]), np.array([1]))
    assert comps[0, 4] == 0.0  # only one side gains: no two-way value at all


def test_working_hours_overlap_on_a_circular_day() -> None:
    h = overlap_hours(np.array([1.0, 0.0, 9.0]), np.array([0.0, 0.0, -5.0]), 9.0, 17.0)
    assert h.tolist() == [7.0, 8.0, 0.0]


def test_text_similarity_is_the_tfidf_cosine_on_small_cohorts() -> None:
    texts = ["I want to lead a team", "lead a larger team", "", "become a data expert"]
    emb = goal_text_embedding(texts)
    x = tfidf_matrix([" ".join(t.lower().split()) for t in texts if t])
    exact = (x @ x.T).toarray()
    got = (emb @ emb.T)[np.ix_([0, 1, 3], [0, 1, 3])]
    assert np.allclose(got, exact, atol=1e-9)
    assert not emb[2].any()


def test_generated_cohort_scores_are_deterministic() -> None:
    people = generate_organisation(300, seed=5)
    a = prepare_cohort(people, MatchSettings()).scorer().block(0, 50)
    b = prepare_cohort(people, MatchSettings()).scorer().block(0, 50)
    assert np.array_equal(a, b)
