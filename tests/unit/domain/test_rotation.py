"""Properties of the circle rotation: fair in a stable circle, fair through joins,
leaves and skips, and no pair repeats while a colleague is still owed a note."""

from __future__ import annotations

from collections import Counter
from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.domain.rotation import (
    PastRound,
    covered,
    drop_from_round,
    plan_round,
    repeats,
)


def _people(n: int) -> list[str]:
    return [f"p{i}" for i in range(n)]


@given(st.integers(min_value=2, max_value=14))
def test_stable_circle_gives_to_every_colleague_exactly_once_over_n_minus_1_rounds(
    n: int,
) -> None:
    people = _people(n)
    history: list[PastRound] = []
    given_to: dict[str, list[str]] = {p: [] for p in people}
    for k in range(1, n):
        pairs = plan_round(people, history, k)
        assert Counter(g for g, _ in pairs) == Counter(people)  # each gives once
        assert Counter(r for _, r in pairs) == Counter(people)  # each receives once
        for g, r in pairs:
            assert g != r
            given_to[g].append(r)
        history.append(PastRound(tuple(people), pairs))
    for p in people:
        assert sorted(given_to[p]) == sorted(q for q in people if q != p)


@given(st.integers(min_value=3, max_value=10), st.integers(min_value=1, max_value=9))
def test_stable_circle_follows_the_rotation_i_plus_k(n: int, k: int) -> None:
    people = _people(n)
    history: list[PastRound] = []
    for round_k in range(1, min(k, n - 1) + 1):
        pairs = plan_round(people, history, round_k)
        history.append(PastRound(tuple(people), pairs))
    expected = {(people[i], people[(i + round_k) % n]) for i in range(n)}
    assert set(history[-1].pairs) == expected


@given(
    st.integers(min_value=3, max_value=9),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=6),
)
def test_every_giver_gives_and_receives_as_many_with_several_receivers(
    n: int, per_giver: int, rounds: int
) -> None:
    people = _people(n)
    history: list[PastRound] = []
    expected = min(per_giver, n - 1)
    for k in range(1, rounds + 1):
        pairs = plan_round(people, history, k, per_giver)
        assert len(set(pairs)) == len(pairs)
        assert all(g != r for g, r in pairs)
        assert set(Counter(g for g, _ in pairs).values()) == {expected}
        assert set(Counter(r for _, r in pairs).values()) == {expected}
        history.append(PastRound(tuple(people), pairs))


# A circle's life: each round some join, some leave, some skip this round only.
event = st.tuples(
    st.lists(st.integers(0, 40), max_size=2),  # joiners (new ids)
    st.lists(st.integers(0, 20), max_size=2),  # leavers (indexes into members)
    st.lists(st.integers(0, 20), max_size=2),  # skippers this round
)


def _fewest_repeats(participants: list[str], done: dict[str, set[str]]) -> int:
    best = len(participants)
    for perm in permutations(participants):
        if any(g == r for g, r in zip(participants, perm, strict=True)):
            continue
        best = min(best, repeats(zip(participants, perm, strict=True), done))
    return best


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=3, max_value=6), st.lists(event, min_size=1, max_size=7))
def test_joins_leaves_and_skips_keep_rounds_fair_and_avoid_repeats(
    start: int, life: list[tuple[list[int], list[int], list[int]]]
) -> None:
    members = _people(start)
    history: list[PastRound] = []
    for k, (joiners, leavers, skippers) in enumerate(life, start=1):
        for j in joiners:
            if f"n{j}" not in members and len(members) < 7:
                members.append(f"n{j}")
        for i in leavers:
            if len(members) > 3:
                members.pop(i % len(members))
        away = {members[i % len(members)] for i in skippers}
        taking_part = [m for m in members if m not in away]
        pairs = plan_round(taking_part, history, k)
        if len(taking_part) >= 2:
            # Nobody receives twice while another who took part receives nothing:
            # everyone taking part gives once and receives once.
            assert Counter(g for g, _ in pairs) == Counter(taking_part)
            assert Counter(r for _, r in pairs) == Counter(taking_part)
            assert all(g != r for g, r in pairs)
            # No pair repeats before every colleague has been covered, unless no
            # assignment at all could avoid it.
            done = covered(history, taking_part)
            assert repeats(pairs, done) == _fewest_repeats(taking_part, done)
        else:
            assert pairs == ()
        history.append(PastRound(tuple(taking_part), pairs))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=3, max_value=9), st.integers(min_value=1, max_value=5), st.data())
def test_dropping_someone_mid_round_leaves_nobody_receiving_twice(
    n: int, k: int, data: st.DataObject
) -> None:
    people = _people(n)
    pairs = plan_round(people, [], k)
    leaver = data.draw(st.sampled_from(people))
    written = data.draw(st.sets(st.sampled_from(pairs)))
    after = drop_from_round(pairs, leaver, fixed=written)
    received = Counter(r for _, r in after)
    gave = Counter(g for g, _ in after)
    assert max(received.values(), default=0) <= 1
    assert max(gave.values(), default=0) <= 1
    assert all(g != r for g, r in after)
    assert set(written) <= set(after)  # a note already written is kept
    assert all(leaver not in p for p in after if p not in written)
    if not written:
        # The rotation closes up: everyone else still gives once and receives once.
        others = sorted(p for p in people if p != leaver)
        assert sorted(gave) == sorted(received) == others
        assert set(gave.values()) == set(received.values()) == {1}
