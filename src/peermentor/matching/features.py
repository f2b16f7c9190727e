"""People encoded as arrays, so that every criterion is a product of two embeddings.

Each criterion is a sum of *pieces*; a piece scores a pair (i, j) from row i of a
left matrix and row j of a right matrix:

- ``lin``:     left_i · right_j
- ``relu``:    max(0, left_i · right_j)
- ``min1``:    min(1, left_i · right_j)
- ``minpair``: min(1, left_i · right_j, left_j · right_i)   (two-way value: the weaker side)

Keeping everything in this form is what lets the scores of a block of people against
the whole cohort be a few dense matrix products (see scores.py), and lets one function
(`pair_components`) give the exact value of any single pair from the same data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import scipy.sparse as sp

from peermentor.domain.people import PersonRecord
from peermentor.matching.settings import MatchSettings
from peermentor.matching.text import goal_text_embedding

# A pair broken by a programme rule scores at most 1 - BIG, far below any allowed pair.
BIG = 4.0
ALLOWED_FLOOR = -1.0  # scores at or below this are "not allowed"
MAX_YEARS = 40
UNKNOWN_TZ_OVERLAP = 0.5  # neither rewarded nor punished when a zone is missing
UNKNOWN_LEVEL_SIMILARITY = 0.5


@dataclass(frozen=True)
class Piece:
    comp: int  # index into CRITERIA; -1 for a programme-rule penalty
    kind: str  # "lin" | "relu" | "min1" | "minpair"
    left: np.ndarray
    right: np.ndarray
    coef: float = 1.0


@dataclass
class Features:
    people: list[PersonRecord]
    pieces: list[Piece]
    weights: np.ndarray  # weight_c / sum(weights), shape (6,)
    team_key: np.ndarray  # int, -1 when no team (or the same-team rule is off)
    tz_offset_hours: np.ndarray  # float, nan when unknown
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {p.employee_id: i for i, p in enumerate(self.people)}

    @property
    def n(self) -> int:
        return len(self.people)


def tag_matrix(
    tag_lists: Sequence[Iterable[str]], normalise: str, vocab: dict[str, int] | None = None
) -> sp.csr_matrix:
    """Binary tag sets as rows; `normalise` is "l2" (cosine), "l1" (share) or "none".
    Pass the same `vocab` dict to give two matrices the same columns."""
    vocab = {} if vocab is None else vocab
    # Tag lists repeat a lot in a cohort: build a row per distinct list, then pick
    # each person's row (one dictionary lookup per person, the rest in C).
    distinct: dict[tuple[str, ...], int] = {}
    which = np.fromiter(
        (distinct.setdefault(tuple(tags), len(distinct)) for tags in tag_lists),
        np.int64,
        len(tag_lists),
    )
    rows: list[int] = []
    cols: list[int] = []
    for r, key in enumerate(distinct):
        clean = sorted({t.strip().lower() for t in key if t.strip()})
        ids = [vocab.setdefault(t, len(vocab)) for t in clean]
        rows.extend([r] * len(ids))
        cols.extend(ids)
    shape = (max(1, len(distinct)), max(1, len(vocab)))
    per_list = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    m = sp.csr_matrix(per_list[which]) if len(which) else sp.csr_matrix((0, shape[1]))
    if normalise != "none":
        counts = np.asarray(m.sum(axis=1)).ravel()
        scale = np.zeros_like(counts)
        nz = counts > 0
        scale[nz] = 1.0 / (np.sqrt(counts[nz]) if normalise == "l2" else counts[nz])
        m = sp.csr_matrix(sp.diags(scale) @ m)
    return m


def _tags_dense(tag_lists: Sequence[Iterable[str]], normalise: str = "l2") -> np.ndarray:
    return np.asarray(tag_matrix(tag_lists, normalise).toarray())


def _offered_sought(people: Sequence[PersonRecord]) -> tuple[np.ndarray, np.ndarray]:
    # The vocabulary of both sides first, so both matrices get every column: the
    # columns tag_matrix would number on the lists side by side, without the matrix.
    vocab: dict[str, int] = {}
    seen: set[tuple[str, ...]] = set()
    for p in people:
        both = (*p.skills_offered, *p.skills_sought)
        if both not in seen:
            seen.add(both)
            for t in sorted({t.strip().lower() for t in both if t.strip()}):
                vocab.setdefault(t, len(vocab))
    offered = tag_matrix([p.skills_offered for p in people], "none", vocab)
    sought = np.asarray(tag_matrix([p.skills_sought for p in people], "none", vocab).toarray())
    # Helping with two of the things someone seeks is full value (one is half): people
    # list several wishes and a peer need not cover them all. Capped at 1 by the piece.
    sought /= np.maximum(1.0, np.minimum(2.0, sought.sum(axis=1, keepdims=True)))
    return np.asarray(offered.toarray()), sought


def _categories(keys: Sequence[object]) -> tuple[np.ndarray, list[object]]:
    levels: dict[object, int] = {}
    codes = np.fromiter((levels.setdefault(k, len(levels)) for k in keys), np.int64, len(keys))
    return codes, list(levels)


def _onehot_known(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """One-hot of non-empty values (empty rows all zero) and the 'known' column."""
    keys = [v.strip().lower() for v in values]
    codes, cats = _categories(keys)
    oh = np.zeros((len(keys), max(1, len(cats))))
    oh[np.arange(len(keys)), codes] = 1.0
    known = np.array([k != "" for k in keys], dtype=float)
    oh *= known[:, None]
    return oh, known[:, None]


def year_similarity(dy: np.ndarray) -> np.ndarray:
    # A year or so apart is the same; eight years apart is another career stage.
    return np.clip((8.0 - dy) / 7.0, 0.0, 1.0)


LEVEL_SIMILARITY = (1.0, 0.8, 0.45, 0.1)  # by level gap; 4 or more: 0 (manager-report like)


def level_similarity(dl: np.ndarray) -> np.ndarray:
    table = np.array((*LEVEL_SIMILARITY, 0.0))
    return np.asarray(table[np.minimum(dl, len(LEVEL_SIMILARITY))])


def _kernel_piece(comp: int, codes: np.ndarray, table: np.ndarray, coef: float) -> Piece:
    """A criterion part that depends on one category of each side: table[c_i, c_j]."""
    onehot = np.eye(table.shape[0])[codes]
    return Piece(comp, "lin", table[codes], onehot, coef)


def _experience(people: Sequence[PersonRecord], s: MatchSettings) -> list[Piece]:
    """Half years of experience, half job level. An average rather than a product, so
    the score stays a sum of cheap per-attribute terms; a manager-and-report gap is
    far on both, so it still scores about 0."""
    years = [min(round(p.years_experience), MAX_YEARS) for p in people]
    y_codes, y_cats = _categories(years)
    yv = np.array(y_cats, dtype=float)
    year_table = year_similarity(np.abs(yv[:, None] - yv[None, :]))
    levels = [-1 if p.level is None else p.level for p in people]
    l_codes, l_cats = _categories(levels)
    lv = np.array(l_cats, dtype=np.int64)
    known = lv >= 0
    gap = np.abs(lv[:, None] - lv[None, :])
    both = known[:, None] & known[None, :]
    if known.any():
        # Level unknown on one side: neither rewarded nor punished.
        table = np.where(both, level_similarity(gap), UNKNOWN_LEVEL_SIMILARITY)
        pieces = [_kernel_piece(0, y_codes, year_table, 0.5), _kernel_piece(0, l_codes, table, 0.5)]
    else:  # no levels in this cohort at all: years carry the whole criterion
        pieces = [_kernel_piece(0, y_codes, year_table, 1.0)]
    if s.max_level_gap is not None:
        too_far = (both & (gap > s.max_level_gap)).astype(float)
        if too_far.any():
            pieces.append(_kernel_piece(-1, l_codes, too_far, -BIG))
    return pieces


def tz_offsets(zones: Sequence[str], at: datetime) -> np.ndarray:
    """UTC offset in hours of each zone at `at`, computed once per distinct zone."""
    cache: dict[str, float] = {}
    out = np.full(len(zones), np.nan)
    for i, z in enumerate(zones):
        z = z.strip()
        if not z:
            continue
        if z not in cache:
            try:
                off = at.astimezone(ZoneInfo(z)).utcoffset()
                cache[z] = np.nan if off is None else off.total_seconds() / 3600.0
            except (ZoneInfoNotFoundError, ValueError):
                cache[z] = np.nan
        out[i] = cache[z]
    return out


def overlap_hours(off_a: np.ndarray, off_b: np.ndarray, start: float, end: float) -> np.ndarray:
    """Hours the local working days [start, end) overlap, on a 24-hour circle."""
    a0, b0 = start - off_a, start - off_b
    best = np.zeros(np.broadcast(a0, b0).shape)
    for shift in (-24.0, 0.0, 24.0):
        lo = np.maximum(a0, b0 + shift)
        hi = np.minimum(a0, b0 + shift) + (end - start)
        best = np.maximum(best, hi - lo)
    return np.asarray(best)


def _practicalities(
    people: Sequence[PersonRecord], s: MatchSettings
) -> tuple[list[Piece], np.ndarray]:
    offsets = tz_offsets([p.timezone for p in people], s.reference_datetime)
    keys = [None if np.isnan(o) else float(o) for o in offsets]
    codes, cats = _categories(keys)
    co = np.array([np.nan if c is None else c for c in cats], dtype=float)
    span = s.workday_end_hour - s.workday_start_hour
    table = overlap_hours(co[:, None], co[None, :], s.workday_start_hour, s.workday_end_hour)
    table = np.where(np.isnan(table), UNKNOWN_TZ_OVERLAP * span, table) / span
    onehot = np.eye(len(cats))[codes]
    # Unstated hours count as available: the column is optional in the import.
    hours = np.array(
        [1.0 if p.hours_per_month is None or p.hours_per_month > 0 else 0.0 for p in people]
    ).reshape(-1, 1)
    langs = _tags_dense([p.languages for p in people], "none")
    # Someone who lists no language is assumed to share the organisation's language.
    langs[langs.sum(axis=1) == 0] = 1.0
    third = 1.0 / 3.0
    return [
        Piece(5, "lin", table[codes], onehot, third),
        Piece(5, "lin", hours, hours, third),
        Piece(5, "min1", langs, langs, third),
    ], offsets


def build_features(people: Sequence[PersonRecord], settings: MatchSettings) -> Features:
    """Encode `people` (the eligible ones) under `settings`."""
    people = list(people)
    s = settings
    pieces = _experience(people, s)

    family, _ = _onehot_known([p.job_family for p in people])
    challenges = _tags_dense([p.challenges for p in people])
    pieces += [Piece(1, "lin", family, family, 0.5), Piece(1, "lin", challenges, challenges, 0.5)]

    # A different background counts only where both sides state one: missing data is
    # not diversity. Each part is "both known" minus "the same".
    third = 1.0 / 3.0
    bg = _tags_dense([p.background for p in people])
    bg_known = (bg.sum(axis=1, keepdims=True) > 0).astype(float)
    dept, dept_known = _onehot_known([p.department for p in people])
    loc, loc_known = _onehot_known([p.location for p in people])
    for known, same in ((bg_known, bg), (dept_known, dept), (loc_known, loc)):
        pieces += [Piece(2, "lin", known, known, third), Piece(2, "lin", same, same, -third)]
    if s.forbid_same_department:
        pieces.append(Piece(-1, "lin", dept, dept, -BIG))

    goals = _tags_dense([p.career_goals for p in people])
    text = goal_text_embedding([p.goal_statement for p in people])
    pieces += [Piece(3, "lin", goals, goals, 0.5), Piece(3, "relu", text, text, 0.5)]

    offered, sought = _offered_sought(people)
    pieces.append(Piece(4, "minpair", offered, sought))

    practical, offsets = _practicalities(people, s)
    pieces += practical

    w = np.array(s.weight_vector)
    if s.forbid_same_team:
        keys = [
            (p.department.strip().lower(), p.team.strip().lower()) if p.team.strip() else None
            for p in people
        ]
        codes, cats = _categories(keys)
        none_code = cats.index(None) if None in cats else -2
        team_key = np.where(codes == none_code, -1, codes)
    else:
        team_key = np.full(len(people), -1, dtype=np.int64)
    return Features(people, pieces, w / w.sum(), team_key, offsets)
