"""run_matching: people in, published-ready pairings out, with proof of how good."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from peermentor.domain.people import PersonRecord
from peermentor.matching.bound import lp_upper_bound
from peermentor.matching.candidates import all_allowed_edges, topk_edges
from peermentor.matching.cohort import Cohort, prepare_cohort
from peermentor.matching.explain import explain_pairing
from peermentor.matching.quality import blocking_pairs, quality_report
from peermentor.matching.result import MatchResult, Pairing
from peermentor.matching.settings import CRITERIA, MatchSettings
from peermentor.matching.triad_bound import best_arrangement
from peermentor.matching.triads import best_two_sums, join_leftovers

Progress = Callable[[str, float], None]

# Below this gap the solver's own certificate is kept; above, the LP bound is tried.
LP_WORTH_IT = 1e-3
NO_PARTNER = "no allowed partner: every possible partner is ruled out by a hard rule"
WAITLISTED = "waitlisted: odd number"
NO_ROOM = "no partner left: every allowed partner is already paired"
NO_TRIAD = "no allowed group of three: odd number and no pairing can take a third"


def run_matching(
    people: Sequence[PersonRecord],
    settings: MatchSettings | None = None,
    *,
    pinned: Iterable[Sequence[str]] = (),
    past_partners: Iterable[frozenset[str]] = (),
    progress: Progress | None = None,
    on_graph: Callable[[int, np.ndarray, np.ndarray, np.ndarray], None] | None = None,
) -> MatchResult:
    """Pair `people` under `settings`; see MatchResult. `on_graph(n, u, v, w)`, if
    given, receives the exact graph handed to the solver (for benchmarks and audits).
    """
    from peermentor.matching.solver import solve_fair, solve_matching

    settings = settings or MatchSettings()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    clock = [started]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        timings[stage] = now - clock[0]
        clock[0] = now
        if progress:
            progress(stage, 1.0)

    co = prepare_cohort(people, settings, pinned, past_partners)
    lap("features")

    active_n = int(co.active.sum())
    u, v, w, bound = candidate_graph(co, settings, progress)
    full = bound is None
    if on_graph:
        on_graph(co.n, u, v, w)
    exact_scorer = co.scorer(np.float64)
    lap("scores+candidates")

    solve = solve_fair if settings.mode == "fair" else solve_matching
    res = solve(
        co.n,
        u,
        v,
        w,
        outside_bound=bound,
        progress=(lambda f: progress("solve", f)) if progress else None,
    )
    lap("solve")

    mate = np.asarray(res.mate)
    idx = np.arange(co.n)
    paired = co.active & (mate > idx)
    pairs = [(int(i), int(mate[i])) for i in np.flatnonzero(paired)]
    left = [int(i) for i in np.flatnonzero(co.active & (mate < 0))]
    degree = np.bincount(np.concatenate([u, v]), minlength=co.n)
    reasons: dict[int, str] = {}
    for x in left:
        if degree[x] == 0:
            reasons[x] = NO_PARTNER
    hopeful = [x for x in left if x not in reasons]
    joined: dict[int, int] = {}
    if hopeful and settings.odd_mode == "triad":
        joined, hopeful_left = join_leftovers(
            exact_scorer, pairs, hopeful, set(), fair=settings.mode == "fair"
        )
        for x in hopeful_left:
            reasons[x] = NO_TRIAD
    else:
        lone = len(hopeful) == 1 and active_n % 2 == 1
        for x in hopeful:
            reasons[x] = WAITLISTED if lone else NO_ROOM

    bound3 = None
    only_unplaceable = all(r == NO_PARTNER for r in reasons.values())
    if full and len(joined) == 1 and only_unplaceable and res.duals is not None:
        # One group of three on the full graph: the best arrangement of pairs and one
        # group of three, with its proof (matching/triad_bound.py).
        pairs, joined, bound3 = best_arrangement(co.n, u, v, w, res.duals, pairs, joined)
    groups: list[tuple[int, ...]] = [
        (*pairs[k], joined[k]) if k in joined else pairs[k] for k in range(len(pairs))
    ]
    pinned_total = sum(co.pinned_scores)
    triad_room = np.sort(best_two_sums(co.n, u, v, w))[::-1][: len(joined)].sum() if joined else 0.0
    matching_bound = float(res.upper_bound)
    solver_gap = (matching_bound - res.total) / matching_bound if matching_bound > 0 else 0.0
    if bound is not None and solver_gap > LP_WORTH_IT:
        lp = lp_upper_bound(co.n, u, v, w, bound)
        matching_bound = min(matching_bound, lp) if lp is not None else matching_bound
    upper = matching_bound + pinned_total + float(triad_room)
    if bound3 is not None:
        upper = min(upper, bound3 + pinned_total)

    current = np.full(co.n, np.nan)
    current[co.active] = -1.0
    # Every pair inside every group, scored in one call.
    gi = np.repeat(np.arange(len(groups)), [len(g) * (len(g) - 1) // 2 for g in groups])
    pa = np.array([g[x] for g in groups for x, _ in _pairs_of(len(g))], dtype=np.int64)
    pb = np.array([g[y] for g in groups for _, y in _pairs_of(len(g))], dtype=np.int64)
    ps = exact_scorer.scores(pa, pb)
    np.fmax.at(current, pa, ps)
    np.fmax.at(current, pb, ps)
    cuts = np.cumsum(np.bincount(gi, minlength=len(groups)))[:-1]
    group_scores = np.split(ps, cuts)[: len(groups)]
    total = float(ps.sum()) + pinned_total
    group_of = np.full(co.n, -1)
    for k, g in enumerate(groups):
        group_of[list(g)] = k
    same = (group_of[u] >= 0) & (group_of[u] == group_of[v])
    blocking = blocking_pairs(u, v, w, current, same)
    lap("bound")

    comps, _ = co.scorer(np.float64, everyone=True).components(pa, pb)
    group_comps = np.split(comps, cuts)[: len(groups)]
    pairings = [
        _pairing(co, g, s, c, settings, False)
        for g, s, c in zip(groups, group_scores, group_comps, strict=True)
    ]
    for pin, pin_scores in zip(co.pinned_groups, co.pinned_pair_scores, strict=True):
        members = np.array(pin)
        a, b = np.triu_indices(len(pin), 1)
        c, _ = co.scorer(np.float64, everyone=True).components(members[a], members[b])
        pairings.append(_pairing(co, pin, np.asarray(pin_scores), c, settings, True))
    lap("explanations")

    unmatched = co.opted_out + [
        (co.feats.people[x].employee_id, r) for x, r in sorted(reasons.items())
    ]
    gap = (upper - total) / upper if upper > 0 else 0.0
    return MatchResult(
        pairings=pairings,
        unmatched=unmatched,
        total_score=total,
        upper_bound=upper,
        gap=max(0.0, gap),
        exact=bool(res.exact) and full and (not joined or _proven(upper, total)),
        blocking_pairs=blocking,
        quality=quality_report(pairings, len(unmatched), settings.criterion_threshold),
        seconds=time.perf_counter() - started,
        timings=timings,
        mode=settings.mode,
        edges=len(u),
        full_graph=full,
    )


def _proven(upper: float, total: float) -> bool:
    """The bound meets the total up to the rounding of weights to integers."""
    return upper - total <= 1e-9 * max(1.0, abs(upper))


def candidate_graph(
    co: Cohort, settings: MatchSettings, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """The solver's graph (u, v, w) and outside bound: every allowed pair (bound None)
    up to settings.exact_limit active people, else each person's top k."""
    if int(co.active.sum()) <= settings.exact_limit:
        u, v, w = all_allowed_edges(co.scorer(np.float64), progress)
        return u, v, w, None
    u, v, bound = topk_edges(co.scorer(np.float32), settings.top_k, progress)
    return u, v, co.scorer(np.float64).scores(u, v), bound


def _pairs_of(size: int) -> list[tuple[int, int]]:
    return [(0, 1)] if size == 2 else [(0, 1), (0, 2), (1, 2)]


def _pairing(
    co: Cohort,
    group: Sequence[int],
    scores: np.ndarray,
    comps: np.ndarray,
    settings: MatchSettings,
    pinned: bool,
) -> Pairing:
    # A pair has one row: its mean and sum are that row, bit for bit, without
    # NumPy's per-call overhead (50,000 times a run).
    single = len(scores) == 1
    mean = comps[0] if single else comps.mean(axis=0)
    pair_scores = tuple(scores.tolist())
    records = [co.feats.people[i] for i in group]
    return Pairing(
        members=tuple(p.employee_id for p in records),
        score=pair_scores[0] if single else float(scores.sum()),
        components=dict(zip(CRITERIA, mean.tolist(), strict=True)),
        explanations=explain_pairing(records, settings, pinned),
        pair_scores=pair_scores,
        pinned=pinned,
    )
