"""What a matching run returns: pairings, who is left out and why, and how good it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Pairing:
    members: tuple[str, ...]  # employee_ids, 2 (a pair) or 3 (a triad)
    score: float  # what the pairing adds to the total: the sum of its pair scores
    components: dict[str, float]  # per criterion; a triad's is the mean over its pairs
    explanations: dict[str, str]  # employee_id -> "why you two", in that person's words
    pair_scores: tuple[float, ...] = ()  # each pair's score; 1 for a pair, 3 for a triad
    pinned: bool = False

    @property
    def mean_score(self) -> float:
        return self.score / max(1, len(self.pair_scores))


@dataclass(frozen=True)
class QualityReport:
    criterion_share: dict[str, float]  # share of pairings with the component ≥ threshold
    threshold: float
    quantiles: dict[str, float]  # of pair scores: min, p10, p25, p50, p75, p90, max
    mean_score: float
    worst_pair: tuple[tuple[str, ...], float] | None
    pairings: int
    matched_people: int
    unmatched_people: int


@dataclass(frozen=True)
class MatchResult:
    pairings: list[Pairing]
    unmatched: list[tuple[str, str]]  # (employee_id, reason)
    total_score: float
    upper_bound: float
    gap: float  # (upper_bound - total) / upper_bound
    exact: bool  # optimal over every allowed pair, proven
    blocking_pairs: int
    quality: QualityReport
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    mode: str = "default"
    edges: int = 0
    full_graph: bool = True  # every allowed pair was an edge (else: top-k candidates)

    def partner_of(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for p in self.pairings:
            for m in p.members:
                out[m] = tuple(x for x in p.members if x != m)
        return out

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for p, src in zip(d["pairings"], self.pairings, strict=True):
            p["mean_score"] = src.mean_score
        return d
