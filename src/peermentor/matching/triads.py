"""Odd counts: a person left over joins the pairing where they add the most."""

from __future__ import annotations

import numpy as np
from numba import njit

from peermentor.matching.scores import Scorer


def join_leftovers(
    scorer: Scorer,
    pairs: list[tuple[int, int]],
    leftovers: list[int],
    closed: set[int],
    fair: bool = False,
) -> tuple[dict[int, int], list[int]]:
    """Place each leftover x into the pair (a, b) maximising score(x,a) + score(x,b),
    with both new pairs allowed. `closed` holds indices of pairs that may not grow
    (pinned ones). Each pair takes at most one extra person. With `fair`, the pair
    where the weaker of the two new pairs is best, as the fair mode favours the worst.

    Returns {pair index: x} and the leftovers that found no place.
    """
    if not pairs:
        return {}, list(leftovers)
    a = np.array([p[0] for p in pairs], dtype=np.intp)
    b = np.array([p[1] for p in pairs], dtype=np.intp)
    taken = np.zeros(len(pairs), bool)
    for c in closed:
        taken[c] = True
    joined: dict[int, int] = {}
    unplaced: list[int] = []
    for x in leftovers:
        xs = np.full(len(pairs), x, dtype=np.intp)
        sa, sb = scorer.scores(xs, a), scorer.scores(xs, b)
        gain = np.minimum(sa, sb) if fair else sa + sb
        gain[taken] = -np.inf
        best = int(np.argmax(gain))
        if np.isfinite(gain[best]):
            joined[best] = x
            taken[best] = True
        else:
            unplaced.append(x)
    return joined, unplaced


def best_two_sums(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per node, the sum of its two best edge weights: what joining any pair can add at
    most, because every node's best allowed partners are edges (all of them on the
    full graph, the top k with k >= 2 on candidates)."""
    return np.asarray(
        _best_two_sums(n, np.asarray(u, np.int64), np.asarray(v, np.int64), np.asarray(w, float))
    )


@njit(cache=True)
def _best_two_sums(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
    # One pass keeping each node's two best; summed as 0 + best + second, the order
    # in which sorting the edges by node and weight and adding them up would.
    first = np.full(n, -np.inf)
    second = np.full(n, -np.inf)
    count = np.zeros(n, np.int64)
    for e in range(u.shape[0]):
        x = w[e]
        for node in (u[e], v[e]):
            count[node] += 1
            if x > first[node]:
                second[node] = first[node]
                first[node] = x
            elif x > second[node]:
                second[node] = x
    out = np.zeros(n)
    for node in range(n):
        if count[node] >= 1:
            out[node] += first[node]
        if count[node] >= 2:
            out[node] += second[node]
    return out
