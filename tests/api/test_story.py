"""A pairing's whole story through the API, on SQLite and PostgreSQL: a pair, a triad."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.story import live_the_story


def test_the_overview_names_the_next_step_and_the_stage(proposed_api: Api) -> None:
    api = proposed_api

    def mine(who: str) -> dict:  # type: ignore[type-arg]
        overview = api.ok(who, "GET", "/api/me/overview")
        return next(p for p in overview["pairings"] if p["pairing_id"] == api.world.pairing_id)

    first = mine("ana")
    assert first["next_step"] == {
        "kind": "accept",
        "words": "Accept or decline this pairing",
        "page": "",
    }
    assert [s["stage"] for s in first["stages"] if s["current"]] == ["accept"]
    assert first["peers"][0]["email"] == ""  # contact details once everyone said yes
    api.ok("ana", "POST", api.pairing("/accept"))
    api.ok("kim", "POST", api.pairing("/accept"))
    opened = mine("kim")
    assert opened["next_step"]["kind"] == "agree_charter"
    assert opened["next_step"]["page"] == "charter"
    assert [s["stage"] for s in opened["stages"] if s["done"]] == ["accept"]
    assert opened["peers"][0]["email"].endswith("@example.com")


def test_a_pair_lives_its_whole_story_through_the_api(proposed_api: Api) -> None:
    live_the_story(proposed_api, ["ana", "kim"])
    overview = proposed_api.ok("kim", "GET", "/api/me/overview")
    [mine] = [p for p in overview["pairings"] if p["pairing_id"] == proposed_api.world.pairing_id]
    assert mine["state"] == "completed" and mine["pending"] == []
    assert mine["next_step"] is None  # nothing more to do once it is over
    assert [peer["name"] for peer in mine["peers"]] == ["Ana Silva"]


def test_a_triad_lives_its_whole_story_through_the_api(proposed_triad_api: Api) -> None:
    api = proposed_triad_api
    live_the_story(api, ["ana", "kim", "lee"])
    pairing = api.ok("lee", "GET", api.pairing())
    assert pairing["state"] == "completed" and len(pairing["members"]) == 3


def test_a_triad_member_must_name_who_a_request_goes_to(proposed_triad_api: Api) -> None:
    api = proposed_triad_api
    for n in ("ana", "kim", "lee"):
        api.ok(n, "POST", api.pairing("/accept"))
    response = api.call("ana", "POST", api.pairing("/requests"), {"topic": "Help"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "recipient_id"]


def test_feedback_in_a_triad_stays_between_its_two_people(proposed_triad_api: Api) -> None:
    api = proposed_triad_api
    for n in ("ana", "kim", "lee"):
        api.ok(n, "POST", api.pairing("/accept"))
    body = {
        "dimension": "attitude",
        "situation": "In the review",
        "behaviour": "You listened",
        "impact": "I felt heard",
        "receiver_id": api.world.pid("kim"),
    }
    fb = api.ok("ana", "POST", api.pairing("/feedback"), body)
    assert api.ok("lee", "GET", api.pairing("/feedback")) == {"given": [], "received": []}
    refused = api.call("lee", "POST", api.pairing(f"/feedback/{fb['feedback_id']}/acknowledge"))
    assert refused.status_code == 403
