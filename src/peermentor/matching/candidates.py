"""Which pairs the solver sees: every allowed pair, or each person's top k.

The top-k scan looks at *every* allowed pair, a block of rows at a time, so the k-th
best score of a person is exact, and it bounds every pair left out: a pair missing
from the edge list is outside both people's top k, so its score is at most the
smaller of their k-th best scores. That is the `outside_bound` handed to the solver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
from threadpoolctl import threadpool_limits

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
FIRST_MIN_COLS = 2048
SCAN_THREADS = 2  # the machines this is sized for have two cores
BLAS_THREADS = 1  # each scan thread runs its own products
COMPACT_AT = 4_000_000  # kept entries (12 bytes each) before trimming to each row's k best


def first_width(n: int) -> int:
    """Columns every row is first scored against, to learn a threshold."""
    return int(min(n, max(FIRST_MIN_COLS, min(TILE_COLS, n // 8))))


def _row_then_best(rows: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """One uint64 key per entry that orders by row, then by value, best first: a
    single sort instead of two (the top-k bookkeeping was a third of the scan).
    A float32's bits, sign-folded, order as the floats do."""
    bits = vals.astype(np.float32).view(np.uint32)
    sortable = np.where(bits & 0x80000000, ~bits, bits | 0x80000000).astype(np.uint64)
    return (rows.astype(np.uint64) << np.uint64(32)) | (np.uint64(0xFFFFFFFF) - sortable)


class _Kept:
    """Entries (row, col, score) that may still be in their row's top k."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.size = 0

    def add(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> None:
        self.parts.append((rows.astype(np.int32), cols.astype(np.int32), vals.astype(np.float32)))
        self.size += len(rows)

    def top(self, n: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: its k best (row, col, value), best first, allowed pairs only."""
        r, c, v = (np.concatenate(x) for x in zip(*self.parts, strict=True))
        ok = v > ALLOWED_FLOOR
        r, c, v = r[ok], c[ok], v[ok]
        order = np.argsort(_row_then_best(r, v), kind="stable")  # by row, best first
        r, c, v = r[order], c[order], v[order]
        rank = np.arange(len(r)) - np.searchsorted(r, np.arange(n))[r]
        top = rank < k
        return r[top].astype(np.int64), c[top].astype(np.int64), v[top].astype(np.float64)

    def compact(self, n: int, k: int, thr: np.ndarray) -> None:
        """Keep only each row's k best so far, and raise the row thresholds to the
        k-th of them (still at most the true k-th best): memory stays bounded and
        later tiles keep fewer entries."""
        r, c, v = self.top(n, k)
        self.parts = [(r.astype(np.int32), c.astype(np.int32), v.astype(np.float32))]
        self.size = len(r)
        full = np.bincount(r, minlength=n) >= k
        kth = np.full(n, -np.inf)
        last = np.searchsorted(r, np.arange(n), side="right") - 1
        kth[full] = v[last[full]]
        np.maximum(thr, kth, out=thr)


def _scan_strip(
    scorer: Scorer, r0: int, *, n: int, thr: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Entries of rows r0.. (and, read down, of the columns right of them) that beat
    their row's threshold, over the upper triangle from the diagonal on."""
    r1 = min(n, r0 + TILE_ROWS)
    parts = []
    for c0 in range(r0, n, TILE_COLS):
        c1 = min(n, c0 + TILE_COLS)
        tile = scorer.block(r0, r1, c0, c1)
        ri, ci = np.nonzero(tile > thr[r0:r1, None])
        parts.append((ri + r0, ci + c0, tile[ri, ci]))
        off = max(c0, r1)  # the diagonal square is already read both ways as rows
        if off < c1:
            part = tile[:, off - c0 :]
            ri, ci = np.nonzero(part > thr[None, off:c1])
            parts.append((ci + off, ri + r0, part[ri, ci]))
    return parts


def topk_edges(
    scorer: Scorer, k: int, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (u < v) joining each active person to their k best allowed partners, and
    outside_bound: a certified upper bound on the score of any allowed pair that is
    not an edge (0 where a person's allowed partners are all edges).

    Every pair is scored once, in float32 tiles. First each row against the first
    w0 columns: their k-th best is a threshold at most the row's true k-th best.
    Then the upper triangle of the rest; a tile serves its rows and, read down its
    columns, the rows of its columns (scores are symmetric). Only entries reaching
    their row's threshold are kept (strictly above it: the first strip already holds
    k entries at or above it, so ties add nothing), and from time to time trimmed to
    each row's k best, which also raises the thresholds."""
    n = scorer.n
    w0 = first_width(n)
    thr = np.full(n, ALLOWED_FLOOR)
    kept = _Kept()
    tiles_total = -(-n // TILE_ROWS) * (1 + max(0, -(-(n - w0) // TILE_COLS)))
    tiles_done = 0
    for r0 in range(0, n, TILE_ROWS):
        r1 = min(n, r0 + TILE_ROWS)
        tile = scorer.block(r0, r1, 0, w0)
        idx, val = _row_topk(tile, k)
        if idx.shape[1] == k:
            thr[r0:r1] = np.maximum(val.min(axis=1), ALLOWED_FLOOR)
        kept.add(np.repeat(np.arange(r0, r1), idx.shape[1]), idx.ravel(), val.ravel())
        if r1 > w0:  # rows past the first columns: read down, the tile serves columns < w0
            lo = max(r0, w0) - r0
            ri, ci = np.nonzero(tile[lo:] > thr[None, :w0])
            kept.add(ci, ri + r0 + lo, tile[lo:][ri, ci])
        tiles_done += 1
    # Row strips are scored two at a time on the two cores (BLAS itself on one thread
    # each, so the element-wise work runs in parallel too). Each strip reads the row
    # thresholds as they stood before its batch and its entries are added in strip
    # order, so the outcome is the same as a serial scan's.
    strips = list(range(w0, n, TILE_ROWS))
    with ThreadPoolExecutor(max_workers=SCAN_THREADS) as pool, threadpool_limits(BLAS_THREADS):
        for b0 in range(0, len(strips), SCAN_THREADS):
            batch = strips[b0 : b0 + SCAN_THREADS]
            frozen = thr.copy()
            scan = partial(_scan_strip, scorer, n=n, thr=frozen)
            for parts in pool.map(scan, batch):
                for part in parts:
                    kept.add(*part)
            tiles_done += sum(-(-(n - r0) // TILE_COLS) for r0 in batch)
            if kept.size > COMPACT_AT:
                kept.compact(n, k, thr)
            if progress:
                progress("scores", min(1.0, tiles_done / tiles_total))
    rows, cols, vals = kept.top(n, k)
    counts = np.bincount(rows, minlength=n)
    kth = np.full(n, np.inf)
    np.minimum.at(kth, rows, vals)
    bound = np.where(counts >= k, kth + FLOAT32_MARGIN, 0.0)
    key = np.unique(np.minimum(rows, cols) * n + np.maximum(rows, cols))
    first, second = np.divmod(key, n)
    return first, second, np.clip(bound, 0.0, None)
