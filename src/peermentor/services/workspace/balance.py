"""The balance of give-and-take in a pairing, with nudges when it leans one way."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from peermentor.domain import balance as rules
from peermentor.domain.balance import BalanceReport
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, open_workspace
from peermentor.store.workspace_counts import Exchange, load_exchange


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


def first_names(names: Mapping[str, str]) -> dict[str, str]:
    """Nudges speak of a peer by first name, as peers do ("Kim has answered ...")."""
    return {m: (name.split() or [name])[0] for m, name in names.items()}


def balance_of(session: Session, ws: Workspace) -> BalanceReport:
    """The balance of a workspace the caller has opened already."""
    exchange = load_exchange(session, {ws.id: ws.members})[ws.id]
    return report_of(ws.members, exchange, first_names(ws.names))


def pairing_balance(session: Session, actor: Actor, pairing_id: int) -> BalanceReport:
    """The index, its components and every member's nudges (the pairing's own view)."""
    return balance_of(session, open_workspace(session, actor, pairing_id))
