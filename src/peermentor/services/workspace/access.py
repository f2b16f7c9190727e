"""Who may open a pairing's workspace: its members, and nobody else.

Written once and used by every workspace use case. Admins are not members, so they
never read what a pair writes to each other; they get numbers from `health`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from peermentor.domain.errors import InvalidTransition
from peermentor.domain.lifecycle import PairingState
from peermentor.services.access import Actor, Forbidden, NotFound
from peermentor.services.programs import DEFAULT_SETTINGS
from peermentor.store.models import Pairing, Program
from peermentor.store.workspace_heads import PairingHead, load_head, pairing_row
from peermentor.store.workspace_repo import member_id

# Members may keep writing while a pairing is paused (a pause stops the clock, not the
# conversation); once it has completed or dissolved the workspace is read-only.
WRITABLE = frozenset({PairingState.ACTIVE.value, PairingState.PAUSED.value})


@dataclass(frozen=True, slots=True)
class Timing:
    """The programme's clock settings, as durations."""

    response_window: timedelta
    pulse_interval: timedelta
    roleplay_cadence_days: int


def timing_from(program_settings: Mapping[str, Any] | None) -> Timing:
    settings = {**DEFAULT_SETTINGS, **(program_settings or {})}
    return Timing(
        response_window=timedelta(days=int(settings["response_window_days"])),
        pulse_interval=timedelta(days=int(settings["pulse_interval_days"])),
        roleplay_cadence_days=int(settings["roleplay_cadence_days"]),
    )


def timing_of(program: Program) -> Timing:
    return timing_from(program.settings)


@dataclass(frozen=True, slots=True)
class Workspace:
    """A pairing opened by one of its members, as plain data read once per request:
    `me` is that member's domain id. Pages and use cases share it; no ORM row inside."""

    head: PairingHead
    me: str

    @property
    def id(self) -> int:
        return self.head.id

    @property
    def state(self) -> str:
        return self.head.state

    @property
    def cycle(self) -> int:
        return self.head.cycle

    @property
    def program_id(self) -> int:
        return self.head.program_id

    @property
    def activated_at(self) -> datetime | None:
        return self.head.activated_at

    @property
    def members(self) -> tuple[str, ...]:
        return self.head.members

    @property
    def names(self) -> dict[str, str]:
        """Member id -> full name, for every member of the pairing."""
        return self.head.names

    @property
    def partners(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if m != self.me)

    @property
    def writable(self) -> bool:
        return self.head.state in WRITABLE

    @property
    def timing(self) -> Timing:
        return timing_from(self.head.program_settings)


def find_pairing(session: Session, pairing_id: int, *, lock: bool = False) -> Pairing:
    """A published pairing's row (admin paths); drafts are the admin's work in progress
    and do not exist for anyone else yet.

    lock: hold the pairing's row until commit (FOR UPDATE on PostgreSQL; SQLite has
    one writer at a time anyway), so that two members acting at once, say both
    accepting or both editing the charter, are applied one after the other instead
    of each missing the other's change."""
    row = pairing_row(session, pairing_id, lock=lock)
    if row is None or row.state == "draft":
        raise NotFound(f"no pairing {pairing_id}")
    return row


def find_head(session: Session, pairing_id: int, *, lock: bool = False) -> PairingHead:
    head = load_head(session, pairing_id, lock=lock)
    if head is None:
        raise NotFound(f"no pairing {pairing_id}")
    return head


def workspace_of(actor: Actor, head: PairingHead) -> Workspace:
    if actor.person_id is None or member_id(actor.person_id) not in head.members:
        raise Forbidden("only the members of a pairing may see or change its workspace")
    return Workspace(head, member_id(actor.person_id))


def open_workspace(
    session: Session, actor: Actor, pairing_id: int, *, lock: bool = False
) -> Workspace:
    return workspace_of(actor, find_head(session, pairing_id, lock=lock))


def open_for_writing(session: Session, actor: Actor, pairing_id: int, action: str) -> Workspace:
    """Open a workspace to change its content: a member, the pairing locked, and the
    pairing active or paused."""
    ws = open_workspace(session, actor, pairing_id, lock=True)
    require_writable(ws, action)
    return ws


def require_writable(ws: Workspace, action: str) -> None:
    """Content is written while the pairing is active or paused, not before the
    members have all said yes nor after it has ended."""
    if not ws.writable:
        raise InvalidTransition(ws.state, action)
