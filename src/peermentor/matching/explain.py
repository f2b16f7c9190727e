""" "Why you two", in plain words, from the records themselves.

Every sentence states a fact read straight from the two records (a skill one offers
and the other seeks, a challenge both name, ...), never a score, so it cannot claim
what is not true. Sentences are left out when there is nothing true to say.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from peermentor.domain.people import PersonRecord
from peermentor.matching.features import tz_offsets
from peermentor.matching.settings import MatchSettings

# Goal tags that read as a verb phrase after "You both want to".
_GOAL_VERBS = {
    "become",
    "get",
    "move",
    "lead",
    "build",
    "switch",
    "work",
    "start",
    "improve",
    "grow",
    "learn",
    "manage",
    "make",
    "find",
    "develop",
    "change",
    "gain",
    "launch",
    "run",
    "be",
}


def join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def first_name(p: PersonRecord) -> str:
    return p.name.split()[0] if p.name.strip() else p.employee_id


@functools.lru_cache(maxsize=1 << 16)
def _tags(items: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """(key, as written) for each non-blank item, and the set of keys. Tag lists are
    shared by everyone with the same cell (people_csv), so a cohort has few distinct
    ones: this is computed once per list, not twice per pairing."""
    pairs = tuple((t.strip().lower(), t.strip()) for t in items if t.strip())
    return pairs, frozenset(k for k, _ in pairs)


def common(mine: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Items of `mine` that `theirs` also names (case-insensitive), in my order."""
    if not mine or not theirs:
        return []
    other = _tags(tuple(theirs))[1]
    pairs, keys = _tags(tuple(mine))
    if keys.isdisjoint(other):  # most pairs of lists: nothing to walk
        return []
    seen: set[str] = set()
    out = []
    for key, t in pairs:
        if key in other and key not in seen:
            seen.add(key)
            out.append(t)
    return out


def only_mine(mine: Sequence[str], theirs: Sequence[str]) -> list[str]:
    other = _tags(tuple(theirs))[1]
    pairs, keys = _tags(tuple(mine))
    if keys.isdisjoint(other):
        return [t for _, t in pairs]
    return [t for key, t in pairs if key not in other]


def _number(y: float) -> str:
    return f"{y:.0f}" if float(y).is_integer() else f"{y:.1f}"


@functools.lru_cache(maxsize=1 << 12)  # few distinct values in a cohort
def _years(y: float) -> str:
    if y < 1:
        return "less than a year"
    return f"{_number(y)} year" + ("" if _number(y) == "1" else "s")


def _hours(h: float) -> str:
    h = round(h * 2) / 2
    text = f"{h:.0f}" if float(h).is_integer() else f"{h:.1f}"
    return f"{text} hour" + ("" if text == "1" else "s")


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().lower() == b.strip().lower()


def _differ(a: str, b: str) -> bool:
    return bool(a.strip()) and bool(b.strip()) and not _same(a, b)


_OFFSETS: dict[tuple[str, datetime], float | None] = {}


def _offset(zone: str, at: datetime) -> float | None:
    """UTC offset in hours at `at` (cached: explanations ask for the same few zones)."""
    key = (zone, at)
    if key not in _OFFSETS:
        off = float(tz_offsets([zone], at)[0])
        _OFFSETS[key] = None if np.isnan(off) else off
    return _OFFSETS[key]


@functools.lru_cache(maxsize=1 << 12)  # few distinct values in a cohort
def _overlap(a: float, b: float, start: float, end: float) -> float:
    # The same circle-of-24-hours rule as features.overlap_hours, for one pair.
    return max(
        0.0,
        *(
            min(start - a, start - b + s) + end - start - max(start - a, start - b + s)
            for s in (-24.0, 0.0, 24.0)
        ),
    )


def _where(me: PersonRecord, other: PersonRecord, name: str) -> str:
    """Where the two sit, in one sentence, naming only what differs."""
    dept = _differ(me.department, other.department)
    loc = _differ(me.location, other.location)
    if dept and loc:
        return (
            f"{name} works in {other.department.strip()} in {other.location.strip()}; "
            f"you work in {me.department.strip()} in {me.location.strip()}."
        )
    if dept:
        return f"{name} works in {other.department.strip()}; you work in {me.department.strip()}."
    if loc:
        return f"{name} is based in {other.location.strip()}; you are in {me.location.strip()}."
    return ""


def _experience(me: PersonRecord, other: PersonRecord, name: str) -> str:
    mine, theirs = _years(me.years_experience), _years(other.years_experience)
    if mine == theirs:
        return f"You both have {mine} of experience."
    return f"{name} has {theirs} of experience; you have {mine}."


def _practicalities(
    me: PersonRecord, other: PersonRecord, at: datetime, workday: tuple[float, float]
) -> str:
    """Working hours and a shared language, as one sentence."""
    langs = common(me.languages, other.languages)
    speak = f"you both speak {join_words(langs)}" if langs else ""
    a, b = _offset(me.timezone, at), _offset(other.timezone, at)
    if a is None or b is None:
        return f"{speak[0].upper()}{speak[1:]}." if speak else ""
    h = _overlap(a, b, *workday)
    if h < 0.5:
        hours = "Your working hours do not overlap, so plan calls at the day's edges"
        return f"{hours}; {speak}." if speak else f"{hours}."
    hours = f"Your working hours overlap by {_hours(h)}"
    return f"{hours} and {speak}." if speak else f"{hours}."


def pair_sentences(
    me: PersonRecord, other: PersonRecord, at: datetime, workday: tuple[float, float]
) -> list[str]:
    """What `me` should know about `other`, addressed to `me`."""
    name = first_name(other)
    out: list[str] = []
    give = common(me.skills_offered, other.skills_sought)
    get = common(other.skills_offered, me.skills_sought)
    if give and get:
        out.append(
            f"You can help {name} with {join_words(give)}; "
            f"{name} can help you with {join_words(get)}."
        )
    elif give:
        out.append(f"You can help {name} with {join_words(give)}.")
    elif get:
        out.append(f"{name} can help you with {join_words(get)}.")
    challenges = common(me.challenges, other.challenges)
    if challenges:
        out.append(f"You both face {join_words(challenges)}.")
    if _same(me.job_family, other.job_family):
        out.append(f"You both work in {me.job_family.strip()}.")
    goals = common(me.career_goals, other.career_goals)
    if goals and all(g.split()[0].lower() in _GOAL_VERBS for g in goals):
        out.append(f"You both want to {join_words(goals)}.")
    elif goals:
        out.append(f"You share career goals: {join_words(goals)}.")
    mine, theirs = (
        only_mine(me.background, other.background),
        only_mine(other.background, me.background),
    )
    if mine and theirs:
        # In brackets, so that any tag reads well ("you: MBA", "Kim: retail").
        out.append(
            f"Your backgrounds differ (you: {join_words(mine)}; {name}: {join_words(theirs)})."
        )
    where = _where(me, other, name)
    if where:
        out.append(where)
    out.append(_experience(me, other, name))
    practical = _practicalities(me, other, at, workday)
    if practical:
        out.append(practical)
    return out


def explain_member(
    me: PersonRecord,
    partners: Sequence[PersonRecord],
    settings: MatchSettings,
    pinned: bool = False,
) -> str:
    at = settings.reference_datetime
    workday = (settings.workday_start_hour, settings.workday_end_hour)
    parts = ["A programme admin chose this pairing."] if pinned else []
    if len(partners) == 1:
        parts += pair_sentences(me, partners[0], at, workday)
    else:
        names = join_words([first_name(p) for p in partners])
        parts.append(f"You are in a group of three with {names}.")
        for p in partners:
            parts.append(f"With {first_name(p)}: " + " ".join(pair_sentences(me, p, at, workday)))
    return " ".join(parts)


def explain_pairing(
    members: Sequence[PersonRecord], settings: MatchSettings, pinned: bool = False
) -> dict[str, str]:
    return {
        m.employee_id: explain_member(m, [p for p in members if p is not m], settings, pinned)
        for m in members
    }
