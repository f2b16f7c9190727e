"""A proof for odd cohorts: how good can "pairs for everyone but one triad" be?

A run over an odd number of people pairs all but one and lets the one left over join
the pair where they add the most (matching/triads.py). The best such arrangement is
a group of three {i, j, k}, worth w_ij + w_ik + w_jk, plus a matching of everyone
else. The solver's certificate (vertex duals y >= 0, blossom duals z >= 0 on odd
sets B, totalling D = sum y + sum z_B (|B| - 1) / 2) bounds any matching of the
people outside {i, j, k} too: their y, plus z_B times half of what is left of each
B, rounded down. A blossom loses one from that half exactly when it holds two or
three of i, j, k; the blossoms are nested, so those are the ones holding the pair of
the three whose common blossoms weigh most: c = max(c_ij, c_ik, c_jk), with c_e the
summed z of the blossoms holding both ends of e. So every arrangement with the group
{i, j, k} is worth at most

    D + (w_ij + w_ik + w_jk - y_i - y_j - y_k - max(c_ij, c_ik, c_jk)),

and the best one at most D plus the largest such term over every allowed group. For
the group the run chose the term is what the newcomer added, when the optimum's
complementary slackness holds (the left-over person's y is 0, the pair's constraint
tight): when no other group has a larger term, the run is proven optimal. Only on the
full graph (every allowed pair an edge), where every group of three is looked at:
O(n^3) at worst, pruned to far fewer.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _best_group(
    dense: np.ndarray, common: np.ndarray, y: np.ndarray, floor: float
) -> tuple[float, int, int, int]:
    """The largest term over groups of three whose three pairs are all allowed (NaN
    in `dense`: not allowed), with its three people; (`floor`, -1, -1, -1) if none is
    larger. A pair (i, j) is passed
    over when even the best third for each (h_v = max over k of w_vk - y_k / 2)
    cannot lift it above what is found, since max(c..) >= c_ij."""
    n = dense.shape[0]
    h = np.full(n, -np.inf)
    for v in range(n):
        for k in range(n):
            x = dense[v, k]
            if x == x:  # not NaN
                value = x - y[k] / 2.0
                if value > h[v]:
                    h[v] = value
    best = floor
    at = (-1, -1, -1)
    for i in range(n):
        for j in range(i + 1, n):
            wij = dense[i, j]
            if wij != wij:
                continue
            cij = common[i, j]
            base = wij - y[i] - y[j]
            if base - cij + h[i] + h[j] <= best:
                continue
            for k in range(j + 1, n):
                wik = dense[i, k]
                wjk = dense[j, k]
                if wik != wik or wjk != wjk:
                    continue
                c = max(cij, common[i, k], common[j, k])
                term = base + wik + wjk - y[k] - c
                if term > best:
                    best = term
                    at = (i, j, k)
    return best, at[0], at[1], at[2]


def _dense(n: int, u: np.ndarray, v: np.ndarray, values: np.ndarray, empty: float) -> np.ndarray:
    out = np.full((n, n), empty)
    out[u, v] = values
    out[v, u] = values
    return out


def best_arrangement(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    certificate: tuple[float, np.ndarray, np.ndarray],
    pairs: list[tuple[int, int]],
    joined: dict[int, int],
) -> tuple[list[tuple[int, int]], dict[int, int], float]:
    """Given the run's pairs and its one group of three (the pair at index k joined by
    joined[k]), the best "pairs plus one group of three" there is, and a bound on it.

    The group with the largest term is tried as the group of three, with the best
    matching of everyone else (one more solve on the full graph, less three people);
    it replaces the run's arrangement when it places as many people and scores more.
    Returns (pairs, joined, upper bound); the bound is met, and the run proven
    optimal, when the group with the largest term is the best group to form."""
    from peermentor.matching.solver import solve_matching

    total, y, edge_common = certificate
    dense = _dense(n, u, v, w, np.nan)
    common = _dense(n, u, v, edge_common, 0.0)
    term, i, j, k = _best_group(dense, common, np.asarray(y, dtype=np.float64), 0.0)
    bound = total + max(0.0, float(term))
    if i < 0:
        return pairs, joined, bound
    [(at, x)] = joined.items()
    a, b = pairs[at]
    if {a, b, x} == {i, j, k}:
        return pairs, joined, bound
    now = sum(float(dense[p, q]) for p, q in pairs) + float(dense[x, a] + dense[x, b])
    keep = ~(np.isin(u, (i, j, k)) | np.isin(v, (i, j, k)))
    rest = solve_matching(n, u[keep], v[keep], w[keep])
    tried = float(dense[i, j] + dense[i, k] + dense[j, k]) + rest.total
    if rest.cardinality + 1 < len(pairs) or tried <= now:
        return pairs, joined, bound
    mate = np.asarray(rest.mate)
    better = [(p, int(mate[p])) for p in range(n) if mate[p] > p]
    better.append((i, j))
    return better, {len(better) - 1: k}, bound
