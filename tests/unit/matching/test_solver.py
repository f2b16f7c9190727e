"""Property tests of the graph solver against networkx's exact blossom algorithm."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.matching.solver import (
    SolveResult,
    greedy_matching,
    max_cardinality,
    solve_fair,
    solve_matching,
)

Edges = tuple[int, np.ndarray, np.ndarray, np.ndarray]


@st.composite
def graphs(draw: st.DrawFn, max_n: int = 24) -> Edges:
    """Random simple graphs: odd n, isolated nodes, sparse to dense, ties, zeros."""
    n = draw(st.integers(0, max_n))
    pairs = list(itertools.combinations(range(n), 2))
    density = draw(st.sampled_from([0.05, 0.15, 0.3, 0.6, 1.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    keep = [p for p in pairs if rng.random() < density]
    levels = draw(st.sampled_from([0, 2, 3, 5]))  # 0: continuous weights
    w = rng.integers(0, levels, size=len(keep)) / (levels - 1) if levels else rng.random(len(keep))
    u = np.array([a for a, _ in keep], dtype=np.int64)
    v = np.array([b for _, b in keep], dtype=np.int64)
    order = rng.permutation(len(keep))  # edge order and orientation must not matter
    u, v, w = u[order], v[order], np.asarray(w, dtype=np.float64)[order]
    flip = rng.random(len(keep)) < 0.5
    u, v = np.where(flip, v, u), np.where(flip, u, v)
    return n, u, v, w


def nx_optimum(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[int, float]:
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for a, b, x in zip(u.tolist(), v.tolist(), w.tolist(), strict=True):
        g.add_edge(a, b, weight=x)
    matching = nx.max_weight_matching(g, maxcardinality=True)
    return len(matching), sum(g[a][b]["weight"] for a, b in matching)


def assert_valid_matching(
    res: SolveResult, n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray
) -> None:
    mate = res.mate
    assert mate.dtype == np.int64 and mate.shape == (n,)
    weight = {
        (min(a, b), max(a, b)): x
        for a, b, x in zip(u.tolist(), v.tolist(), w.tolist(), strict=True)
    }
    total = 0.0
    for i in range(n):
        j = int(mate[i])
        if j < 0:
            assert j == -1
            continue
        assert mate[j] == i, "mate must be symmetric"
        assert (min(i, j), max(i, j)) in weight, "matched pair must be an edge"
        if i < j:
            total += weight[(i, j)]
    assert res.cardinality == int((mate >= 0).sum()) // 2
    assert res.total == pytest.approx(total, rel=1e-12, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_matches_networkx_optimum(graph: Edges) -> None:
    n, u, v, w = graph
    res = solve_matching(n, u, v, w)
    assert_valid_matching(res, n, u, v, w)
    card, best = nx_optimum(n, u, v, w)
    assert res.cardinality == card
    assert res.total == pytest.approx(best, rel=1e-9, abs=1e-9)
    assert res.exact
    assert res.upper_bound >= res.total


def _nx(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for a, b, x in zip(u.tolist(), v.tolist(), w.tolist(), strict=True):
        g.add_edge(a, b, weight=x)
    return g


@settings(max_examples=200, deadline=None)
@given(graphs(max_n=18), st.integers(0, 2**32 - 1))
def test_bound_covers_hidden_pairs(graph: Edges, seed: int) -> None:
    """Add hidden pairs that respect outside_bound; the full optimum stays below."""
    n, u, v, w = graph
    rng = np.random.default_rng(seed)
    ob = rng.choice([0.0, 0.3, 0.7, 1.0], size=n) * rng.random(n) if n else np.zeros(0)
    res = solve_matching(n, u, v, w, outside_bound=ob)
    present = set(zip(np.minimum(u, v).tolist(), np.maximum(u, v).tolist(), strict=True))
    g = _nx(n, u, v, w)
    for a, b in itertools.combinations(range(n), 2):
        if (a, b) not in present and rng.random() < 0.5:
            g.add_edge(a, b, weight=float(min(ob[a], ob[b])) * float(rng.choice([1.0, 0.5])))
    full = sum(g[a][b]["weight"] for a, b in nx.max_weight_matching(g))
    assert res.upper_bound >= full - 1e-9
    weight_only = sum(
        _nx(n, u, v, w)[a][b]["weight"] for a, b in nx.max_weight_matching(_nx(n, u, v, w))
    )
    assert res.upper_bound >= weight_only - 1e-9


def test_bound_is_tight_without_hidden_pairs() -> None:
    rng = np.random.default_rng(7)
    n = 60
    iu, iv = np.triu_indices(n, 1)
    keep = rng.random(iu.shape[0]) < 0.2
    u, v, w = iu[keep], iv[keep], rng.random(int(keep.sum()))
    res = solve_matching(n, u, v, w)
    weight_only = sum(
        _nx(n, u, v, w)[a][b]["weight"] for a, b in nx.max_weight_matching(_nx(n, u, v, w))
    )
    assert res.upper_bound == pytest.approx(weight_only, rel=1e-9)


def test_cardinality_beats_weight() -> None:
    # Path 0-1-2-3: the heavy middle edge alone loses to the two light outer edges.
    u = np.array([0, 1, 2])
    v = np.array([1, 2, 3])
    w = np.array([0.1, 1.0, 0.1])
    res = solve_matching(4, u, v, w)
    assert res.cardinality == 2
    assert res.total == pytest.approx(0.2)
    assert list(res.mate) == [1, 0, 3, 2]
    assert res.upper_bound >= 1.0  # the weight-only optimum is the single heavy edge


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        solve_matching(2, np.array([0]), np.array([0]), np.array([0.5]))
    with pytest.raises(ValueError):
        solve_matching(2, np.array([0]), np.array([2]), np.array([0.5]))
    with pytest.raises(ValueError):
        solve_matching(2, np.array([0]), np.array([1]), np.array([1.5]))


def test_progress_reports_up_to_one() -> None:
    rng = np.random.default_rng(3)
    n = 200
    iu, iv = np.triu_indices(n, 1)
    keep = rng.random(iu.shape[0]) < 0.05
    seen: list[float] = []
    solve_matching(n, iu[keep], iv[keep], rng.random(int(keep.sum())), progress=seen.append)
    assert seen and seen[-1] == 1.0
    assert all(a <= b for a, b in itertools.pairwise(seen))


@settings(max_examples=150, deadline=None)
@given(graphs(max_n=20))
def test_greedy_is_valid_and_not_better(graph: Edges) -> None:
    n, u, v, w = graph
    res = greedy_matching(n, u, v, w)
    assert_valid_matching(res, n, u, v, w)
    card, _best = nx_optimum(n, u, v, w)
    weight_only = sum(
        _nx(n, u, v, w)[a][b]["weight"] for a, b in nx.max_weight_matching(_nx(n, u, v, w))
    )
    assert res.total <= weight_only + 1e-9
    assert res.upper_bound >= weight_only - 1e-9
    assert res.cardinality <= card


@settings(max_examples=150, deadline=None)
@given(graphs(max_n=20))
def test_max_cardinality(graph: Edges) -> None:
    n, u, v, _ = graph
    assert max_cardinality(n, u, v) == len(
        nx.max_weight_matching(_nx(n, u, v, np.ones(len(u))), maxcardinality=True)
    )


def brute_force_fair(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[int, float]:
    """Largest threshold keeping the maximum cardinality, by trying every weight."""
    card, _ = nx_optimum(n, u, v, w)
    best_t = -1.0
    for t in sorted(set(w.tolist())):
        keep = w >= t
        c, _ = nx_optimum(n, u[keep], v[keep], w[keep])
        if c == card:
            best_t = t
    return card, best_t


@settings(max_examples=100, deadline=None)
@given(graphs(max_n=14))
def test_fair_bottleneck(graph: Edges) -> None:
    n, u, v, w = graph
    res = solve_fair(n, u, v, w)
    assert_valid_matching(res, n, u, v, w)
    card, t = brute_force_fair(n, u, v, w)
    assert res.cardinality == card
    if card == 0:
        return
    matched = res.mate[u] == v
    assert float(w[matched].min()) == t
    keep = w >= t
    _, best = nx_optimum(n, u[keep], v[keep], w[keep])
    assert res.total == pytest.approx(best, rel=1e-9, abs=1e-9)
    assert res.upper_bound >= res.total


def test_fair_prefers_balanced_pairs() -> None:
    # Square 0-1-2-3-0: max weight takes 0.9 + 0.1, fairness takes 0.5 + 0.45.
    u = np.array([0, 1, 2, 3])
    v = np.array([1, 2, 3, 0])
    w = np.array([0.9, 0.5, 0.1, 0.45])
    assert solve_matching(4, u, v, w).total == pytest.approx(1.0)
    fair = solve_fair(4, u, v, w)
    assert fair.total == pytest.approx(0.95)
    assert fair.cardinality == 2


@settings(max_examples=150, deadline=None)
@given(graphs(max_n=22), st.integers(1, 12))
def test_capped_stage_work_stays_valid_and_certified(graph: Edges, cap: int) -> None:
    """With a tiny work cap the result may miss the optimum, but it is still a valid
    matching, ``exact`` is honest and the bound still covers the optimum."""
    n, u, v, w = graph
    res = solve_matching(n, u, v, w, max_stage_work=cap)
    assert_valid_matching(res, n, u, v, w)
    card, best = nx_optimum(n, u, v, w)
    weight_only = sum(
        _nx(n, u, v, w)[a][b]["weight"] for a, b in nx.max_weight_matching(_nx(n, u, v, w))
    )
    assert res.cardinality <= card
    assert res.upper_bound >= weight_only - 1e-9
    if res.exact:
        assert res.cardinality == card
        assert res.total == pytest.approx(best, rel=1e-9, abs=1e-9)


def test_certificate_check_rejects_broken_duals() -> None:
    """The bound is re-verified in floating point: corrupt duals are caught."""
    from peermentor.matching.solver_lp import fractional_certificate

    u = np.array([0, 1])
    v = np.array([1, 2])
    w = np.array([0.5, 0.25])
    scale = 2.0**20
    good = np.array([0, 1, 0]) * int(scale), np.array([0, 1, 0]) * int(scale)
    bound, bad = fractional_certificate(good[0], good[1], scale, u, v, w, np.zeros(3))
    assert bad == 0 and bound >= 0.5
    broken = np.zeros(3, dtype=np.int64), np.zeros(3, dtype=np.int64)
    _, bad = fractional_certificate(broken[0], broken[1], scale, u, v, w, np.zeros(3))
    assert bad == 2
    _, bad = fractional_certificate(good[0], good[1], scale, u, v, w, np.array([0.0, 0.0, 0.9]))
    assert bad == 1


def test_outside_bound_above_one_means_one() -> None:
    u, v, w = np.array([0, 2]), np.array([1, 3]), np.array([0.5, 0.25])
    res = solve_matching(4, u, v, w, outside_bound=np.array([3.0, 0.0, 1.0, 2.0]))
    assert res.total == pytest.approx(0.75)
    # Hidden pairs 0-2 (<= 1) and 1-3 (<= 0) could replace both edges: bound >= 1.
    assert res.upper_bound >= 1.0
    assert res.upper_bound <= 2.0 + 1e-6  # y_i <= max(ob_i, weights) / 2, ob capped at 1
