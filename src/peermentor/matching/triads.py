"""Odd counts: a person left over joins the pairing where they add the most."""

from __future__ import annotations

import numpy as np

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
    nodes = np.concatenate([u, v])
    weights = np.concatenate([w, w])
    by_weight = np.argsort(-weights, kind="stable")
    order = by_weight[np.argsort(nodes[by_weight], kind="stable")]  # by node, best first
    nodes, weights = nodes[order], weights[order]
    start = np.searchsorted(nodes, np.arange(n))
    rank = np.arange(len(nodes)) - start[nodes]
    out = np.zeros(n)
    top = rank < 2
    np.add.at(out, nodes[top], weights[top])
    return out
