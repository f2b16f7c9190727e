"""A pairing's whole story told through the API only, each member taking part; with a
secret, every private field it writes carries that secret."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api


def live_the_story(
    api: Api, names: list[str], secret: str = "", *, close: bool = True
) -> dict[str, Any]:
    """accept, charter, vision, gaps, requests, session, role-play, feedback, check-in,
    balance, and (unless told not to) close; returns the ids it made."""
    w, p = api.world, api.pairing
    first, second = names[0], names[1]
    ids: dict[str, Any] = {}

    for n in names:
        pairing = api.ok(n, "POST", p("/accept"))
    assert pairing["state"] == "active"
    assert all(m["answer"] == "accepted" for m in pairing["members"])

    api.ok(
        first,
        "PATCH",
        p("/charter"),
        {"purpose": f"Grow together {secret}", "cadence": "fortnightly", "other_norms": secret},
    )
    for n in names:
        api.ok(n, "PUT", p("/charter/goals"), {"goals": [f"Goal of {n} {secret}"]})
    api.clock.move(hours=1)
    for n in names:
        charter = api.ok(n, "POST", p("/charter/agree"))
    assert charter["is_agreed"] and charter["current"]["version"] == len(charter["history"])

    api.clock.move(days=1)
    for n in names:
        vision = api.ok(
            n,
            "PUT",
            p("/visions/mine"),
            {
                "horizon_years": 5,
                "statement": f"Vision of {n} {secret}",
                "milestones": [{"title": f"Milestone of {n} {secret}"}],
            },
        )
        gap = api.ok(
            n,
            "POST",
            p("/gaps"),
            {"title": f"Gap of {n} {secret}", "category": "skill", "milestone_id": "m1"},
        )
        board = api.ok(n, "POST", p(f"/gaps/{gap['gap_id']}/move"), {"to": "now", "index": 0})
        assert board["gaps"][0] == {**gap, "priority": "now"}
        ids.setdefault("gaps", []).append(gap["gap_id"])
    assert vision["milestones"][0]["milestone_id"] == "m1"
    assert len(api.ok(first, "GET", p("/visions"))) == len(names)

    # Each member asks the next one, who answers; the asker closes.
    for i, n in enumerate(names):
        to = names[(i + 1) % len(names)]
        api.clock.move(hours=2)
        req = api.ok(
            n,
            "POST",
            p("/requests"),
            {
                "topic": f"Topic {secret}",
                "detail": f"Detail {secret}",
                "recipient_id": w.pid(to),
                "gap_id": ids["gaps"][i],
            },
        )
        api.ok(to, "POST", p(f"/requests/{req['request_id']}/answer"), {"answer": f"A {secret}"})
        closed = api.ok(n, "POST", p(f"/requests/{req['request_id']}/close"))
        assert closed["status"] == "closed"
        ids.setdefault("requests", []).append(req["request_id"])
    board = api.ok(first, "GET", p("/requests"))
    assert all(c["answered"] == 1 for c in board["counts"] if c["asked"])

    api.clock.move(days=4)
    met = api.ok(
        first,
        "POST",
        p("/sessions"),
        {
            "held_on": api.clock.now.date().isoformat(),
            "duration_minutes": 60,
            "topics": [f"Met {secret}"],
        },
    )
    for n in names:
        api.ok(
            n,
            "PUT",
            p(f"/sessions/{met['session_id']}/contribution"),
            {"gave": [f"Gave {secret}"], "got": [f"Got {secret}"]},
        )
    ids["session"] = met["session_id"]

    start = api.clock.now.date()
    api.ok(
        second, "PUT", p("/roleplays/schedule"), {"start": start.isoformat(), "cadence": "weekly"}
    )
    for _ in names:  # one round, so each member takes each role once
        rp = api.ok(second, "POST", p("/roleplays"), {"scenario_id": "difficult-feedback"})
        api.clock.move(days=7)
        api.ok(first, "POST", p(f"/roleplays/{rp['roleplay_id']}/complete"))
        for n in names:
            api.ok(
                n,
                "PUT",
                p(f"/roleplays/{rp['roleplay_id']}/reflection"),
                {"reflection": f"Reflection {secret}"},
            )
        ids["roleplay"] = rp["roleplay_id"]
    board = api.ok(first, "GET", p("/roleplays"))
    assert board["overdue"] == [] and board["catch_up"] == []  # nothing missed to catch up

    for i, n in enumerate(names):
        to = names[(i + 1) % len(names)]
        fb = api.ok(
            n,
            "POST",
            p("/feedback"),
            {
                "dimension": "behaviour",
                "situation": f"Situation {secret}",
                "behaviour": f"Behaviour {secret}",
                "impact": f"Impact {secret}",
                "suggestion": f"Suggestion {secret}",
                "receiver_id": w.pid(to),
            },
        )
        api.ok(to, "POST", p(f"/feedback/{fb['feedback_id']}/acknowledge"))
        assert len(api.ok(to, "GET", p("/feedback"))["received"]) == 1
        ids["feedback"] = fb["feedback_id"]

    api.clock.move(days=1)
    for n in names:
        pulse = {"trust": 5, "candour": 4, "mutual_benefit": 5, "progress": 4}
        mine = api.ok(n, "POST", p("/checkins"), {**pulse, "note": f"Note {secret}"})
        assert not mine["due"] and len(mine["mine"]) == 1

    balance = api.ok(first, "GET", p("/balance"))
    assert balance["has_data"] and balance["index"] == 0 and balance["nudges"] == []

    if close:
        close_the_cycle(api, names, secret)
    return ids


def close_the_cycle(api: Api, names: list[str], secret: str = "") -> None:
    p = api.pairing
    api.clock.move(days=30)
    for n in names:
        closing = api.ok(
            n,
            "PUT",
            p("/closing/reflection"),
            {"reflection": f"Closing {secret}", "choice": "complete"},
        )
    assert closing["outcome"] == "complete"
    assert api.ok(names[1], "POST", p("/close"))["state"] == "completed"
