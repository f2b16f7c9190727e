"""The charter: why the members are doing this, how often they meet, how they behave.

A charter is agreed when every member has agreed its current version. Any edit makes
a new version and clears every agreement, because people agreed to the old words.
A charter that lacks a goal from any one member cannot be agreed: a purpose that holds
only one side's goals is not a peer pairing.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from peermentor.domain.errors import NotReady, ValidationError
from peermentor.domain.validation import (
    require_aware,
    require_choice,
    require_int,
    require_member,
    require_members,
    require_text,
    require_texts,
)

MAX_PURPOSE = 2000
MAX_GOAL = 500
MAX_GOALS_PER_MEMBER = 10
MAX_NORMS_TEXT = 2000
MAX_EVERY_DAYS = 365


class CadenceKind(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    EVERY_N_DAYS = "every_n_days"


_FIXED_DAYS = {CadenceKind.WEEKLY: 7, CadenceKind.FORTNIGHTLY: 14}


@dataclass(frozen=True, slots=True)
class Cadence:
    kind: CadenceKind
    every_days: int | None = None  # only for EVERY_N_DAYS

    def occurrence(self, start: date, n: int) -> date:
        """The date of the n-th meeting (0 = start). Monthly keeps the day of the
        month, falling back to the month's last day (31 Jan -> 28/29 Feb)."""
        if n < 0:
            raise ValidationError("n", "must be 0 or more")
        if self.kind is CadenceKind.MONTHLY:
            months = start.month - 1 + n
            year, month = start.year + months // 12, months % 12 + 1
            day = min(start.day, calendar.monthrange(year, month)[1])
            return date(year, month, day)
        return start + timedelta(days=self.days * n)

    @property
    def days(self) -> int:
        """Nominal length of one interval in days (a month counts as 30)."""
        if self.kind is CadenceKind.EVERY_N_DAYS:
            assert self.every_days is not None
            return self.every_days
        return _FIXED_DAYS.get(self.kind, 30)


def cadence(kind: CadenceKind | str, every_days: int | None = None) -> Cadence:
    k = require_choice("cadence", kind, CadenceKind)
    if k is CadenceKind.EVERY_N_DAYS:
        if every_days is None:
            raise ValidationError("every_days", "is required for a cadence of every N days")
        return Cadence(k, require_int("every_days", every_days, low=1, high=MAX_EVERY_DAYS))
    if every_days is not None:
        raise ValidationError("every_days", f"only applies to every_n_days, not {k.value}")
    return Cadence(k)


def _cadence(value: Cadence) -> Cadence:
    """Re-check a Cadence built directly rather than through cadence()."""
    if not isinstance(value, Cadence):
        raise ValidationError("cadence", "must be a Cadence")
    return cadence(value.kind, value.every_days)


@dataclass(frozen=True, slots=True)
class Norms:
    confidentiality: bool = True
    candour: bool = True
    other: str = ""


@dataclass(frozen=True, slots=True)
class Goal:
    member_id: str
    text: str


@dataclass(frozen=True, slots=True)
class CharterVersion:
    version: int
    purpose: str
    goals: tuple[Goal, ...]
    cadence: Cadence
    norms: Norms
    edited_by: str
    edited_at: datetime


@dataclass(frozen=True, slots=True)
class Agreement:
    member_id: str
    version: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Charter:
    members: tuple[str, ...]
    current: CharterVersion
    agreements: tuple[Agreement, ...] = ()
    history: tuple[CharterVersion, ...] = ()  # every version, oldest first, current last

    @property
    def version(self) -> int:
        return self.current.version

    @property
    def agreed_by(self) -> frozenset[str]:
        return frozenset(a.member_id for a in self.agreements if a.version == self.version)

    @property
    def is_agreed(self) -> bool:
        return self.agreed_by == frozenset(self.members)

    def goals_of(self, member_id: str) -> tuple[str, ...]:
        return tuple(g.text for g in self.current.goals if g.member_id == member_id)

    @property
    def members_without_goals(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if not self.goals_of(m))


def _purpose(text: str) -> str:
    return require_text("purpose", text, max_len=MAX_PURPOSE, required=False)


def _norms(norms: Norms) -> Norms:
    other = require_text("norms.other", norms.other, max_len=MAX_NORMS_TEXT, required=False)
    return replace(norms, other=other)


def draft_charter(
    members: tuple[str, ...],
    author: str,
    now: datetime,
    *,
    purpose: str = "",
    cadence: Cadence | None = None,
    norms: Norms | None = None,
) -> Charter:
    members = require_members(members)
    require_member(members, author)
    first = CharterVersion(
        version=1,
        purpose=_purpose(purpose),
        goals=(),
        cadence=_cadence(cadence or Cadence(CadenceKind.FORTNIGHTLY)),
        norms=_norms(norms or Norms()),
        edited_by=author,
        edited_at=require_aware("now", now),
    )
    return Charter(members=members, current=first, history=(first,))


def _new_version(
    ch: Charter,
    author: str,
    now: datetime,
    *,
    purpose: str | None = None,
    goals: tuple[Goal, ...] | None = None,
    cadence: Cadence | None = None,
    norms: Norms | None = None,
) -> Charter:
    require_member(ch.members, author)
    require_aware("now", now)
    cur = ch.current
    content = (
        cur.purpose if purpose is None else purpose,
        cur.goals if goals is None else goals,
        cur.cadence if cadence is None else cadence,
        cur.norms if norms is None else norms,
    )
    if content == (cur.purpose, cur.goals, cur.cadence, cur.norms):
        return ch  # saving the same words again is not an edit and keeps agreement
    nxt = CharterVersion(ch.version + 1, *content, edited_by=author, edited_at=now)
    return replace(ch, current=nxt, history=(*ch.history, nxt))


def edit_charter(
    ch: Charter,
    author: str,
    now: datetime,
    *,
    purpose: str | None = None,
    cadence: Cadence | None = None,
    norms: Norms | None = None,
) -> Charter:
    """Change the shared parts; any member may. A real change clears agreement.

    A purpose given blank is refused: a charter without a purpose is not a charter,
    and saving an empty form must not write a version that says "Not written yet"."""
    if purpose is not None and not purpose.strip():
        raise ValidationError("purpose", "write why you are doing this together; nothing was saved")
    return _new_version(
        ch,
        author,
        now,
        purpose=None if purpose is None else _purpose(purpose),
        cadence=None if cadence is None else _cadence(cadence),
        norms=None if norms is None else _norms(norms),
    )


def set_goals(ch: Charter, author: str, goals: tuple[str, ...], now: datetime) -> Charter:
    """Replace the author's own goals; nobody writes another member's goals."""
    require_member(ch.members, author)
    texts = require_texts("goals", goals, max_len=MAX_GOAL, max_items=MAX_GOALS_PER_MEMBER)
    others = tuple(g for g in ch.current.goals if g.member_id != author)
    mine = tuple(Goal(author, t) for t in texts)
    ordered = tuple(g for m in ch.members for g in (*others, *mine) if g.member_id == m)
    return _new_version(ch, author, now, goals=ordered)


def agree(
    ch: Charter, member_id: str, now: datetime, names: Mapping[str, str] | None = None
) -> Charter:
    """`names` (member id to display name) lets the refusal name who has no goals yet."""
    require_member(ch.members, member_id)
    if member_id in ch.agreed_by:
        return ch
    if not ch.current.purpose:
        raise NotReady("agree the charter", "it has no purpose statement yet")
    missing = ch.members_without_goals
    if missing:
        raise NotReady(
            "agree the charter",
            "it needs at least one goal from every member; none yet from "
            + ", ".join((names or {}).get(m, m) for m in missing),
        )
    agreement = Agreement(member_id, ch.version, require_aware("now", now))
    return replace(ch, agreements=(*ch.agreements, agreement))
