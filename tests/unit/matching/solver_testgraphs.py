"""Realistic-ish candidate graphs for the solver's tests and benchmark.

Each person gets a feature vector (a mixture of clustered "profiles"), the weight of a
pair is a similarity in [0, 1], and each person keeps only their ``k`` best candidates
(the union of those lists is the edge set, as the matching pipeline does). The weight
of each person's (k+1)-th best candidate is returned as ``outside_bound``: no pair left
out of the graph can weigh more than that for either of its two people.
"""

from __future__ import annotations

import numpy as np


def candidate_graph(
    n: int, k: int = 20, dim: int = 16, clusters: int = 40, seed: int = 0, block: int = 1024
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (u, v, w, outside_bound) of a k-best-candidates similarity graph."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    which = rng.integers(0, clusters, size=n)
    x = centres[which] + 0.9 * rng.normal(size=(n, dim))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    x32 = x.astype(np.float32)
    kk = min(k, n - 1)
    nbr = np.empty((n, max(kk, 0)), dtype=np.int64)
    outside = np.zeros(n, dtype=np.float64)
    take = min(kk + 1, n - 1)
    # A threshold from a column sample first: at least ``take`` values of each row
    # reach it (those of the sample), so the exact top ``take`` lies among the few
    # values above it and only those need sorting (much faster than argpartition of
    # every full row at 100,000 people).
    sample = rng.choice(n, size=min(n, max(8 * take, 4000)), replace=False)
    for start in range(0, n, block):
        stop = min(start + block, n)
        rows_here = np.arange(stop - start)
        sim = x32[start:stop] @ x32.T  # cosine similarity in [-1, 1]
        sim[rows_here, np.arange(start, stop)] = -np.inf
        if kk == 0:
            continue
        sampled = sim[:, sample]
        thr = -np.partition(-sampled, take - 1, axis=1)[:, take - 1]
        r, c = np.nonzero(sim >= thr[:, None])
        vals = sim[r, c]
        order = np.lexsort((-vals, r))  # by row, best first
        r, c, vals = r[order], c[order], vals[order]
        first = np.searchsorted(r, rows_here)
        rank = np.arange(r.shape[0]) - first[r]
        keep = rank < take
        best = np.full((stop - start, take), -1, dtype=np.int64)
        best_val = np.full((stop - start, take), -np.inf, dtype=np.float32)
        best[r[keep], rank[keep]] = c[keep]
        best_val[r[keep], rank[keep]] = vals[keep]
        nbr[start:stop] = best[:, :kk]
        if take > kk:
            outside[start:stop] = (best_val[:, kk].astype(np.float64) + 1.0) / 2.0
    rows = np.repeat(np.arange(n, dtype=np.int64), nbr.shape[1])
    cols = nbr.ravel()
    a = np.minimum(rows, cols)
    b = np.maximum(rows, cols)
    key = np.unique(a * n + b)
    u = key // n
    v = key % n
    w = ((np.einsum("ij,ij->i", x[u], x[v]) + 1.0) / 2.0).clip(0.0, 1.0)
    # Rounding of the float32 search may put a left-out pair a hair above the bound.
    outside = np.minimum(outside + 1e-6, 1.0)
    return u, v, w, outside
