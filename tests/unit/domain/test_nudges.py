"""Nudge rules with the clock passed in: what is due for whom, and once per occasion."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peermentor.domain import guidance
from peermentor.domain.balance import balance
from peermentor.domain.charter import Cadence, CadenceKind
from peermentor.domain.errors import ValidationError
from peermentor.domain.feedback import Dimension, give_feedback
from peermentor.domain.nudges import (
    DEFAULTS,
    Kind,
    Nudge,
    PairingFacts,
    due_nudges,
    key_of,
    may_release,
    settings_from,
)
from peermentor.domain.roleplay import make_schedule
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, PAIR, TRIAD, later


def active(**changes: object) -> PairingFacts:
    base: dict[str, object] = {
        "pairing_id": "7",
        "members": PAIR,
        "state": "active",
        "proposed_at": NOW,
        "activated_at": NOW,
        # Everyone just checked in and was active, so only the rule under test speaks.
        "last_checkin": {ANA: NOW, KIM: NOW},
        "last_active": {ANA: NOW, KIM: NOW},
        "pulse_interval": timedelta(days=365),
    }
    return PairingFacts(**(base | changes))  # type: ignore[arg-type]


def kinds(nudges: tuple[Nudge, ...], kind: Kind) -> list[tuple[str, str]]:
    return [(n.to_member, n.occasion) for n in nudges if n.kind is kind]


def request(asked: datetime, rid: str = "1"):
    return guidance.ask(rid, PAIR, ANA, KIM, asked, topic="Negotiating a raise")


def test_nothing_is_due_right_after_activation() -> None:
    assert due_nudges(active(), DEFAULTS, NOW) == ()


def test_an_unanswered_request_nudges_the_asked_partner_then_both() -> None:
    facts = active(requests=(request(NOW),))
    assert (
        kinds(due_nudges(facts, DEFAULTS, later(days=2, hours=23)), Kind.REQUEST_UNANSWERED) == []
    )
    day3 = due_nudges(facts, DEFAULTS, later(days=3))
    assert kinds(day3, Kind.REQUEST_UNANSWERED) == [(KIM, "request-1")]
    assert kinds(day3, Kind.REQUEST_STILL_UNANSWERED) == []
    day7 = due_nudges(facts, DEFAULTS, later(days=7))
    assert kinds(day7, Kind.REQUEST_STILL_UNANSWERED) == [(ANA, "request-1"), (KIM, "request-1")]
    # Ana's reminder speaks of Kim, Kim's of Ana.
    about = {n.to_member: n.about for n in day7 if n.kind is Kind.REQUEST_STILL_UNANSWERED}
    assert about == {ANA: KIM, KIM: ANA}


def test_an_answered_request_nudges_nobody() -> None:
    answered = guidance.answer(request(NOW), KIM, "Here is how", later(days=1))
    facts = active(requests=(answered,))
    assert kinds(due_nudges(facts, DEFAULTS, later(days=30)), Kind.REQUEST_UNANSWERED) == []


def test_silence_nudges_both_once_per_spell_of_weeks() -> None:
    facts = active()
    assert kinds(due_nudges(facts, DEFAULTS, later(days=20)), Kind.NO_SESSION) == []
    week3 = kinds(due_nudges(facts, DEFAULTS, later(days=21)), Kind.NO_SESSION)
    week5 = kinds(due_nudges(facts, DEFAULTS, later(days=35)), Kind.NO_SESSION)
    week6 = kinds(due_nudges(facts, DEFAULTS, later(days=42)), Kind.NO_SESSION)
    assert week3 == week5 == [(ANA, "since-2026-03-02-1"), (KIM, "since-2026-03-02-1")]
    assert week6 == [(ANA, "since-2026-03-02-2"), (KIM, "since-2026-03-02-2")]
    logged = active(last_session_on=date(2026, 3, 30))
    assert kinds(due_nudges(logged, DEFAULTS, later(days=42)), Kind.NO_SESSION) == []


def test_a_role_play_past_its_date_and_grace_is_overdue() -> None:
    schedule = make_schedule(PAIR, NOW.date(), Cadence(CadenceKind.WEEKLY))
    facts = active(schedule=schedule)
    assert kinds(due_nudges(facts, DEFAULTS, later(days=3)), Kind.ROLEPLAY_OVERDUE) == []
    assert kinds(due_nudges(facts, DEFAULTS, later(days=4)), Kind.ROLEPLAY_OVERDUE) == [
        (ANA, "roleplay-0"),
        (KIM, "roleplay-0"),
    ]
    done = active(schedule=schedule, completed_roleplays=frozenset({0}))
    assert kinds(due_nudges(done, DEFAULTS, later(days=4)), Kind.ROLEPLAY_OVERDUE) == []
    # Later misses are a new occasion: the latest missed one.
    assert kinds(due_nudges(done, DEFAULTS, later(days=12)), Kind.ROLEPLAY_OVERDUE)[0] == (
        ANA,
        "roleplay-1",
    )


def test_a_check_in_is_due_one_interval_after_the_last_one() -> None:
    facts = active(pulse_interval=timedelta(days=14), last_checkin={ANA: later(days=5)})
    due = kinds(due_nudges(facts, DEFAULTS, later(days=14)), Kind.CHECKIN_DUE)
    assert due == [(KIM, "due-2026-03-16")]
    assert kinds(due_nudges(facts, DEFAULTS, later(days=19)), Kind.CHECKIN_DUE) == [
        (ANA, "due-2026-03-21"),
        (KIM, "due-2026-03-16"),
    ]


def test_one_side_only_taking_gets_the_balance_meters_nudge_once_a_period() -> None:
    feedback = [
        give_feedback(str(n), PAIR, KIM, ANA, NOW, dimension=Dimension.BEHAVIOUR, situation="s",
             behaviour="b", impact="i")
        for n in range(4)
    ]  # fmt: skip
    report = balance(PAIR, feedback=feedback)
    facts = active(balance=report)
    first = kinds(due_nudges(facts, DEFAULTS, NOW), Kind.ONE_SIDED)
    assert [m for m, _ in first] == [ANA]
    same_period = kinds(due_nudges(facts, DEFAULTS, later(days=1)), Kind.ONE_SIDED)
    next_period = kinds(due_nudges(facts, DEFAULTS, later(days=28)), Kind.ONE_SIDED)
    assert same_period == first != next_period


def test_a_proposal_unanswered_nudges_only_those_who_have_not_answered() -> None:
    facts = PairingFacts(
        "7", PAIR, "proposed", NOW, awaiting=(KIM,), last_active={ANA: NOW, KIM: NOW}
    )
    assert due_nudges(facts, DEFAULTS, later(days=2)) == ()
    assert kinds(due_nudges(facts, DEFAULTS, later(days=3)), Kind.PROPOSAL_UNANSWERED) == [
        (KIM, "proposal")
    ]


def test_an_inactive_member_is_nudged_and_later_may_be_released() -> None:
    facts = active(last_active={ANA: later(days=20), KIM: NOW})
    at = later(weeks=4)
    assert kinds(due_nudges(facts, DEFAULTS, at), Kind.INACTIVE) == [(KIM, "since-2026-03-02")]
    assert not may_release(NOW, at, DEFAULTS)
    assert may_release(NOW, later(weeks=6), DEFAULTS)


def test_a_paused_pairing_is_left_alone() -> None:
    facts = active(state="paused", requests=(request(NOW),))
    assert due_nudges(facts, DEFAULTS, later(days=90)) == ()


def test_a_triad_escalation_reaches_every_member() -> None:
    req = guidance.ask("3", TRIAD, ANA, KIM, NOW, topic="t")
    facts = active(members=TRIAD, requests=(req,), last_checkin={m: NOW for m in TRIAD},
                   last_active={m: NOW for m in TRIAD})  # fmt: skip
    got = kinds(due_nudges(facts, DEFAULTS, later(days=7)), Kind.REQUEST_STILL_UNANSWERED)
    assert [m for m, _ in got] == [ANA, KIM, LEE]


def test_settings_are_read_per_programme_and_zero_turns_a_rule_off() -> None:
    off = settings_from({"request_days": 0, "no_session_weeks": 0})
    facts = active(requests=(request(NOW),))
    assert due_nudges(facts, off, later(days=30)) == tuple(
        n for n in due_nudges(facts, off, later(days=30)) if n.kind is Kind.INACTIVE
    )
    with pytest.raises(ValidationError) as bad:
        settings_from({"request_dayz": 3})
    assert bad.value.field == "nudges.request_dayz"
    with pytest.raises(ValidationError):
        settings_from({"request_days": -1})
    with pytest.raises(ValidationError):
        settings_from({"request_days": "3"})


def test_the_key_names_kind_recipient_pairing_and_occasion() -> None:
    n = Nudge(Kind.REQUEST_UNANSWERED, KIM, "request-1")
    assert key_of(n, 42, 7) == "nudge.request_unanswered:42:7:request-1"


@given(
    st.integers(min_value=0, max_value=400).map(lambda d: later(days=d)),
    st.integers(min_value=0, max_value=24 * 60),
)
def test_asking_again_within_the_same_occasion_gives_the_same_keys(
    moment: datetime, minutes: int
) -> None:
    """However often the rules run, a later look never changes the key of a nudge that
    was already due: it is the same occasion, so the outbox sends it once."""
    facts = active(
        requests=(request(NOW),),
        schedule=make_schedule(PAIR, NOW.date(), Cadence(CadenceKind.WEEKLY)),
    )
    first = {(n.kind, n.to_member): n.occasion for n in due_nudges(facts, DEFAULTS, moment)}
    again = {
        (n.kind, n.to_member): n.occasion
        for n in due_nudges(facts, DEFAULTS, moment + timedelta(minutes=minutes))
    }
    for who, occasion in first.items():
        if who[0] in (Kind.REQUEST_UNANSWERED, Kind.REQUEST_STILL_UNANSWERED):
            assert again[who] == occasion


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_every_nudge_goes_to_a_member(days: int, last: int) -> None:
    facts = active(requests=(request(NOW),), last_active={ANA: later(days=last)})
    for n in due_nudges(facts, DEFAULTS, later(days=days)):
        assert n.to_member in PAIR
