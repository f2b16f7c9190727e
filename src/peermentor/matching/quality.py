"""How good a matching is, in figures an admin can compare between runs."""

from __future__ import annotations

import numpy as np

from peermentor.matching.result import Pairing, QualityReport
from peermentor.matching.settings import CRITERIA

QUANTILES = {"min": 0.0, "p10": 0.1, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p90": 0.9, "max": 1.0}


def quality_report(pairings: list[Pairing], unmatched: int, threshold: float) -> QualityReport:
    n = len(pairings)
    share = {
        c: (sum(p.components[c] >= threshold for p in pairings) / n if n else 0.0) for c in CRITERIA
    }
    pair_scores = np.array([s for p in pairings for s in p.pair_scores])
    if len(pair_scores):
        quantiles = {k: float(np.quantile(pair_scores, q)) for k, q in QUANTILES.items()}
        worst = min(pairings, key=lambda p: min(p.pair_scores))
        worst_pair: tuple[tuple[str, ...], float] | None = (
            worst.members,
            float(min(worst.pair_scores)),
        )
        mean = float(pair_scores.mean())
    else:
        quantiles, worst_pair, mean = {}, None, 0.0
    return QualityReport(
        criterion_share=share,
        threshold=threshold,
        quantiles=quantiles,
        mean_score=mean,
        worst_pair=worst_pair,
        pairings=n,
        matched_people=sum(len(p.members) for p in pairings),
        unmatched_people=unmatched,
    )


def blocking_pairs(
    u: np.ndarray, v: np.ndarray, w: np.ndarray, current: np.ndarray, together: np.ndarray
) -> int:
    """Edges (u, v) not paired together whose score beats what each has now.

    `current[i]` is i's best score with a partner (-1 when unmatched, nan when i is not
    part of the run, e.g. pinned); `together[e]` is true when u and v share a pairing.
    """
    cu, cv = current[u], current[v]
    blocking = (~together) & (w > cu + 1e-12) & (w > cv + 1e-12)
    return int(np.count_nonzero(blocking & ~np.isnan(cu) & ~np.isnan(cv)))
