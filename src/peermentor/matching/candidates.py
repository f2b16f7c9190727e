"""Which pairs the solver sees: every allowed pair, or each person's top k.

The top-k scan looks at *every* allowed pair, a block of rows at a time, so the k-th
best score of a person is exact, and it bounds every pair left out: a pair missing
from the edge list is outside both people's top k, so its score is at most the
smaller of their k-th best scores. That is the `outside_bound` handed to the solver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from peermentor.matching import scan_kernels
from peermentor.matching.arrays import sorted_unique
from peermentor.matching.features import ALLOWED_FLOOR
from peermentor.matching.scan_plan import build_plan
from peermentor.matching.scores import Scorer

Progress = Callable[[str, float], None]
# Numba dispatchers take the plan's arrays positionally; mypy cannot follow them.
first_tile: Any = scan_kernels.first_tile
scan_tile: Any = scan_kernels.scan_tile
merge_into_heaps: Any = scan_kernels.merge_into_heaps
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


TILE_ROWS = 512
TILE_COLS = 8192  # columns per kernel call: the unit of progress
FIRST_MIN_COLS = 2048
SCAN_THREADS = 2  # the machines this is sized for have two cores
BLAS_THREADS = 1  # each scan thread runs its own products


def first_width(n: int) -> int:
    """Columns every row is first scored against, to learn a threshold."""
    return int(min(n, max(FIRST_MIN_COLS, min(TILE_COLS, n // 8))))


class _Scan:
    """One candidate scan: the plan and the kernel calls over it, strip by strip."""

    def __init__(self, scorer: Scorer, k: int) -> None:
        self.plan = build_plan(scorer)
        self.n = scorer.n
        self.k = k

    def _args(self, tables: np.ndarray) -> tuple[Any, ...]:
        p = self.plan
        return (
            p.codes, tables, p.bits_left, p.bits_right, p.bits_lscale, p.bits_rscale,
            p.bits_meta, p.bits_cap, p.dense_left, p.dense_right, p.dense_meta, p.dense_cap,
            p.dense_lnorm, p.dense_rnorm, p.active, p.team, p.ex_ptr, p.ex,
        )  # fmt: skip

    def first(self, r0: int, w0: int, thr: np.ndarray) -> tuple[np.ndarray, np.ndarray, Parts]:
        """Rows r0.. against the first w0 columns: each row's k best (columns, values;
        -1 / ALLOWED_FLOOR padded) and, for rows past w0, the entries they add to the
        first columns' lists (scores are symmetric)."""
        r1 = min(self.n, r0 + TILE_ROWS)
        args = self._args(self.plan.tables(r0, r1))
        top_c = np.full((r1 - r0, self.k), -1, np.int64)
        top_v = np.full((r1 - r0, self.k), ALLOWED_FLOOR, np.float32)
        parts: Parts = []
        at = 0
        while at < w0:  # resumes where a full buffer stopped it
            out = _buffers()
            count, at = first_tile(
                r0, r1, at, w0, self.k, top_c, top_v, max(w0, r0), thr, *args, *out
            )
            parts.append((out[0][:count], out[1][:count], out[2][:count]))
        return top_c, top_v, parts

    def strip(self, r0: int, thr: np.ndarray, heap_v: np.ndarray, heap_c: np.ndarray) -> Parts:
        """Entries of rows r0.. (and, read down, of the columns right of them) that beat
        their row's threshold, over the upper triangle from the diagonal on. heap_v and
        heap_c are a copy of the strip rows' heaps, taken with thr, that the kernel
        keeps up to date so the rows' thresholds rise within the strip."""
        n = self.n
        r1 = min(n, r0 + TILE_ROWS)
        args = self._args(self.plan.tables(r0, r1))
        parts: Parts = []
        out = _buffers()
        used = 0
        for c0 in range(r0, n, TILE_COLS):
            c1 = min(n, c0 + TILE_COLS)
            at = c0
            while at < c1:
                # The diagonal square is already read both ways as rows: columns read
                # down only from max(c0, r1).
                count, at = scan_tile(
                    r0, r1, at, c1, max(c0, r1), thr, heap_v, heap_c, *args,
                    *(a[used:] for a in out),
                )  # fmt: skip
                parts.append(tuple(a[used : used + count] for a in out))  # type: ignore[arg-type]
                used += count
                if at < c1 or len(out[0]) - used < OUT_ROOM:
                    out, used = _buffers(), 0
        return parts


Parts = list[tuple[np.ndarray, np.ndarray, np.ndarray]]


OUT_SIZE = 1 << 18  # entries per output buffer (3 MB); a kernel stops short of overflow
OUT_ROOM = 1 << 14  # start a fresh buffer when less than this is left


def _buffers() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # A kernel needs room for two entries per row of a column to make progress.
    size = max(OUT_SIZE, 2 * TILE_ROWS + OUT_ROOM)
    return np.empty(size, np.int32), np.empty(size, np.int32), np.empty(size, np.float32)


def topk_edges(
    scorer: Scorer, k: int, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (u < v) joining each active person to their k best allowed partners, and
    outside_bound: a certified upper bound on the score of any allowed pair that is
    not an edge (0 where a person's allowed partners are all edges).

    Every pair is scored once (scan_kernels, from the plan of scan_plan). First each
    row against the first w0 columns: their k-th best is a threshold at most the
    row's true k-th best. Then the upper triangle of the rest; a tile serves its rows
    and, read down its columns, the rows of its columns (scores are symmetric). A
    kernel returns only the entries beating their row's threshold, and those are
    offered to a per-row heap of the k best so far, whose k-th best is the threshold
    from then on.

    Strips run two at a time on the two cores while the main thread merges the
    previous batch's entries. A batch reads the thresholds as they stood after the
    merge of the batch two before it, and entries are merged in strip order, so the
    outcome never depends on timing."""
    n = scorer.n
    w0 = first_width(n)
    thr = np.full(n, ALLOWED_FLOOR)
    heap_v = np.full((n, k), ALLOWED_FLOOR, np.float32)
    heap_c = np.full((n, k), -1, np.int32)
    scan = _Scan(scorer, k)
    starts = list(range(0, n, TILE_ROWS))
    strips = list(range(w0, n, TILE_ROWS))
    work_total = len(starts) + sum(-(-(n - r0) // TILE_COLS) for r0 in strips)
    done = 0

    def merge(parts: Parts, work: int) -> None:
        nonlocal done
        for rows, cols, vals in parts:
            merge_into_heaps(rows, cols, vals, heap_v, heap_c, thr)
        done += work
        if progress:
            progress("scores", min(1.0, done / max(1, work_total)))

    with ThreadPoolExecutor(max_workers=SCAN_THREADS) as pool, threadpool_limits(BLAS_THREADS):
        # The first columns: strips inside them set their rows' k best, then the rest,
        # which also read down into the first columns' lists.
        inside = [r0 for r0 in starts if r0 + TILE_ROWS <= w0]
        for batch in (inside, [r0 for r0 in starts if r0 + TILE_ROWS > w0]):
            frozen = thr.copy()
            for r0, (top_c, top_v, parts) in zip(
                batch, pool.map(partial(scan.first, w0=w0, thr=frozen), batch), strict=True
            ):
                r1 = r0 + len(top_c)
                # Best first, read backwards, is ascending: already a min-heap.
                heap_v[r0:r1] = top_v[:, ::-1]
                heap_c[r0:r1] = top_c[:, ::-1]
                thr[r0:r1] = heap_v[r0:r1, 0]
                merge(parts, 1)
        pending: list[Future[Parts]] = []
        pending_work = 0
        for b0 in range(0, len(strips), SCAN_THREADS):
            batch = strips[b0 : b0 + SCAN_THREADS]
            frozen = thr.copy()
            # Each strip gets the thresholds and its rows' heaps as they stand now.
            slices = [slice(r0, r0 + TILE_ROWS) for r0 in batch]
            running = [
                pool.submit(scan.strip, r.start, frozen, heap_v[r].copy(), heap_c[r].copy())
                for r in slices
            ]
            for future in pending:
                merge(future.result(), 0)
            merge([], pending_work)
            pending = running
            pending_work = sum(-(-(n - r0) // TILE_COLS) for r0 in batch)
        for future in pending:
            merge(future.result(), 0)
        merge([], pending_work)
    has = heap_v > ALLOWED_FLOOR
    rows = np.broadcast_to(np.arange(n)[:, None], heap_v.shape)[has]
    cols = heap_c[has].astype(np.int64)
    full = has.all(axis=1)
    bound = np.where(full, heap_v[:, 0].astype(np.float64) + FLOAT32_MARGIN, 0.0)
    key = sorted_unique(np.minimum(rows, cols) * n + np.maximum(rows, cols))
    first, second = np.divmod(key, n)
    return first, second, np.clip(bound, 0.0, None)
