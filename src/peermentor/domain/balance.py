"""How balanced the give-and-take of a pairing is, and a nudge when it leans one way.

Definition. Four components count what each member *gives*:

| component | a member gives one unit for each ... |
| --- | --- |
| sessions | session in which they wrote down something they brought (gave) |
| guidance | request from another member that they answered |
| feedback | piece of feedback they gave |
| roleplay | completed role-play in which they played the counterpart (supporting) role |

(Receiving is the other side of giving: what Kim answers is what Ana receives, so it
is not counted twice. Asking is not giving; an unanswered request shows up as the
recipient not giving.)

For member m and component c, with g = m's units and o = the mean of the other
members' units, the member's share is the signed ratio

    s(m, c) = (g - o) / (g + o)          in [-1, 1]; undefined when g + o = 0

and the member's index is the weighted mean of s(m, c) over the components where it
is defined (default weights 1 each; 0 when no component has data). +1: m gives and
the others do not; -1: the others give and m does not; 0: balanced.

In a pair o is simply the other member's units, so index(a) = -index(b). In a triad
each member is compared with the mean of the two others.

The pairing's single index is the member index with the largest magnitude (ties go
to the earlier member in the pairing's order). For a pair that is the index seen
from the first member: -0.5 means the first member gives clearly less. The member
named in `leaning_member` is that member (None when everything is balanced).

Nudges go to a member whose index is at most -NUDGE_THRESHOLD (the others give
about twice what they do, or more), one per component where their share is at most
-NUDGE_THRESHOLD and at least MIN_EVENTS_FOR_NUDGE units exist, most lopsided first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from peermentor.domain.errors import ValidationError
from peermentor.domain.feedback import Feedback
from peermentor.domain.guidance import GuidanceRequest
from peermentor.domain.roleplay import Role, RolePlay
from peermentor.domain.sessions import Session
from peermentor.domain.validation import require_members

NUDGE_THRESHOLD = 1 / 3
MIN_EVENTS_FOR_NUDGE = 3


class Component(StrEnum):
    SESSIONS = "sessions"
    GUIDANCE = "guidance"
    FEEDBACK = "feedback"
    ROLEPLAY = "roleplay"


DEFAULT_WEIGHTS: Mapping[Component, float] = {c: 1.0 for c in Component}


@dataclass(frozen=True, slots=True)
class ComponentBalance:
    component: Component
    gives: tuple[tuple[str, int], ...]  # units given per member, in member order
    shares: tuple[tuple[str, float | None], ...]  # s(m, c); None without data
    weight: float

    def gives_of(self, member_id: str) -> int:
        return dict(self.gives)[member_id]

    def share_of(self, member_id: str) -> float | None:
        return dict(self.shares)[member_id]


@dataclass(frozen=True, slots=True)
class Nudge:
    to_member: str
    component: Component
    text: str


@dataclass(frozen=True, slots=True)
class BalanceReport:
    members: tuple[str, ...]
    index: float
    leaning_member: str | None
    member_indices: tuple[tuple[str, float], ...]
    components: tuple[ComponentBalance, ...]
    nudges: tuple[Nudge, ...]

    @property
    def has_data(self) -> bool:
        return any(s is not None for c in self.components for _, s in c.shares)

    def index_of(self, member_id: str) -> float:
        return dict(self.member_indices)[member_id]

    def component(self, component: Component) -> ComponentBalance:
        return next(c for c in self.components if c.component is component)


def signed_share(mine: float, others: float) -> float | None:
    total = mine + others
    return None if total == 0 else (mine - others) / total


@dataclass(frozen=True, slots=True)
class _Tallies:
    gives: dict[Component, Counter[str]]
    answered: Counter[tuple[str, str]]  # (answerer, asker)
    asked: Counter[tuple[str, str]]  # (asker, recipient)
    feedback: Counter[tuple[str, str]]  # (giver, receiver)


def _tally(
    members: tuple[str, ...],
    sessions: Iterable[Session],
    requests: Iterable[GuidanceRequest],
    feedback: Iterable[Feedback],
    roleplays: Iterable[RolePlay],
) -> _Tallies:
    gives: dict[Component, Counter[str]] = {c: Counter() for c in Component}
    answered: Counter[tuple[str, str]] = Counter()
    asked: Counter[tuple[str, str]] = Counter()
    given: Counter[tuple[str, str]] = Counter()
    for s in sessions:
        gives[Component.SESSIONS].update(m for m in members if s.brought_something(m))
    for r in requests:
        if r.was_withdrawn:  # taken back before an answer: neither asked nor given
            continue
        asked[(r.asker, r.recipient)] += 1
        if r.was_answered:
            answered[(r.recipient, r.asker)] += 1
            gives[Component.GUIDANCE][r.recipient] += 1
    for f in feedback:
        given[(f.giver, f.receiver)] += 1
        gives[Component.FEEDBACK][f.giver] += 1
    for rp in roleplays:
        supporter = rp.member_in(Role.COUNTERPART)
        if rp.completed and supporter is not None:
            gives[Component.ROLEPLAY][supporter] += 1
    for counter in gives.values():
        for outsider in set(counter) - set(members):
            del counter[outsider]
    return _Tallies(gives, answered, asked, given)


def _weights(weights: Mapping[Component, float] | None) -> dict[Component, float]:
    result = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        try:
            component = Component(key)
        except ValueError:
            raise ValidationError("weights", f"unknown component {key!r}") from None
        if not isinstance(value, int | float) or value < 0:
            raise ValidationError("weights", f"weight of {key} must be 0 or more")
        result[component] = float(value)
    if not any(result.values()):
        raise ValidationError("weights", "at least one weight must be above 0")
    return result


def balance(
    members: tuple[str, ...],
    *,
    sessions: Iterable[Session] = (),
    requests: Iterable[GuidanceRequest] = (),
    feedback: Iterable[Feedback] = (),
    roleplays: Iterable[RolePlay] = (),
    names: Mapping[str, str] | None = None,
    weights: Mapping[Component, float] | None = None,
) -> BalanceReport:
    members = require_members(members)
    w = _weights(weights)
    t = _tally(members, sessions, requests, feedback, roleplays)
    components = []
    for c in Component:
        counts = t.gives[c]
        shares = []
        for m in members:
            others = [counts[o] for o in members if o != m]
            shares.append((m, signed_share(counts[m], sum(others) / len(others))))
        components.append(
            ComponentBalance(c, tuple((m, counts[m]) for m in members), tuple(shares), w[c])
        )
    indices = []
    for m in members:
        parts = [(cb.weight, cb.share_of(m)) for cb in components if cb.weight > 0]
        known = [(wt, s) for wt, s in parts if s is not None]
        total = sum(wt for wt, _ in known)
        indices.append((m, sum(wt * s for wt, s in known) / total if total else 0.0))
    leaning, index = max(indices, key=lambda mi: abs(mi[1]))  # max keeps the first of ties
    nudges = _nudges(members, tuple(components), dict(indices), t, names or {})
    return BalanceReport(
        members=members,
        index=index,
        leaning_member=leaning if index != 0 else None,
        member_indices=tuple(indices),
        components=tuple(components),
        nudges=nudges,
    )


def _nudges(
    members: tuple[str, ...],
    components: tuple[ComponentBalance, ...],
    indices: dict[str, float],
    t: _Tallies,
    names: Mapping[str, str],
) -> tuple[Nudge, ...]:
    result: list[tuple[float, Nudge]] = []
    for m in members:
        if indices[m] > -NUDGE_THRESHOLD:
            continue
        for cb in components:
            share = cb.share_of(m)
            units = sum(n for _, n in cb.gives)
            if cb.weight == 0 or share is None or share > -NUDGE_THRESHOLD:
                continue
            if units < MIN_EVENTS_FOR_NUDGE:
                continue
            top = max((o for o in members if o != m), key=cb.gives_of)
            text = _text(cb, m, top, t, names.get(top, top), len(members) == 2)
            result.append((share, Nudge(m, cb.component, text)))
    result.sort(key=lambda sn: sn[0])
    return tuple(n for _, n in result)


def _n(count: int) -> str:
    return "none" if count == 0 else str(count)


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _text(cb: ComponentBalance, me: str, other: str, t: _Tallies, name: str, pair: bool) -> str:
    mine, theirs = cb.gives_of(me), cb.gives_of(other)
    if cb.component is Component.GUIDANCE:
        for_me, for_them = t.answered[(other, me)], t.answered[(me, other)]
        if not pair and for_me == 0:
            return (
                f"{name} has answered {_plural(theirs, 'request')} from the group; "
                f"you have answered {_n(mine)}."
            )
        if t.asked[(other, me)] == 0:
            return (
                f"{name} has answered {for_me} of your requests and has not asked you for "
                f"anything yet: offer help on one of {name}'s gaps."
            )
        return (
            f"{name} has answered {for_me} of your requests; "
            f"you have answered {_n(for_them)} of {name}'s."
        )
    if cb.component is Component.SESSIONS:
        return (
            f"{name} brought something to {theirs} of your sessions; "
            f"you brought something to {_n(mine)}."
        )
    if cb.component is Component.FEEDBACK:
        to_whom = f" {name}" if pair else ""
        given = f"{name} has given you" if pair else f"{name} has given"
        if mine == 0:
            return f"{given} feedback {_times(theirs)}; you have not given{to_whom} any yet."
        return (
            f"{given} feedback {_times(theirs)}; you have given{to_whom} feedback {_times(mine)}."
        )
    return (
        f"{name} has played the supporting role in {_plural(theirs, 'role-play')}; "
        f"you have played it in {_n(mine)}."
    )
