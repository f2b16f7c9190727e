"""The scan's own score arithmetic (lookups, bit sets, bounded dense pieces) gives the
scorer's values for every pair, in every form and kind of piece, and its heaps keep
each row's k best."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from peermentor.matching.features import Features, Piece
from peermentor.matching.scan_kernels import merge_into_heaps, scan_tile
from peermentor.matching.scan_plan import LOOKUP_PROFILES, build_plan
from peermentor.matching.scores import Scorer

KINDS = ("lin", "relu", "min1", "minpair")


def _binary(rng: np.random.Generator, n: int, d: int, per_row_scale: bool) -> np.ndarray:
    m = (rng.random((n, d)) < 0.15).astype(float)
    if per_row_scale:
        m *= rng.uniform(0.2, 1.0, size=(n, 1))
    return m


def _few_profiles(
    rng: np.random.Generator, n: int, d: int, profiles: int
) -> tuple[np.ndarray, np.ndarray]:
    """Left and right rows that, per person, are one of a few profiles."""
    which = rng.integers(0, profiles, n)
    return (rng.normal(size=(profiles, d)) * 0.3)[which], (rng.normal(size=(profiles, d)) * 0.3)[
        which
    ]


def _synthetic(n: int, seed: int) -> Features:
    """One piece of every kind in every form, with negative coefficients on linear
    pieces, so each code path of the plan and the kernel is exercised."""
    rng = np.random.default_rng(seed)
    pieces = []
    for comp, kind in enumerate(KINDS):
        coef = -0.7 if kind == "lin" else 0.9
        pieces += [
            # lookup: the column side takes few distinct rows (for the two-way piece,
            # both sides: its reverse direction reads the column's left row)
            Piece(comp, kind, *_few_profiles(rng, n, 5, 7), coef),
            # bits: 0/1 rows, scaled per row on the left, 70 columns: two words
            Piece(comp, kind, _binary(rng, n, 70, True), _binary(rng, n, 70, True), coef),
            # dense: anything else
            Piece(comp, kind, rng.normal(size=(n, 6)) * 0.3, rng.normal(size=(n, 6)) * 0.3, coef),
        ]
    people = [SimpleNamespace(employee_id=str(i)) for i in range(n)]
    team = np.where(rng.random(n) < 0.3, rng.integers(0, 5, n), -1)
    return Features(people, pieces, np.ones(6) / 6, team, np.zeros(n))  # type: ignore[arg-type]


def _exclusions(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n, 200), rng.integers(0, n, 200)
    keep = a != b
    rows = np.concatenate([a[keep], b[keep]])
    cols = np.concatenate([b[keep], a[keep]])
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    indptr = np.searchsorted(rows, np.arange(n + 1))
    return indptr.astype(np.int64), cols.astype(np.int64)


def _every_entry(scorer: Scorer) -> dict[tuple[int, int], float]:
    """All allowed entries of the scan over the whole matrix as one tile."""
    plan = build_plan(scorer)
    n = scorer.n
    out = (
        np.empty(2 * n * n, np.int32),
        np.empty(2 * n * n, np.int32),
        np.empty(2 * n * n, np.float32),
    )
    args = (
        plan.codes, plan.tables(0, n), plan.bits_left, plan.bits_right, plan.bits_lscale,
        plan.bits_rscale, plan.bits_meta, plan.bits_cap, plan.dense_left, plan.dense_right,
        plan.dense_meta, plan.dense_cap, plan.dense_lnorm, plan.dense_rnorm, plan.active,
        plan.team, plan.ex_ptr, plan.ex,
    )  # fmt: skip
    # Row heaps as long as the rows, so a row's threshold never rises: every entry.
    heap_v, heap_c = np.full((n, n), -np.inf, np.float32), np.full((n, n), -1, np.int32)
    count, stop = scan_tile(0, n, 0, n, n, np.full(n, -np.inf), heap_v, heap_c, *args, *out)
    assert stop == n
    return {(int(i), int(j)): float(v) for i, j, v in zip(*(a[:count] for a in out), strict=True)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_form_and_kind_gives_the_scorers_value(seed: int) -> None:
    n = 2 * LOOKUP_PROFILES  # so that rows drawn at random are too many for a lookup
    feats = _synthetic(n, seed)
    indptr, excluded = _exclusions(n, seed)
    active = np.random.default_rng(seed).random(n) > 0.1
    f32 = Scorer(feats, indptr, excluded, active, np.float32)
    plan = build_plan(f32)
    assert plan.forms == {"lookup": 4, "bits": 4, "dense": 4}
    got = _every_entry(f32)
    exact = Scorer(feats, indptr, excluded, active, np.float64).block(0, n)
    allowed = {(int(i), int(j)) for i, j in zip(*np.nonzero(np.isfinite(exact)), strict=True)}
    assert set(got) == allowed  # rules: self, inactive, team, listed exclusions
    worst = max(abs(v - exact[i, j]) for (i, j), v in got.items())
    assert worst < 1e-4


def test_lookups_merge_while_their_joint_profiles_stay_few() -> None:
    n = 400
    rng = np.random.default_rng(5)
    pieces = [
        Piece(0, "lin", rng.normal(size=(n, 3)), _few_profiles(rng, n, 3, 10)[1], 1.0),
        Piece(1, "lin", rng.normal(size=(n, 3)), _few_profiles(rng, n, 3, 12)[1], 1.0),
        Piece(2, "lin", rng.normal(size=(n, 3)), _few_profiles(rng, n, 3, 200)[1], 1.0),
    ]
    people = [SimpleNamespace(employee_id=str(i)) for i in range(n)]
    feats = Features(people, pieces, np.ones(6) / 6, np.full(n, -1), np.zeros(n))  # type: ignore[arg-type]
    scorer = Scorer(feats, np.zeros(n + 1, np.int64), np.zeros(0, np.int64), None, np.float32)
    plan = build_plan(scorer)
    sizes = sorted(len(g.reps) for g in plan.lookups)
    assert len(plan.lookups) == 2 and max(sizes) <= LOOKUP_PROFILES  # 10 × 12 joined
    distinct = [len(np.unique(p.right, axis=0)) for p in pieces]
    assert sizes == sorted(
        [len(np.unique(np.hstack([pieces[0].right, pieces[1].right]), axis=0)), distinct[2]]
    )
    assert distinct[0] * distinct[2] > LOOKUP_PROFILES  # and the big one joined nothing


def test_heaps_keep_each_rows_k_best_and_follow_the_kth() -> None:
    rng = np.random.default_rng(0)
    n, k, m = 50, 6, 4000
    rows = rng.integers(0, n, m).astype(np.int32)
    cols = rng.integers(0, 1000, m).astype(np.int32)
    vals = np.round(rng.random(m), 2).astype(np.float32)  # ties on purpose
    heap_v = np.full((n, k), -1.0, np.float32)
    heap_c = np.full((n, k), -1, np.int32)
    thr = np.full(n, -1.0)
    for s in range(0, m, 700):  # in several calls, as the scan does
        merge_into_heaps(
            rows[s : s + 700], cols[s : s + 700], vals[s : s + 700], heap_v, heap_c, thr
        )
    for i in range(n):
        best = np.sort(vals[rows == i])[::-1][:k]
        assert np.array_equal(np.sort(heap_v[i])[::-1][: len(best)], best)
        assert thr[i] == heap_v[i].min()
        for c, v in zip(heap_c[i], heap_v[i], strict=True):
            if c >= 0:  # every kept entry is one that was offered
                assert ((rows == i) & (cols == c) & (vals == v)).any()
