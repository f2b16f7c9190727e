"""Working-day overlap between two zones, counted on the day (clock changes included)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from peermentor.domain.working_hours import Overlap, local_time, overlap


def test_an_hour_apart_shares_seven_hours_told_in_my_clock() -> None:
    found = overlap("Europe/London", "Europe/Berlin", date(2027, 1, 12))
    assert found == Overlap(7.0, "09:00", "16:00")
    assert overlap("Europe/Berlin", "Europe/London", date(2027, 1, 12)) == Overlap(
        7.0, "10:00", "17:00"
    )


def test_berlin_and_sydney_share_nothing() -> None:
    found = overlap("Europe/Berlin", "Australia/Sydney", date(2027, 1, 12))
    assert found is not None and found.hours == 0.0


def test_clock_changes_are_counted_on_the_day() -> None:
    # New York moves its clocks two weeks before London: five hours apart, then four.
    before = overlap("Europe/London", "America/New_York", date(2027, 3, 1))
    between = overlap("Europe/London", "America/New_York", date(2027, 3, 20))
    assert before == Overlap(3.0, "14:00", "17:00")
    assert between == Overlap(4.0, "13:00", "17:00")


def test_a_day_that_crosses_midnight_is_found_on_the_next_day() -> None:
    # Tokyo's working day starts at 01:00 in London in winter (nine hours ahead).
    found = overlap("Asia/Tokyo", "Europe/London", date(2027, 1, 12), workday=(8.0, 20.0))
    assert found == Overlap(3.0, "17:00", "20:00")


def test_an_unknown_zone_gives_no_answer() -> None:
    assert overlap("Mars/Olympus", "Europe/Berlin", date(2027, 1, 12)) is None
    assert overlap("", "Europe/Berlin", date(2027, 1, 12)) is None
    assert local_time("Europe/Berlin", datetime(2027, 1, 12, 8, 30, tzinfo=UTC)) == "09:30"
    assert local_time("nowhere", datetime(2027, 1, 12, 8, 30, tzinfo=UTC)) == ""
