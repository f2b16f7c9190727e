"""Throttle counters in the database, on SQLite and PostgreSQL: one address spraying a
password over many accounts meets its ceiling; counts start over after their window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peermentor.domain.throttle import ADDRESS
from peermentor.services import throttle
from peermentor.store.auth_models import ThrottleCounter

NOW = datetime.fromisoformat("2026-03-02T09:00:00+00:00")
SPRAYER, OFFICE = "203.0.113.9", "198.51.100.7"


def guess(account: str, address: str = SPRAYER) -> throttle.Attempt:
    return throttle.Attempt("login", account, address)


def test_one_address_spraying_many_accounts_meets_its_ceiling(session: Session) -> None:
    for number in range(ADDRESS.free_failures):
        attempt = guess(f"person{number}@example.com")
        throttle.check(session, attempt, NOW)  # never one account's fifth try
        throttle.failed(session, attempt, NOW)
    with pytest.raises(throttle.TooManyAttempts) as refused:
        throttle.check(session, guess("next@example.com"), NOW)
    assert refused.value.retry_after == 60
    throttle.check(session, guess("next@example.com", OFFICE), NOW)  # elsewhere: fine


def test_a_success_does_not_reset_the_address_ceiling(session: Session) -> None:
    for number in range(ADDRESS.free_failures):
        throttle.failed(session, guess(f"person{number}@example.com"), NOW)
    throttle.succeeded(session, guess("own-account@example.com"))
    with pytest.raises(throttle.TooManyAttempts):
        throttle.check(session, guess("person1@example.com"), NOW)


def test_a_count_past_its_window_starts_over_and_old_rows_go(session: Session) -> None:
    throttle.failed(session, guess("kim@example.com"), NOW)  # a stale count of its own
    for _ in range(5):
        throttle.failed(session, guess("ana@example.com"), NOW)
    with pytest.raises(throttle.TooManyAttempts):
        throttle.check(session, guess("ana@example.com"), NOW)
    later = NOW + timedelta(days=1)
    throttle.check(session, guess("ana@example.com"), later)
    throttle.failed(session, guess("ana@example.com"), later)
    rows = session.scalars(select(ThrottleCounter)).all()
    assert sorted(row.failures for row in rows) == [1, 1]  # ana's and the address's, anew
    assert session.scalar(select(func.count()).select_from(ThrottleCounter)) == 2  # kim's gone


def test_the_table_holds_no_email_and_no_address(session: Session) -> None:
    throttle.failed(session, guess("ana@example.com"), NOW)
    for row in session.scalars(select(ThrottleCounter)):
        assert "ana" not in row.key and SPRAYER not in row.key
