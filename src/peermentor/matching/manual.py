"""An admin's hand-made groups, scored and explained exactly as the engine would.

Used when an admin locks, swaps or pairs people by hand: the hard rules still hold
(a broken one raises ValueError naming it), and the score and "why you two" are the
engine's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from peermentor.domain.people import PersonRecord
from peermentor.matching.cohort import prepare_cohort
from peermentor.matching.explain import explain_pairing
from peermentor.matching.result import Pairing
from peermentor.matching.settings import CRITERIA, MatchSettings


def evaluate_groups(
    people: Sequence[PersonRecord],
    settings: MatchSettings,
    groups: Iterable[Sequence[str]],
    past_partners: Iterable[frozenset[str]] = (),
) -> list[Pairing]:
    """Score each group (2 or 3 employee_ids from `people`) as a pinned pairing.

    `people` must be the whole pool the engine would see: scores depend on the cohort
    (text weights, for instance) and the rules on everyone's reporting lines.
    """
    chosen = [tuple(g) for g in groups]
    known = {p.employee_id for p in people}
    for group in chosen:
        missing = [m for m in group if m not in known]
        if missing:
            raise ValueError(f"{missing[0]} is not in this programme's pool")
    opted_out = {p.employee_id for p in people if p.opt_out}
    for group in chosen:
        for member in group:
            if member in opted_out:
                raise ValueError(f"{member} has opted out and is never paired")
    co = prepare_cohort(people, settings, chosen, past_partners)
    everyone = co.scorer(np.float64, everyone=True)
    by_id = {p.employee_id: p for p in people}
    pairings = []
    for group, indices, scores in zip(chosen, co.pinned_groups, co.pinned_pair_scores, strict=True):
        members = np.array(indices)
        a, b = np.triu_indices(len(indices), 1)
        comps, _ = everyone.components(members[a], members[b])
        mean = comps.mean(axis=0)
        pairings.append(
            Pairing(
                members=group,
                score=float(sum(scores)),
                components={c: float(mean[k]) for k, c in enumerate(CRITERIA)},
                explanations=explain_pairing([by_id[m] for m in group], settings, True),
                pair_scores=tuple(float(s) for s in scores),
                pinned=True,
            )
        )
    return pairings
