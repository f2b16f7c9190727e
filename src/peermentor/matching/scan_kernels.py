"""Numba kernels of the candidate scan: score a tile of pairs from a ScanPlan's
lookups, bit sets and dense products, and keep the entries that may be in a top k.

A tile is scored one column at a time against all the rows of its strip: the rows are
the innermost loop, every read is contiguous (the lookup tables are laid out profile
by row), there is no branch, and the compiler vectorises each piece. Dense pieces
enter at their bound; only a column where some entry could then beat its threshold
is walked entry by entry, with the exact dot products, which is rare once the
thresholds have risen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

from peermentor.matching.scan_plan import MIN1, MINPAIR, RELU

# Reordering float sums lets loops vectorise; infinities stay meaningful (thresholds
# use them), so not the whole of fastmath=True, which assumes there are none.
FAST = {"reassoc", "contract", "nsz", "arcp"}


def _ctpop(typingctx, x):
    """LLVM's ctpop: one instruction (vectorised where the CPU has it)."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return x(x), codegen


_popcount: Any = intrinsic(_ctpop)


@njit(nogil=True, cache=True, fastmath=FAST)
def _score_column(
    j, r0, r1, codes, tables, bl, br, bls, brs, bmeta, bcap, buf, cnt_f, cnt_b,
):  # fmt: skip
    """buf[:r1 - r0] = scores of column j against rows r0..r1-1, dense pieces left
    out. Each loop runs over the rows of the strip with contiguous reads, so it
    vectorises."""
    m = r1 - r0
    for ii in range(m):
        buf[ii] = 0.0
    for g in range(codes.shape[0]):
        t = tables[g, codes[g, j]]
        for ii in range(m):
            buf[ii] += t[ii]
    for b in range(bmeta.shape[0]):
        w0, nw, kind = bmeta[b, 0], bmeta[b, 1], bmeta[b, 2]
        for ii in range(m):
            cnt_f[ii] = 0
        for w in range(w0, w0 + nw):
            rwj = br[w, j]
            lw = bl[w, r0:r1]
            for ii in range(m):
                cnt_f[ii] += _popcount(lw[ii] & rwj)
        ls = bls[b, r0:r1]
        rsj = brs[b, j]
        cap = bcap[b]
        if kind == MINPAIR:
            for ii in range(m):
                cnt_b[ii] = 0
            for w in range(w0, w0 + nw):
                lwj = bl[w, j]
                rw = br[w, r0:r1]
                for ii in range(m):
                    cnt_b[ii] += _popcount(rw[ii] & lwj)
            lsj = bls[b, j]
            rs = brs[b, r0:r1]
            for ii in range(m):
                fwd = ls[ii] * rsj * np.float32(cnt_f[ii])
                rev = lsj * rs[ii] * np.float32(cnt_b[ii])
                buf[ii] += min(cap, min(fwd, rev))
        elif kind == MIN1:
            for ii in range(m):
                buf[ii] += min(cap, ls[ii] * rsj * np.float32(cnt_f[ii]))
        elif kind == RELU:
            for ii in range(m):
                buf[ii] += max(np.float32(0.0), ls[ii] * rsj * np.float32(cnt_f[ii]))
        else:
            for ii in range(m):
                buf[ii] += ls[ii] * rsj * np.float32(cnt_f[ii])


@njit(nogil=True, cache=True, fastmath=FAST)
def _dense_bound(j, r0, r1, buf, dmeta, dcap, dln, drn, ub):
    """ub[:m] = buf + each dense piece at its bound (Cauchy-Schwarz, then the piece's
    own max/min): never below the exact score."""
    m = r1 - r0
    for ii in range(m):
        ub[ii] = buf[ii]
    for d in range(dmeta.shape[0]):
        kind = dmeta[d, 2]
        ln = dln[d, r0:r1]
        rnj = drn[d, j]
        cap = dcap[d]
        if kind >= MIN1:  # MIN1 or MINPAIR: capped
            for ii in range(m):
                ub[ii] += min(cap, ln[ii] * rnj)
        else:
            for ii in range(m):
                ub[ii] += ln[ii] * rnj


@njit(nogil=True, cache=True, fastmath=FAST, inline="always")
def _dot(a, i, b, j, start, width):
    """a[i] · b[j] over columns start..start+width-1 (no row views: a view costs a
    reference count, which dominated the per-pair cost)."""
    acc = np.float32(0.0)
    # Unsigned indices: no negative-index wraparound in the loop, so it vectorises.
    for t in range(np.uint64(start), np.uint64(start + width)):
        acc += a[i, t] * b[j, t]
    return acc


@njit(nogil=True, cache=True, fastmath=FAST, inline="always")
def _dense_exact(i, j, dl, dr, dmeta, dcap):
    """The dense pieces of pair (i, j), exactly (in float32)."""
    total = np.float32(0.0)
    for d in range(dmeta.shape[0]):
        start, width, kind = dmeta[d, 0], dmeta[d, 1], dmeta[d, 2]
        x = _dot(dl, i, dr, j, start, width)
        if kind == MINPAIR:
            x = min(dcap[d], min(x, _dot(dr, i, dl, j, start, width)))
        elif kind == MIN1:
            x = min(dcap[d], x)
        elif kind == RELU:
            x = max(np.float32(0.0), x)
        total += x
    return total


@njit(nogil=True, cache=True, fastmath=FAST)
def _hits(buf, limit, m, floor):
    """How many of buf[:m] beat min(limit[ii], floor): usually none, found without a
    branch per entry."""
    count = 0
    for ii in range(m):
        count += buf[ii] > min(limit[ii], floor)
    return count


@njit(nogil=True, cache=True, inline="always")
def _allowed(i, j, active, team, ex_ptr, ex):
    """The rules the scores do not carry: itself, inactive people, the same team, a
    listed exclusion (binary search in i's sorted list)."""
    if i == j or not active[i] or not active[j]:
        return False
    if team[i] >= 0 and team[i] == team[j]:
        return False
    lo, hi = ex_ptr[i], ex_ptr[i + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if ex[mid] < j:
            lo = mid + 1
        else:
            hi = mid
    return not (lo < ex_ptr[i + 1] and ex[lo] == j)


@njit(nogil=True, cache=True, fastmath=FAST)
def scan_tile(
    r0, r1, c0, c1, down_from, thr, row_heap_v, row_heap_c, codes, tables, bl, br, bls,
    brs, bmeta, bcap, dl, dr, dmeta, dcap, dln, drn, active, team, ex_ptr, ex, out_r,
    out_c, out_v,
):  # fmt: skip
    """Entries of the tile rows r0..r1-1 × columns c0..c1-1: (i, j, s) where s beats
    row i's threshold, and, for columns j >= down_from, (j, i, s) where s beats thr[j].

    A row's threshold is the k-th best of its own heap (row_heap_v[i - r0], a copy
    taken with thr), which the row's entries join as they are found: the threshold
    rises within the strip. Sound, because every entry that joins it is returned and
    later merged into the row's real heap, whose k-th best therefore ends at least as
    high: an entry skipped here could never have been among the final k best. Returns
    (entries written, the column to resume from: c1 when done). It stops before a
    column that might not fit in out, so a caller resumes with fresh arrays."""
    m = r1 - r0
    buf = np.empty(m, np.float32)
    cnt_f = np.empty(m, np.int32)
    cnt_b = np.empty(m, np.int32)
    ub = np.empty(m, np.float32)
    row_thr = np.empty(m, np.float32)
    for ii in range(m):  # a row never paired has nothing to keep
        row_thr[ii] = row_heap_v[ii, 0] if active[r0 + ii] else np.inf
    cap = out_r.shape[0]
    count = 0
    for j in range(c0, c1):
        if count + 2 * m > cap:
            return count, j
        if not active[j]:
            continue
        _score_column(j, r0, r1, codes, tables, bl, br, bls, brs, bmeta, bcap, buf, cnt_f, cnt_b)
        _dense_bound(j, r0, r1, buf, dmeta, dcap, dln, drn, ub)
        tj = thr[j] if j >= down_from else np.inf
        if _hits(ub, row_thr, m, tj) == 0:
            continue
        for ii in range(m):
            if not (ub[ii] > row_thr[ii] or ub[ii] > tj):
                continue
            i = r0 + ii
            s = buf[ii] + _dense_exact(i, j, dl, dr, dmeta, dcap)
            to_row = s > row_thr[ii]
            to_col = s > tj
            if not (to_row or to_col):
                continue
            if not _allowed(i, j, active, team, ex_ptr, ex):
                continue
            if to_row:
                out_r[count], out_c[count], out_v[count] = i, j, s
                count += 1
                _heap_push(row_heap_v, row_heap_c, ii, s, j)
                row_thr[ii] = row_heap_v[ii, 0]
            if to_col:
                out_r[count], out_c[count], out_v[count] = j, i, s
                count += 1
    return count, c1


@njit(nogil=True, cache=True, fastmath=FAST)
def first_tile(
    r0, r1, c0, c1, k, top_c, top_v, down_from, thr, codes, tables, bl, br, bls, brs,
    bmeta, bcap, dl, dr, dmeta, dcap, dln, drn, active, team, ex_ptr, ex, out_r, out_c,
    out_v,
):  # fmt: skip
    """Rows r0..r1-1 against columns c0..c1-1, keeping each row's k best allowed
    entries in top_c/top_v (row i at i - r0, best first, padded with the entries
    given); and for rows i >= down_from, the entries (j, i, s) that beat thr[j].
    Returns (entries written to out, the column to resume from), as scan_tile."""
    m = r1 - r0
    buf = np.empty(m, np.float32)
    cnt_f = np.empty(m, np.int32)
    cnt_b = np.empty(m, np.int32)
    ub = np.empty(m, np.float32)
    kth = np.empty(m, np.float32)  # each row's k-th best so far, or +inf: inactive
    for ii in range(m):
        kth[ii] = top_v[ii, k - 1] if active[r0 + ii] else np.inf
    cap = out_r.shape[0]
    count = 0
    for j in range(c0, c1):
        if count + 2 * m > cap:
            return count, j
        if not active[j]:
            continue
        _score_column(j, r0, r1, codes, tables, bl, br, bls, brs, bmeta, bcap, buf, cnt_f, cnt_b)
        _dense_bound(j, r0, r1, buf, dmeta, dcap, dln, drn, ub)
        # Column j reads down only into the rows from down_from on.
        tj = thr[j]
        if _hits(ub, kth, m, tj if r1 > down_from else np.inf) == 0:
            continue
        for ii in range(m):
            i = r0 + ii
            if not (ub[ii] > kth[ii] or (i >= down_from and ub[ii] > tj)):
                continue
            s = buf[ii] + _dense_exact(i, j, dl, dr, dmeta, dcap)
            to_row = s > kth[ii]
            to_col = i >= down_from and s > tj
            if not (to_row or to_col):
                continue
            if not _allowed(i, j, active, team, ex_ptr, ex):
                continue
            if to_row:  # insertion into the sorted k best
                p = k - 1
                while p > 0 and top_v[ii, p - 1] < s:
                    top_v[ii, p] = top_v[ii, p - 1]
                    top_c[ii, p] = top_c[ii, p - 1]
                    p -= 1
                top_v[ii, p] = s
                top_c[ii, p] = j
                kth[ii] = top_v[ii, k - 1]
            if to_col:
                out_r[count], out_c[count], out_v[count] = j, i, s
                count += 1
    return count, c1


@njit(nogil=True, cache=True, inline="always")
def _heap_push(heap_v, heap_c, i, v, c):
    """Put (v, c) in row i's min-heap of the k best, in place of the root (the k-th
    best, which v beats), and sift it down."""
    k = heap_v.shape[1]
    p = 0
    while True:
        child = 2 * p + 1
        if child >= k:
            break
        if child + 1 < k and heap_v[i, child + 1] < heap_v[i, child]:
            child += 1
        if heap_v[i, child] >= v:
            break
        heap_v[i, p] = heap_v[i, child]
        heap_c[i, p] = heap_c[i, child]
        p = child
    heap_v[i, p] = v
    heap_c[i, p] = c


@njit(nogil=True, cache=True)
def merge_into_heaps(rows, cols, vals, heap_v, heap_c, thr):
    """Offer entries, in order, to each row's k best so far: a min-heap per row
    (heap_v[i, 0] is the k-th best, and thr[i] follows it). An entry gets in only by
    beating the k-th best strictly, as in the scan."""
    for e in range(rows.shape[0]):
        i, v = rows[e], vals[e]
        if v > heap_v[i, 0]:
            _heap_push(heap_v, heap_c, i, v, cols[e])
            thr[i] = heap_v[i, 0]
