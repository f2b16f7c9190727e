"""The scores of a cohort laid out for the candidate scan: lookups, bit sets, products.

Scoring every pair of 100,000 people as dense matrix products costs ~430 multiply-adds
a pair, most of them spent on one-hot columns and short tag lists. The scan instead
reads each piece of the score in the cheapest exact form its data allows:

- **lookup**: the right-hand rows of a piece take few distinct values (a category, a
  short tag list shared by many): each column gets a profile code, each row a table
  of its value against every profile, and a pair costs one read. Pieces are merged
  into one table while their joint profiles stay few, so years and level, say, are a
  single read.
- **bits**: both sides are scaled 0/1 rows (tags): a pair costs a popcount of two
  words and a multiply; the two-way piece reads both directions this way.
- **dense**: anything else (the goal-text vectors). A pair first counts it at its
  Cauchy-Schwarz bound (|l·r| <= |l||r|); only the few pairs that could then reach a
  threshold get the exact dot product, so no dense product is ever formed in full.

Every form gives the same value as `Scorer.block` up to float32 rounding
(candidates.FLOAT32_MARGIN); tests check it piece by piece against the scorer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from peermentor.matching.scores import Scorer

LIN, RELU, MIN1, MINPAIR = 0, 1, 2, 3
KIND_CODE = {"lin": LIN, "relu": RELU, "min1": MIN1, "minpair": MINPAIR}
# Rounding must never let a float32 dot product exceed the bound that skipped it.
NORM_SLACK = 1.0 + 1e-4
LOOKUP_PROFILES = 256  # profiles a lookup table may hold: a strip's table is 512 KB


@dataclass
class ScaledPiece:
    kind: int
    left: np.ndarray  # float32, n × d, weight and coefficient folded in
    right: np.ndarray  # float32, n × d
    cap: float  # the min of min1/minpair (the folded scale); unused otherwise

    def column_profile(self) -> np.ndarray:
        """What a column contributes to this piece: its right row (and, for the two-way
        piece, its left row too: the reverse direction reads it)."""
        return np.hstack([self.left, self.right]) if self.kind == MINPAIR else self.right

    def apply(self, forward: np.ndarray, reverse: np.ndarray | None = None) -> np.ndarray:
        if self.kind == RELU:
            return np.maximum(forward, 0)
        if self.kind == MIN1:
            return np.minimum(forward, self.cap)
        if self.kind == MINPAIR:
            assert reverse is not None
            return np.minimum(np.minimum(forward, reverse), self.cap)
        return forward


@dataclass
class LookupGroup:
    pieces: list[ScaledPiece]
    codes: np.ndarray  # int32 (n,), each person's joint profile
    reps: np.ndarray  # one person per profile

    def table(self, r0: int, r1: int) -> np.ndarray:
        """Every profile against rows r0..r1-1: profiles × (r1 - r0)."""
        out = np.zeros((len(self.reps), r1 - r0), np.float32)
        for p in self.pieces:
            fwd = p.right[self.reps] @ p.left[r0:r1].T
            rev = p.left[self.reps] @ p.right[r0:r1].T if p.kind == MINPAIR else None
            out += p.apply(fwd, rev)
        return out


@dataclass
class ScanPlan:
    n: int
    lookups: list[LookupGroup]
    codes: np.ndarray  # int32 (G, n)
    bits_left: np.ndarray  # int64 (W, n): word w of every person's left bit set
    bits_right: np.ndarray  # int64 (W, n)
    bits_lscale: np.ndarray  # float32 (B, n)
    bits_rscale: np.ndarray  # float32 (B, n)
    bits_meta: np.ndarray  # int64 (B, 3): first word, words, kind
    bits_cap: np.ndarray  # float32 (B,)
    dense_left: np.ndarray  # float32 (n, total dims): the dense pieces side by side
    dense_right: np.ndarray  # float32 (n, total dims)
    dense_meta: np.ndarray  # int64 (D, 3): first column, dims, kind
    dense_cap: np.ndarray  # float32 (D,)
    dense_lnorm: np.ndarray  # float32 (D, n): |left row| per piece
    dense_rnorm: np.ndarray  # float32 (D, n)
    team: np.ndarray  # int64 (n,), -1: no team rule
    active: np.ndarray  # bool (n,)
    ex_ptr: np.ndarray  # int64 (n + 1,): excluded partners of row i, sorted
    ex: np.ndarray  # int64
    forms: dict[str, int] = field(default_factory=dict)  # pieces per form, for reports

    def tables(self, r0: int, r1: int) -> np.ndarray:
        """(G, profiles, rows): a column reads its profile's values for every row of
        the strip as one contiguous run."""
        width = max([len(g.reps) for g in self.lookups], default=1)
        out = np.zeros((len(self.lookups), width, r1 - r0), np.float32)
        for g, group in enumerate(self.lookups):
            out[g, : len(group.reps)] = group.table(r0, r1)
        return out


def scaled_pieces(scorer: Scorer) -> list[ScaledPiece]:
    """The scorer's pieces with weights folded into the left side, in float32."""
    out = []
    w = scorer.f.weights
    for p in scorer.f.pieces:
        scale = p.coef * (1.0 if p.comp < 0 else w[p.comp])
        if scale == 0:
            continue
        left = np.ascontiguousarray(p.left * scale, dtype=np.float32)
        right = np.ascontiguousarray(p.right, dtype=np.float32)
        out.append(ScaledPiece(KIND_CODE[p.kind], left, right, float(np.float32(scale))))
    return out


def _distinct(rows: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(codes, first index of each code) of the distinct rows, or None past `limit`."""
    rows = np.ascontiguousarray(rows)
    # A random projection first: cheap, and never counts more values than there are
    # distinct rows, so a cohort with too many is turned away without a full sort.
    direction = np.asarray(np.random.default_rng(0).standard_normal(rows.shape[1]), rows.dtype)
    probe = rows @ direction
    if len(np.unique(probe)) > limit:
        return None
    as_bytes = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    _, first, codes = np.unique(as_bytes, return_index=True, return_inverse=True)
    if len(first) > limit:
        return None
    return codes.ravel().astype(np.int32), first


def _scaled_binary(m: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(bits as int64 words (W, n), per-row scale) when every row is scale × 0/1."""
    nz = m != 0
    top = np.where(nz, m, -np.inf).max(axis=1)
    low = np.where(nz, m, np.inf).min(axis=1)
    has = nz.any(axis=1)
    if not np.array_equal(top[has], low[has]):
        return None
    words = -(-m.shape[1] // 64)
    packed = np.zeros((words, m.shape[0]), np.uint64)
    for c in range(m.shape[1]):
        packed[c // 64] |= nz[:, c].astype(np.uint64) << np.uint64(c % 64)
    scale = np.where(has, top, 0.0).astype(np.float32)
    return packed.view(np.int64), scale


def _group_lookups(pieces: list[tuple[ScaledPiece, np.ndarray]], n: int) -> list[LookupGroup]:
    """Merge lookup pieces while their joint profiles stay within LOOKUP_PROFILES:
    fewer tables means fewer reads per pair. Smallest first, each into the group
    where the joint count grows least."""
    groups: list[LookupGroup] = []
    for piece, codes in sorted(pieces, key=lambda pc: int(pc[1].max(initial=0))):
        best: tuple[int, int, np.ndarray, np.ndarray] | None = None
        for gi, g in enumerate(groups):
            joint = g.codes.astype(np.int64) * (int(codes.max(initial=0)) + 1) + codes
            uniq, first, inv = np.unique(joint, return_index=True, return_inverse=True)
            if len(uniq) <= LOOKUP_PROFILES and (best is None or len(uniq) < best[0]):
                best = (len(uniq), gi, inv.ravel().astype(np.int32), first)
        if best is None:
            uniq_codes, first = np.unique(codes, return_index=True)
            remap = np.zeros(int(codes.max(initial=0)) + 1, np.int32)
            remap[uniq_codes] = np.arange(len(uniq_codes), dtype=np.int32)
            groups.append(LookupGroup([piece], remap[codes], first))
        else:
            _, gi, joint_codes, first = best
            g = groups[gi]
            groups[gi] = LookupGroup([*g.pieces, piece], joint_codes, first)
    return groups


def build_plan(scorer: Scorer) -> ScanPlan:
    n = scorer.n
    lookups: list[tuple[ScaledPiece, np.ndarray]] = []
    Bits = tuple[np.ndarray, np.ndarray]
    bit_pieces: list[tuple[ScaledPiece, Bits, Bits]] = []
    dense: list[ScaledPiece] = []
    for p in scaled_pieces(scorer):
        found = _distinct(p.column_profile(), LOOKUP_PROFILES)
        if found is not None:
            lookups.append((p, found[0]))
            continue
        lb, rb = _scaled_binary(p.left), _scaled_binary(p.right)
        if lb is not None and rb is not None:
            bit_pieces.append((p, lb, rb))
        else:
            dense.append(p)
    groups = _group_lookups(lookups, n)
    codes = np.zeros((len(groups), n), np.int32)
    for g, group in enumerate(groups):
        codes[g] = group.codes
    words_l: list[np.ndarray] = []
    words_r: list[np.ndarray] = []
    meta: list[tuple[int, int, int]] = []
    for p, (lw, _), (rw, _) in bit_pieces:
        meta.append((sum(len(w) for w in words_l), len(lw), p.kind))
        words_l.append(lw)
        words_r.append(rw)
    widths = [p.left.shape[1] for p in dense]
    starts = np.cumsum([0, *widths])[:-1]
    ex_ptr = np.asarray(scorer.indptr, np.int64)
    ex = np.asarray(scorer.excluded, np.int64).copy()
    # Sorted per row, for binary search; the cohort's own lists already are, which one
    # vectorised check sees (a row at a time was 100,000 sorts of a few entries).
    within = np.ones(len(ex), dtype=bool)
    within[ex_ptr[1:-1][(ex_ptr[1:-1] > 0) & (ex_ptr[1:-1] < len(ex))]] = False
    if len(ex) and not bool((ex[1:] >= ex[:-1])[within[1:]].all()):
        for i in np.flatnonzero(np.diff(ex_ptr) > 1):
            ex[ex_ptr[i] : ex_ptr[i + 1]].sort()
    return ScanPlan(
        n=n,
        lookups=groups,
        codes=codes,
        bits_left=np.concatenate(words_l) if words_l else np.zeros((0, n), np.int64),
        bits_right=np.concatenate(words_r) if words_r else np.zeros((0, n), np.int64),
        bits_lscale=_stack([lb[1] for _, lb, _ in bit_pieces], n),
        bits_rscale=_stack([rb[1] for _, _, rb in bit_pieces], n),
        bits_meta=np.array(meta, np.int64).reshape(-1, 3),
        bits_cap=np.array([p.cap for p, _, _ in bit_pieces], np.float32),
        dense_left=_side_by_side([p.left for p in dense], n),
        dense_right=_side_by_side([p.right for p in dense], n),
        dense_meta=np.array(
            [(s, w, p.kind) for s, w, p in zip(starts, widths, dense, strict=True)], np.int64
        ).reshape(-1, 3),
        dense_cap=np.array([p.cap for p in dense], np.float32),
        dense_lnorm=_stack([np.linalg.norm(p.left, axis=1) * NORM_SLACK for p in dense], n),
        dense_rnorm=_stack([np.linalg.norm(p.right, axis=1) for p in dense], n),
        team=np.asarray(scorer.f.team_key, np.int64),
        active=np.asarray(scorer.active, np.bool_),
        ex_ptr=ex_ptr,
        ex=ex,
        forms={"lookup": len(lookups), "bits": len(bit_pieces), "dense": len(dense)},
    )


def _stack(rows: list[np.ndarray], n: int) -> np.ndarray:
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, n), np.float32)


def _side_by_side(parts: list[np.ndarray], n: int) -> np.ndarray:
    if not parts:
        return np.zeros((n, 1), np.float32)
    return np.ascontiguousarray(np.hstack(parts), dtype=np.float32)
