"""Small NumPy helpers the engine's hot paths share."""

from __future__ import annotations

import numpy as np


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending: what np.unique(values) returns, by a sort and
    a mask. NumPy 2's np.unique without return_* flags hashes large integer arrays
    instead, about 100 times slower here (2 s for the 2 million keys of a 100,000
    person scan against 0.02 s sorted)."""
    ordered = np.sort(np.asarray(values).ravel())
    if ordered.size == 0:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
