"""The engine's shortcuts give the very numbers of what they replace, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from peermentor.demo_org import generate_organisation
from peermentor.matching.arrays import sorted_unique
from peermentor.matching.cohort import Cohort, prepare_cohort
from peermentor.matching.scores import N_CRITERIA
from peermentor.matching.settings import MatchSettings
from peermentor.matching.text import _sublinear_tfidf
from peermentor.matching.triads import best_two_sums

from .cohorts import Case, people_case


@pytest.mark.parametrize("seed", range(8))
def test_sorted_unique_is_np_unique(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for values in (rng.integers(0, 10**10, 5000), rng.integers(0, 7, 300), np.zeros(0, int)):
        assert np.array_equal(sorted_unique(values), np.unique(values))


@pytest.mark.parametrize("seed", range(8))
def test_tfidf_is_scikit_learns(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = sp.random(int(rng.integers(1, 200)), int(rng.integers(1, 150)), density=0.1, rng=rng)
    counts = sp.csr_matrix(m)
    counts.data = np.ceil(counts.data * 5)
    want = sp.csr_matrix(TfidfTransformer(sublinear_tf=True).fit_transform(counts))
    got = _sublinear_tfidf(counts, normalize)
    assert np.array_equal(want.indptr, got.indptr)
    assert np.array_equal(want.indices, got.indices)
    assert want.data.tobytes() == got.data.tobytes()


def _best_two_by_sorting(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
    nodes, weights = np.concatenate([u, v]), np.concatenate([w, w])
    by_weight = np.argsort(-weights, kind="stable")
    order = by_weight[np.argsort(nodes[by_weight], kind="stable")]
    nodes, weights = nodes[order], weights[order]
    rank = np.arange(len(nodes)) - np.searchsorted(nodes, np.arange(n))[nodes]
    out = np.zeros(n)
    np.add.at(out, nodes[rank < 2], weights[rank < 2])
    return out


@pytest.mark.parametrize("seed", range(8))
def test_best_two_sums_as_sorted(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    m = int(rng.integers(0, 200))
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    w = np.round(rng.normal(0.3, 0.4, m), 2)  # ties and negative weights too
    assert best_two_sums(n, u, v, w).tobytes() == _best_two_by_sorting(n, u, v, w).tobytes()


def _components_by_dot(co: Cohort, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scorer.components as it was: every piece a full row-wise dot product."""
    comps, penalty = np.zeros((len(u), N_CRITERIA)), np.zeros(len(u))
    for p in co.feats.pieces:
        a = np.einsum("ij,ij->i", p.left[u], p.right[v])
        if p.kind == "relu":
            a = np.maximum(a, 0.0)
        elif p.kind == "min1":
            a = np.minimum(a, 1.0)
        elif p.kind == "minpair":
            a = np.minimum(np.minimum(a, np.einsum("ij,ij->i", p.left[v], p.right[u])), 1.0)
        if p.comp < 0:
            penalty += p.coef * a
        else:
            comps[:, p.comp] += p.coef * a
    return np.clip(comps, 0.0, 1.0), penalty


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=people_case(min_size=2, max_size=30))
def test_components_are_the_full_dot_products(case: Case) -> None:
    co = prepare_cohort(case.people, MatchSettings(max_level_gap=2), (), case.past)
    u, v = np.divmod(np.arange(co.n * co.n), max(co.n, 1))
    want = _components_by_dot(co, u, v)
    got = co.scorer(np.float64).components(u, v)
    assert want[0].tobytes() == got[0].tobytes()
    assert want[1].tobytes() == got[1].tobytes()


def test_components_on_a_generated_organisation() -> None:
    people = generate_organisation(400, seed=3)
    co = prepare_cohort(people, MatchSettings(forbid_same_department=True))
    rng = np.random.default_rng(0)
    u, v = rng.integers(0, co.n, 20_000), rng.integers(0, co.n, 20_000)
    want = _components_by_dot(co, u, v)
    got = co.scorer(np.float64).components(u, v)
    assert want[0].tobytes() == got[0].tobytes()
    assert want[1].tobytes() == got[1].tobytes()
