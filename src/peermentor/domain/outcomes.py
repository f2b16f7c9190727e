"""Outcomes: retention and promotion of a programme's participants against the people
of the same imported population who did not take part, over one date range.

A person is counted in a group when they were still there at the start of the range
(no `left` event before it). Retained: no `left` event inside the range. Promoted: at
least one `promotion` inside it. Moved: at least one `internal_move` inside it. Every
share follows the k >= 5 rule of domain.insight (a group, its part or what is left of
it under MIN_GROUP people hides the figure). Pure: the caller passes the people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from peermentor.domain.insight import Hidden, Share, safe_count, safe_share

EVENTS = ("promotion", "internal_move", "left")

CAVEAT = (
    "Not causal: people who take part in the programme chose to (or were chosen), and may "
    "differ from those who did not in ways these numbers cannot see. A difference here "
    "says the groups differ, not that the programme made the difference."
)


@dataclass(frozen=True, slots=True)
class PersonOutcome:
    """One imported person: did they take part, and their outcome events (kind, day)."""

    participant: bool
    events: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True, slots=True)
class GroupOutcome:
    label: str
    people: int | Hidden  # in the group at the start of the range
    retained: Share | Hidden
    promoted: Share | Hidden
    moved: Share | Hidden


@dataclass(frozen=True, slots=True)
class Outcomes:
    since: date
    until: date
    groups: tuple[GroupOutcome, GroupOutcome]  # participants, then non-participants
    events: int  # outcome events inside the range, over both groups
    caveat: str = CAVEAT

    @property
    def reading(self) -> str:
        """Plain words comparing the groups, or why there is nothing to compare."""
        part, rest = self.groups
        if not (isinstance(part.retained, Share) and isinstance(rest.retained, Share)):
            return "Too few people in one of the groups to compare retention."
        diff = part.retained.ratio - rest.retained.ratio
        if abs(diff) < 0.02:
            said = "Participants stayed about as often as non-participants"
        elif diff > 0:
            said = f"Participants stayed more often ({100 * diff:.0f} percentage points higher)"
        else:
            said = f"Participants stayed less often ({-100 * diff:.0f} percentage points lower)"
        return f"{said} between {self.since} and {self.until}."


def _in_range(events: tuple[tuple[str, date], ...], kind: str, since: date, until: date) -> bool:
    return any(k == kind and since <= day <= until for k, day in events)


def _group(label: str, people: list[PersonOutcome], since: date, until: date) -> GroupOutcome:
    present = [p for p in people if not any(k == "left" and d < since for k, d in p.events)]
    n = len(present)
    left = sum(_in_range(p.events, "left", since, until) for p in present)
    promoted = sum(_in_range(p.events, "promotion", since, until) for p in present)
    moved = sum(_in_range(p.events, "internal_move", since, until) for p in present)
    return GroupOutcome(
        label,
        safe_count(n),
        safe_share(n - left, n),
        safe_share(promoted, n),
        safe_share(moved, n),
    )


def outcomes(people: Iterable[PersonOutcome], since: date, until: date) -> Outcomes:
    """The two groups' retention, promotion and moves between since and until, inclusive."""
    if until < since:
        raise ValueError("until before since")
    everyone = list(people)
    inside = sum(since <= day <= until for p in everyone for _, day in p.events)
    return Outcomes(
        since,
        until,
        (
            _group("Participants", [p for p in everyone if p.participant], since, until),
            _group("Non-participants", [p for p in everyone if not p.participant], since, until),
        ),
        inside,
    )
