"""Pairings ended early, in numbers an admin may see: no figure over fewer than
MIN_AGGREGATE_GROUP pairings.

A reason counted by fewer than that is folded into "other reasons, together"; when the
fold itself would be that small, the smallest reasons shown join it too, so the total
minus the figures shown never gives a small group away (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from peermentor.domain.checkins import MIN_AGGREGATE_GROUP, NotEnoughData


@dataclass(frozen=True, slots=True)
class EndingCounts:
    total: int
    by_reason: tuple[tuple[str, int], ...]  # each at least MIN_AGGREGATE_GROUP, largest first
    folded: int  # the reasons not shown, together: 0 or at least MIN_AGGREGATE_GROUP


def ending_counts(
    counts: Mapping[str, int], minimum: int = MIN_AGGREGATE_GROUP
) -> EndingCounts | NotEnoughData:
    """Pairings ended early by reason, safe to show; NotEnoughData under `minimum`."""
    total = sum(counts.values())
    if total < minimum:
        return NotEnoughData(pairings=total, required=minimum)
    shown = sorted(
        ((r, n) for r, n in counts.items() if n >= minimum), key=lambda rn: (-rn[1], rn[0])
    )
    folded = total - sum(n for _, n in shown)
    while 0 < folded < minimum:
        _, smallest = shown.pop()
        folded += smallest
    return EndingCounts(total=total, by_reason=tuple(shown), folded=folded)
