"""Bad input gets 422 naming the field, in FastAPI's own shape, whether the request model
or a domain rule refused it; refusals of other kinds get 403, 404 and 409."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api

FEEDBACK = {"dimension": "attitude", "situation": "s", "behaviour": "b", "impact": "i"}
PULSE = {"trust": 3, "candour": 3, "mutual_benefit": 3, "progress": 3}
SCENARIO = {
    "scenario_id": "new-one",
    "title": "t",
    "situation": "s",
    "practising": {"name": "a", "brief": "b"},
    "counterpart": {"name": "c", "brief": "d"},
    "practise": "p",
}


def _gap(api: Api) -> int:
    gap = api.ok("ana", "POST", api.pairing("/gaps"), {"title": "Budgets", "category": "skill"})
    return int(gap["gap_id"])


# (who, method, path under the pairing or from /api, body, the loc FastAPI would give)
CASES: list[tuple[str, str, str, Any, list[Any]]] = [
    # charter
    ("ana", "PATCH", "/charter", {"cadence": "daily"}, ["body", "cadence"]),
    ("ana", "PATCH", "/charter", {"every_days": 0}, ["body", "every_days"]),
    ("ana", "PATCH", "/charter", {"cadence": "weekly", "every_days": 3}, ["body", "every_days"]),
    ("ana", "PATCH", "/charter", {"purpose": "x", "colour": "red"}, ["body", "colour"]),
    ("ana", "PATCH", "/charter", {"other_norms": "n" * 2001}, ["body", "other_norms"]),
    ("ana", "PUT", "/charter/goals", {"goals": ["g" * 501]}, ["body", "goals", 0]),
    ("ana", "PUT", "/charter/goals", {"goals": ["   "]}, ["body", "goals"]),
    ("ana", "PUT", "/charter/goals", {"goals": "one goal"}, ["body", "goals"]),
    # vision and gaps
    (
        "ana",
        "PUT",
        "/visions/mine",
        {"horizon_years": 10, "statement": "x"},
        ["body", "horizon_years"],
    ),
    ("ana", "PUT", "/visions/mine", {"horizon_years": 3, "statement": "  "}, ["body", "statement"]),
    ("ana", "POST", "/gaps", {"title": "x", "category": "hobby"}, ["body", "category"]),
    (
        "ana",
        "POST",
        "/gaps",
        {"title": "x", "category": "skill", "milestone_id": "m9"},
        ["body", "milestone_id"],
    ),
    ("ana", "POST", "/gaps/{gap}/move", {"to": "later", "index": 0}, ["body", "to"]),
    ("ana", "POST", "/gaps/{gap}/move", {"to": "now", "index": -1}, ["body", "index"]),
    # requests and sessions
    ("ana", "POST", "/requests", {"topic": "t" * 201}, ["body", "topic"]),
    ("ana", "POST", "/requests", {"topic": "a\x00b"}, ["body", "topic"]),
    ("ana", "POST", "/requests", {"topic": "x", "gap_id": 999_999}, ["body", "gap_id"]),
    ("ana", "POST", "/requests", {"topic": "x", "recipient_id": "{ana}"}, ["body", "recipient_id"]),
    ("ana", "POST", "/requests", {"topic": "x", "gap_id": 2**40}, ["body", "gap_id"]),
    ("ana", "POST", "/requests", {"topic": "x", "recipient_id": 999_999}, ["body", "recipient_id"]),
    ("ana", "POST", "/feedback", {**FEEDBACK, "receiver_id": 999_999}, ["body", "receiver_id"]),
    (
        "ana",
        "POST",
        "/sessions",
        {"held_on": "2031-01-01", "duration_minutes": 30},
        ["body", "held_on"],
    ),
    (
        "ana",
        "POST",
        "/sessions",
        {"held_on": "yesterday", "duration_minutes": 30},
        ["body", "held_on"],
    ),
    (
        "ana",
        "POST",
        "/sessions",
        {"held_on": "2026-03-01", "duration_minutes": 0},
        ["body", "duration_minutes"],
    ),
    # feedback
    ("ana", "POST", "/feedback", {**FEEDBACK, "dimension": "mood"}, ["body", "dimension"]),
    ("ana", "POST", "/feedback", {**FEEDBACK, "impact": None}, ["body", "impact"]),
    ("ana", "POST", "/feedback", {**FEEDBACK, "receiver_id": "{ana}"}, ["body", "receiver_id"]),
    # role-play and check-ins
    ("ana", "PUT", "/roleplays/schedule", {"start": "2031-01-01"}, ["body", "start"]),
    (
        "ana",
        "PUT",
        "/roleplays/schedule",
        {"start": "2026-03-09", "cadence": "every_n_days"},
        ["body", "every_days"],
    ),
    ("ana", "POST", "/checkins", {**PULSE, "trust": 6}, ["body", "trust"]),
    ("ana", "POST", "/checkins", {**PULSE, "progress": "high"}, ["body", "progress"]),
    # closing, me, admin
    (
        "ana",
        "PUT",
        "/closing/reflection",
        {"reflection": "r", "choice": "maybe"},
        ["body", "choice"],
    ),
    ("ana", "POST", "/api/me/tokens", {"name": ""}, ["body", "name"]),
    (
        "admin",
        "POST",
        "/api/programs/{program}/scenarios",
        {**SCENARIO, "scenario_id": "difficult-feedback"},
        ["body", "scenario_id"],
    ),
    (
        "admin",
        "POST",
        "/api/programs/{program}/scenarios",
        {**SCENARIO, "situation": ""},
        ["body", "situation"],
    ),
    # ids in the path
    ("ana", "GET", "/api/pairings/99999999999", None, ["path", "pairing_id"]),
    ("ana", "GET", "/api/pairings/abc/charter", None, ["path", "pairing_id"]),
]


def _fill(api: Api, value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str):
        return int(ids["ana"]) if value == "{ana}" else value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(api, v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "loc"), CASES, ids=[f"{c[1]} {c[2]} {c[4]}" for c in CASES]
)
def test_bad_input_is_a_422_naming_the_field(
    pair_api: Api, who: str, method: str, path: str, body: Any, loc: list[Any]
) -> None:
    api = pair_api
    ids = {"ana": api.world.pid("ana"), "program": api.world.program.id}
    if "{gap}" in path:
        ids["gap"] = _gap(api)
    if not path.startswith("/api"):
        path = api.pairing(path)
    response = api.call(who, method, _fill(api, path, ids), _fill(api, body, ids))
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert [d["loc"] for d in detail if d["loc"] == loc], detail
    assert all(d["msg"] and d["type"] for d in detail)


def test_a_body_that_is_not_json_is_a_422(pair_api: Api) -> None:
    response = pair_api.client("ana").post(
        pair_api.pairing("/requests"),
        content=b'{"topic": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/charter/agree", None, 409),  # nobody has written the charter yet
        ("POST", "/resume", None, 409),  # it is not paused
        ("POST", "/accept", None, 409),  # it is already active
        ("POST", "/close", None, 409),  # nobody has reflected
        ("POST", "/roleplays", {"scenario_id": "difficult-feedback"}, 409),  # no schedule
        ("POST", "/requests/999999/answer", {"answer": "a"}, 404),
        ("POST", "/feedback/999999/acknowledge", None, 404),
        ("PATCH", "/gaps/999999", {"title": "t"}, 404),
        ("PUT", "/sessions/999999/contribution", {"gave": ["a"]}, 404),
        ("POST", "/roleplays/999999/complete", None, 404),
    ],
)
def test_refusals_that_are_not_bad_input(
    pair_api: Api, method: str, path: str, body: Any, status: int
) -> None:
    response = pair_api.call("ana", method, pair_api.pairing(path), body)
    assert response.status_code == status, response.text
    assert isinstance(response.json()["detail"], str)


def test_an_unknown_pairing_is_404_and_a_stranger_s_pairing_403(pair_api: Api) -> None:
    assert pair_api.call("ana", "GET", pair_api.pairing(pairing_id=999_999)).status_code == 404
    assert pair_api.call("outsider", "GET", pair_api.pairing()).status_code == 403
