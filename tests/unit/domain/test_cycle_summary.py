"""The cycle in numbers before closing: counted from one member's side, this cycle only."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from peermentor.domain import lifecycle
from peermentor.domain.cycle_summary import cycle_start, summarise
from peermentor.domain.feedback import give_feedback
from peermentor.domain.gaps import Gap, GapBoard, GapCategory, GapStatus, Priority
from peermentor.domain.guidance import answer, ask
from peermentor.domain.sessions import log_session
from tests.unit.domain.personas import ANA, KIM, NOW, PAIR, TODAY, later


def _gap(n: int, status: GapStatus) -> Gap:
    return Gap(f"g{n}", f"gap {n}", GapCategory.SKILL, Priority.NOW, n, status)


def test_the_cycle_starts_when_it_opened_and_again_at_each_renewal() -> None:
    p = lifecycle.propose("p1", PAIR, NOW)
    p = lifecycle.accept(lifecycle.accept(p, ANA, later(hours=1)), KIM, later(hours=2))
    assert cycle_start(p.history) == later(hours=2)
    renewed = lifecycle.renew(p, later(days=90))
    assert cycle_start(renewed.history) == later(days=90)
    assert cycle_start(lifecycle.propose("p2", PAIR, NOW).history) is None


def test_a_worked_cycle_counted_from_each_side() -> None:
    since = later(days=10)
    old = log_session("s0", PAIR, ANA, later(days=1), held_on=TODAY, duration_minutes=30)
    sessions = [
        old,  # before the cycle: not counted
        log_session(
            "s1", PAIR, KIM, later(days=12), held_on=TODAY + timedelta(days=12), duration_minutes=45
        ),
        log_session(
            "s2", PAIR, ANA, later(days=20), held_on=TODAY + timedelta(days=20), duration_minutes=60
        ),
    ]
    asked = ask("r1", PAIR, ANA, KIM, later(days=11), topic="Talks")
    requests = [
        answer(asked, KIM, "Rehearse", later(days=12)),
        ask("r2", PAIR, ANA, KIM, later(days=13), topic="Hiring"),  # still open
        ask("r3", PAIR, KIM, ANA, later(days=14), topic="Budgets"),
        ask("r0", PAIR, KIM, ANA, later(days=2), topic="Before"),  # last cycle
    ]
    fb = give_feedback(
        "f1",
        PAIR,
        KIM,
        ANA,
        later(days=15),
        dimension="behaviour",
        situation="s",
        behaviour="b",
        impact="i",
    )
    boards = {
        ANA: GapBoard(ANA, (_gap(1, GapStatus.CLOSED), _gap(2, GapStatus.IN_PROGRESS))),
        KIM: GapBoard(KIM, (_gap(3, GapStatus.OPEN),)),
    }
    mine = summarise(ANA, since, sessions, requests, [fb], [], boards)
    assert (mine.sessions, mine.minutes) == (2, 105)
    assert (mine.i_asked, mine.answered_for_me, mine.asked_of_me, mine.i_answered) == (2, 1, 1, 0)
    assert (mine.feedback_given, mine.feedback_received) == (0, 1)
    assert (mine.my_gaps_moving, mine.my_gaps_done) == (1, 1)
    assert (mine.their_gaps_moving, mine.their_gaps_done) == (0, 0)
    theirs = summarise(KIM, since, sessions, requests, [fb], [], boards)
    assert (theirs.i_asked, theirs.asked_of_me, theirs.i_answered) == (1, 2, 1)
    assert (theirs.feedback_given, theirs.their_gaps_done) == (1, 1)
    everything = summarise(ANA, None, sessions, requests, [replace(fb)], [], boards)
    assert (everything.sessions, everything.asked_of_me) == (3, 2)
