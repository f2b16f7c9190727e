"""Numba driver of the blossom engine: one stage per free vertex with positive dual.

Invariants kept between stages (the optimality conditions of the matching LP with
odd-set constraints, in doubled integer units):

* every edge has slack d_i + d_j + 2 * (sum of Z over blossoms holding both) - 2 W >= 0;
* matched edges and the edges that hold blossoms together are tight;
* every blossom is full (only its base may be matched outside it), Z >= 0, d >= 0.

The matching is optimal once every free vertex has d = 0. A stage grows an alternating
tree from one free vertex r with d_r > 0 and ends when it augments (r gets matched),
when r's dual reaches 0, or when some S vertex v reaches 0 first (the path r..v is
flipped: r is matched, v becomes free with d_v = 0). Each such stage removes at least
one free vertex with positive dual, and any starting point that satisfies the
invariants (a warm start) is allowed. A stage may also stop at a work budget: every
event preserves the invariants, so the state stays valid and the root just keeps a
smaller positive dual for a later round (see _Engine.run in solver.py).

Duals are lazy: an id's value is DUAL + SIGN * (clock - STAMP), the clock being the
total dual change of the current stage, so one dual update costs O(1) instead of a
pass over the tree; the next event (an edge going tight, a dual reaching zero) comes
from a heap keyed by the clock value at which it happens.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from peermentor.matching.solver_blossom import (
    add_blossom,
    augment_blossom,
    augment_from,
    expand_inner_blossom,
    expand_zero_blossom,
    find_base,
)
from peermentor.matching.solver_kernels import (
    BASE,
    BESTKEY,
    C_HEAP,
    C_STAT_BUDGET_STOPS,
    C_STAT_STAGES,
    C_STAT_TOUCHED,
    C_TOUCHED,
    DUAL,
    EV_EDGE,
    EV_VERTEX_ZERO,
    LABEL,
    LABELEND,
    MATE,
    NO_KEY,
    PARENT,
    SIGN,
    STAMP,
    TOUCH,
    assign_label,
    dual_now,
    heap_pop,
    heap_push,
    top,
)

# Stage outcomes (also used as error codes by the driver).
OUT_AUGMENTED = 0
OUT_ROOT_ZERO = 1
OUT_VERTEX_ZERO = 2
OUT_BUDGET = 3  # the stage hit its work budget and stopped (state still valid)
OUT_BROKEN = -1  # an invariant failed: a negative slack or an empty event heap


@njit(cache=True)
def run_stage(
    st,
    n,
    root,
    endp,
    adj_start,
    adj_p,
    wt,
    freeb,
    cnt,
    hk,
    hv,
    touched,
    leafbuf,
    stack,
    bufa,
    bufb,
    jobs,
    budget,
):
    """Grow one tree from ``root``. With budget > 0, stop once the stage has touched
    that many ids: every event leaves the invariants intact, so stopping between
    events is safe; the root then simply keeps a smaller positive dual."""
    clock = np.int64(0)  # an int64 from the start: no literal-typed specialisations
    outcome = OUT_BROKEN
    # Typed (not literal) flags and labels keep one compiled copy of assign_label.
    hk, hv = assign_label(
        st,
        n,
        root,
        np.int64(1),
        np.int64(-1),
        np.bool_(True),
        clock,
        endp,
        adj_start,
        adj_p,
        wt,
        hk,
        hv,
        cnt,
        touched,
        leafbuf,
        stack,
        np.bool_(False),
    )
    while cnt[C_HEAP] > 0:
        if budget > 0 and cnt[C_TOUCHED] > budget:
            outcome = OUT_BUDGET
            break
        key, val = heap_pop(hk, hv, cnt)
        if key < clock:
            break  # negative slack: dual feasibility was lost
        clock = key
        kind = val & 3
        ident = val >> 2
        if kind == EV_EDGE:
            pa = 2 * ident
            a = endp[pa]
            b = endp[pa + 1]
            ba = top(st, a)
            bb = top(st, b)
            if ba == bb:
                continue
            if st[LABEL, ba] != 1:
                pa += 1
                a, b = b, a
                ba, bb = bb, ba
                if st[LABEL, ba] != 1:
                    continue
            lb = st[LABEL, bb]
            if lb == 2:
                continue
            slack = dual_now(st, a, clock) + dual_now(st, b, clock) - 2 * wt[ident]
            if slack < 0:
                break
            if lb == 1:
                if slack > 0:
                    hk, hv = heap_push(hk, hv, cnt, clock + (slack >> 1), val)
                    continue
                base = find_base(st, endp, a, b, bufa)
                hk, hv = add_blossom(
                    st,
                    n,
                    base,
                    ident,
                    endp,
                    freeb,
                    cnt,
                    clock,
                    adj_start,
                    adj_p,
                    wt,
                    hk,
                    hv,
                    touched,
                    leafbuf,
                    stack,
                    bufa,
                    bufb,
                )
                continue
            if slack > 0:
                hk, hv = heap_push(hk, hv, cnt, clock + slack, val)
                continue
            if st[MATE, st[BASE, bb]] == -1:
                augment_from(st, n, a, pa ^ 1, endp, jobs)
                if bb >= n:
                    augment_blossom(st, n, bb, b, endp, jobs)
                st[MATE, b] = pa
                outcome = OUT_AUGMENTED
                break
            hk, hv = assign_label(
                st,
                n,
                b,
                np.int64(2),
                pa,
                np.bool_(True),
                clock,
                endp,
                adj_start,
                adj_p,
                wt,
                hk,
                hv,
                cnt,
                touched,
                leafbuf,
                stack,
                np.bool_(False),
            )
        elif kind == EV_VERTEX_ZERO:
            v = ident
            if st[LABEL, top(st, v)] != 1:
                continue
            d = dual_now(st, v, clock)
            if d > 0:
                continue
            if d < 0:
                break
            outcome = OUT_ROOT_ZERO if v == root else OUT_VERTEX_ZERO
            augment_from(st, n, v, -1, endp, jobs)
            break
        else:
            b = ident
            if st[PARENT, b] != -1 or st[LABEL, b] != 2 or st[BASE, b] == -1:
                continue
            if dual_now(st, b, clock) != 0:
                continue
            hk, hv = expand_inner_blossom(
                st,
                n,
                b,
                endp,
                freeb,
                cnt,
                clock,
                adj_start,
                adj_p,
                wt,
                hk,
                hv,
                touched,
                leafbuf,
                stack,
                bufa,
            )
    # Materialise the lazy duals and forget the tree.
    cnt[C_STAT_TOUCHED] += cnt[C_TOUCHED]
    cnt[C_STAT_STAGES] += 1
    for i in range(cnt[C_TOUCHED]):
        x = touched[i]
        st[DUAL, x] = dual_now(st, x, clock)
        st[SIGN, x] = 0
        st[STAMP, x] = 0
        st[LABEL, x] = 0
        st[LABELEND, x] = -1
        st[TOUCH, x] = 0
        if x < n:
            st[BESTKEY, x] = NO_KEY
    for i in range(cnt[C_TOUCHED]):
        x = touched[i]
        if x >= n and st[PARENT, x] == -1 and st[BASE, x] != -1 and st[DUAL, x] == 0:
            expand_zero_blossom(st, n, x, freeb, cnt, leafbuf, stack, jobs)
    cnt[C_TOUCHED] = 0
    cnt[C_HEAP] = 0
    return outcome, hk, hv


@njit(cache=True)
def run_roots(
    st,
    n,
    roots,
    lo,
    hi,
    endp,
    adj_start,
    adj_p,
    wt,
    freeb,
    cnt,
    hk,
    hv,
    touched,
    leafbuf,
    stack,
    bufa,
    bufb,
    jobs,
    budget,
):
    """Run one stage for each still-free root with positive dual in roots[lo:hi].

    Returns the number of stages run, or -1 - index of the root whose stage broke."""
    stages = 0
    for i in range(lo, hi):
        r = roots[i]
        if st[MATE, r] != -1 or st[DUAL, r] <= 0:
            continue
        outcome, hk, hv = run_stage(
            st,
            n,
            r,
            endp,
            adj_start,
            adj_p,
            wt,
            freeb,
            cnt,
            hk,
            hv,
            touched,
            leafbuf,
            stack,
            bufa,
            bufb,
            jobs,
            budget,
        )
        stages += 1
        if outcome == OUT_BUDGET:
            cnt[C_STAT_BUDGET_STOPS] += 1
        if outcome == OUT_BROKEN:
            return -1 - i, hk, hv
        # An S vertex reaching zero first may leave r matched and another vertex free;
        # a root reaching zero is done. Either way r needs no further stage.
    return stages, hk, hv


@njit(cache=True)
def warm_start(n, endp, adj_start, adj_p, wt, vertex_order, edge_order, st):
    """Feasible duals with many tight edges, then a greedy matching on tight edges.

    d_i = max_j W_ij is feasible (every slack >= 0). Lowering each d_i in turn to the
    least feasible value max_j (2 W_ij - d_j) keeps feasibility and makes at least one
    edge at i tight; the greedy pass (heaviest first) then matches tight edges."""
    d = np.zeros(n, dtype=np.int64)
    for i in range(n):
        for idx in range(adj_start[i], adj_start[i + 1]):
            w = wt[adj_p[idx] >> 1]
            if w > d[i]:
                d[i] = w
    for t in range(n):
        i = vertex_order[t]
        need = 0
        for idx in range(adj_start[i], adj_start[i + 1]):
            p = adj_p[idx]
            req = 2 * wt[p >> 1] - d[endp[p]]
            if req > need:
                need = req
        d[i] = need
    for i in range(n):
        st[DUAL, i] = d[i]
    for idx in range(edge_order.shape[0]):
        k = edge_order[idx]
        a = endp[2 * k]
        b = endp[2 * k + 1]
        if st[MATE, a] == -1 and st[MATE, b] == -1 and d[a] + d[b] == 2 * wt[k]:
            st[MATE, a] = 2 * k + 1
            st[MATE, b] = 2 * k


@njit(cache=True)
def greedy_kernel(n, eu, ev, order):
    mate = np.full(n, -1, dtype=np.int64)
    for idx in range(order.shape[0]):
        k = order[idx]
        a = eu[k]
        b = ev[k]
        if mate[a] == -1 and mate[b] == -1:
            mate[a] = b
            mate[b] = a
    return mate


__all__ = ["greedy_kernel", "run_roots", "run_stage", "warm_start"]
