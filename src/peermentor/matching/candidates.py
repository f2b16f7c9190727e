"""Which pairs the solver sees: every allowed pair, or each person's top k.

The top-k scan looks at *every* allowed pair, a block of rows at a time, so the k-th
best score of a person is exact, and it bounds every pair left out: a pair missing
from the edge list is outside both people's top k, so its score is at most the
smaller of their k-th best scores. That is the `outside_bound` handed to the solver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from peermentor.matching.features import ALLOWED_FLOOR
from peermentor.matching.scores import Scorer

Progress = Callable[[str, float], None]
# float32 products over ~250 terms of size ≤ 4 err by far less than this.
FLOAT32_MARGIN = 1e-4
BLOCK_CELLS = 24_000_000  # rows × columns per block: ~100 MB in float32


def block_rows(n: int) -> int:
    return max(1, min(n, BLOCK_CELLS // max(n, 1)))


def allowed_blocks(
    scorer: Scorer, *, upper_only: bool = True, progress: Progress | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(u, v, score) of allowed pairs, block by block; u < v when `upper_only`."""
    n = scorer.n
    step = block_rows(n)
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        s = scorer.block(r0, r1)
        if upper_only:
            s[np.arange(r1 - r0)[:, None] + r0 >= np.arange(n)[None, :]] = -np.inf
        i, j = np.nonzero(s > ALLOWED_FLOOR)
        yield i + r0, j, s[i, j].astype(np.float64)
        if progress:
            progress("scores", r1 / n)


def all_allowed_edges(
    scorer: Scorer, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parts = list(allowed_blocks(scorer, progress=progress))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    u, v, w = (np.concatenate(x) for x in zip(*parts, strict=True))
    return u.astype(np.int64), v.astype(np.int64), w


def _row_topk(s: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise indices (b × k) and values of the k largest, for moderate widths."""
    k = min(k, s.shape[1])
    idx = np.argpartition(s, s.shape[1] - k, axis=1)[:, -k:]
    return idx, np.take_along_axis(s, idx, axis=1)


def _row_topk_grouped(s: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Same as `_row_topk` on wide rows, without a partition of every row.

    Columns are dealt into g groups (j mod g); t = the k-th largest group maximum
    is at most the k-th largest entry (k distinct groups reach t). Every entry ≥ t
    lies in a group whose maximum is ≥ t, so only those groups are searched.
    """
    b, n = s.shape
    g = max(4 * k, n // 32)
    gmax = s[:, :g].copy()
    for a in range(g, n, g):
        width = min(g, n - a)
        np.maximum(gmax[:, :width], s[:, a:a + width], out=gmax[:, :width])
    t = np.partition(gmax, g - k, axis=1)[:, g - k]
    ri, gi = np.nonzero(gmax >= t[:, None])
    cols = gi[:, None] + g * np.arange(-(-n // g))[None, :]
    inside = cols < n
    cols = np.where(inside, cols, 0)
    vals = np.where(inside, s[ri[:, None], cols], -np.inf)
    ri = np.repeat(ri, cols.shape[1])
    cols, vals = cols.ravel(), vals.ravel()
    order = np.lexsort((-vals, ri))
    ri, cols, vals = ri[order], cols[order], vals[order]
    start = np.searchsorted(ri, np.arange(b))
    rank = np.arange(len(ri)) - start[ri]
    keep = rank < k
    out_i = np.zeros((b, k), dtype=np.int64)
    out_v = np.full((b, k), -np.inf, dtype=s.dtype)
    out_i[ri[keep], rank[keep]] = cols[keep]
    out_v[ri[keep], rank[keep]] = vals[keep]
    return out_i, out_v


def topk_edges(
    scorer: Scorer, k: int, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (u < v) joining each active person to their k best allowed partners, and
    outside_bound: a certified upper bound on the score of any allowed pair that is
    not an edge (0 where a person's allowed partners are all edges)."""
    n = scorer.n
    step = block_rows(n)
    us, vs = [], []
    bound = np.zeros(n)
    wide = n > 8 * max(4 * k, 32) and n > 20_000
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        s = scorer.block(r0, r1)
        idx, val = (_row_topk_grouped if wide else _row_topk)(s, k)
        ok = val > ALLOWED_FLOOR
        rows = np.broadcast_to(np.arange(r0, r1)[:, None], idx.shape)
        us.append(rows[ok])
        vs.append(idx[ok])
        full = ok.all(axis=1) & (idx.shape[1] == k)
        kth = np.where(full, val.min(axis=1, initial=np.inf), -np.inf)
        bound[r0:r1] = np.where(full, kth.astype(np.float64) + FLOAT32_MARGIN, 0.0)
        if progress:
            progress("scores", r1 / n)
    u = np.concatenate(us).astype(np.int64)
    v = np.concatenate(vs).astype(np.int64)
    key = np.unique(np.minimum(u, v) * n + np.maximum(u, v))
    lo, hi = np.divmod(key, n)
    return lo, hi, np.clip(bound, 0.0, None)
