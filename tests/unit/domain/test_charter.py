from datetime import date

import pytest

from peermentor.domain import charter as ch
from peermentor.domain.errors import NotAMember, NotReady, ValidationError
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, OUTSIDER, PAIR, TRIAD, later


def drafted(members: tuple[str, ...] = PAIR) -> ch.Charter:
    return ch.draft_charter(members, ANA, NOW, purpose="Grow into staff engineers together")


def with_goals(c: ch.Charter) -> ch.Charter:
    for m in c.members:
        c = ch.set_goals(c, m, (f"{m}'s goal",), NOW)
    return c


def test_charter_with_goals_from_only_one_side_cannot_be_agreed() -> None:
    c = ch.set_goals(drafted(), ANA, ("Lead a cross-team project",), NOW)
    with pytest.raises(NotReady, match="none yet from kim"):
        ch.agree(c, ANA, NOW)


def test_triad_charter_needs_a_goal_from_the_third_member_too() -> None:
    c = drafted(TRIAD)
    c = ch.set_goals(ch.set_goals(c, ANA, ("a",), NOW), KIM, ("k",), NOW)
    assert c.members_without_goals == (LEE,)
    with pytest.raises(NotReady, match="lee"):
        ch.agree(c, KIM, NOW)


def test_charter_is_agreed_only_when_every_member_agrees() -> None:
    c = ch.agree(with_goals(drafted()), ANA, NOW)
    assert not c.is_agreed
    c = ch.agree(c, KIM, NOW)
    assert c.is_agreed


def test_charter_without_purpose_cannot_be_agreed() -> None:
    c = with_goals(ch.draft_charter(PAIR, ANA, NOW))
    with pytest.raises(NotReady, match="purpose"):
        ch.agree(c, ANA, NOW)


def test_edit_after_agreement_clears_it_and_keeps_the_old_version() -> None:
    c = with_goals(drafted())
    c = ch.agree(ch.agree(c, ANA, NOW), KIM, NOW)
    agreed_version = c.version
    c = ch.edit_charter(c, KIM, later(days=1), cadence=ch.cadence("weekly"))
    assert not c.is_agreed and c.agreed_by == frozenset()
    assert c.version == agreed_version + 1
    assert [v.version for v in c.history] == list(range(1, c.version + 1))
    assert c.history[agreed_version - 1].cadence.kind is ch.CadenceKind.FORTNIGHTLY
    assert c.history[-1].edited_by == KIM
    c = ch.agree(ch.agree(c, ANA, NOW), KIM, NOW)
    assert c.is_agreed


def test_changing_own_goals_after_agreement_also_needs_agreement_again() -> None:
    c = ch.agree(ch.agree(with_goals(drafted()), ANA, NOW), KIM, NOW)
    c = ch.set_goals(c, KIM, ("Speak at a conference", "Mentor juniors"), NOW)
    assert not c.is_agreed
    assert c.goals_of(KIM) == ("Speak at a conference", "Mentor juniors")
    assert c.goals_of(ANA) == ("ana's goal",)


def test_saving_identical_text_is_not_an_edit() -> None:
    c = ch.agree(ch.agree(with_goals(drafted()), ANA, NOW), KIM, NOW)
    same = ch.edit_charter(c, ANA, NOW, purpose=" Grow into staff engineers together ")
    assert same.is_agreed and same.version == c.version


def test_outsider_cannot_edit_or_agree() -> None:
    c = with_goals(drafted())
    with pytest.raises(NotAMember):
        ch.edit_charter(c, OUTSIDER, NOW, purpose="mine now")
    with pytest.raises(NotAMember):
        ch.agree(c, OUTSIDER, NOW)
    with pytest.raises(NotAMember):
        ch.set_goals(c, OUTSIDER, ("x",), NOW)


def test_overlong_purpose_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        ch.edit_charter(drafted(), ANA, NOW, purpose="x" * (ch.MAX_PURPOSE + 1))
    assert err.value.field == "purpose"


def test_blank_goal_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        ch.set_goals(drafted(), ANA, ("  ",), NOW)
    assert err.value.field == "goals"


@pytest.mark.parametrize(
    ("kind", "every", "field"),
    [
        ("yearly", None, "cadence"),
        ("every_n_days", None, "every_days"),
        ("every_n_days", 0, "every_days"),
        ("weekly", 3, "every_days"),
    ],
)
def test_bad_cadence_is_refused(kind: str, every: int | None, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        ch.cadence(kind, every)
    assert err.value.field == field


def test_cadence_dates() -> None:
    start = date(2026, 1, 31)
    assert ch.cadence("weekly").occurrence(start, 2) == date(2026, 2, 14)
    assert ch.cadence("fortnightly").occurrence(start, 1) == date(2026, 2, 14)
    assert ch.cadence("every_n_days", 10).occurrence(start, 3) == date(2026, 3, 2)
    assert ch.cadence("monthly").occurrence(start, 1) == date(2026, 2, 28)
    assert ch.cadence("monthly").occurrence(start, 12) == date(2027, 1, 31)


def test_cadence_built_by_hand_is_still_checked() -> None:
    with pytest.raises(ValidationError) as err:
        ch.edit_charter(drafted(), ANA, NOW, cadence=ch.Cadence(ch.CadenceKind.EVERY_N_DAYS, 0))
    assert err.value.field == "every_days"
