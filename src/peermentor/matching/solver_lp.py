"""Fractional warm start: the matching LP without odd-set constraints, solved exactly.

The fractional matching LP (x_ij >= 0, sum_j x_ij <= 1) equals half the maximum-weight
matching of the bipartite double cover (left copy i_L, right copy j_R, arcs i_L-j_R
and j_L-i_R both of weight w_ij). That bipartite problem has no odd cycles, so the
blossom engine solves it as a plain Hungarian method (no blossom ever forms), fast.

From its duals D, Y_i = (D_iL + D_iR) / 2 is an optimal dual of the fractional LP,
and by complementary slackness every edge with x_ij > 0 is tight and every vertex with
Y_i > 0 is saturated. Reading the double-cover matching as a successor map gives paths
and cycles of tight edges; matching them alternately leaves free only path ends (dual
0, already optimal) and one vertex per odd cycle: the general engine then has one
short stage per odd cycle instead of one per vertex, and its duals stay mostly on the
vertices (few blossoms), which keeps later stages and the certificate cheap.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from peermentor.matching.solver_kernels import DUAL, MATE


def double_cover(n: int, eu: np.ndarray, ev: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Arc 2k = (u_k)_L - (v_k)_R, arc 2k + 1 = (v_k)_L - (u_k)_R (right ids are n + j),
    then arc 2m + i = i_L - i_R: taking it means "i pairs with a hidden partner"; its
    weight is outside_bound_i, so the duals also certify the hidden pairs."""
    m = eu.shape[0]
    bu = np.empty(2 * m + n, dtype=np.int64)
    bv = np.empty(2 * m + n, dtype=np.int64)
    bu[0:2 * m:2] = eu
    bv[0:2 * m:2] = ev + n
    bu[1:2 * m:2] = ev
    bv[1:2 * m:2] = eu + n
    bu[2 * m:] = np.arange(n)
    bv[2 * m:] = np.arange(n) + n
    return bu, bv


@njit(cache=True)
def round_fractional(n, bst, bendp, eu, ev, wg, st):
    """Turn the double-cover state ``bst`` into a general warm start in ``st``:
    doubled duals d_i = D_iL + D_iR (for the general weights wg = 2 W) and a matching
    along the successor paths and cycles, using only edges that are tight for d (all
    of them when the double cover was solved to optimality). Arcs beyond the graph's
    edges (the hidden-pair arcs i_L - i_R) give no successor.
    Returns the number of vertices left free with d > 0."""
    m = eu.shape[0]
    succ = np.full(n, -1, dtype=np.int64)
    succ_edge = np.full(n, -1, dtype=np.int64)
    pred = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        st[DUAL, i] = bst[DUAL, i] + bst[DUAL, n + i]
    for i in range(n):
        p = bst[MATE, i]
        if p >= 0 and (p >> 1) < 2 * m:
            j = bendp[p] - n
            succ[i] = j
            succ_edge[i] = p >> 2  # arc 2k or 2k + 1 belongs to edge k
            pred[j] = i
    done = np.zeros(n, dtype=np.bool_)
    # Walk each component from a path start (no predecessor), then the cycles.
    for sweep in range(2):
        for start in range(n):
            if done[start] or (sweep == 0 and pred[start] != -1):
                continue
            i = start
            pending = -1  # first vertex of a pair in progress
            while i != -1 and not done[i]:
                done[i] = True
                if pending == -1:
                    pending = i
                else:
                    k = succ_edge[pending]  # the edge pending -> i
                    if st[DUAL, pending] + st[DUAL, i] != 2 * wg[k]:
                        pending = i  # not tight (double cover not optimal here)
                    else:
                        if eu[k] == pending:
                            st[MATE, pending] = 2 * k + 1
                            st[MATE, i] = 2 * k
                        else:
                            st[MATE, pending] = 2 * k
                            st[MATE, i] = 2 * k + 1
                        pending = -1
                i = succ[i]
    roots = 0
    for i in range(n):
        if st[MATE, i] == -1 and st[DUAL, i] > 0:
            roots += 1
    return roots


@njit(cache=True)
def fractional_certificate(bst, n, scale, eu, ev, w, outside_bound):
    """Upper bound from the double-cover duals D (any feasible D, optimal or not):
    Y_i = (D_iL + D_iR) / (4 scale) + 1 / scale satisfies Y_i + Y_j >= w_ij and
    Y_i >= outside_bound_i / 2 (the hidden-pair arcs). Re-checked in floating point
    on the real weights; returns (sum of Y, number of violated constraints)."""
    y = np.empty(n, dtype=np.float64)
    bad = 0
    bound = 0.0
    for i in range(n):
        if bst[DUAL, i] < 0 or bst[DUAL, n + i] < 0:
            bad += 1
        y[i] = (bst[DUAL, i] + bst[DUAL, n + i]) / (4.0 * scale) + 1.0 / scale
        if y[i] < outside_bound[i] / 2.0:
            bad += 1
        bound += y[i]
    for k in range(eu.shape[0]):
        if y[eu[k]] + y[ev[k]] < w[k]:
            bad += 1
    return bound, bad


@njit(cache=True)
def auction_warm_start(n, endp, adj_start, adj_p, wt, st, max_bids):
    """Warm start of the double cover (left ids 0..n-1, right ids n..2n-1) by bidding.

    Right-side duals act as prices and only rise, so every constraint stays
    satisfied; a left vertex takes its best right vertex, pays the gap to its second
    best (or to staying unmatched, value 0) and so keeps a tight edge; the previous
    holder is displaced and bids again. This is Bertsekas' auction with epsilon = 0:
    on ties a bidder only takes a free right vertex, otherwise it stays free for the
    exact engine. The result satisfies the engine's invariants (a valid warm start)."""
    for i in range(n):
        best = 0
        for idx in range(adj_start[i], adj_start[i + 1]):
            if 2 * wt[adj_p[idx] >> 1] > best:
                best = 2 * wt[adj_p[idx] >> 1]
        st[DUAL, i] = best
        st[DUAL, n + i] = 0
    queue = np.empty(n + 1, dtype=np.int64)
    head = 0
    tail = 0
    for i in range(n):
        queue[tail] = i
        tail += 1
    size = n + 1
    bids = 0
    while head != tail and bids < max_bids:
        i = queue[head]
        head = (head + 1) % size
        first_val = -1
        first_p = -1
        second_val = 0  # staying unmatched is worth 0
        second_p = -1
        for idx in range(adj_start[i], adj_start[i + 1]):
            p = adj_p[idx]
            val = 2 * wt[p >> 1] - st[DUAL, endp[p]]
            if val > first_val:
                if first_val > second_val:
                    second_val = first_val
                    second_p = first_p
                first_val = val
                first_p = p
            elif val > second_val:
                second_val = val
                second_p = p
        if first_val <= 0:
            st[DUAL, i] = 0  # staying unmatched is optimal for i at these prices
            continue
        take = first_p
        if first_val == second_val and st[MATE, endp[first_p]] != -1:
            # A tie: never displace anyone without raising a price (no ping-pong).
            if second_p == -1 or st[MATE, endp[second_p]] != -1:
                st[DUAL, i] = first_val
                continue
            take = second_p
        j = endp[take]
        st[DUAL, j] += first_val - second_val
        st[DUAL, i] = second_val
        holder_p = st[MATE, j]
        if holder_p != -1:
            k = endp[holder_p]
            st[MATE, k] = -1
            queue[tail] = k
            tail = (tail + 1) % size
        st[MATE, i] = take
        st[MATE, j] = take ^ 1
        bids += 1
