"""Every API endpoint asked by its owner (ana), the partner (kim), a participant outside
the pairing, and a programme admin, on SQLite and PostgreSQL.

ana owns what the setup makes (her gap, her request to kim, her feedback to kim), so
a row says what each persona may do with it: kim may answer ana's request but not
close it, may acknowledge the feedback given to him but not edit ana's gap. Every
call runs in its own savepoint, so each persona meets the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from peermentor.services.workspace.charter import edit_charter, set_my_goals
from peermentor.services.workspace.closing import write_closing_reflection
from peermentor.services.workspace.feedback import give_feedback
from peermentor.services.workspace.gaps import add_gap
from peermentor.services.workspace.guidance import ask_for_guidance
from peermentor.services.workspace.proposals import pause_pairing
from peermentor.services.workspace.roleplay import complete_roleplay, plan_roleplay, set_schedule
from peermentor.services.workspace.sessions import log_session
from peermentor.services.workspace.vision import write_vision
from tests.api.conftest import Api
from tests.store.circles.factories import furnish_circle
from tests.store.workspace.factories import NOW

PERSONAS = ("ana", "kim", "outsider", "admin")
NO, GONE = 403, 404


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # under /api/pairings/{pairing}, unless it starts with /api
    ana: int
    kim: int
    outsider: int = NO
    admin: int = NO
    body: Any = None
    world: str = "active"  # active (furnished), paused (furnished), proposed

    @property
    def id(self) -> str:
        return f"{self.method} {self.path} [{self.world}]"


SCENARIO = {
    "scenario_id": "asking-for-a-raise",
    "title": "Asking for a raise",
    "situation": "A yearly review",
    "practising": {"name": "Employee", "brief": "Make the case"},
    "counterpart": {"name": "Manager", "brief": "Weigh it"},
    "practise": "Stating value plainly",
}
FEEDBACK = {"dimension": "performance", "situation": "S", "behaviour": "B", "impact": "I"}
CIRCLE_NOTE = FEEDBACK | {"receiver_id": 999999}
PAUSE = {"until": "2031-01-01T00:00:00Z"}
CHECK_IN = {"trust": 4, "candour": 4, "mutual_benefit": 3, "progress": 5}

ROWS = [
    Row("GET", "", 200, 200),
    Row("POST", "/accept", 200, 200, world="proposed"),
    Row("POST", "/decline", 200, 200, body={"reason": "busy"}, world="proposed"),
    Row("POST", "/pause", 200, 200, body={"reason": "holiday"}),
    Row("POST", "/resume", 200, 200, world="paused"),
    Row("GET", "/charter", 200, 200),
    Row("PATCH", "/charter", 200, 200, body={"purpose": "Learn to lead", "candour": True}),
    Row("PUT", "/charter/goals", 200, 200, body={"goals": ["Speak up"]}),
    Row("POST", "/charter/agree", 200, 200),
    Row("GET", "/visions", 200, 200),
    Row("PUT", "/visions/mine", 200, 200, body={"horizon_years": 3, "statement": "Lead"}),
    Row("GET", "/gaps", 200, 200),
    Row("POST", "/gaps", 201, 201, body={"title": "Budgets", "category": "skill"}),
    Row("PATCH", "/gaps/{gap}", 200, NO, body={"status": "in_progress"}),
    Row("DELETE", "/gaps/{gap}", 200, NO),
    Row("PUT", "/gaps/{gap}/milestone", 200, NO, body={"milestone_id": "m1"}),
    Row("POST", "/gaps/{gap}/move", 200, NO, body={"to": "backburner", "index": 0}),
    Row("GET", "/requests", 200, 200),
    Row("POST", "/requests", 201, 201, body={"topic": "Hiring"}),
    Row("POST", "/requests/{request}/answer", NO, 200, body={"answer": "Ask early"}),
    Row("POST", "/requests/{request}/close", 200, NO),
    Row("GET", "/sessions", 200, 200),
    Row("POST", "/sessions", 201, 201, body={"held_on": "2026-03-01", "duration_minutes": 30}),
    Row("PUT", "/sessions/{session}/contribution", 200, 200, body={"gave": ["a"], "got": ["b"]}),
    Row("GET", "/feedback", 200, 200),
    Row("POST", "/feedback", 201, 201, body=FEEDBACK),
    Row("POST", "/feedback/{feedback}/acknowledge", NO, 200),
    Row("GET", "/roleplays", 200, 200),
    Row("PUT", "/roleplays/schedule", 200, 200, body={"start": "2026-03-09"}),
    Row("POST", "/roleplays", 201, 201, body={"scenario_id": "negotiating-scope"}),
    Row("POST", "/roleplays/{roleplay}/complete", 200, 200),
    Row("PUT", "/roleplays/{roleplay}/reflection", 200, 200, body={"reflection": "Calmer"}),
    Row("GET", "/scenarios", 200, 200),
    Row("GET", "/checkins", 200, 200),
    Row("POST", "/checkins", 201, 201, body=CHECK_IN),
    Row("GET", "/balance", 200, 200),
    Row("GET", "/closing", 200, 200),
    Row("PUT", "/closing/reflection", 200, 200, body={"reflection": "Grew", "choice": "renew"}),
    Row("POST", "/close", 200, 200),
    Row("POST", "/rematch", 200, 200, body={"reason": "different goals"}),
    Row("GET", "/api/me/overview", 200, 200, outsider=200, admin=200),
    # Each their own profile; an admin's account has no person, so no profile.
    Row("GET", "/api/me/profile", 200, 200, outsider=200),
    Row("PUT", "/api/me/profile", 200, 200, outsider=200, body={"hours_per_month": 5}),
    # A token caller may not mint tokens (a browser session may: test_auth.py).
    Row("POST", "/api/me/tokens", NO, NO, body={"name": "cron"}),
    Row("GET", "/api/me/tokens", 200, 200, outsider=200, admin=200),
    # ana's own token: anyone else is told it does not exist.
    Row("DELETE", "/api/me/tokens/{token}", 200, GONE, outsider=GONE, admin=GONE),
    # The world's pairings are published already: the admin passes the access rule and
    # is told there is no draft (tests/web/test_one_publish_path.py publishes one).
    Row("POST", "/api/programs/{program}/publish", NO, NO, admin=422),
    Row("GET", "/api/programs/{program}/health", NO, NO, admin=200),
    Row("GET", "/api/programs/{program}/why-not?a=E-ana.silva&b=E-omar.said", NO, NO, admin=200),
    Row("POST", "/api/programs/{program}/scenarios", NO, NO, admin=201, body=SCENARIO),
    Row("GET", "/api/programs/{program}/signups", NO, NO, admin=200),
    Row("PUT", "/api/programs/{program}/signups/settings", NO, NO, admin=200, body={"open": False}),
    Row(
        "POST",
        "/api/programs/{program}/signups/decisions",
        NO,
        NO,
        admin=200,
        body={"person_ids": [999999], "approve": True},
    ),
    # Choosing one's own peer: the world's programme is matched by its admins, so an
    # enrolled participant reads why not and is refused a request (409); an admin's
    # account has no person. {request} is no choosing request: not found for everyone.
    Row("GET", "/api/programs/{program}/choosing", 200, 200, outsider=200),
    Row(
        "POST",
        "/api/programs/{program}/choosing/requests",
        409,
        409,
        outsider=409,
        body={"person_id": 999999},
    ),
    Row("POST", "/api/choosing/requests/{request}/accept", GONE, GONE, GONE, GONE),
    Row("POST", "/api/choosing/requests/{request}/decline", GONE, GONE, GONE, GONE),
    Row("POST", "/api/choosing/requests/{request}/withdraw", GONE, GONE, GONE, GONE),
    Row("GET", "/api/programs/{program}/self-match", NO, NO, admin=200),
    Row("PUT", "/api/programs/{program}/self-match", NO, NO, admin=200, body={"mode": "self"}),
    Row("POST", "/api/pairings/{pairing}/withdraw", NO, NO, admin=200, world="proposed"),
    Row("POST", "/api/pairings/{pairing}/dissolve", NO, NO, admin=200, body={"reason": "x"}),
    # Circles (tests/store/circles/factories.furnish_circle): ana, kim, ..., outsider in
    # one circle, round 1 under way; the last member (outsider) wrote to ana.
    Row("GET", "/api/circles", 200, 200, outsider=200, admin=200),
    Row("GET", "/api/circles/{circle}", 200, 200, outsider=200),
    Row("POST", "/api/circles/{circle}/notes", 422, 422, outsider=422, body=CIRCLE_NOTE),
    Row("POST", "/api/circles/{circle}/skip", 409, 200, outsider=409),
    Row("POST", "/api/circles/{circle}/pause", 200, 200, outsider=200, body=PAUSE),
    Row("POST", "/api/circles/{circle}/resume", 200, 200, outsider=200),
    Row("POST", "/api/circle-notes/{note}/acknowledge", 200, GONE, outsider=GONE, admin=GONE),
    Row(
        "POST",
        "/api/circle-notes/{note}/replies",
        201,
        GONE,
        outsider=GONE,
        admin=GONE,
        body={"kind": "thanks", "text": "Thank you"},
    ),
    Row("GET", "/api/circles/{circle}/participation", NO, NO, admin=200),
    Row("GET", "/api/programs/{program}/circles", NO, NO, admin=200),
    Row(
        "POST",
        "/api/programs/{program}/circles",
        NO,
        NO,
        admin=422,
        body={"name": "By hand", "member_ids": [999997, 999998, 999999]},
    ),
    Row("POST", "/api/programs/{program}/circles/from-teams", NO, NO, admin=201, body={}),
    Row("GET", "/api/circles/{circle}/settings", NO, NO, admin=200),
    Row("PATCH", "/api/circles/{circle}/settings", NO, NO, admin=200, body={"cadence_days": 7}),
    Row("POST", "/api/circles/{circle}/members", NO, NO, admin=422, body={"person_id": 999999}),
    Row("DELETE", "/api/circles/{circle}/members/{person}", NO, NO, admin=200),
    Row("POST", "/api/circles/{circle}/rounds", NO, NO, admin=201),
]


def furnish(api: Api, session: Session) -> dict[str, int]:
    """One of everything, made by ana (or for her to own), through the services."""
    w, pid = api.world, api.world.pairing_id
    ana, kim = w.ana, w.kim
    edit_charter(session, ana, pid, NOW, purpose="Grow together")
    for who in (ana, kim):
        set_my_goals(session, who, pid, ["A goal"], NOW)
    write_vision(
        session, ana, pid, w.pid("ana"), NOW, horizon_years=5, statement="V", milestones=["M"]
    )
    gap = add_gap(session, ana, pid, NOW, title="Public speaking", category="skill")
    request = ask_for_guidance(session, ana, pid, NOW, topic="Salary talk")
    met = log_session(session, ana, pid, NOW, held_on=date(2026, 3, 1), duration_minutes=45)
    fb = give_feedback(
        session, ana, pid, NOW, dimension="behaviour", situation="S", behaviour="B", impact="I"
    )
    set_schedule(session, ana, pid, NOW, start=date(2026, 3, 2), cadence="weekly")
    rp = plan_roleplay(session, ana, pid, "onboarding-new-hire", NOW)
    complete_roleplay(session, ana, pid, int(rp.roleplay_id), NOW)
    for who in (ana, kim):
        write_closing_reflection(session, who, pid, "A good cycle", "complete", NOW)
    return {
        "gap": int(gap.gap_id),
        "request": int(request.request_id),
        "session": int(met.session_id),
        "feedback": int(fb.feedback_id),
        "roleplay": int(rp.roleplay_id),
    }


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_each_persona_gets_what_the_row_says(
    row: Row, request: pytest.FixtureRequest, session: Session
) -> None:
    api: Api = request.getfixturevalue("proposed_api" if row.world == "proposed" else "pair_api")
    ids = {} if row.world == "proposed" else furnish(api, session)
    if row.world == "paused":
        pause_pairing(session, api.world.ana, api.world.pairing_id, NOW)
    if "circle" in row.path:
        ids |= {k.removesuffix("_id"): v for k, v in furnish_circle(session, api.world).items()}
    ids |= {
        "pairing": api.world.pairing_id,
        "program": api.world.program.id,
        "token": api.token_id(session, "ana"),
    }
    path = row.path if row.path.startswith("/api") else "/api/pairings/{pairing}" + row.path
    path = path.format(**ids)
    got = {}
    for who in PERSONAS:
        # On the connection itself: the ORM's begin_nested() would wait for a first
        # query of this session to emit its SAVEPOINT, and the app's changes would stay.
        savepoint = session.connection().begin_nested()
        try:
            response = api.call(who, row.method, path, row.body)
        finally:
            savepoint.rollback()
        got[who] = response.status_code
    expected = {"ana": row.ana, "kim": row.kim, "outsider": row.outsider, "admin": row.admin}
    assert got == expected


def test_every_api_route_has_a_row(pair_api: Api) -> None:
    from tests.web.test_access_matrix import all_routes

    routes = {r for r in all_routes(pair_api.app.routes) if r[1].startswith("/api/")}
    covered = set()
    for row in ROWS:
        path = row.path if row.path.startswith("/api") else "/api/pairings/{pairing}" + row.path
        covered.add((row.method, path.split("?")[0]))
    names = {"{pairing_id}": "{pairing}", "{program_id}": "{program}", "_id}": "}"}
    normalised = set()
    for method, path in routes:
        for old, new in names.items():
            path = path.replace(old, new)
        normalised.add((method, path))
    assert normalised == covered
