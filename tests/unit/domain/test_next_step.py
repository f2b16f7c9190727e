""" "What now" always names one useful step, in the order of the life of a pairing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from peermentor.domain.next_step import Progress, Stage, next_step, stages

FRESH = Progress(state="active", partner="Kim", answered=True)
UNDER_WAY = replace(
    FRESH,
    charter_agreed=True,
    vision_written=True,
    gaps_named=True,
    sessions_held=2,
    roleplay_planned=True,
    roleplays_done=1,
    feedback_given=True,
)


def kind(p: Progress) -> str | None:
    step = next_step(p)
    return None if step is None else step.kind


def test_a_fresh_pairing_walks_through_every_stage_in_order() -> None:
    p = FRESH
    seen = []
    for done in (
        {"charter_agreed": True},
        {"vision_written": True},
        {"gaps_named": True},
        {"sessions_held": 1},
        {"roleplay_planned": True, "practising_next": date(2027, 1, 5)},
        {"roleplays_done": 1, "practising_next": None},
        {"feedback_given": True},
    ):
        seen.append(kind(p))
        p = replace(p, **done)  # type: ignore[arg-type]
    seen.append(kind(p))
    assert seen == [
        "agree_charter",
        "vision",
        "gaps",
        "first_session",
        "plan_roleplay",
        "practise",
        "feedback",
        "ask",
    ]


def test_the_words_name_the_partner_and_the_page_takes_the_step() -> None:
    step = next_step(replace(FRESH, charter_agreed=True, vision_written=True, gaps_named=True))
    assert step is not None
    assert step.words == "Plan your first session with Kim"
    assert step.page == "sessions"
    practise = next_step(replace(UNDER_WAY, roleplays_done=0, practising_next=date(2027, 3, 4)))
    assert practise is not None and practise.words == "It is your turn to practise on 4 Mar"


def test_what_someone_waits_for_comes_before_my_own_next_step() -> None:
    asked = replace(FRESH, request_from="Kim", request_overdue=True)
    step = next_step(asked)
    assert step is not None
    assert (step.kind, step.words) == ("answer_request", "Answer Kim's request (overdue)")
    assert kind(replace(UNDER_WAY, roleplay_missed=True)) == "catch_up"
    assert kind(replace(UNDER_WAY, check_in_due=True)) == "check_in"
    assert kind(replace(UNDER_WAY, closing_started=True)) == "closing_reflection"
    assert kind(replace(UNDER_WAY, closing_started=True, reflected=True)) == "ask"


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (Progress(state="proposed", partner="Kim"), "accept"),
        (Progress(state="proposed", partner="Kim", answered=True), "wait_answer"),
        (Progress(state="closed", partner="Kim"), None),
        (Progress(state="declined", partner="Kim"), None),
    ],
)
def test_proposals_and_ended_pairings(progress: Progress, expected: str | None) -> None:
    assert kind(progress) == expected


def test_the_strip_marks_what_is_done_and_where_the_next_step_is() -> None:
    p = replace(FRESH, charter_agreed=True)
    marks = stages(p)
    assert [m.stage for m in marks] == list(Stage)
    assert [m.stage for m in marks if m.done] == [Stage.ACCEPT, Stage.CHARTER]
    assert [m.stage for m in marks if m.current] == [Stage.VISION]
    assert not any(m.current for m in stages(Progress(state="closed", partner="Kim")))
    assert stages(Progress(state="closed", partner="Kim"))[-1].done
