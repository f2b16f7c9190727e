"""The end of a cycle: every member reflects, then the pairing completes or renews;
at any point one member may ask for a rematch instead.

Rules, by the pairing's state:

| state | closing reflection | close (complete/renew) | rematch |
| --- | --- | --- | --- |
| proposed | no (decline instead) | no | no (decline instead) |
| active, paused | yes | once every member has reflected | yes, any one member |
| completed, dissolved | no | no | no (they are back in the pool) |

Each reflection carries its author's choice. The pairing renews only when every
member chose to renew (nobody is kept for another cycle against their wish);
otherwise it completes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from peermentor.domain import lifecycle
from peermentor.domain.errors import InvalidTransition, NotReady
from peermentor.domain.lifecycle import Pairing, PairingState
from peermentor.domain.validation import require_aware, require_choice, require_member, require_text

MAX_REFLECTION = 4000
OPEN_STATES = frozenset({PairingState.ACTIVE, PairingState.PAUSED})


class Choice(StrEnum):
    COMPLETE = "complete"
    RENEW = "renew"


@dataclass(frozen=True, slots=True)
class ClosingReflection:
    member_id: str
    text: str
    choice: Choice
    at: datetime


@dataclass(frozen=True, slots=True)
class Closing:
    pairing_id: str
    members: tuple[str, ...]
    cycle: int
    reflections: tuple[ClosingReflection, ...] = ()

    @property
    def waiting_for(self) -> tuple[str, ...]:
        written = {r.member_id for r in self.reflections}
        return tuple(m for m in self.members if m not in written)

    @property
    def outcome(self) -> Choice | None:
        """None until everyone has reflected; RENEW only if everyone chose it."""
        if self.waiting_for:
            return None
        if all(r.choice is Choice.RENEW for r in self.reflections):
            return Choice.RENEW
        return Choice.COMPLETE


def _require_open(p: Pairing, action: str) -> None:
    if p.state not in OPEN_STATES:
        raise InvalidTransition(p.state.value, action)


def start_closing(p: Pairing) -> Closing:
    _require_open(p, "close")
    return Closing(p.pairing_id, p.members, p.cycle)


def _require_current(p: Pairing, closing: Closing) -> None:
    if (closing.pairing_id, closing.cycle) != (p.pairing_id, p.cycle):
        raise NotReady("close", "this closing belongs to another pairing or an earlier cycle")


def reflect(
    p: Pairing,
    closing: Closing,
    actor: str,
    text: str,
    choice: Choice | str,
    now: datetime,
) -> Closing:
    """Write (or rewrite) the actor's closing reflection and choice."""
    require_member(p.members, actor)
    _require_open(p, "write a closing reflection for")
    _require_current(p, closing)
    mine = ClosingReflection(
        actor,
        require_text("reflection", text, max_len=MAX_REFLECTION),
        require_choice("choice", choice, Choice),
        require_aware("now", now),
    )
    kept = tuple(r for r in closing.reflections if r.member_id != actor)
    ordered = tuple(r for m in p.members for r in (*kept, mine) if r.member_id == m)
    return replace(closing, reflections=ordered)


def close(p: Pairing, closing: Closing, now: datetime) -> Pairing:
    """Complete or renew the pairing as the reflections decided."""
    _require_open(p, "close")
    _require_current(p, closing)
    outcome = closing.outcome
    if outcome is None:
        raise NotReady("close", "waiting for a reflection from " + ", ".join(closing.waiting_for))
    if outcome is Choice.RENEW:
        return lifecycle.renew(p, now)
    return lifecycle.complete(p, now)


def request_rematch(p: Pairing, member_id: str, now: datetime, reason: str = "") -> Pairing:
    """Any one member ends the pairing and both (or all three) go back to the pool."""
    return lifecycle.request_rematch(p, member_id, now, reason)
