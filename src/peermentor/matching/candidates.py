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


TILE_ROWS = 512
TILE_COLS = 8192  # a tile of 512 × 8192 float32 (16 MB) stays near the caches


def _topk_rows(s: Scorer, r0: int, r1: int, k: int, n: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """Top k (indices, values) of rows r0..r1-1 of the scorer `s`, tile by tile.

    The first tile's k-th best value per row is at most the row's true k-th best,
    so only entries reaching it in later tiles can belong to the top k: those are
    kept (a few hundred per row), the rest of each tile is dropped at once."""
    first = s.block(r0, r1, 0, min(n, TILE_COLS))
    idx, val = _row_topk(first, k)
    threshold = val.min(axis=1) if idx.shape[1] == k else np.full(r1 - r0, -np.inf)
    threshold = np.maximum(threshold, ALLOWED_FLOOR)
    keep_r = [np.broadcast_to(np.arange(r1 - r0)[:, None], idx.shape).ravel()]
    keep_c, keep_v = [idx.ravel()], [val.ravel()]
    for c0 in range(TILE_COLS, n, TILE_COLS):
        tile = s.block(r0, r1, c0, min(n, c0 + TILE_COLS))
        ri, ci = np.nonzero(tile >= threshold[:, None])
        keep_r.append(ri)
        keep_c.append(ci + c0)
        keep_v.append(tile[ri, ci])
    ri, ci, vi = np.concatenate(keep_r), np.concatenate(keep_c), np.concatenate(keep_v)
    order = np.lexsort((-vi, ri))
    ri, ci, vi = ri[order], ci[order], vi[order]
    rank = np.arange(len(ri)) - np.searchsorted(ri, np.arange(r1 - r0))[ri]
    width = min(k, n)
    out_i = np.zeros((r1 - r0, width), dtype=np.int64)
    out_v = np.full((r1 - r0, width), -np.inf, dtype=np.float64)
    top = rank < width
    out_i[ri[top], rank[top]] = ci[top]
    out_v[ri[top], rank[top]] = vi[top]
    return out_i, out_v


def topk_edges(
    scorer: Scorer, k: int, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (u < v) joining each active person to their k best allowed partners, and
    outside_bound: a certified upper bound on the score of any allowed pair that is
    not an edge (0 where a person's allowed partners are all edges)."""
    n = scorer.n
    us, vs = [], []
    bound = np.zeros(n)
    for r0 in range(0, n, TILE_ROWS):
        r1 = min(n, r0 + TILE_ROWS)
        idx, val = _topk_rows(scorer, r0, r1, k, n)
        ok = val > ALLOWED_FLOOR
        rows = np.broadcast_to(np.arange(r0, r1)[:, None], idx.shape)
        us.append(rows[ok])
        vs.append(idx[ok])
        full = ok.all(axis=1) & (idx.shape[1] == k)
        kth = val.min(axis=1, initial=np.inf)
        bound[r0:r1] = np.where(full, kth + FLOAT32_MARGIN, 0.0)
        if progress:
            progress("scores", r1 / n)
    u = np.concatenate(us).astype(np.int64)
    v = np.concatenate(vs).astype(np.int64)
    key = np.unique(np.minimum(u, v) * n + np.maximum(u, v))
    lo, hi = np.divmod(key, n)
    return lo, hi, np.clip(bound, 0.0, None)
