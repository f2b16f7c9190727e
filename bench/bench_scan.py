"""Benchmark of the candidate scan (each person's top 20 partners out of everyone)
against the plain way: dense float32 matrix products through NumPy's BLAS.

    .venv/bin/python bench/bench_scan.py [10000 30000]

The baseline scores row blocks against every column with `Scorer.block` (one BLAS
product per piece) and keeps each row's k best with np.partition. It reads every
pair twice (n² against the scan's n²/2), so about 2x of the ratio is the symmetry
the scan exploits; the rest is the cheaper forms of each piece and the pruning. The scan
(candidates.topk_edges) reads each piece in its cheapest exact form and prunes with
per-row thresholds; both must give the same k-th best score for every person, which
is what the bound on pairs left out rests on. Times are medians of 3, in the same
process, after one warm-up.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from peermentor.demo_org import generate_organisation
from peermentor.matching.candidates import topk_edges
from peermentor.matching.cohort import prepare_cohort
from peermentor.matching.features import ALLOWED_FLOOR
from peermentor.matching.scores import Scorer
from peermentor.matching.settings import MatchSettings

K = 20
ROWS = 512
REPEATS = 3


def blas_kth(scorer: Scorer, k: int) -> np.ndarray:
    """Each row's k-th best allowed score (or ALLOWED_FLOOR), by full dense rows.
    BLAS uses both cores, as the scan does."""
    kth = np.full(scorer.n, ALLOWED_FLOOR)
    for r0 in range(0, scorer.n, ROWS):
        block = scorer.block(r0, min(scorer.n, r0 + ROWS))
        top = np.partition(block, block.shape[1] - k, axis=1)[:, -k]
        kth[r0 : r0 + len(top)] = np.maximum(top, ALLOWED_FLOOR)
    return kth


def scan_kth(scorer: Scorer, k: int) -> np.ndarray:
    _, _, bound = topk_edges(scorer, k)
    # The bound is the k-th best plus a float32 margin (0 for rows with fewer than k).
    return np.where(bound > 0, bound - 1e-4, ALLOWED_FLOOR)


def median_seconds(run: object, *args: object) -> tuple[float, np.ndarray]:
    times = []
    out = np.zeros(0)
    for _ in range(REPEATS):
        t = time.perf_counter()
        out = run(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(sizes: list[int]) -> None:
    warm = prepare_cohort(generate_organisation(300, 1), MatchSettings())
    topk_edges(warm.scorer(np.float32), 5)  # compile (or load) the scan kernels
    rows = []
    for n in sizes:
        co = prepare_cohort(generate_organisation(n, 1), MatchSettings())
        scorer = co.scorer(np.float32)
        with threadpool_limits(2):
            base_s, base = median_seconds(blas_kth, scorer, K)
        scan_s, scan = median_seconds(scan_kth, scorer, K)
        has = base > ALLOWED_FLOOR
        worst = float(np.abs(scan[has] - base[has]).max())
        rows.append((co.n, scan_s, base_s, worst))
        print(f"{co.n}: scan {scan_s:.2f} s, BLAS {base_s:.2f} s, k-th best differs by {worst:.1e}")
    print()
    print("| people | pairs | scan (s) | BLAS dense (s) | BLAS / scan | max k-th best difference |")
    print("|---|---|---|---|---|---|")
    for n, scan_s, base_s, worst in rows:
        print(
            f"| {n:,} | {n * (n - 1) // 2:,} | {scan_s:.2f} | {base_s:.2f} | "
            f"{base_s / scan_s:.1f}x | {worst:.1e} |"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 30_000])
