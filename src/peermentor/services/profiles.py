"""A participant's own profile: what they keep (skills, goals, challenges, background,
languages, time zone, hours, taking part or not), what HR keeps (shown, never
changed here), and the tags their programmes already use, so the vocabulary stays
shared. The next match run reads the changed record; nothing else is recomputed.

A value is checked by the same readers and limits the people CSV importer applies to
its cells (people_csv_cells and people_csv.size_problems), so a profile can always
be exported and imported again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from peermentor.domain.errors import ValidationError, ValidationErrors
from peermentor.domain.people import LIST_COLUMNS, PersonRecord
from peermentor.domain.profiles import (
    HR_FIELDS,
    OWNED_FIELDS,
    TAG_FIELDS,
    incomplete_fields,
    owned_fields,
)
from peermentor.domain.signup import MAX_YEARS
from peermentor.people_csv import size_problems
from peermentor.people_csv_cells import (
    CellError,
    read_boolean,
    read_list,
    read_non_negative_number,
    read_timezone,
)
from peermentor.services import audit
from peermentor.services.access import Actor, Forbidden, NotFound
from peermentor.store import profiles_repo
from peermentor.store.people_directory import names_by_employee_id

SUGGESTIONS = 30  # tags suggested under each field, the most used first


@dataclass(frozen=True, slots=True)
class MyProfile:
    person_id: int
    # Kept by HR (the people data): shown, never changed by the person.
    employee_id: str
    name: str
    email: str
    manager_id: str | None
    manager_name: str | None  # None when the manager is not in the people data
    department: str
    team: str
    job_family: str
    job_title: str
    location: str
    level: int | None
    years_experience: float
    # Kept by the person.
    skills_offered: tuple[str, ...]
    skills_sought: tuple[str, ...]
    career_goals: tuple[str, ...]
    goal_statement: str
    challenges: tuple[str, ...]
    background: tuple[str, ...]
    languages: tuple[str, ...]
    timezone: str
    hours_per_month: float | None
    opt_out: bool
    # For each tag field, tags others in the person's programmes use (not theirs yet).
    suggestions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    incomplete: tuple[str, ...] = ()  # domain.profiles.COMPLETENESS_FIELDS left empty
    # Signed up on their own, not in HR's data yet: their name and years are theirs.
    keeps_name_and_years: bool = False


def _person_id(actor: Actor) -> int:
    if actor.person_id is None:
        raise Forbidden(
            "only a participant has a profile: this account belongs to no person in the people data"
        )
    return actor.person_id


def _record(session: Session, actor: Actor) -> tuple[int, PersonRecord]:
    person_id = _person_id(actor)
    record = profiles_repo.record_of(session, person_id)
    if record is None:
        raise NotFound("your person record is no longer in the people data")
    return person_id, record


def _suggestions(
    session: Session, person_id: int, record: PersonRecord
) -> dict[str, tuple[str, ...]]:
    counts = profiles_repo.tag_counts(session, person_id, TAG_FIELDS)
    found: dict[str, tuple[str, ...]] = {}
    for column, used in counts.items():
        mine = {tag.casefold() for tag in getattr(record, column)}
        ranked = sorted(
            (tag for tag in used if tag.casefold() not in mine),
            key=lambda tag: (-used[tag], tag.casefold(), tag),
        )
        found[column] = tuple(ranked[:SUGGESTIONS])
    return found


def _profile(session: Session, person_id: int, record: PersonRecord) -> MyProfile:
    manager = None
    if record.manager_id:
        manager = names_by_employee_id(session, [record.manager_id]).get(record.manager_id)
    return MyProfile(
        person_id=person_id,
        employee_id=record.employee_id,
        name=record.name,
        email=record.email,
        manager_id=record.manager_id,
        manager_name=manager,
        department=record.department,
        team=record.team,
        job_family=record.job_family,
        job_title=record.job_title,
        location=record.location,
        level=record.level,
        years_experience=record.years_experience,
        skills_offered=record.skills_offered,
        skills_sought=record.skills_sought,
        career_goals=record.career_goals,
        goal_statement=record.goal_statement,
        challenges=record.challenges,
        background=record.background,
        languages=record.languages,
        timezone=record.timezone,
        hours_per_month=record.hours_per_month,
        opt_out=record.opt_out,
        suggestions=_suggestions(session, person_id, record),
        incomplete=incomplete_fields(record),
        keeps_name_and_years=profiles_repo.is_self_enrolled(session, person_id),
    )


def my_profile(session: Session, actor: Actor) -> MyProfile:
    """The signed-in participant's profile, with suggestions from their programmes."""
    person_id, record = _record(session, actor)
    return _profile(session, person_id, record)


def profile_incomplete(session: Session, actor: Actor) -> tuple[str, ...]:
    """Which completeness fields the participant left empty (() for an account with
    no person: it has no profile to complete)."""
    if actor.person_id is None:
        return ()
    record = profiles_repo.record_of(session, actor.person_id)
    return () if record is None else incomplete_fields(record)


# ---- changing it ------------------------------------------------------------------


def _text(column: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("enter text", field=column)
    return value.strip()


def _tags(column: str, value: object) -> tuple[str, ...]:
    """A list of tags, each read as the importer reads a list cell (a ";" inside one
    separates two), trimmed, empties dropped, the first of repeats kept."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError("a list of values", field=column)
    items: list[str] = []
    for item in value:
        items.extend(read_list(_text(column, item)))
    return tuple(dict.fromkeys(items))


def _hours(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError("a number of hours, 0 or more", field="hours_per_month")
    text = repr(float(value)) if isinstance(value, int | float) else _text("hours_per_month", value)
    return None if not text else read_non_negative_number(text)


def _opt_out(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return read_boolean(_text("opt_out", value))


def _timezone(value: object) -> str:
    text = _text("timezone", value)
    return read_timezone(text) if text else ""


def _years(value: object) -> float:
    if isinstance(value, bool):
        raise ValidationError("a number of years, 0 or more", field="years_experience")
    text = (
        repr(float(value)) if isinstance(value, int | float) else _text("years_experience", value)
    )
    years = read_non_negative_number(text)
    if years > MAX_YEARS:
        raise ValidationError(f"a number of years from 0 to {MAX_YEARS}", field="years_experience")
    return years


def _name(value: object) -> str:
    name = _text("name", value)
    if not name:
        raise ValidationError("your name, as colleagues know it", field="name")
    return name


def _read(column: str, value: object) -> object:
    """One submitted value as the record holds it, or ValidationError for the column."""
    try:
        if column in LIST_COLUMNS:
            return _tags(column, value)
        if column == "hours_per_month":
            return _hours(value)
        if column == "opt_out":
            return _opt_out(value)
        if column == "timezone":
            return _timezone(value)
        if column == "years_experience":
            return _years(value)
        if column == "name":
            return _name(value)
        return _text(column, value)  # goal_statement
    except CellError as error:
        raise ValidationError(str(error), field=column) from None
    except (OverflowError, ValueError) as error:  # float() of a huge int, say
        raise ValidationError(str(error), field=column) from None


def read_changes(
    changes: Mapping[str, object], owned: tuple[str, ...] = OWNED_FIELDS
) -> dict[str, object]:
    """The submitted values as the record holds them; every refused one at once
    (ValidationErrors), each naming its field. A field HR keeps is refused by name."""
    values: dict[str, object] = {}
    problems: list[ValidationError] = []
    for column, value in changes.items():
        if column in HR_FIELDS and column not in owned:
            problems.append(
                ValidationError(
                    "is kept by HR in the people data, not on your profile; ask your "
                    "programme's admin to have it corrected",
                    field=column,
                )
            )
        elif column not in owned:
            problems.append(ValidationError("is not a field of your profile", field=column))
        else:
            try:
                values[column] = _read(column, value)
            except ValidationError as error:
                problems.append(error)
    problems += [ValidationError(m, field=c) for c, m in size_problems(values)]
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationErrors(tuple(problems))
    return values


def update_my_profile(
    session: Session, actor: Actor, changes: Mapping[str, object], now: datetime
) -> tuple[str, ...]:
    """Change the fields the participant keeps; returns the fields that changed.

    Nothing is written when any value is refused. An unchanged value is no change:
    input that changes nothing writes nothing and records nothing."""
    person_id, record = _record(session, actor)
    owned = owned_fields(profiles_repo.is_self_enrolled(session, person_id))
    values = read_changes(changes, owned)
    changed = {c: v for c, v in values.items() if getattr(record, c) != v}
    if not changed:
        return ()
    profiles_repo.set_owned_fields(session, person_id, changed, now, owned)
    audit.record(
        session,
        actor,
        "profile.updated",
        target_kind="person",
        target_id=person_id,
        details={"fields_changed": len(changed)},
        now=now,
    )
    session.commit()
    return tuple(c for c in owned if c in changed)
