"""Every workspace use case, walked for a participant outside the pairing and for an
admin: both are refused before anything is read. A use case missing from the matrix
fails the completeness test, so a new one cannot ship unchecked."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy.orm import Session

from peermentor.services.access import Actor, Forbidden
from peermentor.services.workspace import (
    balance,
    charter,
    checkins,
    closing,
    feedback,
    gaps,
    guidance,
    proposals,
    roleplay,
    sessions,
    vision,
)
from tests.store.workspace.factories import NOW, World

MODULES: tuple[ModuleType, ...] = (
    proposals,
    charter,
    vision,
    gaps,
    guidance,
    sessions,
    roleplay,
    feedback,
    checkins,
    balance,
    closing,
)

Call = Callable[[Session, Actor, World], Any]

# One call per member use case, with arguments that would succeed for a member.
MATRIX: dict[str, Call] = {
    "get_pairing": lambda s, a, w: proposals.get_pairing(s, a, w.pairing_id, NOW),
    "accept_proposal": lambda s, a, w: proposals.accept_proposal(s, a, w.pairing_id, NOW),
    "decline_proposal": lambda s, a, w: proposals.decline_proposal(s, a, w.pairing_id, NOW),
    "pause_pairing": lambda s, a, w: proposals.pause_pairing(s, a, w.pairing_id, NOW),
    "resume_pairing": lambda s, a, w: proposals.resume_pairing(s, a, w.pairing_id, NOW),
    "get_charter": lambda s, a, w: charter.get_charter(s, a, w.pairing_id),
    "edit_charter": lambda s, a, w: charter.edit_charter(s, a, w.pairing_id, NOW, purpose="p"),
    "set_my_goals": lambda s, a, w: charter.set_my_goals(s, a, w.pairing_id, ["g"], NOW),
    "agree_charter": lambda s, a, w: charter.agree_charter(s, a, w.pairing_id, NOW),
    "get_visions": lambda s, a, w: vision.get_visions(s, a, w.pairing_id),
    "write_vision": lambda s, a, w: vision.write_vision(
        s, a, w.pairing_id, w.pid("ana"), NOW, horizon_years=3, statement="s"
    ),
    "get_gap_boards": lambda s, a, w: gaps.get_gap_boards(s, a, w.pairing_id),
    "add_gap": lambda s, a, w: gaps.add_gap(s, a, w.pairing_id, NOW, title="t", category="skill"),
    "update_gap": lambda s, a, w: gaps.update_gap(s, a, w.pairing_id, 1, NOW, title="t"),
    "link_gap_milestone": lambda s, a, w: gaps.link_gap_milestone(s, a, w.pairing_id, 1, None, NOW),
    "move_gap": lambda s, a, w: gaps.move_gap(s, a, w.pairing_id, 1, "now", 0, NOW),
    "remove_gap": lambda s, a, w: gaps.remove_gap(s, a, w.pairing_id, 1, NOW),
    "list_requests": lambda s, a, w: guidance.list_requests(s, a, w.pairing_id, NOW),
    "ask_for_guidance": lambda s, a, w: guidance.ask_for_guidance(
        s, a, w.pairing_id, NOW, topic="t"
    ),
    "answer_request": lambda s, a, w: guidance.answer_request(s, a, w.pairing_id, 1, "x", NOW),
    "close_request": lambda s, a, w: guidance.close_request(s, a, w.pairing_id, 1, NOW),
    "list_sessions": lambda s, a, w: sessions.list_sessions(s, a, w.pairing_id),
    "log_session": lambda s, a, w: sessions.log_session(
        s, a, w.pairing_id, NOW, held_on=NOW.date(), duration_minutes=30
    ),
    "record_contribution": lambda s, a, w: sessions.record_contribution(
        s, a, w.pairing_id, 1, NOW, gave=["x"], got=[]
    ),
    "roleplay_board": lambda s, a, w: roleplay.roleplay_board(s, a, w.pairing_id, NOW),
    "list_scenarios": lambda s, a, w: roleplay.list_scenarios(s, a, w.pairing_id),
    "set_schedule": lambda s, a, w: roleplay.set_schedule(
        s, a, w.pairing_id, NOW, start=date(2026, 3, 2)
    ),
    "plan_roleplay": lambda s, a, w: roleplay.plan_roleplay(
        s, a, w.pairing_id, "negotiating-scope", NOW
    ),
    "complete_roleplay": lambda s, a, w: roleplay.complete_roleplay(s, a, w.pairing_id, 1, NOW),
    "reflect_on_roleplay": lambda s, a, w: roleplay.reflect_on_roleplay(
        s, a, w.pairing_id, 1, "x", NOW
    ),
    "list_feedback": lambda s, a, w: feedback.list_feedback(s, a, w.pairing_id),
    "give_feedback": lambda s, a, w: feedback.give_feedback(
        s, a, w.pairing_id, NOW, dimension="behaviour", situation="s", behaviour="b", impact="i"
    ),
    "acknowledge_feedback": lambda s, a, w: feedback.acknowledge_feedback(
        s, a, w.pairing_id, 1, NOW
    ),
    "my_checkins": lambda s, a, w: checkins.my_checkins(s, a, w.pairing_id, NOW),
    "check_in": lambda s, a, w: checkins.check_in(
        s, a, w.pairing_id, NOW, trust=3, candour=3, mutual_benefit=3, progress=3
    ),
    "pairing_balance": lambda s, a, w: balance.pairing_balance(s, a, w.pairing_id),
    "get_closing": lambda s, a, w: closing.get_closing(s, a, w.pairing_id),
    "write_closing_reflection": lambda s, a, w: closing.write_closing_reflection(
        s, a, w.pairing_id, "x", "complete", NOW
    ),
    "close_pairing": lambda s, a, w: closing.close_pairing(s, a, w.pairing_id, NOW),
    "request_rematch": lambda s, a, w: closing.request_rematch(s, a, w.pairing_id, NOW),
}


def member_use_cases() -> set[str]:
    """Public functions of the workspace services that act on one pairing as a member."""
    found = set()
    for module in MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:3] == ["session", "actor", "pairing_id"]:
                found.add(name)
    return found


def test_the_matrix_lists_every_member_use_case() -> None:
    # Admin-only steps (withdraw, dissolve) take a pairing too but check the admin role.
    assert member_use_cases() - {"withdraw_proposal", "dissolve_pairing"} == set(MATRIX)


@pytest.mark.parametrize("use_case", sorted(MATRIX))
@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_only_members_reach_a_use_case(
    pair: World, session: Session, use_case: str, who: str
) -> None:
    actor = pair.outsider if who == "outsider" else pair.admin
    with pytest.raises(Forbidden):
        MATRIX[use_case](session, actor, pair)


@pytest.mark.parametrize(
    "use_case", ["get_pairing", "get_charter", "pairing_balance", "list_scenarios"]
)
def test_the_partner_reaches_the_shared_views(pair: World, session: Session, use_case: str) -> None:
    MATRIX[use_case](session, pair.kim, pair)
