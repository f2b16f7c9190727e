"""What a match run was computed on, as plain JSON: enough to score it again later.

A stored run keeps its pool (the records it matched, without name and email, which no
score uses), the past partners among them and the pinned groups; its settings are
stored beside it. From these, allowed_pair_scores gives the very scores the engine
maximised, whenever an auditor asks, also after the run was published and its people
are no longer in the programme's pool.

Why the inputs and not the scored pairs: the inputs grow with the cohort (one record a
person), the allowed pairs with its square (a 5,000-person cohort has 12.5 million).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from peermentor.domain.people import LIST_COLUMNS, PersonRecord

FORMAT = 1
# Name and email never change a score: a run keeps no more of a person than scoring needs.
_NOT_SCORED = ("name", "email")
_NAMES = tuple(f.name for f in fields(PersonRecord) if f.name not in _NOT_SCORED)
_FIELDS = frozenset(_NAMES)


@dataclass(frozen=True, slots=True)
class RunInputs:
    pool: tuple[PersonRecord, ...]
    past_partners: tuple[frozenset[str], ...]  # only pairs inside the pool
    pinned: tuple[tuple[str, ...], ...]

    @classmethod
    def of(
        cls,
        pool: Sequence[PersonRecord],
        past_partners: Iterable[frozenset[str]],
        pinned: Iterable[Sequence[str]],
    ) -> RunInputs:
        ids = {p.employee_id for p in pool}
        inside = sorted(tuple(sorted(pair)) for pair in past_partners if pair <= ids)
        return cls(
            pool=tuple(pool),
            past_partners=tuple(frozenset(pair) for pair in inside),
            pinned=tuple(tuple(group) for group in pinned),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            # Not dataclasses.asdict: its deep copy costs seconds on a 100,000-person pool,
            # and JSON writes the tuples as lists anyway.
            "pool": [{name: getattr(p, name) for name in _NAMES} for p in self.pool],
            "past_partners": [sorted(pair) for pair in self.past_partners],
            "pinned": [list(group) for group in self.pinned],
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> RunInputs:
        if value.get("format") != FORMAT:
            raise ValueError(f"unknown run inputs format {value.get('format')!r}")
        return cls(
            pool=tuple(_record(r) for r in value["pool"]),
            past_partners=tuple(frozenset(pair) for pair in value["past_partners"]),
            pinned=tuple(tuple(group) for group in value["pinned"]),
        )


def _record(row: dict[str, Any]) -> PersonRecord:
    values: dict[str, Any] = {k: v for k, v in row.items() if k in _FIELDS}
    values |= dict.fromkeys(_NOT_SCORED, "")
    for name in LIST_COLUMNS:
        values[name] = tuple(values.get(name) or ())
    return PersonRecord(**values)


def without_person(value: dict[str, Any], employee_id: str) -> dict[str, Any]:
    """Stored inputs with one person erased: their record leaves the pool, and every
    other mention of their id (a manager link, a do-not-match entry, a past partner,
    a pinned group) goes with it, as erasure does in the live tables."""
    pool = []
    for row in value.get("pool", []):
        if row.get("employee_id") == employee_id:
            continue
        row = dict(row)
        if row.get("manager_id") == employee_id:
            row["manager_id"] = None
        row["do_not_match"] = [e for e in row.get("do_not_match") or () if e != employee_id]
        pool.append(row)
    return value | {
        "pool": pool,
        "past_partners": [p for p in value.get("past_partners", []) if employee_id not in p],
        "pinned": [[e for e in group if e != employee_id] for group in value.get("pinned", [])],
    }
