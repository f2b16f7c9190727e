"""Meeting series: sequence raised on every change, recurrences as RFC 5545 rules, and
local wall time kept across daylight-saving changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peermentor.domain.charter import Cadence, CadenceKind
from peermentor.domain.errors import NotReady, ValidationError
from peermentor.domain.meetings import cancel, change, local_start, next_meeting, rrule_of, schedule
from tests.unit.domain.personas import ANA, KIM, NOW, OUTSIDER, PAIR

WEEKLY = Cadence(CadenceKind.WEEKLY)


def paris_weekly(**changes: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "starts_at": local_start(date(2026, 3, 9), time(10), "Europe/Paris"),
        "zone": "Europe/Paris",
        "minutes": 60,
        "cadence": WEEKLY,
    }
    return schedule("1", "u@x", PAIR, ANA, "session", NOW, **(args | changes))  # type: ignore[arg-type]


def test_every_change_and_the_cancel_raise_the_sequence_and_keep_the_uid() -> None:
    s = paris_weekly()
    assert s.sequence == 0
    same = change(s, KIM, NOW, starts_at=s.starts_at, zone=s.zone, minutes=60, cadence=WEEKLY)
    assert same is s
    moved = change(s, KIM, NOW, starts_at=s.starts_at + timedelta(hours=1), zone=s.zone,
                   minutes=60, cadence=WEEKLY)  # fmt: skip
    assert (moved.uid, moved.sequence) == (s.uid, 1)
    gone = cancel(moved, ANA, NOW)
    assert gone.cancelled and gone.sequence == 2
    assert cancel(gone, ANA, NOW) is gone
    with pytest.raises(NotReady):
        change(gone, ANA, NOW, starts_at=s.starts_at, zone=s.zone, minutes=60, cadence=WEEKLY)


def test_only_members_schedule_and_values_are_checked() -> None:
    from peermentor.domain.errors import NotAMember

    with pytest.raises(NotAMember):
        schedule("1", "u@x", PAIR, OUTSIDER, "session", NOW, starts_at=NOW, zone="UTC",
                 minutes=60, cadence=None)  # fmt: skip
    for field, value in (("minutes", 5), ("minutes", 481), ("kind", "party")):
        with pytest.raises(ValidationError) as bad:
            paris_weekly(**{field: value}) if field != "kind" else schedule(
                "1", "u@x", PAIR, ANA, value, NOW, starts_at=NOW, zone="UTC", minutes=60,
                cadence=None,
            )  # fmt: skip
        assert bad.value.field == field
    with pytest.raises(ValidationError) as bad:
        paris_weekly(starts_at=NOW + timedelta(days=400))
    assert bad.value.field == "date"


@pytest.mark.parametrize(
    ("cadence", "first", "rule"),
    [
        (Cadence(CadenceKind.WEEKLY), date(2026, 3, 9), {"FREQ": "WEEKLY", "INTERVAL": 1}),
        (Cadence(CadenceKind.FORTNIGHTLY), date(2026, 3, 9), {"FREQ": "WEEKLY", "INTERVAL": 2}),
        (
            Cadence(CadenceKind.EVERY_N_DAYS, 10),
            date(2026, 3, 9),
            {"FREQ": "DAILY", "INTERVAL": 10},
        ),
        (Cadence(CadenceKind.MONTHLY), date(2026, 3, 9), {"FREQ": "MONTHLY", "INTERVAL": 1}),
        (Cadence(CadenceKind.MONTHLY), date(2026, 1, 31), {"FREQ": "MONTHLY", "BYMONTHDAY": -1}),
        (
            Cadence(CadenceKind.MONTHLY),
            date(2026, 1, 30),
            {"FREQ": "MONTHLY", "BYMONTHDAY": [30, -1], "BYSETPOS": 1},
        ),
        (None, date(2026, 3, 9), None),
    ],
)
def test_cadences_become_recurrence_rules(cadence, first, rule) -> None:  # type: ignore[no-untyped-def]
    assert rrule_of(cadence, first) == rule


def test_a_time_skipped_by_daylight_saving_is_refused() -> None:
    with pytest.raises(ValidationError) as bad:
        local_start(date(2026, 3, 29), time(2, 30), "Europe/Paris")
    assert bad.value.field == "time"
    with pytest.raises(ValidationError) as bad:
        local_start(date(2026, 3, 29), time(10), "Nowhere/Atlantis")
    assert bad.value.field == "timezone"


@given(st.integers(min_value=0, max_value=300))
def test_the_next_meeting_keeps_its_local_time_across_daylight_saving(days: int) -> None:
    s = paris_weekly()
    moment = datetime(2026, 3, 9, 12, tzinfo=NOW.tzinfo) + timedelta(days=days)
    nxt = next_meeting(s, moment)
    assert nxt is not None
    assert (nxt.hour, nxt.minute, nxt.weekday()) == (10, 0, 0)
    assert nxt + timedelta(minutes=60) > moment >= nxt - timedelta(days=7)


def test_a_single_meeting_is_over_once_it_has_ended() -> None:
    s = paris_weekly(cadence=None)
    assert next_meeting(s, NOW) == s.starts_at
    assert next_meeting(s, s.ends_at) is None
    assert next_meeting(cancel(s, ANA, NOW), NOW) is None
