"""The end of a cycle: each member reflects and chooses; the pairing then completes or
renews. At any time one member may ask for a rematch instead."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain import closing as rules
from peermentor.domain.closing import Closing
from peermentor.domain.cycle_summary import CycleSummary, cycle_start, summarise
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, find_head, open_workspace
from peermentor.services.workspace.proposals import PairingView, pairing_view
from peermentor.store.workspace_counts import load_exchange
from peermentor.store.workspace_growth import load_boards
from peermentor.store.workspace_practice import load_closing, save_closing
from peermentor.store.workspace_repo import lifecycle_of, save_lifecycle


def get_closing(session: Session, actor: Actor, pairing_id: int) -> Closing:
    """The closing reflections of the current cycle (empty until someone writes one)."""
    return closing_of(session, open_workspace(session, actor, pairing_id))


def closing_of(session: Session, ws: Workspace) -> Closing:
    return load_closing(session, ws.id, ws.members, ws.cycle)


def cycle_summary_of(session: Session, ws: Workspace) -> CycleSummary:
    """The current cycle in numbers, from the reading member's side (counts, no text)."""
    exchange = load_exchange(session, {ws.id: ws.members})[ws.id]
    since = cycle_start(lifecycle_of(session, ws.head).history)
    return summarise(
        ws.me,
        since,
        exchange.sessions,
        exchange.requests,
        exchange.feedback,
        exchange.roleplays,
        load_boards(session, ws.id, ws.members),
    )


def write_closing_reflection(
    session: Session, actor: Actor, pairing_id: int, text: str, choice: str, now: datetime
) -> Closing:
    """Write (or rewrite) the acting member's reflection and choice: complete or renew."""
    ws = open_workspace(session, actor, pairing_id, lock=True)
    p = lifecycle_of(session, ws.head)
    closing = load_closing(session, ws.id, ws.members, p.cycle)
    after = rules.reflect(p, closing, ws.me, text, choice, now)
    save_closing(session, ws.id, after)
    session.commit()
    return after


def close_pairing(session: Session, actor: Actor, pairing_id: int, now: datetime) -> PairingView:
    """Once every member has reflected: renew if all chose to, otherwise complete."""
    ws = open_workspace(session, actor, pairing_id, lock=True)
    before = lifecycle_of(session, ws.head)
    closing = load_closing(session, ws.id, ws.members, before.cycle)
    save_lifecycle(session, ws.id, before, rules.close(before, closing, now))
    session.commit()
    return pairing_view(session, find_head(session, ws.id), now)


def request_rematch(
    session: Session, actor: Actor, pairing_id: int, now: datetime, *, reason: str = ""
) -> PairingView:
    """One member ends the pairing; every member goes back to the pool."""
    ws = open_workspace(session, actor, pairing_id, lock=True)
    before = lifecycle_of(session, ws.head)
    save_lifecycle(session, ws.id, before, rules.request_rematch(before, ws.me, now, reason))
    session.commit()
    return pairing_view(session, find_head(session, ws.id), now)
