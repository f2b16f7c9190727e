"""The charter: the shared purpose, each member's goals, cadence and norms; agreed by all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain import charter as rules
from peermentor.domain.charter import Charter
from peermentor.domain.errors import NotReady
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, open_for_writing, open_workspace
from peermentor.store.workspace_charter import load_charter, save_charter


def get_charter(session: Session, actor: Actor, pairing_id: int) -> Charter | None:
    """The charter with its whole history, or None before anyone has written it."""
    return charter_of(session, open_workspace(session, actor, pairing_id))


def charter_of(session: Session, ws: Workspace) -> Charter | None:
    return load_charter(session, ws.id, ws.members)


def _store(session: Session, ws: Workspace, before: Charter | None, after: Charter) -> Charter:
    save_charter(session, ws.id, before, after)
    session.commit()
    return after


def edit_charter(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    *,
    purpose: str | None = None,
    cadence: str | None = None,
    every_days: int | None = None,
    confidentiality: bool | None = None,
    candour: bool | None = None,
    other_norms: str | None = None,
    goals: Sequence[str] | None = None,
) -> Charter:
    """Write the shared parts; the first edit creates the charter. Fields left None keep
    their value. A real change makes a new version and asks everyone to agree again.
    `goals`, when given, replaces the acting member's own goals in the same save."""
    ws = open_for_writing(session, actor, pairing_id, "edit the charter of")
    before = load_charter(session, ws.id, ws.members)
    start = before or rules.draft_charter(ws.members, ws.me, now)
    cur = start.current
    new_cadence = None
    if cadence is not None or every_days is not None:
        kind = cadence if cadence is not None else cur.cadence.kind
        new_cadence = rules.cadence(kind, every_days)
    new_norms = None
    if (confidentiality, candour, other_norms) != (None, None, None):
        new_norms = replace(
            cur.norms,
            confidentiality=cur.norms.confidentiality
            if confidentiality is None
            else confidentiality,
            candour=cur.norms.candour if candour is None else candour,
            other=cur.norms.other if other_norms is None else other_norms,
        )
    after = rules.edit_charter(
        start, ws.me, now, purpose=purpose, cadence=new_cadence, norms=new_norms
    )
    if goals is not None:
        after = rules.set_goals(after, ws.me, tuple(goals), now)
    if before is not None and after is before:
        return before
    return _store(session, ws, before, after)


def set_my_goals(
    session: Session, actor: Actor, pairing_id: int, goals: Sequence[str], now: datetime
) -> Charter:
    """Replace the acting member's own goals (nobody writes another member's goals)."""
    ws = open_for_writing(session, actor, pairing_id, "edit the charter of")
    before = load_charter(session, ws.id, ws.members)
    start = before or rules.draft_charter(ws.members, ws.me, now)
    after = rules.set_goals(start, ws.me, tuple(goals), now)
    if before is not None and after is before:
        return before
    return _store(session, ws, before, after)


def agree_charter(session: Session, actor: Actor, pairing_id: int, now: datetime) -> Charter:
    ws = open_for_writing(session, actor, pairing_id, "agree the charter of")
    before = load_charter(session, ws.id, ws.members)
    if before is None:
        raise NotReady("agree the charter", "nobody has written it yet")
    after = rules.agree(before, ws.me, now, ws.names)
    if after is before:
        return before
    return _store(session, ws, before, after)
