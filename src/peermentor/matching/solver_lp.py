"""Warm start from the fractional matching LP, approached by an auction.

The fractional matching LP (x_ij >= 0, sum_j x_ij <= 1) is half the maximum-weight
matching of the bipartite double cover: every person appears as a bidder i_L and as
an object j_R, and arc i_L - j_R weighs w_ij. Hidden pairs enter as one extra arc
i_L - i_R of weight outside_bound_i ("i pairs with someone off the candidate list").

An auction (Bertsekas, with epsilon = 0 so that everything stays exact) runs on that
double cover directly from the graph's adjacency: object prices P only rise, every
bidder holds a tight arc, and all constraints P_j + Q_i >= 2 W_ij hold throughout. So
whenever it stops, Y_i = (Q_i + P_i) / 2 satisfies Y_i + Y_j >= w_ij (and
Y_i >= outside_bound_i / 2): an LP dual, near-optimal after enough bids.

The bidder -> object assignment is a successor map whose paths and cycles consist of
arcs; an edge i-j whose two arcs are both tight under Y is tight in the general
problem. Matching such edges alternately along the paths and cycles gives the blossom
engine a matching and duals that satisfy its invariants, with few free vertices of
positive dual left to process (mostly one per odd cycle).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from peermentor.matching.solver_kernels import DUAL, MATE


@njit(cache=True)
def auction(n, endp, adj_start, adj_p, wt, wt_hidden, max_bids):
    """Return (Q bidder duals, P object duals, object of each bidder (-1 none, i itself
    for the hidden arc), edge id of that arc (-1 for none or hidden)).

    Doubled integer units: an arc i_L - j_R is feasible when Q_i + P_j >= 2 W_ij. A
    bidder takes its best object, raises its price by the gap to its second best (or
    to staying unmatched, worth 0), and displaces the previous holder, which bids
    again. On a tie a bidder only takes a free object, so there is no ping-pong."""
    q = np.zeros(n, dtype=np.int64)
    price = np.zeros(n, dtype=np.int64)
    obj = np.full(n, -1, dtype=np.int64)
    obj_edge = np.full(n, -1, dtype=np.int64)
    holder = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        best = 2 * wt_hidden[i]
        for idx in range(adj_start[i], adj_start[i + 1]):
            if 2 * wt[adj_p[idx] >> 1] > best:
                best = 2 * wt[adj_p[idx] >> 1]
        q[i] = best  # feasible while every price is 0
    queue = np.empty(n + 1, dtype=np.int64)
    size = n + 1
    head = 0
    tail = 0
    for i in range(n):
        queue[tail] = i
        tail += 1
    bids = 0
    while head != tail and bids < max_bids:
        i = queue[head]
        head = (head + 1) % size
        # The hidden arc (object i itself) competes like any other object.
        first_val = 2 * wt_hidden[i] - price[i]
        first_j = i
        first_k = -1
        second_val = 0  # staying unmatched is worth 0
        second_j = -1
        second_k = -1
        for idx in range(adj_start[i], adj_start[i + 1]):
            p = adj_p[idx]
            j = endp[p]
            val = 2 * wt[p >> 1] - price[j]
            if val > first_val:
                if first_val > second_val:
                    second_val = first_val
                    second_j = first_j
                    second_k = first_k
                first_val = val
                first_j = j
                first_k = p >> 1
            elif val > second_val:
                second_val = val
                second_j = j
                second_k = p >> 1
        if first_val <= 0:
            q[i] = 0  # staying unmatched is optimal for i at these prices
            continue
        take_j = first_j
        take_k = first_k
        if first_val == second_val and holder[first_j] != -1:
            if second_j == -1 or holder[second_j] != -1:
                q[i] = first_val  # tie with every object taken: leave i to the engine
                continue
            take_j = second_j
            take_k = second_k
        price[take_j] += first_val - second_val
        q[i] = second_val
        k = holder[take_j]
        if k != -1:
            obj[k] = -1
            obj_edge[k] = -1
            queue[tail] = k
            tail = (tail + 1) % size
        holder[take_j] = i
        obj[i] = take_j
        obj_edge[i] = take_k
        bids += 1
    return q, price, obj, obj_edge


@njit(cache=True)
def round_fractional(n, q, price, obj, obj_edge, eu, ev, wg, adj_start, adj_p, st):
    """Write into engine state ``st`` the doubled duals d_i = Q_i + P_i (for the
    general weights wg = 2 W) and a matching along the successor paths and cycles
    that uses only edges tight for d. Returns how many vertices stay free with d > 0."""
    succ = np.full(n, -1, dtype=np.int64)
    pred = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        st[DUAL, i] = q[i] + price[i]
        if obj_edge[i] >= 0:
            succ[i] = obj[i]
            pred[obj[i]] = i
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
                    k = obj_edge[pending]  # the edge pending -> i
                    if st[DUAL, pending] + st[DUAL, i] != 2 * wg[k]:
                        pending = i  # not tight: the auction stopped short here
                    else:
                        if eu[k] == pending:
                            st[MATE, pending] = 2 * k + 1
                            st[MATE, i] = 2 * k
                        else:
                            st[MATE, pending] = 2 * k
                            st[MATE, i] = 2 * k + 1
                        pending = -1
                i = succ[i]
    # Free vertices with a tight edge to another free vertex can simply pair up (with
    # many equal weights the auction stops early and leaves many such pairs).
    for i in range(n):
        if st[MATE, i] != -1 or st[DUAL, i] == 0:
            continue
        for idx in range(adj_start[i], adj_start[i + 1]):
            p = adj_p[idx]
            j = eu[p >> 1] if (p & 1) == 0 else ev[p >> 1]
            if st[MATE, j] == -1 and st[DUAL, i] + st[DUAL, j] == 2 * wg[p >> 1]:
                st[MATE, i] = p
                st[MATE, j] = p ^ 1
                break
    roots = 0
    for i in range(n):
        if st[MATE, i] == -1 and st[DUAL, i] > 0:
            roots += 1
    return roots


@njit(cache=True)
def fractional_certificate(q, price, scale, eu, ev, w, outside_bound):
    """Upper bound from auction duals: Y_i = (Q_i + P_i) / (4 scale) + 1 / scale
    satisfies Y_i + Y_j >= w_ij and Y_i >= outside_bound_i / 2 (the margin absorbs
    the rounding of weights). Re-checked in floating point on the real weights;
    returns (sum of Y, number of violated constraints)."""
    n = q.shape[0]
    y = np.empty(n, dtype=np.float64)
    bad = 0
    bound = 0.0
    for i in range(n):
        if q[i] < 0 or price[i] < 0:
            bad += 1
        y[i] = (q[i] + price[i]) / (4.0 * scale) + 1.0 / scale
        if y[i] < outside_bound[i] / 2.0:
            bad += 1
        bound += y[i]
    for k in range(eu.shape[0]):
        if y[eu[k]] + y[ev[k]] < w[k]:
            bad += 1
    return bound, bad
