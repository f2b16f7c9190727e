"""A cohort made ready for matching: who is eligible, who is pinned, the encoded
features and the pair exclusions. Shared by run_matching, why_not and the score
export, so all three judge a pair the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from peermentor.domain.people import PersonRecord
from peermentor.matching.features import Features, build_features
from peermentor.matching.rules import RuleContext, pair_rule, sparse_exclusions
from peermentor.matching.scores import Scorer
from peermentor.matching.settings import MatchSettings

OPTED_OUT = "opted out"


@dataclass
class Cohort:
    feats: Features
    indptr: np.ndarray
    excluded: np.ndarray
    active: np.ndarray  # eligible and not pinned: the people the solver pairs
    opted_out: list[tuple[str, str]]
    pinned_groups: list[tuple[int, ...]]
    pinned_pair_scores: list[list[float]]
    rules: RuleContext
    _scorers: dict[tuple[str, bool], Scorer] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.feats.n

    @property
    def pinned_scores(self) -> list[float]:
        return [sum(s) for s in self.pinned_pair_scores]

    def scorer(self, dtype: type = np.float64, everyone: bool = False) -> Scorer:
        """A scorer over the active people (or everyone eligible), built once."""
        # With nobody pinned both are the same: build (and hold in memory) one.
        key = (np.dtype(dtype).name, everyone or bool(self.active.all()))
        if key not in self._scorers:
            active = None if key[1] else self.active
            self._scorers[key] = Scorer(self.feats, self.indptr, self.excluded, active, dtype)
        return self._scorers[key]


def check_unique_ids(people: Sequence[PersonRecord]) -> None:
    seen: set[str] = set()
    for p in people:
        if p.employee_id in seen:
            raise ValueError(f"employee_id {p.employee_id!r} appears more than once")
        seen.add(p.employee_id)


def prepare_cohort(
    people: Sequence[PersonRecord],
    settings: MatchSettings,
    pinned: Iterable[Sequence[str]] = (),
    past_partners: Iterable[frozenset[str]] = (),
) -> Cohort:
    people = list(people)
    check_unique_ids(people)
    past = [frozenset(g) for g in past_partners]
    rules = RuleContext.build(people, settings, past)
    eligible = [p for p in people if not p.opt_out]
    feats = build_features(eligible, settings)
    indptr, excluded = sparse_exclusions(eligible, people, settings, past)
    groups = _check_pins(pinned, rules, feats)
    active = np.ones(feats.n, bool)
    for g in groups:
        active[list(g)] = False
    co = Cohort(
        feats,
        indptr,
        excluded,
        active,
        [(p.employee_id, OPTED_OUT) for p in people if p.opt_out],
        groups,
        [],
        rules,
    )
    everyone = co.scorer(np.float64, everyone=True)
    for g in groups:
        a, b = np.triu_indices(len(g), 1)
        members = np.array(g)
        co.pinned_pair_scores.append(everyone.scores(members[a], members[b]).tolist())
    return co


def _check_pins(
    pinned: Iterable[Sequence[str]], rules: RuleContext, feats: Features
) -> list[tuple[int, ...]]:
    """Pins are an admin's choice and are kept, but never against a hard rule."""
    groups: list[tuple[int, ...]] = []
    used: set[str] = set()
    for pin in pinned:
        ids = tuple(pin)
        if len(ids) not in (2, 3) or len(set(ids)) != len(ids):
            raise ValueError(f"pinned {ids}: a pin names 2 or 3 different people")
        for k, a in enumerate(ids):
            if a in used:
                raise ValueError(f"pinned {ids}: {a} is already in another pin")
            for b in ids[k + 1 :]:
                broken = pair_rule(a, b, rules)
                if broken:
                    raise ValueError(f"pinned {ids}: {a} and {b} break a hard rule ({broken})")
        used.update(ids)
        groups.append(tuple(feats.index[i] for i in ids))
    return groups
