"""Graph solver of the matching engine: maximum-cardinality, maximum-weight matching.

``solve_matching`` is exact: among the matchings with the most pairs it returns one of
greatest total weight (the same optimum as networkx ``max_weight_matching(G,
maxcardinality=True)``), and it returns a proven upper bound on the weight of ANY
matching over the given edges plus the hidden pairs described by ``outside_bound``.

How:

1. Weights are rounded to integers W = round(w * 2**K) (K <= 40) so that everything
   below runs in exact integer arithmetic; the rounding moves a total by < n * 1e-12.
2. Warm start (solver_lp.py): an auction on the bipartite double cover approaches
   the fractional matching LP; its prices are LP duals (already a certificate over
   all allowed pairs: hidden pairs bid through outside_bound) and its assignment,
   rounded along tight edges, is a matching that leaves few free vertices.
3. Maximum WEIGHT matching by the primal-dual blossom engine (solver_stage.py, one
   lazily-updated alternating tree per free vertex with positive dual), on doubled
   weights 2 W. Its final duals (vertex and blossom) are the LP certificate of the
   weight optimum; with outside_bound they are raised to cover the hidden pairs and
   re-verified in floating point on the real weights. The bound returned is the
   smaller of this one and the auction's.
4. Maximum cardinality first: add C = (n // 2 + 1) * 2**(K+1) to every weight and every
   vertex dual. The weight-optimal state stays valid and only free vertices get a
   positive dual, so the engine runs one stage per free vertex; with that C one more
   pair outweighs any change of weight.
5. The final state is re-checked (complementary slackness on every edge and blossom):
   ``exact`` reports that proof, not an assumption.

The kernels are compiled by Numba (``cache=True``): the first call in a new
environment compiles for a few seconds (call ``precompile()`` at start-up to pay it
early); later processes load the compiled code from the on-disk cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from peermentor.matching.solver_cert import optimality_violations, weight_certificate
from peermentor.matching.solver_kernels import C_FREESET, DUAL, MATE, new_state
from peermentor.matching.solver_lp import auction, fractional_certificate, round_fractional
from peermentor.matching.solver_stage import greedy_kernel, run_roots, warm_start

Progress = Callable[[float], None]


@dataclass(frozen=True)
class SolveResult:
    mate: np.ndarray  # int64, length n, mate[i] = j or -1 when unmatched
    total: float  # sum of w over the matched edges
    upper_bound: float  # proven upper bound on the best total of ANY matching
    exact: bool  # True when total is proven optimal on the given edges
    cardinality: int  # number of matched pairs
    # The certificate behind the weight bound: its total D, the vertex duals y and, per
    # edge, the summed duals of the blossoms holding both its ends; what bounds a group
    # of three (matching/triad_bound.py). None where no such certificate was made.
    duals: tuple[float, np.ndarray, np.ndarray] | None = None


@dataclass
class _Graph:
    n: int
    eu: np.ndarray
    ev: np.ndarray
    w: np.ndarray
    endp: np.ndarray  # endp[2k] = eu[k], endp[2k + 1] = ev[k]
    adj_start: np.ndarray  # CSR over vertices ...
    adj_p: np.ndarray  # ... of the REMOTE endpoints of incident edges


def _as_graph(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> _Graph:
    eu = np.ascontiguousarray(u, dtype=np.int64)
    ev = np.ascontiguousarray(v, dtype=np.int64)
    wf = np.ascontiguousarray(w, dtype=np.float64)
    m = eu.shape[0]
    if ev.shape[0] != m or wf.shape[0] != m:
        raise ValueError("u, v and w must have the same length")
    if m and (min(eu.min(), ev.min()) < 0 or max(eu.max(), ev.max()) >= n):
        raise ValueError("edge endpoint out of range")
    if np.any(eu == ev):
        raise ValueError("self loops are not allowed")
    if m and (not np.all(np.isfinite(wf)) or wf.min() < 0.0 or wf.max() > 1.0):
        raise ValueError("weights must lie in [0, 1]")
    endp = np.empty(2 * m, dtype=np.int64)
    endp[0::2] = eu
    endp[1::2] = ev
    ks = np.arange(m, dtype=np.int64)
    owner = np.concatenate([eu, ev])
    remote = np.concatenate([2 * ks + 1, 2 * ks])
    order = np.argsort(owner, kind="stable")
    adj_p = np.ascontiguousarray(remote[order])
    adj_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n), out=adj_start[1:])
    return _Graph(n, eu, ev, wf, endp, adj_start, adj_p)


def _scale_bits(n: int) -> int:
    # Doubled duals reach about 4 * (C + 2**K) with C = (n // 2 + 1) * 2**K; keep that
    # below 2**62. 40 bits make the rounding of any total negligible (< n * 1e-12).
    # The general engine works on 2 W (see solver_lp.py), hence 59 rather than 60.
    return min(40, 59 - int(np.ceil(np.log2(n // 2 + 2))))


class _Engine:
    """Buffers and state of one blossom-engine run on a graph."""

    def __init__(self, g: _Graph, wt: np.ndarray) -> None:
        n = g.n
        self.g = g
        self.wt = wt
        self.st = new_state(n)
        self.freeb = np.arange(2 * n - 1, n - 1, -1, dtype=np.int64)
        self.cnt = np.zeros(12, dtype=np.int64)
        self.cnt[2] = n  # free blossom ids
        self.cnt[C_FREESET] = n  # free vertex-set ids
        self.hk = np.empty(1024, dtype=np.int64)
        self.hv = np.empty(1024, dtype=np.int64)
        self.touched = np.empty(2 * n + 1, dtype=np.int64)
        self.leafbuf = np.empty(n + 1, dtype=np.int64)
        self.stack = np.empty(2 * n + 1, dtype=np.int64)
        self.bufa = np.empty(2 * n + 1, dtype=np.int64)
        self.bufb = np.empty(2 * n + 1, dtype=np.int64)
        self.jobs = np.empty(4 * n + 2, dtype=np.int64)

    def warm_start(self, first: np.ndarray | None = None) -> None:
        """Tight duals and a greedy matching on tight edges, heaviest first, trying the
        edges flagged in ``first`` before all others."""
        g = self.g
        key = -self.wt.astype(np.float64)
        if first is not None:
            key = np.where(first, key - 2.0**62, key)
        edge_order = np.argsort(key, kind="stable").astype(np.int64)
        vertex_order = np.arange(g.n, dtype=np.int64)
        warm_start(g.n, g.endp, g.adj_start, g.adj_p, self.wt, vertex_order, edge_order, self.st)

    def free_positive_vertices(self) -> np.ndarray:
        n = self.g.n
        free = (self.st[MATE, :n] == -1) & (self.st[DUAL, :n] > 0)
        return np.flatnonzero(free).astype(np.int64)

    def run(self, progress: Progress | None, lo: float, hi: float, budget: int = 0) -> None:
        """One stage per free vertex with positive dual, in rounds of growing budget.

        A stage that has to search far is often spared by a later stage that reaches
        its root from the other side, so rounds start with a small budget and only the
        roots still free get a larger one; budget 0 means the last round is unlimited
        (exact), otherwise the last round uses ``budget``."""
        g = self.g
        first = self.free_positive_vertices().shape[0]
        done = 0.0  # fraction reported so far (kept monotonic)
        round_budget = FIRST_ROUND_BUDGET
        while True:
            last = budget != 0 and round_budget >= budget
            this_budget = budget if last else round_budget
            roots = self.free_positive_vertices()
            if roots.shape[0] == 0:
                break
            chunk = max(256, roots.shape[0] // 20)
            for start in range(0, roots.shape[0], chunk):
                stop = min(start + chunk, roots.shape[0])
                stages, self.hk, self.hv = run_roots(
                    self.st,
                    g.n,
                    roots,
                    start,
                    stop,
                    g.endp,
                    g.adj_start,
                    g.adj_p,
                    self.wt,
                    self.freeb,
                    self.cnt,
                    self.hk,
                    self.hv,
                    self.touched,
                    self.leafbuf,
                    self.stack,
                    self.bufa,
                    self.bufb,
                    self.jobs,
                    this_budget,
                )
                if stages < 0:
                    raise RuntimeError(
                        f"matching engine invariant broken at root {roots[-1 - stages]}"
                    )
                if progress is not None:
                    done = max(done, 1.0 - (roots.shape[0] - stop) / max(first, 1))
                    progress(lo + (hi - lo) * done)
            if last or this_budget == 0:
                break
            round_budget *= 4
            if budget == 0 and round_budget > 4 * g.n:
                round_budget = 0  # unlimited: the final, exact round

    def partner(self) -> np.ndarray:
        n = self.g.n
        p = self.st[MATE, :n]
        mate = np.full(n, -1, dtype=np.int64)
        has = p >= 0
        mate[has] = self.g.endp[p[has]]
        return mate


def _result(
    g: _Graph,
    mate: np.ndarray,
    upper_bound: float,
    exact: bool,
    duals: tuple[float, np.ndarray, np.ndarray] | None = None,
) -> SolveResult:
    idx = np.flatnonzero(mate >= 0)
    if g.eu.shape[0]:
        matched = mate[g.eu] == g.ev
        total = float(g.w[matched].sum())
    else:
        total = 0.0
    return SolveResult(
        mate=mate,
        total=total,
        upper_bound=upper_bound,
        exact=exact,
        cardinality=int(idx.shape[0] // 2),
        duals=duals,
    )


def _outside(n: int, outside_bound: np.ndarray | None) -> np.ndarray:
    if outside_bound is None:
        return np.zeros(n, dtype=np.float64)
    ob = np.ascontiguousarray(outside_bound, dtype=np.float64)
    if ob.shape != (n,):
        raise ValueError("outside_bound must have length n")
    # Weights never exceed 1, so a larger bound says nothing more than 1 does.
    return np.clip(ob, 0.0, 1.0)


# Stages run to completion unless the caller sets ``max_stage_work``: then a stage
# stops after touching that many vertices/blossoms. The result is still a valid
# matching with a valid certificate (every event keeps the invariants), only maybe not
# optimal; ``exact`` says which. Measured on 20-candidate graphs, exact runs take a
# few seconds at 100,000 people, so the default is exact.

# Bids of the warm-start auction per vertex: more bids leave fewer roots for the exact
# engine but cost more than they save beyond about this (measured at 100,000).
AUCTION_BIDS_PER_VERTEX = 10
# Work budget of a stage in the first round (then x4 per round, see _Engine.run).
FIRST_ROUND_BUDGET = 500


def _solve_graph(
    g: _Graph, ob: np.ndarray, progress: Progress | None, budget: int = 0
) -> SolveResult:
    n = g.n
    m = g.eu.shape[0]
    if n == 0:
        return SolveResult(np.zeros(0, dtype=np.int64), 0.0, 0.0, True, 0)
    bits = _scale_bits(n)
    scale = float(2**bits)
    wt = np.rint(g.w * scale).astype(np.int64)
    # 1. Auction on the double cover (solver_lp.py): LP duals and a successor map.
    #    Hidden pairs compete through outside_bound, so these duals are already a
    #    certificate over all allowed pairs.
    wt_hidden = np.ceil(ob * scale).astype(np.int64)
    q, price, obj, obj_edge = auction(
        n, g.endp, g.adj_start, g.adj_p, wt, wt_hidden, AUCTION_BIDS_PER_VERTEX * n
    )
    lp_bound, bad = fractional_certificate(q, price, scale, g.eu, g.ev, g.w, ob)
    if bad:
        raise RuntimeError(f"fractional certificate failed on {bad} constraints")
    if progress is not None:
        progress(0.1)
    # 2. Blossom engine on doubled weights 2 W from the rounded fractional solution.
    wt = 2 * wt
    bits += 1
    scale = float(2**bits)
    eng = _Engine(g, wt)
    round_fractional(n, q, price, obj, obj_edge, g.eu, g.ev, wt, g.adj_start, g.adj_p, eng.st)
    del q, price, obj, obj_edge
    eng.run(progress, 0.1, 0.9, budget)
    cert = weight_certificate(eng.st, n, scale, g.eu, g.ev, g.w, ob, g.adj_start, g.adj_p)
    bound, bad, y, edge_z = cert
    if bad:
        raise RuntimeError(f"dual certificate failed on {bad} constraints")
    duals = (float(bound), np.asarray(y), np.asarray(edge_z))
    bound = min(bound, lp_bound)
    # 3. Maximum cardinality first. Shifting every weight by C and every vertex dual
    #    by C keeps all slacks, so the weight-optimal state is a valid warm start.
    free_count = int(np.count_nonzero(eng.st[MATE, :n] == -1))
    if free_count >= 2 and m:
        shift = (n // 2 + 1) * (2**bits)
        eng.wt = wt + shift
        eng.st[DUAL, :n] += shift
        eng.run(progress, 0.9, 1.0, budget)
    exact = optimality_violations(eng.st, n, g.eu, g.ev, eng.wt, g.adj_start, g.adj_p) == 0
    if progress is not None:
        progress(1.0)
    return _result(g, eng.partner(), bound, exact, duals)


def solve_matching(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    *,
    outside_bound: np.ndarray | None = None,
    progress: Progress | None = None,
    max_stage_work: int | None = None,
) -> SolveResult:
    """Maximum-cardinality matching of greatest weight, with a certified upper bound.

    ``max_stage_work`` (optional) caps the work of one search stage, trading the
    exactness guarantee for a time guarantee; the default solves exactly."""
    g = _as_graph(n, u, v, w)
    return _solve_graph(g, _outside(n, outside_bound), progress, max_stage_work or 0)


def max_cardinality(n: int, u: np.ndarray, v: np.ndarray, prefer: np.ndarray | None = None) -> int:
    """Size of a maximum matching (the engine with unit weights). Edges flagged in
    ``prefer`` (say, a known large matching) seed the warm start."""
    if n == 0 or len(u) == 0:
        return 0
    g = _as_graph(n, u, v, np.ones(len(u), dtype=np.float64))
    eng = _Engine(g, np.ones(len(u), dtype=np.int64))
    eng.warm_start(prefer)
    eng.run(None, 0.0, 1.0)
    return int(np.count_nonzero(eng.st[MATE, :n] >= 0) // 2)


def solve_fair(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    *,
    outside_bound: np.ndarray | None = None,
    progress: Progress | None = None,
) -> SolveResult:
    """Fairness mode: the largest worst-pair weight t that still allows a maximum-
    cardinality matching, then the heaviest maximum-cardinality matching using only
    edges of weight >= t. ``upper_bound`` bounds any matching (fair or not); ``exact``
    means optimal for this fair objective."""
    g = _as_graph(n, u, v, w)
    ob = _outside(n, outside_bound)
    full = _solve_graph(g, ob, None)
    if g.eu.shape[0] == 0:
        return full
    target = full.cardinality
    levels = np.unique(g.w)
    # Bracket the threshold. Low end: the unconstrained optimum is itself a maximum-
    # cardinality matching, so its lightest pair's weight works. High end: at most
    # n - 2 * target people stay unmatched, so every other person needs an edge >= t:
    # t <= the (n - 2 * target + 1)-th smallest "heaviest edge at a person". That end
    # is often the answer itself, so it is checked first.
    matched = full.mate[g.eu] == g.ev
    lightest = float(g.w[matched].min()) if target else float(levels[0])
    heaviest_at = np.zeros(n, dtype=np.float64)
    np.maximum.at(heaviest_at, g.eu, g.w)
    np.maximum.at(heaviest_at, g.ev, g.w)
    ceiling = float(np.sort(heaviest_at)[n - 2 * target]) if target else lightest
    lo = int(np.searchsorted(levels, lightest))
    hi = max(lo, int(np.searchsorted(levels, ceiling, side="right")) - 1)
    checks = 0

    def keeps_cardinality(level: int) -> bool:
        keep = g.w >= levels[level]
        sub = _as_graph(n, g.eu[keep], g.ev[keep], g.w[keep])
        return _solve_graph(sub, np.zeros(n), None).cardinality == target

    if lo < hi and keeps_cardinality(hi):
        lo = hi
    else:
        hi -= 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        checks += 1
        if keeps_cardinality(mid):
            lo = mid
        else:
            hi = mid - 1
        if progress is not None:
            progress(min(0.9, 0.1 + 0.05 * checks))
    keep = g.w >= levels[lo]
    sub = _as_graph(n, g.eu[keep], g.ev[keep], g.w[keep])
    fair = _solve_graph(sub, np.zeros(n), None)
    if progress is not None:
        progress(1.0)
    return SolveResult(
        mate=fair.mate,
        total=fair.total,
        upper_bound=max(full.upper_bound, fair.total),
        exact=fair.exact,
        cardinality=fair.cardinality,
    )


def greedy_matching(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> SolveResult:
    """Heaviest-edge-first maximal matching: the baseline (no optimality claims)."""
    g = _as_graph(n, u, v, w)
    order = np.argsort(-g.w, kind="stable").astype(np.int64)
    mate = greedy_kernel(n, g.eu, g.ev, order)
    # y_i = (heaviest edge at i) / 2 is a feasible LP dual: a valid, loose bound.
    best = np.zeros(n, dtype=np.float64)
    np.maximum.at(best, g.eu, g.w)
    np.maximum.at(best, g.ev, g.w)
    return _result(g, mate, float(best.sum() / 2.0), False)


def precompile() -> None:
    """Compile (or load from the on-disk cache) every kernel, by solving a small graph
    that needs every kind of search stage (odd cycles, ties, hidden pairs)."""
    n = 40
    i = np.repeat(np.arange(n), 5)
    j = (i + np.tile([1, 2, 3, 5, 7], n)) % n
    u, v = np.minimum(i, j), np.maximum(i, j)
    w = ((u * 7 + v * 13) % 17) / 16.0
    ob = np.full(n, 0.25)
    solve_fair(n, u, v, w, outside_bound=ob)
    solve_matching(n, u, v, w, max_stage_work=3)
    max_cardinality(n, u, v)
    greedy_matching(n, u, v, w)


__all__ = [
    "SolveResult",
    "greedy_matching",
    "max_cardinality",
    "precompile",
    "solve_fair",
    "solve_matching",
]
