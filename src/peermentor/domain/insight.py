"""Programme insight: the figures admins take to leadership, and the rule that no
figure is ever computed over fewer than MIN_GROUP people (or pairings).

Every figure leaves here already made safe: a group under MIN_GROUP is merged into
"other" (and, if "other" is still too small, the smallest shown groups are merged into
it as well, so no hidden count can be recovered by subtracting the shown ones from a
total); a figure whose own base is too small is `Hidden`, with the base's size for the
note. Pure: the caller passes counts, never rows or a clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

MIN_GROUP = 5
OTHER = "other"

FUNNEL_STEPS = (
    ("enrolled", "Enrolled"),
    ("matched", "Matched"),
    ("accepted", "Accepted"),
    ("charter", "Charter agreed"),
    ("first_session", "First session"),
    ("three_sessions", "Three or more sessions"),
    ("ended", "Closed or renewed"),
)


@dataclass(frozen=True, slots=True)
class Hidden:
    """A figure not shown: its base was `base` people or pairings, fewer than `required`."""

    base: int
    required: int = MIN_GROUP

    @property
    def note(self) -> str:
        return f"fewer than {self.required}: hidden so that no one can be singled out"


def safe_count(n: int) -> int | Hidden:
    """A count of people or pairings: shown when 0 (nobody is described) or >= MIN_GROUP."""
    return n if n == 0 or n >= MIN_GROUP else Hidden(n)


@dataclass(frozen=True, slots=True)
class Groups:
    """Counts by group, every one shown at least MIN_GROUP; `merged` names the groups
    folded into "other". Empty `shown` with `total_hidden`: the whole set was too small."""

    shown: tuple[tuple[str, int], ...]
    merged: tuple[str, ...]
    total_hidden: int = 0


def merge_small(counts: Mapping[str, int], k: int = MIN_GROUP) -> Groups:
    """Groups under k merge into OTHER; while OTHER is under k the smallest shown group
    joins it. Under k in all: nothing shown. Groups of 0 are dropped (they describe no one)."""
    live = {name: n for name, n in counts.items() if n > 0}
    total = sum(live.values())
    if total < k:
        return Groups(shown=(), merged=tuple(sorted(live)), total_hidden=total)
    big = sorted(
        ((name, n) for name, n in live.items() if n >= k and name != OTHER),
        key=lambda g: (-g[1], g[0]),
    )
    merged = sorted(name for name, n in live.items() if n < k or name == OTHER)
    other = sum(live[name] for name in merged)
    while 0 < other < k:
        name, n = big.pop()  # the smallest; total >= k, so one is always left to take
        merged.append(name)
        other += n
    shown = tuple(big) + (((OTHER, other),) if other else ())
    return Groups(shown=shown, merged=tuple(sorted(n for n in merged if n != OTHER)))


# --- the funnel ---


@dataclass(frozen=True, slots=True)
class FunnelStep:
    key: str
    label: str
    people: int | Hidden
    dropped: int | Hidden | None  # people lost since the step before; None on the first
    share_of_start: float | None  # of the first step; None when either is hidden


def funnel(counts: Mapping[str, int]) -> tuple[FunnelStep, ...]:
    """People at each step of FUNNEL_STEPS (a missing step counts 0), with the drop-off.

    A step, or a drop-off, of 1 to MIN_GROUP - 1 people is hidden."""
    steps: list[FunnelStep] = []
    start = counts.get(FUNNEL_STEPS[0][0], 0)
    before: int | None = None
    for key, label in FUNNEL_STEPS:
        n = counts.get(key, 0)
        shown = safe_count(n)
        dropped = None if before is None else safe_count(max(before - n, 0))
        share = n / start if start >= MIN_GROUP and isinstance(shown, int) else None
        steps.append(FunnelStep(key, label, shown, dropped, share))
        before = n
    return tuple(steps)


# --- series over months ---


@dataclass(frozen=True, slots=True)
class Point:
    period: date
    pairings: int  # how many pairings the value is computed over
    value: float | Hidden


def mean_series(rows: Iterable[tuple[date, int, float]]) -> tuple[Point, ...]:
    """(period, pairings, total) rows into per-pairing means, oldest first; a period over
    fewer than MIN_GROUP pairings is hidden."""
    points = []
    for period, pairings, total in sorted(rows):
        value: float | Hidden = total / pairings if pairings >= MIN_GROUP else Hidden(pairings)
        points.append(Point(period, pairings, value))
    return tuple(points)


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_between(first: date, last: date) -> tuple[date, ...]:
    """Every first-of-month from first's month to last's, inclusive."""
    months, at = [], month_start(first)
    while at <= last:
        months.append(at)
        at = date(at.year + at.month // 12, at.month % 12 + 1, 1)
    return tuple(months)


# --- shares, means and distributions over pairings ---


@dataclass(frozen=True, slots=True)
class Share:
    part: int
    whole: int

    @property
    def ratio(self) -> float:
        return self.part / self.whole if self.whole else 0.0


def safe_share(part: int, whole: int) -> Share | Hidden:
    """A share of pairings or people: hidden when the whole is under MIN_GROUP, or when
    the part (or what is left of the whole) is 1 to MIN_GROUP - 1 people."""
    if whole < MIN_GROUP:
        return Hidden(whole)
    for side in (part, whole - part):
        if 0 < side < MIN_GROUP:
            return Hidden(side)
    return Share(part, whole)


def safe_mean(values: Sequence[float]) -> float | Hidden:
    return fmean(values) if len(values) >= MIN_GROUP else Hidden(len(values))


# |balance index| bands, as the health page counts them.
BALANCE_BANDS = (("balanced", 0.0), ("leaning", 0.2), ("one-sided", 0.6))


def balance_band(distance: float) -> str:
    return [name for name, low in BALANCE_BANDS if distance >= low][-1]


def balance_distribution(distances: Iterable[float]) -> Groups:
    counts = dict.fromkeys((name for name, _ in BALANCE_BANDS), 0)
    for d in distances:
        counts[balance_band(abs(d))] += 1
    return merge_small(counts)


# --- diversity against random pairing ---


def random_cross_share(pool: Mapping[str, int]) -> float:
    """The chance that two different people drawn at random from the pool differ in the
    attribute: 1 - sum n(n-1) / N(N-1). Blank values count as one group of their own."""
    total = sum(pool.values())
    if total < 2:
        return 0.0
    same = sum(n * (n - 1) for n in pool.values())
    return 1 - same / (total * (total - 1))


@dataclass(frozen=True, slots=True)
class Diversity:
    attribute: str
    observed: Share | Hidden  # pairings whose members differ in the attribute
    random_baseline: float | None  # None when the pool itself is too small to say


def diversity(attribute: str, crossing: int, pairings: int, pool: Mapping[str, int]) -> Diversity:
    people = sum(pool.values())
    baseline = random_cross_share(pool) if people >= MIN_GROUP else None
    return Diversity(attribute, safe_share(crossing, pairings), baseline)


# --- match quality: did higher-scoring pairs fare better? ---


@dataclass(frozen=True, slots=True)
class Outcome:
    """One pairing's score and how it fared (the caller's per-pairing counters)."""

    score: float
    sessions: int
    checkin_mean: float | None
    renewed: bool


@dataclass(frozen=True, slots=True)
class Band:
    label: str
    pairings: int
    mean_score: float | Hidden
    mean_sessions: float | Hidden
    mean_checkin: float | Hidden
    renewed: Share | Hidden


SCORE_BANDS = ("lower third", "middle third", "upper third")


def by_score_band(outcomes: Sequence[Outcome]) -> tuple[Band, ...]:
    """Pairings in thirds by score (lowest first), each third's outcomes; a third of
    fewer than MIN_GROUP pairings shows no figure."""
    ordered = sorted(outcomes, key=lambda o: o.score)
    n = len(ordered)
    cuts = [0, n // 3, 2 * n // 3, n]
    bands = []
    for i, label in enumerate(SCORE_BANDS):
        group = ordered[cuts[i] : cuts[i + 1]]
        checkins = [o.checkin_mean for o in group if o.checkin_mean is not None]
        too_few = len(group) < MIN_GROUP
        bands.append(
            Band(
                label,
                len(group),
                Hidden(len(group)) if too_few else fmean(o.score for o in group),
                Hidden(len(group)) if too_few else fmean(o.sessions for o in group),
                Hidden(len(group)) if too_few else safe_mean(checkins),
                safe_share(sum(o.renewed for o in group), len(group)),
            )
        )
    return tuple(bands)


def reading(bands: Sequence[Band]) -> str:
    """The plain-words reading of by_score_band."""
    low, high = bands[0], bands[-1]
    if not (isinstance(low.mean_sessions, float) and isinstance(high.mean_sessions, float)):
        return "Too few pairings yet to compare higher- and lower-scoring pairs."
    if high.mean_sessions > low.mean_sessions * 1.1:
        return (
            "Pairs the engine scored higher met more often "
            f"({high.mean_sessions:.1f} sessions against {low.mean_sessions:.1f}): "
            "the weights point the right way."
        )
    if high.mean_sessions < low.mean_sessions * 0.9:
        return (
            "Pairs the engine scored higher met less often "
            f"({high.mean_sessions:.1f} sessions against {low.mean_sessions:.1f}): "
            "the matching weights deserve a second look."
        )
    return "Higher- and lower-scoring pairs met about as often: the score tells little yet."
