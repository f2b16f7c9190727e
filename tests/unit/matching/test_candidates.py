"""Top-k candidates and the bound on every pair left out."""

from __future__ import annotations

import numpy as np
import pytest

from peermentor.demo_org import generate_organisation
from peermentor.matching import candidates
from peermentor.matching.cohort import prepare_cohort
from peermentor.matching.engine import run_matching
from peermentor.matching.settings import MatchSettings


def _pinned_cohort():  # type: ignore[no-untyped-def]
    """Pinned people (left out of the scan), programme rules folded into the scores
    as penalties, and do-not-match lists: every kind of rule the scan must keep."""
    people = generate_organisation(400, seed=5)
    settings = MatchSettings(forbid_same_department=True, max_level_gap=2)
    free = prepare_cohort(people, settings)
    u, v, _ = candidates.topk_edges(free.scorer(np.float32), 3)
    pins, used = [], set()
    for a, b in zip(u.tolist(), v.tolist(), strict=True):
        if a not in used and b not in used and len(pins) < 12:
            pins.append((free.feats.people[a].employee_id, free.feats.people[b].employee_id))
            used |= {a, b}
    return prepare_cohort(people, settings, pinned=pins)


@pytest.fixture(scope="module", params=["team rule", "pins and penalties"])
def cohort(request):  # type: ignore[no-untyped-def]
    if request.param == "team rule":
        return prepare_cohort(
            generate_organisation(400, seed=11), MatchSettings(forbid_same_team=True)
        )
    co = _pinned_cohort()
    assert (~co.active).sum() == 24
    return co


@pytest.mark.parametrize(
    ("rows", "cols", "first", "k"), [(37, 53, 41, 7), (16, 100, 64, 3), (512, 8192, 2048, 20)]
)
def test_topk_is_exact_and_bounds_every_pair_left_out(  # type: ignore[no-untyped-def]
    cohort, monkeypatch, rows, cols, first, k
) -> None:
    # Small tiles, so the tiled search really runs across many tiles.
    monkeypatch.setattr(candidates, "TILE_ROWS", rows)
    monkeypatch.setattr(candidates, "TILE_COLS", cols)
    monkeypatch.setattr(candidates, "FIRST_MIN_COLS", first)
    # Small output buffers: the kernels stop and resume many times within a tile.
    monkeypatch.setattr(candidates, "OUT_SIZE", 1)
    monkeypatch.setattr(candidates, "OUT_ROOM", 1)
    u, v, bound = candidates.topk_edges(cohort.scorer(np.float32), k)
    n = cohort.n
    full = cohort.scorer(np.float64).block(0, n)
    edges = np.zeros((n, n), bool)
    edges[u, v] = edges[v, u] = True
    assert np.isfinite(full[u, v]).all()  # only allowed pairs become edges
    for i in range(n):
        allowed = np.flatnonzero(np.isfinite(full[i]))
        best = np.sort(full[i, allowed])[::-1]
        if len(allowed) <= k:
            assert edges[i, allowed].all()
        else:
            # i's k best are all edges (up to ties), and nothing left out beats the bound
            assert np.sort(full[i, edges[i]])[::-1][k - 1] >= best[k - 1] - 1e-5
    hidden = np.isfinite(full) & ~edges
    np.fill_diagonal(hidden, False)
    i, j = np.nonzero(hidden)
    assert (full[i, j] <= np.minimum(bound[i], bound[j]) + 1e-12).all()


def test_large_cohort_path_gives_a_certified_bound(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    people = generate_organisation(600, seed=2)
    exact = run_matching(people, MatchSettings(odd_mode="waitlist"))
    cand = run_matching(people, MatchSettings(odd_mode="waitlist", exact_limit=100, top_k=10))
    assert exact.full_graph and not cand.full_graph
    # The candidate run's bound must hold the true optimum found on the full graph.
    assert cand.upper_bound >= exact.total_score - 1e-6
    assert cand.total_score <= exact.total_score + 1e-6
    assert 0 <= cand.gap < 0.01
