"""Numba kernels that create, expand and augment through blossoms.

A blossom's children form a cycle: FIRST[b] is the child that holds the base,
NEXT/PREV walk the cycle, and CEP[c] is the endpoint (inside c) of the edge joining
c to NEXT[c]. Going forward from the base child, the edges alternate unmatched,
matched, ..., unmatched, so the parity of a child's position tells which way round
gives an even-length alternating path to the base.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from peermentor.matching.solver_kernels import (
    BASE,
    C_FREESET,
    CEP,
    DUAL,
    EV_VERTEX_ZERO,
    FIRST,
    FREESET,
    INB,
    LABEL,
    LABELEND,
    MATE,
    NEXT,
    OWNER,
    PARENT,
    PREV,
    SETID,
    SIGN,
    SIZE,
    assign_label,
    dual_now,
    heap_push,
    leaves,
    scan_outer_vertex,
    scan_unlabeled_vertex,
    set_sign,
    top,
    touch,
)


@njit(cache=True)
def find_base(st, endp, v, w, pathbuf):
    """Walk up from the S vertices v and w to their nearest common S blossom.

    Both lie in the same tree (one tree per stage), so a common ancestor exists.
    Breadcrumbs are bit 4 of LABEL and are removed before returning."""
    npath = 0
    base = -1
    while v != -1 or w != -1:
        if v != -1:
            b = top(st, v)
            if st[LABEL, b] & 4:
                base = st[BASE, b]
                break
            pathbuf[npath] = b
            npath += 1
            st[LABEL, b] |= 4
            if st[LABELEND, b] == -1:
                v = -1
            else:
                t = endp[st[LABELEND, b]]
                v = endp[st[LABELEND, top(st, t)]]
        if w != -1:
            v, w = w, v
    for i in range(npath):
        st[LABEL, pathbuf[i]] &= 3
    return base


@njit(cache=True)
def add_blossom(
    st,
    n,
    base,
    k,
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
):
    """Shrink the odd cycle closed by tight S-S edge k into a new S blossom."""
    v = endp[2 * k]
    w = endp[2 * k + 1]
    bb = top(st, base)
    na = 0
    bv = top(st, v)
    while bv != bb:
        bufa[na] = bv
        na += 1
        bv = top(st, endp[st[LABELEND, bv]])
    nb = 0
    bw = top(st, w)
    while bw != bb:
        bufb[nb] = bw
        nb += 1
        bw = top(st, endp[st[LABELEND, bw]])
    cnt[2] -= 1
    b = freeb[cnt[2]]
    st[BASE, b] = base
    st[PARENT, b] = -1
    st[FIRST, b] = bb
    # Cycle order: bb, v-side from the base down to v, then w-side from w up to bb.
    prev = bb
    for i in range(na - 1, -1, -1):
        c = bufa[i]
        st[CEP, prev] = st[LABELEND, c]  # endp of LABELEND lies in the tree parent
        st[NEXT, prev] = c
        st[PREV, c] = prev
        prev = c
    st[CEP, prev] = 2 * k  # endpoint 2k is v, inside prev
    for i in range(nb):
        c = bufb[i]
        st[NEXT, prev] = c
        st[PREV, c] = prev
        st[CEP, c] = st[LABELEND, c] ^ 1  # the child's own end of its tree edge
        prev = c
    st[NEXT, prev] = bb
    st[PREV, bb] = prev
    c = bb
    while True:
        st[PARENT, c] = b
        if c >= n:
            set_sign(st, touched, cnt, c, np.int64(0), clock)  # a sub-blossom's dual is frozen
        c = st[NEXT, c]
        if c == bb:
            break
    st[LABEL, b] = 1
    st[LABELEND, b] = st[LABELEND, bb]
    st[DUAL, b] = 0
    st[SIGN, b] = 0
    set_sign(st, touched, cnt, b, np.int64(1), clock)
    # Membership: the largest child's set becomes b's; only the other children's
    # vertices are relabelled. Vertices of T children turn S and need a visit.
    total = 0
    best = bb
    c = bb
    while True:
        total += st[SIZE, c]
        if st[SIZE, c] > st[SIZE, best]:
            best = c
        c = st[NEXT, c]
        if c == bb:
            break
    s_best = st[SETID, best]
    nnew = 0
    c = bb
    while True:
        was_inner = (st[LABEL, c] & 3) == 2
        if c != best or was_inner:
            nleaf = leaves(st, n, c, leafbuf, stack)
            for i in range(nleaf):
                x = leafbuf[i]
                if c != best:
                    st[INB, x] = s_best
                if was_inner:
                    bufa[nnew] = x
                    nnew += 1
        if c != best:
            st[FREESET, cnt[C_FREESET]] = st[SETID, c]
            cnt[C_FREESET] += 1
        c = st[NEXT, c]
        if c == bb:
            break
    st[OWNER, s_best] = b
    st[SETID, b] = s_best
    st[SIZE, b] = total
    for i in range(nnew):
        x = bufa[i]
        set_sign(st, touched, cnt, x, np.int64(-1), clock)
        hk, hv = heap_push(hk, hv, cnt, clock + st[DUAL, x], x * 4 + EV_VERTEX_ZERO)
        hk, hv = scan_outer_vertex(st, x, clock, endp, adj_start, adj_p, wt, hk, hv, cnt, touched)
    return hk, hv


@njit(cache=True)
def split_sets(st, n, b, cnt, leafbuf, stack):
    """Give each child of blossom b its own vertex set (b is being dissolved).

    The largest child inherits b's set; the others' vertices move to fresh sets."""
    first = st[FIRST, b]
    best = first
    c = st[NEXT, first]
    while c != first:
        if st[SIZE, c] > st[SIZE, best]:
            best = c
        c = st[NEXT, c]
    c = first
    while True:
        if c != best:
            cnt[C_FREESET] -= 1
            s = st[FREESET, cnt[C_FREESET]]
            st[OWNER, s] = c
            st[SETID, c] = s
            nleaf = leaves(st, n, c, leafbuf, stack)
            for i in range(nleaf):
                st[INB, leafbuf[i]] = s
        c = st[NEXT, c]
        if c == first:
            break
    s_b = st[SETID, b]
    st[OWNER, s_b] = best
    st[SETID, best] = s_b


@njit(cache=True)
def augment_blossom(st, n, b, v, endp, jobs):
    """Re-match inside blossom b so that vertex v becomes its base (iteratively)."""
    jobs[0] = b
    jobs[1] = v
    njobs = 1
    while njobs > 0:
        njobs -= 1
        b = jobs[2 * njobs]
        v = jobs[2 * njobs + 1]
        t = v
        while st[PARENT, t] != b:
            t = st[PARENT, t]
        if t >= n:
            jobs[2 * njobs] = t
            jobs[2 * njobs + 1] = v
            njobs += 1
        first = st[FIRST, b]
        pos = 0
        c = first
        while c != t:
            c = st[NEXT, c]
            pos += 1
        c = t
        while c != first:
            if pos & 1:
                c1 = st[NEXT, c]
                c2 = st[NEXT, c1]
                p = st[CEP, c1]
            else:
                c1 = st[PREV, c]
                c2 = st[PREV, c1]
                p = st[CEP, c2] ^ 1
            # p: endpoint inside c1; p ^ 1: endpoint inside c2. They become a pair.
            if c1 >= n:
                jobs[2 * njobs] = c1
                jobs[2 * njobs + 1] = endp[p]
                njobs += 1
            if c2 >= n:
                jobs[2 * njobs] = c2
                jobs[2 * njobs + 1] = endp[p ^ 1]
                njobs += 1
            st[MATE, endp[p]] = p ^ 1
            st[MATE, endp[p ^ 1]] = p
            c = c2
        st[FIRST, b] = t
        st[BASE, b] = v


@njit(cache=True)
def augment_from(st, n, s, p, endp, jobs):
    """Give S vertex s the remote endpoint p (-1: leave it free) and flip the
    alternating path from s's blossom up to the root of the tree."""
    while True:
        bs = top(st, s)
        if bs >= n:
            augment_blossom(st, n, bs, s, endp, jobs)
        st[MATE, s] = p
        le = st[LABELEND, bs]
        if le == -1:
            return
        t = endp[le]
        bt = top(st, t)
        le2 = st[LABELEND, bt]
        s = endp[le2]
        j = endp[le2 ^ 1]
        if bt >= n:
            augment_blossom(st, n, bt, j, endp, jobs)
        st[MATE, j] = le2
        p = le2 ^ 1


@njit(cache=True)
def expand_inner_blossom(
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
    childbuf,
):
    """Dissolve T blossom b whose dual reached zero, keeping the tree alternating."""
    nchild = 0
    c = st[FIRST, b]
    while True:
        childbuf[nchild] = c
        nchild += 1
        c = st[NEXT, c]
        if c == st[FIRST, b]:
            break
    for i in range(nchild):
        c = childbuf[i]
        st[PARENT, c] = -1
        st[LABEL, c] = 0
        touch(st, touched, cnt, c)
    split_sets(st, n, b, cnt, leafbuf, stack)
    entry_vertex = endp[st[LABELEND, b] ^ 1]
    entry = top(st, entry_vertex)
    pos = 0
    while childbuf[pos] != entry:
        pos += 1
    forward = (pos & 1) == 1
    p = st[LABELEND, b]
    j = pos
    # From the entry child to the base: T, S, T, S, ..., T (base child).
    while j != 0:
        hk, hv = assign_label(
            st,
            n,
            endp[p ^ 1],
            np.int64(2),
            p,
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
            np.bool_(True),
        )
        if forward:
            p = st[CEP, childbuf[(j + 1) % nchild]]
            j = (j + 2) % nchild
        else:
            p = st[CEP, childbuf[j - 2]] ^ 1
            j = j - 2
    hk, hv = assign_label(
        st,
        n,
        endp[p ^ 1],
        np.int64(2),
        p,
        np.bool_(False),
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
        np.bool_(True),
    )
    # The other children leave the tree; S neighbours may now reach them.
    j = (1 if forward else nchild - 1) % nchild
    while childbuf[j] != entry:
        c = childbuf[j]
        nleaf = leaves(st, n, c, leafbuf, stack)
        for i in range(nleaf):
            set_sign(st, touched, cnt, leafbuf[i], np.int64(0), clock)
        for i in range(nleaf):
            hk, hv = scan_unlabeled_vertex(
                st, leafbuf[i], clock, endp, adj_start, adj_p, wt, hk, hv, cnt
            )
        j = (j + 1) % nchild if forward else (j - 1) % nchild
    st[DUAL, b] = dual_now(st, b, clock)
    st[SIGN, b] = 0
    st[LABEL, b] = 0
    st[BASE, b] = -1
    st[FIRST, b] = -1
    freeb[cnt[2]] = b
    cnt[2] += 1
    return hk, hv


@njit(cache=True)
def expand_zero_blossom(st, n, b, freeb, cnt, leafbuf, stack, jobs):
    """Between stages: dissolve top-level blossom b with Z = 0, and its zero-Z
    sub-blossoms. A zero dual makes the blossom redundant in the dual, and fewer,
    smaller blossoms keep later stages cheap."""
    jobs[0] = b
    njobs = 1
    while njobs > 0:
        njobs -= 1
        b = jobs[njobs]
        split_sets(st, n, b, cnt, leafbuf, stack)
        first = st[FIRST, b]
        c = first
        while True:
            st[PARENT, c] = -1
            if c >= n and st[DUAL, c] == 0:
                jobs[njobs] = c
                njobs += 1
            c = st[NEXT, c]
            if c == first:
                break
        st[BASE, b] = -1
        st[FIRST, b] = -1
        freeb[cnt[2]] = b
        cnt[2] += 1


__all__ = [
    "add_blossom",
    "augment_blossom",
    "augment_from",
    "expand_inner_blossom",
    "expand_zero_blossom",
    "find_base",
]
