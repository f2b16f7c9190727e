"""Checks of the blossom engine's output: dual certificates and optimality proofs.

Both walk the blossom forest (PARENT links) to find, for every edge, the blossoms
that contain both its ends; their duals count towards the edge's constraint.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from peermentor.matching.solver_kernels import BASE, CEP, DUAL, FIRST, MATE, NEXT, PARENT


@njit(cache=True)
def _endpoint_vertex(eu, ev, p):
    return eu[p >> 1] if (p & 1) == 0 else ev[p >> 1]


@njit(cache=True)
def _blossom_tables(st, n):
    """Leaf counts of live blossoms and, per id, the sum of Z over it and its ancestors."""
    size = np.zeros(2 * n, dtype=np.int64)
    for v in range(n):
        b = st[PARENT, v]
        while b != -1:
            size[b] += 1
            b = st[PARENT, b]
    zsum_up = np.zeros(2 * n, dtype=np.int64)
    for b in range(n, 2 * n):
        if st[BASE, b] == -1:
            continue
        total = 0
        x = b
        while x != -1:
            total += st[DUAL, x]
            x = st[PARENT, x]
        zsum_up[b] = total
    return size, zsum_up


@njit(cache=True)
def _common_zsum(st, a, b, mark, stamp, zsum_up):
    """Sum of Z over the blossoms that contain both vertices a and b."""
    x = st[PARENT, a]
    while x != -1:
        mark[x] = stamp
        x = st[PARENT, x]
    x = st[PARENT, b]
    while x != -1:
        if mark[x] == stamp:
            return zsum_up[x]
        x = st[PARENT, x]
    return 0


@njit(cache=True)
def weight_certificate(st, n, scale, eu, ev, w, outside_bound):
    """Upper bound on the weight of any matching, from the engine's duals.

    y_v = d_v / (2 scale) + 1 / scale (the margin absorbs the rounding of weights to
    integers), raised to outside_bound[v] / 2 so that every hidden pair (i, j) with
    weight <= min(ob_i, ob_j) <= (ob_i + ob_j) / 2 is covered too; z_B = Z_B / scale.
    Every constraint is re-checked in floating point on the real weights; returns
    (bound, number of violated constraints)."""
    size, zsum_up = _blossom_tables(st, n)
    y = np.empty(n, dtype=np.float64)
    margin = 1.0 / scale
    bad = 0
    for v in range(n):
        if st[DUAL, v] < 0:
            bad += 1
        y[v] = max(st[DUAL, v] / (2.0 * scale) + margin, outside_bound[v] / 2.0)
    bound = 0.0
    for v in range(n):
        bound += y[v]
    for b in range(n, 2 * n):
        if st[BASE, b] != -1:
            if st[DUAL, b] < 0:
                bad += 1
            bound += (st[DUAL, b] / scale) * (size[b] // 2)
    mark = np.full(2 * n, -1, dtype=np.int64)
    for k in range(eu.shape[0]):
        zs = _common_zsum(st, eu[k], ev[k], mark, k, zsum_up) / scale
        if y[eu[k]] + y[ev[k]] + zs < w[k]:
            bad += 1
    for v in range(n):
        if y[v] < outside_bound[v] / 2.0 or y[v] < 0.0:
            bad += 1
    return bound, bad


@njit(cache=True)
def optimality_violations(st, n, eu, ev, wt):
    """Count violated optimality conditions of the engine's state for integer weights
    wt (complementary slackness of the LP with odd-set constraints): 0 proves that
    the matching in st is a maximum-weight matching."""
    size, zsum_up = _blossom_tables(st, n)
    bad = 0
    mark = np.full(2 * n, -1, dtype=np.int64)
    for k in range(eu.shape[0]):
        a = eu[k]
        b = ev[k]
        slack = st[DUAL, a] + st[DUAL, b] - 2 * wt[k] + 2 * _common_zsum(
            st, a, b, mark, k, zsum_up)
        if slack < 0:
            bad += 1
        matched_a = st[MATE, a] == 2 * k + 1
        matched_b = st[MATE, b] == 2 * k
        if (matched_a or matched_b) and (not (matched_a and matched_b) or slack != 0):
            bad += 1
    for v in range(n):
        if st[DUAL, v] < 0 or (st[MATE, v] == -1 and st[DUAL, v] != 0):
            bad += 1
    for b in range(n, 2 * n):
        if st[BASE, b] == -1:
            continue
        if st[DUAL, b] < 0:
            bad += 1
        # Full: every other edge of the child cycle, from the base child on, is matched.
        first = st[FIRST, b]
        c = st[NEXT, first]
        steps = 0
        while c != first and steps <= size[b]:
            p = st[CEP, c]
            if st[MATE, _endpoint_vertex(eu, ev, p)] != (p ^ 1):
                bad += 1
            c = st[NEXT, st[NEXT, c]]
            steps += 1
        if size[b] % 2 == 0 or c != first:
            bad += 1
    return bad

