"""Checks of the blossom engine's output: dual certificates and optimality proofs.

Both need, for every edge, the blossoms that contain both its ends (their duals
count towards the edge's constraint): see blossom_tables.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from peermentor.matching.solver_kernels import BASE, CEP, DUAL, FIRST, MATE, NEXT, PARENT


@njit(cache=True)
def _endpoint_vertex(eu, ev, p):
    return eu[p >> 1] if (p & 1) == 0 else ev[p >> 1]


@njit(cache=True)
def _find(uf, x):
    root = x
    while uf[root] != root:
        root = uf[root]
    while uf[x] != root:
        nxt = uf[x]
        uf[x] = root
        x = nxt
    return root


@njit(cache=True)
def blossom_tables(st, n, eu, ev, adj_start, adj_p):
    """Leaf count of every blossom, and for every edge the sum of Z over the blossoms
    that hold both its ends (Z of their deepest common blossom and its ancestors).

    Blossoms can nest thousands deep after a long search, so this is Tarjan's offline
    lowest-common-ancestor pass over the blossom forest: O((n + m) alpha), not
    O(m * depth)."""
    m = eu.shape[0]
    size = np.zeros(2 * n, dtype=np.int64)
    zdown = np.zeros(2 * n, dtype=np.int64)  # Z summed over x (if a blossom) and above
    common = np.zeros(m, dtype=np.int64)
    uf = np.arange(2 * n, dtype=np.int64)
    anc = np.arange(2 * n, dtype=np.int64)
    tree = np.full(n, -1, dtype=np.int64)  # finished vertices: root of their tree
    cursor = np.full(2 * n, -1, dtype=np.int64)  # next child to visit, -2 when done
    stack = np.empty(2 * n, dtype=np.int64)
    for r in range(2 * n):
        if st[PARENT, r] != -1 or (r >= n and st[BASE, r] == -1):
            continue
        zdown[r] = st[DUAL, r] if r >= n else 0
        cursor[r] = st[FIRST, r] if r >= n else -2
        stack[0] = r
        top = 1
        while top > 0:
            x = stack[top - 1]
            if cursor[x] >= 0:
                c = cursor[x]
                cursor[x] = st[NEXT, c] if st[NEXT, c] != st[FIRST, x] else -2
                zdown[c] = zdown[x] + (st[DUAL, c] if c >= n else 0)
                cursor[c] = st[FIRST, c] if c >= n else -2
                stack[top] = c
                top += 1
                continue
            top -= 1
            if x < n:
                size[x] = 1
                tree[x] = r
                for idx in range(adj_start[x], adj_start[x + 1]):
                    p = adj_p[idx]
                    other = eu[p >> 1] if (p & 1) == 0 else ev[p >> 1]
                    if tree[other] == r:
                        common[p >> 1] = zdown[anc[_find(uf, other)]]
            if top > 0:
                parent = stack[top - 1]
                size[parent] += size[x]
                uf[_find(uf, x)] = _find(uf, parent)
                anc[_find(uf, parent)] = parent
    return size, common


@njit(cache=True)
def weight_certificate(st, n, scale, eu, ev, w, outside_bound, adj_start, adj_p):
    """Upper bound on the weight of any matching, from the engine's duals.

    y_v = d_v / (2 scale) + 1 / scale (the margin absorbs the rounding of weights to
    integers), raised to outside_bound[v] / 2 so that every hidden pair (i, j) with
    weight <= min(ob_i, ob_j) <= (ob_i + ob_j) / 2 is covered too; z_B = Z_B / scale.
    Every constraint is re-checked in floating point on the real weights; returns
    (bound, number of violated constraints, y, and for every edge the z of the blossoms
    holding both its ends)."""
    size, common = blossom_tables(st, n, eu, ev, adj_start, adj_p)
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
    zs = np.empty(eu.shape[0], dtype=np.float64)
    for k in range(eu.shape[0]):
        zs[k] = common[k] / scale
        if y[eu[k]] + y[ev[k]] + zs[k] < w[k]:
            bad += 1
    for v in range(n):
        if y[v] < outside_bound[v] / 2.0 or y[v] < 0.0:
            bad += 1
    return bound, bad, y, zs


@njit(cache=True)
def optimality_violations(st, n, eu, ev, wt, adj_start, adj_p):
    """Count violated optimality conditions of the engine's state for integer weights
    wt (complementary slackness of the LP with odd-set constraints): 0 proves that
    the matching in st is a maximum-weight matching."""
    size, common = blossom_tables(st, n, eu, ev, adj_start, adj_p)
    bad = 0
    for k in range(eu.shape[0]):
        a = eu[k]
        b = ev[k]
        slack = st[DUAL, a] + st[DUAL, b] - 2 * wt[k] + 2 * common[k]
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
