"""Small random cohorts for property tests: every hard-rule situation shows up."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from peermentor.domain.people import PersonRecord

SKILLS = ("negotiation", "sql", "public speaking", "hiring", "python", "budgeting")
CHALLENGES = ("office politics", "delegation", "prioritisation", "imposter syndrome")
BACKGROUNDS = ("retail", "banking", "physics degree", "bootcamp", "public sector")
GOALS = ("get promoted", "move into management", "become a technical expert")
ZONES = ("Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "", "Bad/Zone")
LANGS = ("English", "French", "Japanese")
FIRST = ("Ana", "Kim", "Lee", "Sam", "Noor", "Ivo", "Mia", "Raj")
STATEMENTS = (
    "",
    "I want to lead a team",
    "I want to lead a larger team one day",
    "Become an expert in data",
    "grow into management and coach others",
)


@dataclass(frozen=True)
class Case:
    people: list[PersonRecord]
    past: list[frozenset[str]]


def _subset(items: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), max_size=3, unique=True).map(tuple)


@st.composite
def people_case(draw: st.DrawFn, min_size: int = 2, max_size: int = 40) -> Case:
    n = draw(st.integers(min_size, max_size))
    ids = [f"P{i:03d}" for i in range(n)]
    people = []
    for i, pid in enumerate(ids):
        manager = draw(
            st.one_of(st.none(), st.just("OUTSIDE"), st.sampled_from(ids[:i]) if i else st.none())
        )
        people.append(
            PersonRecord(
                employee_id=pid,
                name=f"{draw(st.sampled_from(FIRST))} Surname{i}",
                email=f"{pid.lower()}@example.com",
                years_experience=draw(st.integers(0, 20)) + draw(st.sampled_from((0.0, 0.5))),
                manager_id=manager,
                department=draw(st.sampled_from(("", "Sales", "Data", "Ops"))),
                team=draw(st.sampled_from(("", "A", "B"))),
                job_family=draw(st.sampled_from(("", "Engineering", "Sales"))),
                location=draw(st.sampled_from(("", "Paris", "Tokyo", "Austin"))),
                level=draw(st.one_of(st.none(), st.integers(1, 8))),
                timezone=draw(st.sampled_from(ZONES)),
                languages=draw(_subset(LANGS)),
                skills_offered=draw(_subset(SKILLS)),
                skills_sought=draw(_subset(SKILLS)),
                career_goals=draw(_subset(GOALS)),
                goal_statement=draw(st.sampled_from(STATEMENTS)),
                challenges=draw(_subset(CHALLENGES)),
                background=draw(_subset(BACKGROUNDS)),
                hours_per_month=draw(st.sampled_from((None, 0.0, 2.0, 4.0))),
                opt_out=draw(st.booleans().map(lambda b: b and draw(st.integers(0, 9)) == 0)),
                do_not_match=tuple(draw(st.lists(st.sampled_from(ids), max_size=1))),
            )
        )
    past = [
        frozenset(p)
        for p in draw(
            st.lists(
                st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True), max_size=4
            )
        )
    ]
    return Case(people, past)
