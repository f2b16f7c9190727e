"""Exactness on realistic candidate graphs, against rustworkx's blossom algorithm."""

from __future__ import annotations

import numpy as np
import pytest
import rustworkx as rx

from peermentor.matching.solver import greedy_matching, solve_fair, solve_matching

from .solver_testgraphs import candidate_graph

SCALE = 2**30  # rustworkx wants integer weights; 30 bits keep ties as they are


def rustworkx_optimum(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[int, float]:
    g = rx.PyGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from([(int(a), int(b), round(x * SCALE)) for a, b, x in zip(u, v, w, strict=True)])
    weight = dict(zip(zip(u.tolist(), v.tolist(), strict=True), w.tolist(), strict=True))
    pairs = rx.max_weight_matching(g, max_cardinality=True, weight_fn=lambda x: x)
    total = sum(weight.get((a, b), weight.get((b, a), 0.0)) for a, b in pairs)
    return len(pairs), total


@pytest.mark.parametrize(("n", "seed"), [(2000, 11), (3001, 12), (5000, 13)])
def test_exact_on_candidate_graphs(n: int, seed: int) -> None:
    u, v, w, outside = candidate_graph(n, k=20, seed=seed)
    res = solve_matching(n, u, v, w)
    card, best = rustworkx_optimum(n, u, v, w)
    assert res.cardinality == card
    assert res.total == pytest.approx(best, rel=1e-9)
    assert res.exact
    assert res.upper_bound >= res.total
    # The dual certificate is the weight optimum: tight, not just valid.
    assert (res.upper_bound - res.total) / res.upper_bound < 1e-9
    with_hidden = solve_matching(n, u, v, w, outside_bound=outside)
    assert with_hidden.total == pytest.approx(res.total, rel=1e-12)
    assert with_hidden.upper_bound >= res.upper_bound
    # Certified over every allowed pair, hidden ones included, within 0.5%.
    assert (with_hidden.upper_bound - with_hidden.total) / with_hidden.upper_bound < 0.005
    greedy = greedy_matching(n, u, v, w)
    assert greedy.total < res.total


def test_fair_on_candidate_graph() -> None:
    n = 1500
    u, v, w, _ = candidate_graph(n, k=20, seed=5)
    best = solve_matching(n, u, v, w)
    fair = solve_fair(n, u, v, w)
    assert fair.cardinality == best.cardinality
    worst_fair = w[fair.mate[u] == v].min()
    worst_best = w[best.mate[u] == v].min()
    assert worst_fair >= worst_best
    assert fair.total <= best.total + 1e-9
    # No edge above the fair threshold set can still give the maximum cardinality.
    above = w > worst_fair
    fair_above = solve_matching(n, u[above], v[above], w[above])
    assert fair_above.cardinality < fair.cardinality


def test_exact_when_many_people_must_stay_unmatched() -> None:
    """Six people whose only candidate is one shared person: at least five stay
    unmatched, so the cardinality phase has searches that fail across the graph."""
    n = 2500
    u, v, w, _ = candidate_graph(n, k=20, seed=21)
    hub, loners = 0, np.arange(1, 7)
    touching = np.isin(u, loners) | np.isin(v, loners)
    u, v, w = u[~touching], v[~touching], w[~touching]
    u = np.concatenate([u, np.full(loners.shape[0], hub)])
    v = np.concatenate([v, loners])
    w = np.concatenate([w, np.linspace(0.2, 0.9, loners.shape[0])])
    res = solve_matching(n, u, v, w)
    card, best = rustworkx_optimum(n, u, v, w)
    assert res.cardinality == card
    assert res.total == pytest.approx(best, rel=1e-9)
    assert res.exact
    assert int((res.mate[loners] >= 0).sum()) <= 1
