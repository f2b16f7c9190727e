"""Which fields a person keeps, which HR keeps, and when a profile is incomplete."""

from __future__ import annotations

from dataclasses import fields, replace

from peermentor.domain.people import PersonRecord
from peermentor.domain.profiles import (
    COMPLETENESS_FIELDS,
    HR_FIELDS,
    OWNED_FIELDS,
    TAG_FIELDS,
    incomplete_fields,
    is_incomplete,
)

FULL = PersonRecord(
    employee_id="E1",
    name="Ana",
    email="ana@example.com",
    years_experience=3,
    skills_offered=("sql",),
    skills_sought=("negotiation",),
    career_goals=("lead a team",),
    challenges=("giving feedback",),
    background=("physics degree",),
)


def test_every_field_is_kept_by_the_person_or_by_hr_never_both() -> None:
    every = {f.name for f in fields(PersonRecord)}
    assert set(OWNED_FIELDS) | set(HR_FIELDS) == every
    assert not set(OWNED_FIELDS) & set(HR_FIELDS)
    assert {"name", "email", "manager_id", "level", "years_experience"} <= set(HR_FIELDS)
    assert "do_not_match" in HR_FIELDS  # a person's own "never with them" is a block
    assert set(TAG_FIELDS) == {
        "skills_offered",
        "skills_sought",
        "career_goals",
        "challenges",
        "background",
        "languages",
    }


def test_a_profile_with_every_completeness_field_is_complete() -> None:
    assert incomplete_fields(FULL) == ()
    assert not is_incomplete(FULL)
    # Languages, time zone, hours and the goal statement do not make it incomplete.
    assert FULL.languages == () and FULL.goal_statement == ""


def test_each_empty_completeness_field_is_named_in_order() -> None:
    for column in COMPLETENESS_FIELDS:
        assert incomplete_fields(replace(FULL, **{column: ()})) == (column,)
    empty = replace(FULL, **dict.fromkeys(COMPLETENESS_FIELDS, ()))
    assert incomplete_fields(empty) == COMPLETENESS_FIELDS
    assert is_incomplete(empty)
