"""Check-ins: each member's pulse on trust, candour, mutual benefit and progress.

A member reads only their own answers: the partner sees that a pulse was given, not
what it said, so that the ratings can be honest. Admins see averages (health).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain import checkins as rules
from peermentor.domain.checkins import CheckIn
from peermentor.services.access import Actor
from peermentor.services.workspace.access import Workspace, open_for_writing, open_workspace
from peermentor.store.workspace_dashboard import last_checkin_of_each
from peermentor.store.workspace_exchange import load_checkins, save_checkin


@dataclass(frozen=True, slots=True)
class MyCheckIns:
    mine: tuple[CheckIn, ...]  # oldest first
    due: bool
    next_due: datetime | None  # None until the pairing is active
    # When each partner last checked in (None: not yet): the fact, never the answers.
    partners_last: tuple[tuple[str, datetime | None], ...] = ()


def _status(ws: Workspace, checkins: list[CheckIn], now: datetime) -> MyCheckIns:
    mine = tuple(c for c in checkins if c.member_id == ws.me)
    if ws.activated_at is None or ws.state != "active":
        return MyCheckIns(mine, False, None)
    active_since = ws.activated_at
    interval = ws.timing.pulse_interval
    last = mine[-1].at if mine else None
    return MyCheckIns(
        mine,
        rules.is_due(last, active_since, now, interval),
        rules.next_due(last, active_since, interval),
    )


def my_checkins(session: Session, actor: Actor, pairing_id: int, now: datetime) -> MyCheckIns:
    return checkins_of(session, open_workspace(session, actor, pairing_id), now)


def checkins_of(session: Session, ws: Workspace, now: datetime) -> MyCheckIns:
    mine = _status(ws, load_checkins(session, [ws.id], of_person=int(ws.me)).get(ws.id, []), now)
    last = last_checkin_of_each(session, ws.id)
    return replace(mine, partners_last=tuple((p, last.get(p)) for p in ws.partners))


def check_in(
    session: Session,
    actor: Actor,
    pairing_id: int,
    now: datetime,
    *,
    trust: int,
    candour: int,
    mutual_benefit: int,
    progress: int,
    note: str = "",
) -> MyCheckIns:
    ws = open_for_writing(session, actor, pairing_id, "check in on")
    pulse = rules.check_in(
        str(ws.id),
        ws.members,
        ws.me,
        now,
        trust=trust,
        candour=candour,
        mutual_benefit=mutual_benefit,
        progress=progress,
        note=note,
    )
    save_checkin(session, ws.id, pulse)
    session.commit()
    return checkins_of(session, ws, now)
