"""Explanations state only facts that the two records bear out."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings

from peermentor.domain.people import PersonRecord
from peermentor.matching.audit import why_not
from peermentor.matching.engine import run_matching
from peermentor.matching.explain import first_name, pair_sentences
from peermentor.matching.settings import MatchSettings

from .cohorts import Case, people_case


def items(text: str) -> set[str]:
    return {x.strip().lower() for x in re.split(r", | and ", text) if x.strip()}


def low(values: tuple[str, ...]) -> set[str]:
    return {v.strip().lower() for v in values if v.strip()}


def check_sentence(s: str, me: PersonRecord, other: PersonRecord) -> None:
    name = re.escape(first_name(other))
    rules = [
        (
            rf"You can help {name} with (.+?)(?:;|\.$)",
            lambda m: items(m[1]) <= low(me.skills_offered) & low(other.skills_sought),
        ),
        (
            rf"{name} can help you with (.+)\.$",
            lambda m: items(m[1]) <= low(other.skills_offered) & low(me.skills_sought),
        ),
        (
            r"You both face (.+)\.$",
            lambda m: items(m[1]) <= low(me.challenges) & low(other.challenges),
        ),
        (
            r"You both work in (.+)\.$",
            lambda m: m[1].lower() == me.job_family.lower() == other.job_family.lower(),
        ),
        (
            r"You both want to (.+)\.$",
            lambda m: items(m[1]) <= low(me.career_goals) & low(other.career_goals),
        ),
        (
            r"You share career goals: (.+)\.$",
            lambda m: items(m[1]) <= low(me.career_goals) & low(other.career_goals),
        ),
        (
            rf"Your backgrounds differ \(you: (.+); {name}: (.+)\)\.$",
            lambda m: (
                items(m[1]) <= low(me.background) - low(other.background)
                and items(m[2]) <= low(other.background) - low(me.background)
            ),
        ),
        (
            rf"{name} works in (.+) in (.+); you work in (.+) in (.+)\.$",
            lambda m: (
                (m[1], m[3]) == (other.department, me.department)
                and (m[2], m[4]) == (other.location, me.location)
                and m[1] != m[3]
                and m[2] != m[4]
            ),
        ),
        (
            rf"{name} works in (.+); you work in (.+)\.$",
            lambda m: (m[1], m[2]) == (other.department, me.department) and m[1] != m[2],
        ),
        (
            rf"{name} is based in (.+); you are in (.+)\.$",
            lambda m: (m[1], m[2]) == (other.location, me.location) and m[1] != m[2],
        ),
        (
            rf"{name} has (.+) of experience; you have (.+)\.$",
            lambda m: (
                years_match(m[1], other.years_experience)
                and years_match(m[2], me.years_experience)
                and m[1] != m[2]
            ),
        ),
        (
            r"You both have (.+) of experience\.$",
            lambda m: (
                years_match(m[1], other.years_experience) and years_match(m[1], me.years_experience)
            ),
        ),
        (
            r"You both speak (.+)\.$",
            lambda m: items(m[1]) <= low(me.languages) & low(other.languages),
        ),
        (
            r"Your working hours overlap by ([\d.]+) hours?(?: and you both speak (.+))?\.$",
            lambda m: (
                0 < float(m[1]) <= 8
                and bool(me.timezone and other.timezone)
                and (m[2] is None or items(m[2]) <= low(me.languages) & low(other.languages))
            ),
        ),
        (
            r"Your working hours do not overlap, so plan calls at the day's edges"
            r"(?:; you both speak (.+))?\.$",
            lambda m: (
                bool(me.timezone and other.timezone)
                and (m[1] is None or items(m[1]) <= low(me.languages) & low(other.languages))
            ),
        ),
    ]
    for pattern, holds in rules:
        m = re.match(pattern, s)
        if m:
            assert holds(m), (s, me, other)
            return
    raise AssertionError(f"unrecognised sentence: {s!r}")


def years_match(text: str, years: float) -> bool:
    """ "less than a year" for under one year, else "N year(s)" with N the value."""
    if text == "less than a year":
        return years < 1
    m = re.fullmatch(r"([\d.]+) years?", text)
    return bool(m) and float(m[1]) == years and years >= 1 and (m[0].endswith("s") != (years == 1))


def sentences(text: str) -> list[str]:
    return [x if x.endswith(".") else x + "." for x in re.split(r"(?<=\.) ", text) if x]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=people_case(max_size=14))
def test_every_sentence_names_only_true_facts(case: Case) -> None:
    s = MatchSettings()
    for me, other in itertools.permutations(case.people, 2):
        for sentence in pair_sentences(me, other, s.reference_datetime, (9.0, 17.0)):
            check_sentence(sentence, me, other)
    by_id = {p.employee_id: p for p in case.people}
    result = run_matching(case.people, s.with_changes(odd_mode="waitlist"), past_partners=case.past)
    for pairing in result.pairings:
        a, b = (by_id[m] for m in pairing.members)
        for me, other in ((a, b), (b, a)):
            for sentence in sentences(pairing.explanations[me.employee_id]):
                check_sentence(sentence, me, other)


def test_the_example_from_the_brief_reads_naturally() -> None:
    ana = PersonRecord(
        "A",
        "Ana Silva",
        "a@x.org",
        6,
        skills_offered=("negotiation",),
        skills_sought=("SQL",),
        challenges=("office politics",),
        background=("retail",),
        timezone="Europe/Lisbon",
    )
    kim = PersonRecord(
        "K",
        "Kim Lee",
        "k@x.org",
        7,
        skills_offered=("SQL",),
        skills_sought=("negotiation",),
        challenges=("office politics",),
        background=("banking",),
        timezone="Europe/Paris",
    )
    text = " ".join(pair_sentences(ana, kim, MatchSettings().reference_datetime, (9.0, 17.0)))
    assert text == (
        "You can help Kim with negotiation; Kim can help you with SQL. "
        "You both face office politics. "
        "Your backgrounds differ (you: retail; Kim: banking). "
        "Kim has 7 years of experience; you have 6 years. "
        "Your working hours overlap by 7 hours."
    )


def test_why_not_names_the_rule_or_the_cost() -> None:
    boss = PersonRecord("B", "Bo Boss", "b@x.org", 12, level=6)
    report = PersonRecord("R", "Ria Report", "r@x.org", 3, manager_id="B", level=3)
    peer = PersonRecord("P", "Pia Peer", "p@x.org", 4, level=3)
    other = PersonRecord("O", "Oli Other", "o@x.org", 11, level=6)
    people = [boss, report, peer, other]
    result = run_matching(people)
    assert "reporting line" in why_not(people, result, "B", "R")
    assert why_not(people, result, "R", "P") == "R and P are paired."
    assert "changes the total by -" in why_not(people, result, "R", "O")


def test_newcomers_places_and_practicalities_read_naturally() -> None:
    ana = PersonRecord(
        "A",
        "Ana Silva",
        "a@x.org",
        0,
        skills_offered=("SQL",),
        skills_sought=("negotiation",),
        background=("MBA",),
        department="Sales",
        location="London",
        timezone="Europe/London",
        languages=("English", "Portuguese"),
    )
    kim = PersonRecord(
        "K",
        "Kim Lee",
        "k@x.org",
        1,
        skills_offered=("negotiation",),
        background=("retail", "banking"),
        department="Finance",
        location="Berlin",
        timezone="Asia/Tokyo",
        languages=("english",),
    )
    text = " ".join(pair_sentences(ana, kim, MatchSettings().reference_datetime, (9.0, 17.0)))
    assert text == (
        "Kim can help you with negotiation. "
        "Your backgrounds differ (you: MBA; Kim: retail and banking). "
        "Kim works in Finance in Berlin; you work in Sales in London. "
        "Kim has 1 year of experience; you have less than a year. "
        "Your working hours do not overlap, so plan calls at the day's edges; "
        "you both speak English."
    )
