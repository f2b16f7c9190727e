"""Hard rules: which pairs may never be matched, and which rule a pair breaks.

`pair_rule` is the readable reference (used by why-not, pin checks and the tests);
`sparse_exclusions` gives the same pair-wise rules as index arrays for the scorer.
Programme rules that follow from a category (same department, level gap) are folded
into the scores as penalties instead (features.py), and the same-team rule is applied
per team block (scores.py), because their pairs are too many to list at scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from peermentor.domain.people import PersonRecord
from peermentor.matching.arrays import sorted_unique
from peermentor.matching.settings import MatchSettings

PastPartners = Iterable[frozenset[str]]


def ancestors(person_id: str, manager_of: dict[str, str | None]) -> list[str]:
    """Managers above `person_id`, nearest first, as far as the records know.

    A manager_id may name someone outside the cohort: that id is included, and the
    chain stops there because nobody tells us who manages them. Cycles in bad HR
    data stop the walk instead of looping.
    """
    out: list[str] = []
    seen = {person_id}
    current = manager_of.get(person_id)
    while current and current not in seen:
        out.append(current)
        seen.add(current)
        current = manager_of.get(current)
    return out


@dataclass
class RuleContext:
    """Everything the pair rules need, built once per cohort."""

    by_id: dict[str, PersonRecord]
    manager_of: dict[str, str | None]
    past: set[frozenset[str]]
    settings: MatchSettings

    @classmethod
    def build(
        cls, people: Sequence[PersonRecord], settings: MatchSettings, past: PastPartners = ()
    ) -> RuleContext:
        pairs: set[frozenset[str]] = set()
        for group in past:
            members = sorted(group)
            pairs.update(frozenset((a, b)) for k, a in enumerate(members) for b in members[k + 1 :])
        return cls(
            {p.employee_id: p for p in people},
            {p.employee_id: p.manager_id for p in people},
            pairs,
            settings,
        )


def pair_rule(a_id: str, b_id: str, ctx: RuleContext) -> str | None:
    """The first hard rule that forbids pairing a and b, in plain words, or None."""
    if a_id == b_id:
        return "a person cannot be paired with themselves"
    for pid in (a_id, b_id):
        if pid not in ctx.by_id:
            return f"{pid} is not in the cohort"
    a, b = ctx.by_id[a_id], ctx.by_id[b_id]
    for p in (a, b):
        if p.opt_out:
            return f"opted out: {p.employee_id} has opted out of matching"
    if b_id in ancestors(a_id, ctx.manager_of) or a_id in ancestors(b_id, ctx.manager_of):
        return "reporting line: one is in the other's management chain"
    if b_id in a.do_not_match or a_id in b.do_not_match:
        return "do not match: this pair is listed as never to be paired"
    s = ctx.settings
    if not s.allow_past_partners and frozenset((a_id, b_id)) in ctx.past:
        return "past partners: they were paired before and repeats are not allowed"
    if (
        s.forbid_same_team
        and a.team.strip()
        and (
            (a.department.strip().lower(), a.team.strip().lower())
            == (b.department.strip().lower(), b.team.strip().lower())
        )
    ):
        return "same team: this programme does not pair people in the same team"
    if (
        s.forbid_same_department
        and a.department.strip()
        and a.department.strip().lower() == b.department.strip().lower()
    ):
        return "same department: this programme does not pair people in the same department"
    if (
        s.max_level_gap is not None
        and a.level is not None
        and b.level is not None
        and abs(a.level - b.level) > s.max_level_gap
    ):
        return f"level gap: more than {s.max_level_gap} level(s) apart"
    return None


def sparse_exclusions(
    people: Sequence[PersonRecord],
    all_people: Sequence[PersonRecord],
    settings: MatchSettings,
    past: PastPartners = (),
) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, cols): for row i, the indices in `people` it may never be paired with
    because of a reporting line, a do-not-match entry or a past pairing. Symmetric.
    `all_people` (opted-out people included) supplies the management chains."""
    index = {p.employee_id: i for i, p in enumerate(people)}
    rows: list[int] = []
    cols: list[int] = []

    def add(i: int, j: int) -> None:
        if i != j:
            rows.extend((i, j))
            cols.extend((j, i))

    line_i, line_j = reporting_line_pairs(people, all_people)
    rows.extend(line_i.tolist() + line_j.tolist())
    cols.extend(line_j.tolist() + line_i.tolist())
    for i, p in enumerate(people):
        for other in p.do_not_match:
            j = index.get(other)
            if j is not None:
                add(i, j)
    if not settings.allow_past_partners:
        for group in past:
            members = sorted(index[m] for m in group if m in index)
            for k, i in enumerate(members):
                for j in members[k + 1 :]:
                    add(i, j)
    n = len(people)
    if not rows:
        return np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = sorted_unique(np.array(rows, dtype=np.int64) * n + np.array(cols, dtype=np.int64))
    r, c = np.divmod(key, n)
    indptr = np.searchsorted(r, np.arange(n + 1)).astype(np.int64)
    return indptr, c


CHAIN_STEPS = 64  # deeper chains (or loops in bad HR data) are walked one by one


def reporting_line_pairs(
    people: Sequence[PersonRecord], all_people: Sequence[PersonRecord]
) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) index pairs into `people`: j is in i's management chain (as `ancestors`
    walks it through `all_people`), i != j. Walked one management level at a time for
    everyone at once, instead of a Python loop per person; a chain still going after
    CHAIN_STEPS levels is finished by `ancestors`, so loops end as they do there."""
    where = {p.employee_id: k for k, p in enumerate(all_people)}
    parent = np.fromiter(
        (where.get(p.manager_id, -1) if p.manager_id else -1 for p in all_people),
        np.int64,
        len(all_people),
    )
    position = np.full(len(all_people) + 1, -1, dtype=np.int64)  # [-1] stays -1
    start = np.fromiter((where[p.employee_id] for p in people), np.int64, len(people))
    position[start] = np.arange(len(people))
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    who = np.arange(len(people))
    current = parent[start]
    for _ in range(CHAIN_STEPS):
        alive = current >= 0
        who, current = who[alive], current[alive]
        if not len(who):
            break
        j = position[current]
        keep = (j >= 0) & (j != who)
        found_i.append(who[keep])
        found_j.append(j[keep])
        current = parent[current]
    else:
        index = {p.employee_id: i for i, p in enumerate(people)}
        manager_of = {p.employee_id: p.manager_id for p in all_people}
        for i in sorted_unique(who[current >= 0]).tolist():
            chain = [index.get(a) for a in ancestors(people[i].employee_id, manager_of)]
            extra = np.array([j for j in chain if j is not None and j != i], dtype=np.int64)
            found_i.append(np.full(len(extra), i, dtype=np.int64))
            found_j.append(extra)
    if not found_i:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_i), np.concatenate(found_j)
