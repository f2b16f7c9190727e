"""Exact when small: a whole run on a generated organisation (reporting lines, teams,
free-text goals) is proven optimal, and rustworkx's blossom algorithm on the run's own
graph and scores finds no better matching.

Even cohorts and odd ones in waitlist mode are exact (`exact: true`, gap 0). An odd
cohort in triad mode is exact when the group of three that the solver's duals point
to is the best one to form (matching/triad_bound.py): then no arrangement of pairs and
one group of three scores more, which small cohorts check by trying every allowed group
of three with rustworkx's best matching of everyone else. Where the run does not claim
exactness it says so with a gap, and its pairs are still the best matching of the rest."""

from __future__ import annotations

import numpy as np
import pytest
import rustworkx as rx

from peermentor.demo_org import generate_organisation
from peermentor.matching.engine import run_matching
from peermentor.matching.settings import MatchSettings

from .test_solver_large import SCALE, rustworkx_optimum


def run_with_graph(n: int, seed: int, odd_mode: str) -> tuple[object, tuple]:
    graph: list[tuple] = []

    def keep(size: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> None:
        graph.append((size, u.copy(), v.copy(), w.copy()))

    people = generate_organisation(n, seed=seed)
    result = run_matching(people, MatchSettings(odd_mode=odd_mode), on_graph=keep)
    return result, graph[0]


CASES = [(40, 1), (61, 2), (120, 3), (241, 4), (400, 5), (601, 6)]


@pytest.mark.parametrize("odd_mode", ["triad", "waitlist"])
@pytest.mark.parametrize(("n", "seed"), CASES)
def test_a_small_run_is_exact_or_says_why_not(n: int, seed: int, odd_mode: str) -> None:
    """Whether a cohort's matched count is odd depends on opt-outs and on people no rule
    allows a partner, not on n: the run is judged by the triad it formed."""
    result, (size, u, v, w) = run_with_graph(n, seed, odd_mode)
    assert result.full_graph  # every allowed pair was in the solve
    cardinality, best = rustworkx_optimum(size, u, v, w)
    pairs = [p for p in result.pairings if len(p.members) == 2]
    triads = len(result.pairings) - len(pairs)
    assert triads <= 1
    if triads == 0:  # a matching, proven optimal: nothing beats it
        assert result.exact and result.gap < 1e-9
        assert len(pairs) == cardinality
        assert result.total_score == pytest.approx(best, rel=1e-9)
    else:  # pairs plus one group of three: proven best, or a gap said out loud
        assert result.exact == (result.gap < 1e-9)
        assert result.gap < 1e-3
        assert len(pairs) + 1 == cardinality
        [group] = [p for p in result.pairings if len(p.members) == 3]
        index = _indices(result, n, seed)
        rest = [index[m] for p in pairs for m in p.members]
        _, rest_best = _without(size, u, v, w, {index[m] for m in group.members})
        pair_total = sum(p.score for p in pairs)
        assert len(rest) == 2 * len(pairs)
        assert pair_total == pytest.approx(rest_best, rel=1e-9)  # the rest: best matching


def _indices(result: object, n: int, seed: int) -> dict[str, int]:
    """employee id -> node of the run's graph (the cohort's order: eligible people as
    generated)."""
    people = [p for p in generate_organisation(n, seed=seed) if not p.opt_out]
    return {p.employee_id: i for i, p in enumerate(people)}


def _without(
    size: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, out: set[int]
) -> tuple[int, float]:
    keep = ~(np.isin(u, list(out)) | np.isin(v, list(out)))
    return rustworkx_optimum(size, u[keep], v[keep], w[keep])


def _best_weight(size: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> float:
    """rustworkx's heaviest matching of any size."""
    g = rx.PyGraph()
    g.add_nodes_from(range(size))
    g.add_edges_from([(int(a), int(b), round(x * SCALE)) for a, b, x in zip(u, v, w, strict=True)])
    weight = dict(zip(zip(u.tolist(), v.tolist(), strict=True), w.tolist(), strict=True))
    pairs = rx.max_weight_matching(g, max_cardinality=False, weight_fn=lambda x: x)
    return sum(weight.get((a, b), weight.get((b, a), 0.0)) for a, b in pairs)


@pytest.mark.parametrize(("n", "seed"), [(23, 6), (31, 2)])
def test_an_exact_triad_run_beats_every_group_of_three(n: int, seed: int) -> None:
    """Every allowed group of three, with the heaviest matching of everyone else, scores
    at most what the run scored when it says exact: the proof is not only claimed."""
    result, (size, u, v, w) = run_with_graph(n, seed, "triad")
    assert [len(p.members) for p in result.pairings].count(3) == 1, "a case with a triad"
    assert result.exact and result.gap < 1e-9
    weight = {}
    for a, b, x in zip(u.tolist(), v.tolist(), w.tolist(), strict=True):
        weight[(a, b)] = weight[(b, a)] = x
    nodes = sorted({*u.tolist(), *v.tolist()})
    best_found = 0.0
    for i, a in enumerate(nodes):
        for j, b in enumerate(nodes[i + 1 :], i + 1):
            if (a, b) not in weight:
                continue
            for c in nodes[j + 1 :]:
                if (a, c) in weight and (b, c) in weight:
                    keep = ~(np.isin(u, (a, b, c)) | np.isin(v, (a, b, c)))
                    group = weight[(a, b)] + weight[(a, c)] + weight[(b, c)]
                    value = group + _best_weight(size, u[keep], v[keep], w[keep])
                    best_found = max(best_found, value)
    assert best_found > 0
    assert best_found <= result.total_score + 1e-9
    assert best_found == pytest.approx(result.total_score, rel=1e-9)
