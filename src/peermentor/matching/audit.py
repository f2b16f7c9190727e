"""Answers an admin or an outside auditor can check: every allowed pair's score, and
why two people were not paired."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

from peermentor.domain.people import PersonRecord
from peermentor.matching.candidates import allowed_blocks
from peermentor.matching.cohort import prepare_cohort
from peermentor.matching.result import MatchResult
from peermentor.matching.rules import pair_rule
from peermentor.matching.settings import MatchSettings


def allowed_pair_scores(
    people: Sequence[PersonRecord],
    settings: MatchSettings | None = None,
    past_partners: Iterable[frozenset[str]] = (),
) -> Iterator[tuple[str, str, float]]:
    """(employee_id_a, employee_id_b, score) for every pair the rules allow, each pair
    once, streamed a block at a time. The scores are the ones run_matching optimises,
    so anyone can rerun the optimisation with their own solver."""
    co = prepare_cohort(people, settings or MatchSettings(), (), past_partners)
    ids = [p.employee_id for p in co.feats.people]
    for u, v, w in allowed_blocks(co.scorer(np.float64)):
        for a, b, s in zip(u.tolist(), v.tolist(), w.tolist(), strict=True):
            yield ids[a], ids[b], s


def why_not(
    people: Sequence[PersonRecord],
    result: MatchResult,
    a_id: str,
    b_id: str,
    settings: MatchSettings | None = None,
    past_partners: Iterable[frozenset[str]] = (),
) -> str:
    """The hard rule pairing a and b would break, or what it would cost in score."""
    return why_not_apart(people, result.partner_of(), a_id, b_id, settings, past_partners)


def why_not_apart(
    people: Sequence[PersonRecord],
    partners: Mapping[str, tuple[str, ...]],
    a_id: str,
    b_id: str,
    settings: MatchSettings | None = None,
    past_partners: Iterable[frozenset[str]] = (),
) -> str:
    """why_not against the partners each person has now (employee_id -> the others in
    their pairing; absent: unpaired)."""
    settings = settings or MatchSettings()
    co = prepare_cohort(people, settings, (), past_partners)
    broken = pair_rule(a_id, b_id, co.rules)
    if broken:
        return f"Not allowed: {broken}."
    if b_id in partners.get(a_id, ()):
        return f"{a_id} and {b_id} are paired."
    idx = co.feats.index
    everyone = co.scorer(np.float64, everyone=True)

    def score(x: str, y: str) -> float:
        return float(everyone.scores([idx[x]], [idx[y]])[0])

    s_ab = score(a_id, b_id)
    now = {x: [score(x, p) for p in partners.get(x, ())] for x in (a_id, b_id)}
    lines = [f"Together {a_id} and {b_id} would score {s_ab:.3f}."]
    for x in (a_id, b_id):
        if now[x]:
            names = " and ".join(partners[x])
            lines.append(f"{x} now scores {max(now[x]):.3f} with {names}.")
        else:
            lines.append(f"{x} is not paired now.")
    # The simplest swap: a with b, and their current partners with each other.
    pa, pb = partners.get(a_id, ()), partners.get(b_id, ())
    before = sum(now[a_id]) + sum(now[b_id])
    after = s_ab
    if len(pa) == 1 and len(pb) == 1:
        s_rest = score(pa[0], pb[0])
        if np.isfinite(s_rest):
            after += s_rest
            lines.append(
                f"Pairing them (and {pa[0]} with {pb[0]}) changes the total by "
                f"{after - before:+.3f}."
            )
        else:
            lines.append(
                f"Pairing them would leave {pa[0]} and {pb[0]}, who may not be "
                f"paired ({pair_rule(pa[0], pb[0], co.rules)}), to be rematched."
            )
    else:
        lines.append(
            f"Pairing them changes the total by {after - before:+.3f} before "
            f"their current partners are rematched."
        )
    return " ".join(lines)
