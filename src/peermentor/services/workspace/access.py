"""Who may open a pairing's workspace: its members, and nobody else.

Written once and used by every workspace use case. Admins are not members, so they
never read what a pair writes to each other; they get numbers from `health`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain.errors import InvalidTransition
from peermentor.domain.lifecycle import PairingState
from peermentor.services.access import Actor, Forbidden, NotFound
from peermentor.services.programs import DEFAULT_SETTINGS
from peermentor.store.models import Pairing, Program
from peermentor.store.workspace_repo import member_id, members_of

# Members may keep writing while a pairing is paused (a pause stops the clock, not the
# conversation); once it has completed or dissolved the workspace is read-only.
WRITABLE = frozenset({PairingState.ACTIVE.value, PairingState.PAUSED.value})


@dataclass(frozen=True, slots=True)
class Timing:
    """The programme's clock settings, as durations."""

    response_window: timedelta
    pulse_interval: timedelta
    roleplay_cadence_days: int


def timing_of(program: Program) -> Timing:
    settings = {**DEFAULT_SETTINGS, **(program.settings or {})}
    return Timing(
        response_window=timedelta(days=int(settings["response_window_days"])),
        pulse_interval=timedelta(days=int(settings["pulse_interval_days"])),
        roleplay_cadence_days=int(settings["roleplay_cadence_days"]),
    )


@dataclass(frozen=True, slots=True)
class Workspace:
    """A pairing opened by one of its members: `me` is that member's domain id."""

    row: Pairing
    program: Program
    me: str
    members: tuple[str, ...]

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def partners(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if m != self.me)

    @property
    def timing(self) -> Timing:
        return timing_of(self.program)


def find_pairing(session: Session, pairing_id: int, *, lock: bool = False) -> Pairing:
    """A published pairing; drafts are the admin's work in progress and do not exist
    for anyone else yet.

    lock: hold the pairing's row until commit (FOR UPDATE on PostgreSQL; SQLite has
    one writer at a time anyway), so that two members acting at once, say both
    accepting or both editing the charter, are applied one after the other instead
    of each missing the other's change."""
    query = select(Pairing).where(Pairing.id == pairing_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = session.scalar(query)
    if row is None or row.state == "draft":
        raise NotFound(f"no pairing {pairing_id}")
    return row


def open_workspace(
    session: Session, actor: Actor, pairing_id: int, *, lock: bool = False
) -> Workspace:
    row = find_pairing(session, pairing_id, lock=lock)
    members = members_of(row)
    if actor.person_id is None or member_id(actor.person_id) not in members:
        raise Forbidden("only the members of a pairing may see or change its workspace")
    program = session.get(Program, row.program_id)
    assert program is not None  # the foreign key guarantees it
    return Workspace(row, program, member_id(actor.person_id), members)


def open_for_writing(session: Session, actor: Actor, pairing_id: int, action: str) -> Workspace:
    """Open a workspace to change its content: a member, the pairing locked, and the
    pairing active or paused."""
    ws = open_workspace(session, actor, pairing_id, lock=True)
    require_writable(ws, action)
    return ws


def require_writable(ws: Workspace, action: str) -> None:
    """Content is written while the pairing is active or paused, not before the
    members have all said yes nor after it has ended."""
    if ws.row.state not in WRITABLE:
        raise InvalidTransition(ws.row.state, action)
