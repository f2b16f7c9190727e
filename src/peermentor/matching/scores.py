"""Scores of pairs: exactly for listed pairs, and in blocks of rows against everyone.

score(i, j) = Σ_c weight_c · component_c(i, j) / Σ weights, every component in [0, 1].
A pair broken by a hard rule scores -inf (listed rules) or below ALLOWED_FLOOR (rules
folded in as penalties). A block is mostly one dense product of the linear pieces
concatenated, plus one product and one in-place operation per non-linear piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np

from peermentor.matching.arrays import sorted_unique
from peermentor.matching.features import ALLOWED_FLOOR, Features

N_CRITERIA = 6


def _rowdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b)


class Scorer:
    """Scores over the people of `feats`; `active` (default: all) limits who may be
    paired, so pinned people can be left out of a scan."""

    def __init__(
        self,
        feats: Features,
        indptr: np.ndarray,
        excluded: np.ndarray,
        active: np.ndarray | None = None,
        dtype: type = np.float64,
    ) -> None:
        self.f = feats
        self.n = feats.n
        self.indptr = indptr
        self.excluded = excluded
        self.active = np.ones(self.n, bool) if active is None else active
        self.dtype = dtype
        # Sorted, so a pair is looked up by binary search (np.isin re-hashes the whole
        # list on every call: 20 s for the edges of 100,000 people).
        self.pair_keys = np.sort(
            np.repeat(np.arange(self.n, dtype=np.int64), np.diff(indptr)) * self.n + excluded
        )
        self.teams: dict[int, np.ndarray] = {}
        if (feats.team_key >= 0).any():
            order = np.argsort(feats.team_key, kind="stable")
            keys = feats.team_key[order]
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            for s, e in zip(starts, np.r_[starts[1:], len(keys)], strict=True):
                if keys[s] >= 0:
                    self.teams[int(keys[s])] = order[s:e]

    # ---- blocks -------------------------------------------------------------------

    @cached_property
    def _products(
        self,
    ) -> tuple[np.ndarray, np.ndarray, list[tuple[str, np.ndarray, np.ndarray, float]]]:
        """The linear pieces side by side (L, R) and the non-linear ones, for `block`.
        Built on first use: a scorer that only scores listed pairs never needs them."""
        w = self.f.weights
        lin_l, lin_r = [], []
        nonlin: list[tuple[str, np.ndarray, np.ndarray, float]] = []
        for p in self.f.pieces:
            scale = p.coef * (1.0 if p.comp < 0 else w[p.comp])
            if scale == 0:
                continue
            if p.kind == "lin":
                lin_l.append(p.left * scale)
                lin_r.append(p.right)
            else:
                # Positive scales commute with max/min, so fold them into the left side.
                nonlin.append(
                    (
                        p.kind,
                        (p.left * scale).astype(self.dtype),
                        p.right.astype(self.dtype, copy=False),
                        scale,
                    )
                )
        left: np.ndarray = np.ascontiguousarray(np.hstack(lin_l), dtype=self.dtype)
        right: np.ndarray = np.ascontiguousarray(np.hstack(lin_r), dtype=self.dtype)
        return left, right, nonlin

    def block(self, r0: int, r1: int, c0: int = 0, c1: int | None = None) -> np.ndarray:
        """Scores of rows r0..r1-1 against columns c0..c1-1; -inf where never allowed."""
        c1 = self.n if c1 is None else c1
        lin_left, lin_right, nonlin = self._products
        s = lin_left[r0:r1] @ lin_right[c0:c1].T
        for kind, left, right, scale in nonlin:
            t = left[r0:r1] @ right[c0:c1].T
            if kind == "relu":
                np.maximum(t, 0, out=t)
            elif kind == "min1":
                np.minimum(t, scale, out=t)
            else:  # minpair: the weaker of the two directions, at most 1
                np.minimum(t, right[r0:r1] @ left[c0:c1].T, out=t)
                np.minimum(t, scale, out=t)
            s += t
        self._exclude(s, r0, r1, c0, c1)
        return s

    def _exclude(self, s: np.ndarray, r0: int, r1: int, c0: int, c1: int) -> None:
        rows = np.arange(max(r0, c0), min(r1, c1))
        s[rows - r0, rows - c0] = -np.inf
        lo, hi = self.indptr[r0], self.indptr[r1]
        if hi > lo:
            local = np.repeat(np.arange(r1 - r0), np.diff(self.indptr[r0 : r1 + 1]))
            cols = self.excluded[lo:hi]
            inside = (cols >= c0) & (cols < c1)
            s[local[inside], cols[inside] - c0] = -np.inf
        if not self.active.all():
            s[:, ~self.active[c0:c1]] = -np.inf
            s[~self.active[r0:r1]] = -np.inf
        if self.teams:
            keys = self.f.team_key[r0:r1]
            for key in sorted_unique(keys[keys >= 0]):
                members = self.teams[int(key)]
                members = members[(members >= c0) & (members < c1)]
                if len(members):
                    s[np.ix_(np.flatnonzero(keys == key), members - c0)] = -np.inf

    # ---- listed pairs ---------------------------------------------------------------

    @cached_property
    def _one_hot(self) -> list[np.ndarray | None]:
        """For each piece whose right side is one-hot (each row a single 1, or all
        zero), the column of each row's 1 (-1 for none); None for the other pieces."""
        out: list[np.ndarray | None] = []
        for p in self.f.pieces:
            r = p.right
            binary = bool(((r == 0.0) | (r == 1.0)).all())
            if binary and r.ndim == 2 and r.shape[1] and bool((r.sum(axis=1) <= 1.0).all()):
                out.append(np.where(r.any(axis=1), r.argmax(axis=1), -1))
            else:
                out.append(None)
        return out

    @cached_property
    def _halves(self) -> list[tuple[np.ndarray, np.ndarray] | None]:
        """For each piece whose sides are whole numbers (left) and halves (right), small
        enough that a product fits int8 (tag sets: the skills, the languages): both as
        int8, right doubled, summed in int32; None for the other pieces. Their products
        and sums are exact in float64 in any order, so this gives the very same value."""
        out: list[tuple[np.ndarray, np.ndarray] | None] = []
        for p in self.f.pieces:
            left, right2 = p.left, 2.0 * p.right
            small = (
                left.ndim == 2
                and bool((np.abs(left) <= 2).all() and (np.abs(right2) <= 2).all())
                and bool((left == np.rint(left)).all() and (right2 == np.rint(right2)).all())
            )
            out.append((left.astype(np.int8), right2.astype(np.int8)) if small else None)
        return out

    def _dot(self, k: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """left_u · right_v of piece k. Against a one-hot right side that is the one
        entry left_u[c_v] (every other term is an exact 0), read without gathering two
        (E × width) matrices: the same value, bit for bit."""
        p = self.f.pieces[k]
        codes = self._one_hot[k]
        if codes is None:
            halves = self._halves[k]
            if halves is not None:
                left8, right8 = halves
                return (left8[u] * right8[v]).sum(axis=1, dtype=np.int32) * 0.5
            return _rowdot(p.left[u], p.right[v])
        c = codes[v]
        return np.where(c >= 0, p.left[u, np.maximum(c, 0)], 0.0)

    def components(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact (float64) components (E × 6) and rule penalty (E,) of pairs (u, v)."""
        comps = np.zeros((len(u), N_CRITERIA))
        penalty = np.zeros(len(u))
        for k, p in enumerate(self.f.pieces):
            a = self._dot(k, u, v)
            if p.kind == "relu":
                a = np.maximum(a, 0.0)
            elif p.kind == "min1":
                a = np.minimum(a, 1.0)
            elif p.kind == "minpair":
                a = np.minimum(np.minimum(a, self._dot(k, v, u)), 1.0)
            if p.comp < 0:
                penalty += p.coef * a
            else:
                comps[:, p.comp] += p.coef * a
        return np.clip(comps, 0.0, 1.0), penalty

    def allowed(
        self, u: np.ndarray, v: np.ndarray, penalty: np.ndarray | None = None
    ) -> np.ndarray:
        if penalty is None:
            _, penalty = self.components(u, v)
        ok = (u != v) & self.active[u] & self.active[v] & (penalty > ALLOWED_FLOOR)
        if len(self.pair_keys):
            keys = u.astype(np.int64) * self.n + v
            at = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
            ok &= self.pair_keys[at] != keys
        tk = self.f.team_key
        ok &= ~((tk[u] >= 0) & (tk[u] == tk[v]))
        return np.asarray(ok)

    def scores(
        self, u: Sequence[int] | np.ndarray, v: Sequence[int] | np.ndarray, chunk: int = 65536
    ) -> np.ndarray:
        """Exact scores of pairs (u, v); -inf for a pair the rules forbid."""
        u = np.asarray(u, dtype=np.intp)
        v = np.asarray(v, dtype=np.intp)
        out = np.empty(len(u))
        for c0 in range(0, len(u), chunk):
            uu, vv = u[c0 : c0 + chunk], v[c0 : c0 + chunk]
            comps, penalty = self.components(uu, vv)
            ok = self.allowed(uu, vv, penalty)
            out[c0 : c0 + chunk] = np.where(ok, comps @ self.f.weights, -np.inf)
        return out
