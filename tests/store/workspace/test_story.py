"""A pairing's whole story, from proposal to close, on SQLite and on PostgreSQL; then
the same for a triad; then a planted secret that must not reach anyone outside."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from peermentor.domain.checkins import NotEnoughData
from peermentor.services.workspace.balance import pairing_balance
from peermentor.services.workspace.charter import agree_charter, edit_charter, set_my_goals
from peermentor.services.workspace.checkins import check_in, my_checkins
from peermentor.services.workspace.closing import close_pairing, write_closing_reflection
from peermentor.services.workspace.feedback import (
    acknowledge_feedback,
    give_feedback,
    list_feedback,
)
from peermentor.services.workspace.gaps import add_gap, move_gap
from peermentor.services.workspace.guidance import (
    answer_request,
    ask_for_guidance,
    close_request,
    list_requests,
)
from peermentor.services.workspace.health import programme_health
from peermentor.services.workspace.overview import my_overview
from peermentor.services.workspace.proposals import accept_proposal, get_pairing
from peermentor.services.workspace.roleplay import (
    complete_roleplay,
    plan_roleplay,
    reflect_on_roleplay,
    set_schedule,
)
from peermentor.services.workspace.sessions import log_session, record_contribution
from peermentor.services.workspace.vision import write_vision
from tests.store.workspace.factories import ADMIN, NOW, World, later, make_world


def live_the_story(w: World, session: Session, names: list[str], secret: str = "") -> None:
    """Every step of the life of a pairing, each member taking part."""
    actors = {n: w.actor(n) for n in names}
    pid = w.pairing_id
    first, second = names[0], names[1]

    for n in names:
        accept_proposal(session, actors[n], pid, NOW)
    assert get_pairing(session, actors[first], pid, NOW).state == "active"

    edit_charter(
        session, actors[first], pid, NOW, purpose=f"Grow together {secret}", cadence="fortnightly"
    )
    for n in names:
        set_my_goals(session, actors[n], pid, [f"Goal of {n} {secret}"], NOW)
    for n in names:
        charter = agree_charter(session, actors[n], pid, later(hours=1))
    assert charter.is_agreed

    for n in names:
        write_vision(
            session,
            actors[n],
            pid,
            w.pid(n),
            later(days=1),
            horizon_years=5,
            statement=f"Vision of {n} {secret}",
            milestones=[f"Milestone of {n} {secret}"],
        )
        gap = add_gap(
            session,
            actors[n],
            pid,
            later(days=1),
            title=f"Gap of {n} {secret}",
            category="skill",
            milestone_id="m1",
        )
        move_gap(session, actors[n], pid, int(gap.gap_id), "now", 0, later(days=1))

    # Each member asks the next one, who answers; the asker closes.
    for i, n in enumerate(names):
        to = names[(i + 1) % len(names)]
        req = ask_for_guidance(
            session,
            actors[n],
            pid,
            later(days=2),
            topic=f"Topic {secret}",
            detail=f"Detail {secret}",
            recipient_id=w.pid(to),
        )
        answer_request(
            session, actors[to], pid, int(req.request_id), f"Answer {secret}", later(days=3)
        )
        close_request(session, actors[n], pid, int(req.request_id), later(days=4))
    board = list_requests(session, actors[first], pid, later(days=30))
    assert all(c.answered == 1 for c in board.counts if c.asked) and not board.overdue

    met = log_session(
        session,
        actors[first],
        pid,
        later(days=5),
        held_on=date(2026, 3, 6),
        duration_minutes=60,
        topics=[f"Topic {secret}"],
    )
    for n in names:
        record_contribution(
            session,
            actors[n],
            pid,
            int(met.session_id),
            later(days=5),
            gave=[f"Gave {secret}"],
            got=[f"Got {secret}"],
        )

    set_schedule(
        session, actors[second], pid, later(days=5), start=date(2026, 3, 9), cadence="weekly"
    )
    for _ in names:  # one round, so each member supports once
        rp = plan_roleplay(session, actors[second], pid, "difficult-feedback", later(days=6))
        complete_roleplay(
            session, actors[first], pid, int(rp.roleplay_id), later(days=7 + 7 * rp.sequence)
        )
        for n in names:
            reflect_on_roleplay(
                session,
                actors[n],
                pid,
                int(rp.roleplay_id),
                f"Reflection {secret}",
                later(days=8 + 7 * rp.sequence),
            )

    for i, n in enumerate(names):
        to = names[(i + 1) % len(names)]
        fb = give_feedback(
            session,
            actors[n],
            pid,
            later(days=30),
            dimension="behaviour",
            situation=f"Situation {secret}",
            behaviour=f"Behaviour {secret}",
            impact=f"Impact {secret}",
            suggestion=f"Suggestion {secret}",
            receiver_id=w.pid(to),
        )
        acknowledge_feedback(session, actors[to], pid, int(fb.feedback_id), later(days=31))
        assert len(list_feedback(session, actors[to], pid).received) == 1

    for n in names:
        check_in(
            session,
            actors[n],
            pid,
            later(days=31),
            trust=5,
            candour=4,
            mutual_benefit=5,
            progress=4,
            note=f"Note {secret}",
        )
        assert not my_checkins(session, actors[n], pid, later(days=32)).due

    report = pairing_balance(session, actors[first], pid)
    assert report.has_data and report.index == 0 and report.nudges == ()

    for n in names:
        write_closing_reflection(
            session, actors[n], pid, f"Closing {secret}", "complete", later(days=60)
        )
    assert close_pairing(session, actors[second], pid, later(days=61)).state == "completed"


def test_a_pair_lives_its_whole_story(session: Session) -> None:
    w = make_world(session, active=False)
    live_the_story(w, session, ["ana", "kim"])
    [summary] = [
        p
        for p in my_overview(session, w.kim, later(days=62)).pairings
        if p.pairing_id == w.pairing_id
    ]
    assert summary.state == "completed" and summary.pending == ()


def test_a_triad_lives_its_whole_story(session: Session) -> None:
    w = make_world(session, triad=True, active=False)
    live_the_story(w, session, ["ana", "kim", "lee"])


def test_a_planted_secret_never_reaches_an_outsider_or_an_admin(session: Session) -> None:
    secret = "PLANTED-7f3a9c"
    w = make_world(session, active=False)
    live_the_story(w, session, ["ana", "kim"], secret)
    seen = [
        repr(my_overview(session, w.outsider, later(days=62))),
        repr(my_overview(session, w.admin, later(days=62))),
        repr(programme_health(session, ADMIN, w.program.id, later(days=62))),
    ]
    assert all(secret not in text for text in seen)
    health = programme_health(session, ADMIN, w.program.id, later(days=62))
    assert isinstance(health.checkins, NotEnoughData)  # one pairing checked in: no averages
