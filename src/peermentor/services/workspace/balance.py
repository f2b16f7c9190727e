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
from peermentor.store.workspace_exchange import load_feedback, load_requests, load_sessions
from peermentor.store.workspace_practice import load_roleplays
from peermentor.store.workspace_repo import member_id, person_id


def balances(
    session: Session, members: Mapping[int, tuple[str, ...]], *, with_names: bool = True
) -> dict[int, BalanceReport]:
    """Balance of many pairings, each table read once. Nudges speak of a peer by first
    name, as peers do; without names (admins' aggregates use only the indices) they
    name members by id."""
    sessions = load_sessions(session, members)
    requests = load_requests(session, members)
    feedback = load_feedback(session, members)
    roleplays = load_roleplays(session, members)
    names: dict[str, str] = {}
    if with_names:
        ids = {person_id(m) for group in members.values() for m in group}
        names = {
            member_id(pid): name.split()[0] if name.strip() else name
            for pid, name in session.execute(
                select(Person.id, Person.name).where(Person.id.in_(ids))
            )
        }
    return {
        pid: rules.balance(
            group,
            sessions=sessions.get(pid, ()),
            requests=requests.get(pid, ()),
            feedback=feedback.get(pid, ()),
            roleplays=roleplays.get(pid, ()),
            names=names,
        )
        for pid, group in members.items()
    }


def pairing_balance(session: Session, actor: Actor, pairing_id: int) -> BalanceReport:
    """The index, its components and every member's nudges (the pairing's own view)."""
    ws = open_workspace(session, actor, pairing_id)
    return balances(session, {ws.id: ws.members})[ws.id]
