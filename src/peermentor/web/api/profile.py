"""The caller's own profile: GET reads it (with the programme's tags as suggestions),
PUT changes the fields the person keeps. The same use case as the profile page
(services.profiles); an account with no person is refused (403) before the body is
read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from pydantic import ConfigDict, Field

from peermentor.domain.profiles import COMPLETENESS_FIELDS
from peermentor.services import profiles
from peermentor.services.access import Forbidden
from peermentor.web.api.common import Body, Clock, Db, Out, api_router
from peermentor.web.deps import Caller, caller, csrf_protected

router = api_router("me")

Tags = list[Annotated[str, Field(max_length=1000)]]


class HrFieldsOut(Out):
    """Kept by HR in the people data: read-only here; a later import may change them."""

    employee_id: str
    name: str
    email: str
    manager_id: str | None
    manager_name: str | None = Field(description="null when the manager is not in the data")
    department: str
    team: str
    job_family: str
    job_title: str
    location: str
    level: int | None
    years_experience: float


class SuggestionsOut(Out):
    """For each tag field, tags others in my programmes use (most used first, at most
    30, none I already have), so the vocabulary stays shared."""

    skills_offered: list[str]
    skills_sought: list[str]
    career_goals: list[str]
    challenges: list[str]
    background: list[str]
    languages: list[str]


class ProfileOut(Out):
    person_id: int
    hr: HrFieldsOut
    skills_offered: list[str]
    skills_sought: list[str]
    career_goals: list[str]
    goal_statement: str
    challenges: list[str]
    background: list[str]
    languages: list[str]
    timezone: str = Field(description='an IANA name such as "Europe/Paris"; "" if unknown')
    hours_per_month: float | None
    opt_out: bool = Field(description="true: no match run pairs me")
    incomplete: list[str] = Field(
        description=f"which of {', '.join(COMPLETENESS_FIELDS)} are still empty"
    )
    suggestions: SuggestionsOut
    keeps_name_and_years: bool = Field(
        description="signed up on my own, not in HR's data yet: I may change hr.name and "
        "hr.years_experience (send them as name and years_experience)"
    )


class ProfileIn(Body):
    """The fields to change; a field left out stays as it is. Values are checked as the
    people import checks its cells; a field HR keeps (name, department, level, ...) is
    refused with its name, so the model takes any key and the use case names it."""

    # Keys HR keeps reach the use case, which refuses each by name (not Pydantic's
    # "extra inputs are not permitted", which would not say whom to ask).
    model_config = ConfigDict(extra="allow")

    skills_offered: Tags | None = None
    skills_sought: Tags | None = None
    career_goals: Tags | None = None
    goal_statement: str | None = Field(None, max_length=10_000)
    challenges: Tags | None = None
    background: Tags | None = None
    languages: Tags | None = None
    timezone: str | None = Field(None, max_length=200)
    hours_per_month: float | None = Field(None, description="0 or more")
    opt_out: bool | None = None


async def participant(who: Annotated[Caller, Depends(caller)]) -> Caller:
    """A caller with a person: anyone else is refused before the body is read."""
    if who.actor.person_id is None:
        raise Forbidden("only a participant has a profile: this account belongs to no person")
    return who


async def participant_changing(who: Annotated[Caller, Depends(csrf_protected)]) -> Caller:
    return await participant(who)


def _out(p: profiles.MyProfile) -> ProfileOut:
    return ProfileOut(
        person_id=p.person_id,
        hr=HrFieldsOut(
            employee_id=p.employee_id,
            name=p.name,
            email=p.email,
            manager_id=p.manager_id,
            manager_name=p.manager_name,
            department=p.department,
            team=p.team,
            job_family=p.job_family,
            job_title=p.job_title,
            location=p.location,
            level=p.level,
            years_experience=p.years_experience,
        ),
        skills_offered=list(p.skills_offered),
        skills_sought=list(p.skills_sought),
        career_goals=list(p.career_goals),
        goal_statement=p.goal_statement,
        challenges=list(p.challenges),
        background=list(p.background),
        languages=list(p.languages),
        timezone=p.timezone,
        hours_per_month=p.hours_per_month,
        opt_out=p.opt_out,
        incomplete=list(p.incomplete),
        suggestions=SuggestionsOut(**{k: list(v) for k, v in p.suggestions.items()}),
        keeps_name_and_years=p.keeps_name_and_years,
    )


@router.get(
    "/me/profile", response_model=ProfileOut, summary="My profile, as the matching reads it"
)
def read_profile(who: Annotated[Caller, Depends(participant)], session: Db) -> ProfileOut:
    return _out(profiles.my_profile(session, who.actor))


@router.put(
    "/me/profile",
    response_model=ProfileOut,
    summary="Change the fields of my profile I keep; the next match run uses them",
)
def change_profile(
    body: ProfileIn,
    who: Annotated[Caller, Depends(participant_changing)],
    session: Db,
    now: Clock,
) -> ProfileOut:
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    changes |= body.model_extra or {}
    profiles.update_my_profile(session, who.actor, changes, now)
    return _out(profiles.my_profile(session, who.actor))
