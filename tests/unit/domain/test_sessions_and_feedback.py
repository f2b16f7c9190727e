from datetime import date

import pytest

from peermentor.domain import feedback as fbk
from peermentor.domain import sessions as ss
from peermentor.domain.errors import NotAllowed, NotAMember, ValidationError
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, OUTSIDER, PAIR, TRIAD, later


def session(members: tuple[str, ...] = PAIR) -> ss.Session:
    return ss.log_session(
        "s1",
        members,
        ANA,
        NOW,
        held_on=date(2026, 3, 1),
        duration_minutes=45,
        topics=("Promotion case",),
    )


def test_each_member_records_what_they_gave_and_got() -> None:
    s = ss.record_contribution(session(), KIM, gave=("Read the draft",), got=("A new angle",))
    s = ss.record_contribution(s, ANA, gave=(), got=("Feedback on my case",))
    assert s.contribution_of(KIM).gave == ("Read the draft",)
    assert [c.member_id for c in s.contributions] == [ANA, KIM]
    assert s.brought_something(KIM) and not s.brought_something(ANA)
    s = ss.record_contribution(s, ANA, gave=("Intro to a hiring manager",), got=())
    assert s.contribution_of(ANA).got == ()


def test_outsider_cannot_log_or_write_into_a_session() -> None:
    with pytest.raises(NotAMember):
        ss.log_session("s", PAIR, OUTSIDER, NOW, held_on=date(2026, 3, 1), duration_minutes=30)
    with pytest.raises(NotAMember):
        ss.record_contribution(session(), OUTSIDER, gave=("x",), got=())


@pytest.mark.parametrize("minutes", [0, -5, 481, 30.5])
def test_session_duration_is_whole_minutes_within_a_day(minutes: object) -> None:
    with pytest.raises(ValidationError) as err:
        ss.log_session("s", PAIR, ANA, NOW, held_on=date(2026, 3, 1), duration_minutes=minutes)  # type: ignore[arg-type]
    assert err.value.field == "duration_minutes"


def kim_to_ana(members: tuple[str, ...] = PAIR) -> fbk.Feedback:
    return fbk.give_feedback(
        "f1",
        members,
        KIM,
        ANA,
        NOW,
        dimension="behaviour",
        situation="Monday's design review",
        behaviour="You cut Lee off twice",
        impact="Lee stopped contributing",
        suggestion="Let people finish",
    )


def test_only_the_receiver_acknowledges_feedback() -> None:
    fb = kim_to_ana()
    with pytest.raises(NotAllowed, match="given to ana"):
        fbk.acknowledge(fb, KIM, later(hours=1))
    acked = fbk.acknowledge(fb, ANA, later(hours=1))
    assert acked.acknowledged and acked.acknowledged_at == later(hours=1)
    assert fbk.acknowledge(acked, ANA, later(days=3)).acknowledged_at == later(hours=1)


def test_outsider_cannot_acknowledge_or_read_feedback() -> None:
    fb = kim_to_ana(TRIAD)
    with pytest.raises(NotAMember):
        fbk.acknowledge(fb, OUTSIDER, NOW)
    assert not fbk.can_read(fb, OUTSIDER)
    assert not fbk.can_read(fb, LEE)
    assert fbk.can_read(fb, ANA) and fbk.can_read(fb, KIM)


def test_nobody_gives_feedback_to_themselves() -> None:
    with pytest.raises(ValidationError, match="oneself"):
        fbk.give_feedback(
            "f",
            PAIR,
            ANA,
            ANA,
            NOW,
            dimension="attitude",
            situation="s",
            behaviour="b",
            impact="i",
        )


def test_feedback_dimension_must_be_known() -> None:
    with pytest.raises(ValidationError) as err:
        fbk.give_feedback(
            "f", PAIR, ANA, KIM, NOW, dimension="charm", situation="s", behaviour="b", impact="i"
        )
    assert err.value.field == "dimension"


def test_a_session_cannot_be_logged_before_it_happens() -> None:
    with pytest.raises(ValidationError) as err:
        ss.log_session("s", PAIR, ANA, NOW, held_on=date(2026, 3, 3), duration_minutes=30)
    assert err.value.field == "held_on"
