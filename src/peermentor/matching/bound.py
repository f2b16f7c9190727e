"""A tight, certified upper bound when the solver saw only candidate edges.

Any matching over all allowed pairs scores at most Σ y_i for any y ≥ 0 with
y_u + y_v ≥ w_uv on every edge and y_i ≥ outside_bound_i / 2 (then a hidden pair
(i, j), whose score is ≤ min(ob_i, ob_j), is covered too). The smallest such Σ y is a
linear programme (the dual of fractional matching with a "stay out" option worth
ob_i / 2); HiGHS solves it in about a second at 10,000 people.

Raising every dual to ob_i / 2 after the fact, as a bare certificate must, costs far
more: the optimal duals of a pair can split its score unevenly. Here the LP chooses
the split. Whatever HiGHS returns is repaired in floating point before it is summed,
so the bound is sound even when the LP stops early.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

LP_SECONDS = 120.0


def lp_upper_bound(
    n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, outside_bound: np.ndarray
) -> float | None:
    """Σ y for duals y covering the edges and the hidden pairs, or None if HiGHS
    found nothing usable."""
    m = len(u)
    floor = np.maximum(outside_bound, 0.0) / 2.0
    if m == 0:
        return float(floor.sum())
    rows = np.concatenate([np.arange(m), np.arange(m)])
    a = sp.csr_matrix((-np.ones(2 * m), (rows, np.concatenate([u, v]))), shape=(m, n))
    res = linprog(
        np.ones(n),
        A_ub=a,
        b_ub=-w,
        bounds=np.column_stack([floor, np.full(n, None)]),
        method="highs",
        options={"time_limit": LP_SECONDS},
    )
    if res.x is None:
        return None
    y = np.maximum(np.asarray(res.x, dtype=np.float64), floor)
    # Repair: raise one end of any edge the solution leaves short (rounding, early stop).
    short = w - (y[u] + y[v])
    bad = short > 0
    np.add.at(y, u[bad], short[bad])
    assert (y[u] + y[v] >= w).all() and (y >= floor).all()
    return float(y.sum()) * (1 + 1e-12)
