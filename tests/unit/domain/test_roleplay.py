from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from peermentor.domain import roleplay as rp
from peermentor.domain import scenarios as sc
from peermentor.domain.charter import cadence
from peermentor.domain.errors import NotAMember, NotFound, NotReady, ValidationError
from peermentor.domain.roleplay import Role
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, OUTSIDER, PAIR, TRIAD

START = date(2026, 3, 2)
FORTNIGHTLY = rp.make_schedule(PAIR, START, cadence("every_n_days", 14))
SCENARIO = sc.LIBRARY_BY_ID["negotiating-scope"]


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_library_ships_at_least_eight_complete_scenarios_with_the_required_ones() -> None:
    assert len(sc.LIBRARY) >= 8
    ids = {s.scenario_id for s in sc.LIBRARY}
    assert {"onboarding-new-hire", "difficult-feedback", "negotiating-scope"} <= ids
    assert "presenting-to-executive" in ids
    assert len(ids) == len(sc.LIBRARY)
    for s in sc.LIBRARY:
        texts = (s.title, s.situation, s.practise, *vars_of(s.practising), *vars_of(s.counterpart))
        assert all(t.strip() for t in texts), s.scenario_id


def vars_of(role: sc.RoleBrief) -> tuple[str, str]:
    return role.name, role.brief


def test_in_a_pair_the_two_roles_swap_every_time() -> None:
    seen = [rp.roles_for(PAIR, n) for n in range(4)]
    assert [s[ANA] for s in seen] == [Role.PRACTISING, Role.COUNTERPART] * 2
    assert [s[KIM] for s in seen] == [Role.COUNTERPART, Role.PRACTISING] * 2


def test_in_a_triad_each_member_plays_each_role_once_in_three() -> None:
    for first in range(5):
        window = [rp.roles_for(TRIAD, n) for n in range(first, first + 3)]
        for member in TRIAD:
            assert sorted(w[member] for w in window) == sorted(Role)
        for w in window:
            assert Counter(w.values()) == Counter(Role)


def test_planned_roleplay_follows_the_cadence_and_the_rotation() -> None:
    third = rp.plan(FORTNIGHTLY, "rp3", 2, SCENARIO)
    assert third.scheduled_on == date(2026, 3, 30)
    assert third.role_of(ANA) is Role.PRACTISING
    assert third.member_in(Role.COUNTERPART) == KIM
    assert rp.plan(FORTNIGHTLY, "rp4", 3, SCENARIO).member_in(Role.PRACTISING) == KIM


def test_reflections_come_after_the_roleplay_one_per_member() -> None:
    r = rp.plan(FORTNIGHTLY, "rp1", 0, SCENARIO)
    with pytest.raises(NotReady, match="not taken place"):
        rp.reflect(r, ANA, "Went well", NOW)
    r = rp.complete(r, KIM, NOW)
    r = rp.reflect(rp.reflect(r, ANA, "Too long", NOW), ANA, "I rushed the ask", NOW)
    assert [x.text for x in r.reflections] == ["I rushed the ask"]
    assert r.missing_reflections == (KIM,)
    with pytest.raises(NotAMember):
        rp.reflect(r, OUTSIDER, "Nice", NOW)
    with pytest.raises(ValidationError):
        rp.reflect(r, KIM, "x" * (rp.MAX_REFLECTION + 1), NOW)


def test_roleplay_is_overdue_only_after_the_grace_period() -> None:
    r = rp.plan(FORTNIGHTLY, "rp1", 1, SCENARIO)  # due 16 March
    grace = timedelta(days=2)
    assert not rp.is_overdue(r, at(date(2026, 3, 18), 23), grace)
    assert rp.is_overdue(r, at(date(2026, 3, 19), 0), grace)
    assert not rp.is_overdue(rp.complete(r, ANA, NOW), at(date(2026, 6, 1)), grace)


def test_missed_roleplays_are_found_without_records() -> None:
    now = at(date(2026, 4, 14))  # 0: 2 Mar, 1: 16 Mar, 2: 30 Mar, 3: 13 Apr (in grace)
    assert rp.missed(FORTNIGHTLY, now, completed_sequences={0}) == (1, 2)
    assert rp.missed(FORTNIGHTLY, now, completed_sequences={0, 1, 2}) == ()
    assert rp.next_sequence({0, 1}) == 2


def test_programme_scenarios_join_the_library_without_clashing() -> None:
    mine = sc.programme_scenario(
        "handover-oncall",
        "prog-1",
        title="Handing over on-call",
        situation="Friday night",
        practising=sc.RoleBrief("Outgoing", "Hand over"),
        counterpart=sc.RoleBrief("Incoming", "Ask"),
        practise="A crisp handover",
    )
    assert sc.find_scenario("handover-oncall", [mine]).source == "prog-1"
    assert len(sc.scenarios_for([mine])) == len(sc.LIBRARY) + 1
    with pytest.raises(NotFound):
        sc.find_scenario("handover-oncall")
    with pytest.raises(ValidationError, match="library"):
        sc.programme_scenario(
            "difficult-feedback",
            "prog-1",
            title="t",
            situation="s",
            practising=sc.RoleBrief("a", "b"),
            counterpart=sc.RoleBrief("c", "d"),
            practise="p",
        )


def test_a_lone_member_cannot_have_roles() -> None:
    with pytest.raises(ValidationError):
        rp.roles_for((LEE,), 0)
