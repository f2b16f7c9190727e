"""Who gives feedback to whom in a circle's round.

In round k of a stable circle of n givers, giver i gives to (i + k) mod n (skipping
oneself), so over n - 1 rounds everyone gives to every colleague exactly once and
receives exactly once a round. Circles are not stable: people join, leave, pause and
skip. So a round is planned as an assignment problem: every giver gives to `per_giver`
colleagues and every participant receives from as many, nobody gives to themselves, and
a pair that already happened in the giver's current cycle (since they last covered
every colleague taking part) costs more than any amount of departing from the plain
rotation. The cheapest assignment keeps the rotation when nothing changed, and repeats
a pair only when no assignment without that repeat exists (a newcomer everybody still
owes a note can receive from only so many at once).

Pure: members are strings, history is what the store recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peermentor.domain.errors import ValidationError

Pair = tuple[str, str]  # (giver, receiver)


@dataclass(frozen=True, slots=True)
class PastRound:
    """A round as it happened: who took part and who gave to whom."""

    participants: tuple[str, ...]
    pairs: tuple[Pair, ...]


def covered(history: Iterable[PastRound], participants: Sequence[str]) -> dict[str, set[str]]:
    """Each giver's current cycle: the colleagues they gave to since they last covered
    everyone taking part. A giver who has covered all of `participants` starts afresh."""
    cycle: dict[str, set[str]] = {}
    for past in history:
        _reset_full(cycle, past.participants)
        for giver, receiver in past.pairs:
            cycle.setdefault(giver, set()).add(receiver)
    _reset_full(cycle, participants)
    return cycle


def _reset_full(cycle: dict[str, set[str]], participants: Sequence[str]) -> None:
    present = set(participants)
    for giver, done in cycle.items():
        if giver in present and present - {giver} <= done:
            done.clear()


def receivers_per_giver(wanted: int, participants: int) -> int:
    """As many as asked, but never more than the colleagues there are."""
    if wanted < 1:
        raise ValidationError("receivers_per_giver", "must be at least 1")
    return max(0, min(wanted, participants - 1))


def plan_round(
    participants: Sequence[str],
    history: Iterable[PastRound],
    k: int,
    per_giver: int = 1,
) -> tuple[Pair, ...]:
    """The pairs of round k (k counts from 1) among `participants`, in their order."""
    people = list(dict.fromkeys(participants))
    n = len(people)
    if n < 2:
        return ()
    r = receivers_per_giver(per_giver, n)
    done = covered(history, people)
    big = n * n * r + 1  # one repeat costs more than any number of departures
    chosen: set[Pair] = set()
    for layer in range(r):
        # The rotation this layer would follow in a stable circle: offsets 1 .. n-1.
        offset = ((k - 1) * r + layer) % (n - 1) + 1
        cost: list[list[int | None]] = []
        for i, giver in enumerate(people):
            row: list[int | None] = []
            for j, receiver in enumerate(people):
                if i == j or (giver, receiver) in chosen:
                    row.append(None)
                    continue
                repeat = receiver in done.get(giver, ())
                row.append(big * repeat + (0 if j == (i + offset) % n else 1))
            cost.append(row)
        for i, j in enumerate(_assign(cost)):
            chosen.add((people[i], people[j]))
    return tuple(sorted(chosen, key=lambda p: (people.index(p[0]), people.index(p[1]))))


def repeats(pairs: Iterable[Pair], done: dict[str, set[str]]) -> int:
    return sum(1 for giver, receiver in pairs if receiver in done.get(giver, ()))


def _assign(cost: list[list[int | None]]) -> list[int]:
    """Minimum-cost perfect assignment (Hungarian method, O(n^3)); None is forbidden.

    A perfect one always exists here: a layer only forbids the diagonal and pairs of
    earlier layers, which are permutations themselves."""
    n = len(cost)
    inf = float("inf")
    forbidden = 1 + sum(c for row in cost for c in row if c is not None)
    a = [[forbidden if c is None else c for c in row] for row in cost]
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    p = [0] * (n + 1)  # p[j]: the row assigned to column j (1-based), 0 for none
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = a[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, n + 1):
        result[p[j] - 1] = j - 1
    return result


def drop_from_round(
    pairs: Iterable[Pair], person: str, fixed: Iterable[Pair] = ()
) -> tuple[Pair, ...]:
    """A member leaves or skips a round under way: their pairs go, and the people who
    were to give to them give to those they were to give to instead, where that makes
    no self-pair or duplicate. `fixed` are pairs whose note is already written: they
    stay, even when they involve the person (their note is kept)."""
    pairs = list(pairs)
    fixed_set = set(fixed)
    keep = [p for p in pairs if person not in p or p in fixed_set]
    orphan_givers = [g for g, r in pairs if r == person and (g, r) not in fixed_set]
    orphan_receivers = [r for g, r in pairs if g == person and (g, r) not in fixed_set]
    taken = set(keep)
    for giver in orphan_givers:
        for receiver in list(orphan_receivers):
            if giver != receiver and (giver, receiver) not in taken:
                keep.append((giver, receiver))
                taken.add((giver, receiver))
                orphan_receivers.remove(receiver)
                break
    # Someone whose giver was also their receiver (a cycle of two with the person
    # leaving) is left with neither: they step into another pair instead, a -> b
    # becoming a -> them -> b, so they still give and receive once.
    for stranded in [g for g in orphan_givers if g in orphan_receivers and g not in _givers(keep)]:
        for a, b in list(keep):
            if (a, b) in fixed_set or stranded in (a, b):
                continue
            if (a, stranded) in taken or (stranded, b) in taken:
                continue
            keep.remove((a, b))
            keep += [(a, stranded), (stranded, b)]
            taken -= {(a, b)}
            taken |= {(a, stranded), (stranded, b)}
            orphan_receivers.remove(stranded)
            break
    order = {p: i for i, p in enumerate(pairs)}
    return tuple(sorted(keep, key=lambda p: order.get(p, len(order))))


def _givers(pairs: Iterable[Pair]) -> set[str]:
    return {g for g, _ in pairs}
