"""The reporting-line exclusions, walked a level at a time for everyone, are exactly
the pairs `ancestors` finds one person at a time: chains that leave the cohort, skip
opted-out people, run deeper than the vectorised walk, or loop in bad HR data."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from peermentor.domain.people import PersonRecord
from peermentor.matching import rules
from peermentor.matching.rules import ancestors, reporting_line_pairs


def _person(i: int, manager: str | None, opt_out: bool = False) -> PersonRecord:
    return PersonRecord(
        employee_id=f"E{i}",
        name=f"P {i}",
        email=f"e{i}@example.com",
        years_experience=1.0,
        manager_id=manager,
        opt_out=opt_out,
    )


def _expected(people: list[PersonRecord], everyone: list[PersonRecord]) -> set[tuple[int, int]]:
    index = {p.employee_id: i for i, p in enumerate(people)}
    manager_of = {p.employee_id: p.manager_id for p in everyone}
    return {
        (i, index[a])
        for i, p in enumerate(people)
        for a in ancestors(p.employee_id, manager_of)
        if a in index and index[a] != i
    }


@pytest.mark.parametrize("seed", range(12))
def test_same_pairs_as_walking_each_chain(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    n = rng.randint(2, 300)
    everyone = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.1:
            manager = None
        elif roll < 0.15:
            manager = "OUTSIDE"
        elif roll < 0.2:  # anyone, so loops appear
            manager = f"E{rng.randrange(n)}"
        else:
            manager = f"E{rng.randrange(i)}" if i else None
        everyone.append(_person(i, manager, opt_out=rng.random() < 0.1))
    if seed % 3 == 0:  # one long chain, deeper than the vectorised walk
        everyone = [
            replace(p, manager_id=f"E{i - 1}" if i else None) for i, p in enumerate(everyone)
        ]
    if seed % 2:
        monkeypatch.setattr(rules, "CHAIN_STEPS", 3)
    eligible = [p for p in everyone if not p.opt_out]
    i, j = reporting_line_pairs(eligible, everyone)
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == _expected(eligible, everyone)
