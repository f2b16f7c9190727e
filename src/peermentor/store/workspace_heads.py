"""A pairing as plain data, read in one joined query: what every workspace request needs
first (its state, its programme's clock settings, its members with their names and
"why you two" explanations), before it reads the part of the history its page shows.

The dashboard reads the heads of all of a member's pairings with the same query, so a
member with ten pairings costs one query, not ten times several lazy loads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from peermentor.store.models import Pairing, PairingMember, Person, Program
from peermentor.store.workspace_repo import as_utc, member_id, optional_utc


@dataclass(frozen=True, slots=True)
class MemberHead:
    member: str  # the domain's member id, str(people.id)
    name: str
    explanation: str  # "why you two", written for this member by the engine
    email: str = ""
    timezone: str = ""  # IANA name as imported, "" if unknown


@dataclass(frozen=True, slots=True)
class PairingHead:
    id: int
    program_id: int
    program_name: str
    program_settings: Mapping[str, Any]
    state: str
    cycle: int
    proposed_at: datetime | None  # as stored; None after an older publish
    asked_at: datetime  # when the members were asked: the response window runs from it
    activated_at: datetime | None
    people: tuple[MemberHead, ...]  # in insertion order: rotation and balance depend on it

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(p.member for p in self.people)

    @property
    def names(self) -> dict[str, str]:
        return {p.member: p.name for p in self.people}


def _query() -> Select[Any]:
    return (
        select(
            Pairing.id,
            Pairing.program_id,
            Program.name,
            Program.settings,
            Pairing.state,
            Pairing.cycle,
            Pairing.proposed_at,
            Pairing.published_at,
            Pairing.created_at,
            Pairing.activated_at,
            PairingMember.person_id,
            Person.name,
            PairingMember.explanation,
            Person.email,
            Person.timezone,
        )
        .join(Program, Program.id == Pairing.program_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(Pairing.state != "draft")  # drafts exist only for the admin reviewing them
    )


def _heads(
    session: Session, query: Select[Any], params: dict[str, Any] | None = None
) -> list[PairingHead]:
    rows: dict[int, list[Any]] = {}
    for row in session.execute(query, params):
        rows.setdefault(row[0], []).append(row)
    heads = []
    for group in rows.values():
        first = group[0]
        # An older publish stamped only published_at; the window then runs from there.
        proposed = first.proposed_at or first.published_at or first.created_at
        heads.append(
            PairingHead(
                id=first.id,
                program_id=first.program_id,
                program_name=first[2],
                program_settings=first.settings or {},
                state=first.state,
                cycle=first.cycle,
                proposed_at=optional_utc(first.proposed_at),
                asked_at=as_utc(proposed),
                activated_at=optional_utc(first.activated_at),
                people=tuple(
                    MemberHead(
                        member_id(r.person_id), r[11], r.explanation, r.email, r.timezone or ""
                    )
                    for r in group
                ),
            )
        )
    return heads


# Built once: every workspace request runs it, so it need not be built anew each time.
_ONE = _query().where(Pairing.id == bindparam("pairing_id")).order_by(PairingMember.id)
_ONE_LOCKED = _ONE.with_for_update(of=Pairing)


def load_head(session: Session, pairing_id: int, *, lock: bool = False) -> PairingHead | None:
    """A published pairing, or None. lock: hold the pairing's row until commit (FOR
    UPDATE OF pairings on PostgreSQL; SQLite has one writer at a time anyway)."""
    found = _heads(session, _ONE_LOCKED if lock else _ONE, {"pairing_id": pairing_id})
    return found[0] if found else None


def heads_of_person(session: Session, person_id: int) -> list[PairingHead]:
    """Every published pairing the person is in, newest first, in one query."""
    mine = select(PairingMember.pairing_id).where(PairingMember.person_id == person_id)
    query = _query().where(Pairing.id.in_(mine)).order_by(Pairing.id.desc(), PairingMember.id)
    return _heads(session, query)


def pairing_row(session: Session, pairing_id: int, *, lock: bool = False) -> Pairing | None:
    """The ORM row, for the few writes that change the pairing itself."""
    query = select(Pairing).where(Pairing.id == pairing_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query.execution_options(populate_existing=True))
