"""Numba kernels of the blossom engine: state layout, event heap, labels, blossoms.

The engine is a primal-dual (Edmonds) weighted matching algorithm that grows ONE
alternating tree at a time from a free vertex whose dual is still positive, with the
dual changes applied lazily (a global clock ``delta``) and the next event taken from a
binary heap. A stage therefore costs time proportional to the tree it explores, not
to the whole graph, which is what makes a warm start pay off: after a good initial
matching most stages touch a few dozen vertices.

All state lives in one int64 matrix ``st`` (rows below, columns = vertex ids 0..n-1
and blossom ids n..2n-1) so that kernels take few arguments and everything is exact
integer arithmetic. Conventions follow the classic mwmatching formulation:

* edge k has endpoints 2k (vertex eu[k]) and 2k+1 (vertex ev[k]); ``endp[p]`` is the
  vertex at endpoint p, and p ^ 1 is the other end of the same edge;
* ``MATE[v]`` is the *remote* endpoint of v's matched edge (endp[MATE[v]] is v's
  partner) or -1;
* vertex duals are stored doubled (d = 2y) so that slack = d_i + d_j - 2 W_k;
  blossom duals Z are stored as is; every quantity stays an integer.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from numba import njit


def _drop_stale_jit_cache() -> None:
    """Numba's on-disk cache (cache=True) keys each function on its own file only, so
    after an edit to this module a kernel in solver_stage.py would keep running the
    old inlined code of the functions it calls from here. Keep a digest of all the
    solver sources next to the cache and clear our cache files when it changes."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(here.glob("solver_*.py")):
        digest.update(source.read_bytes())
    cache = here / "__pycache__"
    stamp = cache / "solver_jit_sources.sha256"
    try:
        if stamp.exists() and stamp.read_text() == digest.hexdigest():
            return
        for stale in list(cache.glob("solver_*.nbi")) + list(cache.glob("solver_*.nbc")):
            stale.unlink()
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest.hexdigest())
    except OSError:
        pass  # read-only install: numba caches elsewhere and the sources do not change


_drop_stale_jit_cache()

# Rows of the state matrix.
LABEL = 0  # top-level label: 0 none, 1 S (outer), 2 T (inner); bit 4 = breadcrumb
LABELEND = 1  # endpoint whose vertex lies in the tree parent (-1 for the root)
PARENT = 2  # enclosing blossom or -1
BASE = 3  # base vertex of a blossom (BASE[v] = v for vertices)
FIRST = 4  # child that holds the base (children form a cycle via NEXT/PREV)
NEXT = 5
PREV = 6
CEP = 7  # endpoint of the edge from this child to NEXT[child]; endp[CEP[c]] is in c
INB = 8  # set id of vertex v; the set's OWNER is v's top-level blossom (see top())
MATE = 9
SIGN = 10  # dual drift per unit of clock: -1 (S vertex / T blossom), +1, 0 frozen
STAMP = 11  # clock value when DUAL was last materialised
DUAL = 12
TOUCH = 13  # 1 when the id appears in the touched list of the current stage
OWNER = 14  # per set id: the top-level blossom (or vertex) whose leaves form the set
SETID = 15  # per top-level id: its set id
SIZE = 16  # number of vertices in a blossom
FREESET = 17  # stack of unused set ids (count in cnt[C_FREESET])
BESTKEY = 18  # per vertex: smallest pending key of an edge event from an S vertex
NROWS = 19

NO_KEY = np.int64(2**63 - 1)  # above every real event time (those stay below 2**62)

# Counters in the small ``cnt`` array.
C_HEAP = 0
C_TOUCHED = 1
C_FREEB = 2
C_FREESET = 8
# Statistics (read by the benchmark): ids touched, stages run, stages stopped by budget.
C_STAT_TOUCHED = 3
C_STAT_STAGES = 4
C_STAT_BUDGET_STOPS = 9

# Event kinds packed into the heap payload (payload = id * 4 + kind).
EV_EDGE = 0
EV_VERTEX_ZERO = 1
EV_BLOSSOM_ZERO = 2


@njit(cache=True)
def new_state(n: int) -> np.ndarray:
    st = np.zeros((NROWS, 2 * n), dtype=np.int64)
    for x in range(2 * n):
        st[LABELEND, x] = -1
        st[PARENT, x] = -1
        st[BASE, x] = x if x < n else -1
        st[FIRST, x] = -1
        st[NEXT, x] = -1
        st[PREV, x] = -1
        st[CEP, x] = -1
        st[MATE, x] = -1
        st[INB, x] = x if x < n else -1
        # Set ids: vertex v starts in set v; ids n..2n-1 are free.
        st[OWNER, x] = x if x < n else -1
        st[SETID, x] = x if x < n else -1
        st[SIZE, x] = 1 if x < n else 0
        st[BESTKEY, x] = NO_KEY
        if x >= n:
            st[FREESET, x - n] = x
    return st


@njit(cache=True)
def top(st, v):
    """Top-level blossom (or v itself) that holds vertex v.

    Vertices point to a set and sets to their owner, so that merging blossoms only
    relabels the vertices of the smaller children and expanding one only those of
    the children other than the largest (no quadratic cost for deep nestings)."""
    return st[OWNER, st[INB, v]]


# ---------------------------------------------------------------- event heap
@njit(cache=True)
def heap_push(hk, hv, cnt, key, val):
    size = cnt[C_HEAP]
    if size == hk.shape[0]:
        nk = np.empty(2 * size, dtype=np.int64)
        nv = np.empty(2 * size, dtype=np.int64)
        nk[:size] = hk
        nv[:size] = hv
        hk = nk
        hv = nv
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if hk[parent] <= key:
            break
        hk[i] = hk[parent]
        hv[i] = hv[parent]
        i = parent
    hk[i] = key
    hv[i] = val
    cnt[C_HEAP] = size + 1
    return hk, hv


@njit(cache=True)
def heap_pop(hk, hv, cnt):
    """Remove the smallest key; return (key, payload). The heap must not be empty."""
    size = cnt[C_HEAP] - 1
    top_key = hk[0]
    top_val = hv[0]
    key = hk[size]
    val = hv[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and hk[child + 1] < hk[child]:
            child += 1
        if hk[child] >= key:
            break
        hk[i] = hk[child]
        hv[i] = hv[child]
        i = child
    hk[i] = key
    hv[i] = val
    cnt[C_HEAP] = size
    return top_key, top_val


# ---------------------------------------------------------------- lazy duals
@njit(cache=True)
def dual_now(st, x, clock):
    return st[DUAL, x] + st[SIGN, x] * (clock - st[STAMP, x])


@njit(cache=True)
def touch(st, touched, cnt, x):
    if st[TOUCH, x] == 0:
        st[TOUCH, x] = 1
        touched[cnt[C_TOUCHED]] = x
        cnt[C_TOUCHED] += 1


@njit(cache=True)
def set_sign(st, touched, cnt, x, sign, clock):
    st[DUAL, x] = dual_now(st, x, clock)
    st[STAMP, x] = clock
    st[SIGN, x] = sign
    touch(st, touched, cnt, x)


@njit(cache=True)
def leaves(st, n, b, out, stack):
    """Write the vertices inside blossom b into ``out``; return how many."""
    if b < n:
        out[0] = b
        return 1
    count = 0
    top = 0
    stack[0] = b
    top = 1
    while top > 0:
        top -= 1
        x = stack[top]
        if x < n:
            out[count] = x
            count += 1
            continue
        c = st[FIRST, x]
        while True:
            stack[top] = c
            top += 1
            c = st[NEXT, c]
            if c == st[FIRST, x]:
                break
    return count


# ---------------------------------------------------------------- scanning
@njit(cache=True)
def scan_outer_vertex(st, s, clock, endp, adj_start, adj_p, wt, hk, hv, cnt, touched):
    """Push the edge events of a vertex that just became S (outer)."""
    bs = top(st, s)
    ds = dual_now(st, s, clock)
    for idx in range(adj_start[s], adj_start[s + 1]):
        p = adj_p[idx]
        x = endp[p]
        bx = top(st, x)
        if bx == bs:
            continue
        lab = st[LABEL, bx] & 3
        if lab == 2:
            continue  # slack of an S-T edge does not move
        slack = ds + dual_now(st, x, clock) - 2 * wt[p >> 1]
        if lab == 1:
            key = clock + (slack >> 1)
        else:
            # Unlabeled x: only its earliest event matters (Dijkstra's decrease-key).
            key = clock + slack
            if key >= st[BESTKEY, x]:
                continue
            st[BESTKEY, x] = key
            touch(st, touched, cnt, x)
        hk, hv = heap_push(hk, hv, cnt, key, (p >> 1) * 4 + EV_EDGE)
    return hk, hv


@njit(cache=True)
def scan_unlabeled_vertex(st, x, clock, endp, adj_start, adj_p, wt, hk, hv, cnt):
    """Push events for edges from S vertices to a vertex that just lost its T label."""
    dx = dual_now(st, x, clock)
    bx = top(st, x)
    st[BESTKEY, x] = NO_KEY
    for idx in range(adj_start[x], adj_start[x + 1]):
        p = adj_p[idx]
        s = endp[p]
        bs = top(st, s)
        if st[LABEL, bs] & 3 != 1 or bs == bx:
            continue
        slack = dx + dual_now(st, s, clock) - 2 * wt[p >> 1]
        if clock + slack >= st[BESTKEY, x]:
            continue
        st[BESTKEY, x] = clock + slack
        hk, hv = heap_push(hk, hv, cnt, clock + slack, (p >> 1) * 4 + EV_EDGE)
    return hk, hv


@njit(cache=True)
def assign_label(
    st,
    n,
    w,
    label,
    p,
    label_mate,
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
    already_inner,
):
    """Give w's top-level blossom label S (1) or T (2), reached through endpoint p.

    A T blossom's mate blossom becomes S right away (when ``label_mate``). With
    ``already_inner`` the T blossom was part of an expanding T blossom: its vertices
    already drift as inner vertices and need no visit."""
    while True:
        b = top(st, w)
        st[LABEL, b] = label
        st[LABELEND, b] = p
        touch(st, touched, cnt, b)
        skip_leaves = label == 2 and already_inner
        nleaf = 0 if skip_leaves else leaves(st, n, b, leafbuf, stack)
        if label == 1:
            if b >= n:
                set_sign(st, touched, cnt, b, np.int64(1), clock)
            for i in range(nleaf):
                set_sign(st, touched, cnt, leafbuf[i], np.int64(-1), clock)
            for i in range(nleaf):
                v = leafbuf[i]
                hk, hv = heap_push(hk, hv, cnt, clock + st[DUAL, v], v * 4 + EV_VERTEX_ZERO)
                hk, hv = scan_outer_vertex(
                    st, v, clock, endp, adj_start, adj_p, wt, hk, hv, cnt, touched
                )
            return hk, hv
        if b >= n:
            set_sign(st, touched, cnt, b, np.int64(-1), clock)
            hk, hv = heap_push(hk, hv, cnt, clock + st[DUAL, b], b * 4 + EV_BLOSSOM_ZERO)
        for i in range(nleaf):
            set_sign(st, touched, cnt, leafbuf[i], np.int64(1), clock)
        if not label_mate:
            return hk, hv
        mp = st[MATE, st[BASE, b]]
        w = endp[mp]
        label = 1
        p = mp ^ 1
        already_inner = False
