"""What a programme can change about matching: criterion weights, rules and modes.

Settings are stored as JSON with the programme, so `to_dict`/`from_dict` round-trip
and `from_dict` refuses bad values with a message that names the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Literal

CRITERIA: tuple[str, ...] = (
    "experience",
    "work_context",
    "different_background",
    "career_goals",
    "two_way_value",
    "practicalities",
)

# Defaults and why:
# - two-way value weighs most: a pairing where only one side gains is not a peer pairing.
# - experience, shared context, goals and practicalities carry equal weight.
# - a different background is a goal but weighs half, so diversity breaks ties among
#   otherwise good peers rather than pairing strangers with nothing in common.
DEFAULT_WEIGHTS: dict[str, float] = {
    "experience": 1.0,
    "work_context": 1.0,
    "different_background": 0.5,
    "career_goals": 1.0,
    "two_way_value": 1.5,
    "practicalities": 1.0,
}

# Time-zone offsets are read at this instant, never from the clock, so a rerun of
# the same cohort gives the same scores. Mid-January: northern winter time.
DEFAULT_REFERENCE_TIME = "2026-01-15T12:00:00+00:00"

OddMode = Literal["triad", "waitlist"]
Mode = Literal["default", "fair"]


@dataclass(frozen=True)
class MatchSettings:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    forbid_same_team: bool = False
    forbid_same_department: bool = False
    max_level_gap: int | None = None
    allow_past_partners: bool = False
    odd_mode: OddMode = "triad"
    mode: Mode = "default"
    # Candidates per person on large cohorts; cohorts up to exact_limit use every
    # allowed pair as an edge.
    top_k: int = 20
    exact_limit: int = 3000
    # A criterion counts as "met" by a pairing when its component reaches this.
    criterion_threshold: float = 0.5
    reference_time: str = DEFAULT_REFERENCE_TIME
    # Working day (local hours) used for the time-zone overlap.
    workday_start_hour: float = 9.0
    workday_end_hour: float = 17.0

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def weight_vector(self) -> tuple[float, ...]:
        return tuple(float(self.weights[c]) for c in CRITERIA)

    @property
    def reference_datetime(self) -> datetime:
        return datetime.fromisoformat(self.reference_time)

    def with_changes(self, **changes: Any) -> MatchSettings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = dict(value) if isinstance(value, dict) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchSettings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown matching setting(s): {', '.join(unknown)}")
        values = dict(data)
        if "weights" in values:
            merged = dict(DEFAULT_WEIGHTS)
            merged.update(values["weights"])
            values["weights"] = merged
        return cls(**values)


def _validate(s: MatchSettings) -> None:
    bad = sorted(set(s.weights) - set(CRITERIA))
    if bad:
        raise ValueError(f"weights: unknown criterion {bad[0]!r}; known: {', '.join(CRITERIA)}")
    missing = [c for c in CRITERIA if c not in s.weights]
    if missing:
        raise ValueError(f"weights: missing criterion {missing[0]!r}")
    for name, w in s.weights.items():
        if not isinstance(w, int | float) or isinstance(w, bool) or not math.isfinite(w) or w < 0:
            raise ValueError(f"weights.{name}: must be a number 0 or more, got {w!r}")
    if sum(s.weights.values()) <= 0:
        raise ValueError("weights: at least one weight must be above 0")
    if s.odd_mode not in ("triad", "waitlist"):
        raise ValueError(f"odd_mode: must be 'triad' or 'waitlist', got {s.odd_mode!r}")
    if s.mode not in ("default", "fair"):
        raise ValueError(f"mode: must be 'default' or 'fair', got {s.mode!r}")
    if s.max_level_gap is not None and (
        not isinstance(s.max_level_gap, int) or s.max_level_gap < 0
    ):
        raise ValueError(f"max_level_gap: must be an integer 0 or more, got {s.max_level_gap!r}")
    if not isinstance(s.top_k, int) or s.top_k < 1:
        raise ValueError(f"top_k: must be an integer 1 or more, got {s.top_k!r}")
    if not isinstance(s.exact_limit, int) or s.exact_limit < 2:
        raise ValueError(f"exact_limit: must be an integer 2 or more, got {s.exact_limit!r}")
    if not 0.0 <= s.criterion_threshold <= 1.0:
        raise ValueError("criterion_threshold: must be between 0 and 1")
    if not 0.0 <= s.workday_start_hour < s.workday_end_hour <= 24.0:
        raise ValueError("workday_start_hour/workday_end_hour: need 0 <= start < end <= 24")
    try:
        ref = datetime.fromisoformat(s.reference_time)
    except (TypeError, ValueError):
        raise ValueError(
            f"reference_time: must be an ISO date-time, got {s.reference_time!r}"
        ) from None
    if ref.tzinfo is None:
        raise ValueError("reference_time: must carry a UTC offset, e.g. +00:00")
