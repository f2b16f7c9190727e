"""The balance of give-and-take in a pairing, with nudges when it leans one way."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain import balance as rules
from peermentor.domain.balance import BalanceReport
from peermentor.services.access import Actor
from peermentor.services.workspace.access import open_workspace
from peermentor.store.models import Person
from peermentor.store.workspace_counts import Exchange, load_exchange
from peermentor.store.workspace_repo import member_id, person_id


def report_of(
    members: tuple[str, ...], exchange: Exchange, names: Mapping[str, str] | None = None
) -> BalanceReport:
    return rules.balance(
        members,
        sessions=exchange.sessions,
        requests=exchange.requests,
        feedback=exchange.feedback,
        roleplays=exchange.roleplays,
        names=names,
    )


def first_names(session: Session, members: tuple[str, ...]) -> dict[str, str]:
    """Nudges speak of a peer by first name, as peers do ("Kim has answered ...")."""
    rows = session.execute(
        select(Person.id, Person.name).where(Person.id.in_([person_id(m) for m in members]))
    )
    return {member_id(pid): (name.split() or [name])[0] for pid, name in rows}


def balances(session: Session, members: Mapping[int, tuple[str, ...]]) -> dict[int, BalanceReport]:
    """Balance of several pairings of one member, each table read once."""
    exchange = load_exchange(session, members)
    return {
        pid: report_of(group, exchange[pid], first_names(session, group))
        for pid, group in members.items()
    }


def pairing_balance(session: Session, actor: Actor, pairing_id: int) -> BalanceReport:
    """The index, its components and every member's nudges (the pairing's own view)."""
    ws = open_workspace(session, actor, pairing_id)
    return balances(session, {ws.id: ws.members})[ws.id]
