"""The demo organisation: deterministic, valid and believable."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from peermentor.demo_org import demo_people_csv, generate_organisation
from peermentor.domain.people import PersonRecord
from peermentor.people_csv import parse_people_csv


def _managers(people: list[PersonRecord]) -> set[str]:
    return {p.manager_id for p in people if p.manager_id is not None}


def test_same_seed_gives_the_same_organisation() -> None:
    assert generate_organisation(300, seed=7) == generate_organisation(300, seed=7)


def test_different_seeds_give_different_organisations() -> None:
    assert generate_organisation(300, seed=1) != generate_organisation(300, seed=2)


def test_default_seed_is_stable() -> None:
    assert generate_organisation(50) == generate_organisation(50, seed=0)


@pytest.mark.parametrize("n", [0, 1, 2, 6, 11, 27, 100, 1000])
def test_generates_exactly_n_people_with_unique_ids_and_emails(n: int) -> None:
    people = generate_organisation(n, seed=3)
    assert len(people) == n
    assert len({p.employee_id for p in people}) == n
    assert len({p.email.casefold() for p in people}) == n


def test_negative_size_is_refused() -> None:
    with pytest.raises(ValueError):
        generate_organisation(-1)


@pytest.mark.parametrize("n", [1, 2, 6, 100, 2000])
def test_manager_tree_has_one_root_and_no_cycles(n: int) -> None:
    people = generate_organisation(n, seed=5)
    by_id = {p.employee_id: p for p in people}
    roots = [p for p in people if p.manager_id is None]
    assert len(roots) == 1
    assert all(p.manager_id is None or p.manager_id in by_id for p in people)
    for person in people:
        seen = set()
        current: PersonRecord | None = person
        while current is not None:
            assert current.employee_id not in seen, "manager cycle"
            seen.add(current.employee_id)
            current = by_id.get(current.manager_id) if current.manager_id else None


def test_span_of_control_is_realistic() -> None:
    people = generate_organisation(5000, seed=11)
    reports = Counter(p.manager_id for p in people if p.manager_id)
    spans = [count for manager, count in reports.items() if manager != "E000001"]
    assert 4 <= statistics.mean(spans) <= 10
    assert max(spans) <= 10


def test_depth_grows_with_size() -> None:
    def depth(people: list[PersonRecord]) -> int:
        by_id = {p.employee_id: p for p in people}
        deepest = 0
        for person in people:
            d, current = 0, person
            while current.manager_id:
                d, current = d + 1, by_id[current.manager_id]
            deepest = max(deepest, d)
        return deepest

    assert depth(generate_organisation(100, seed=1)) < depth(generate_organisation(20000, seed=1))


def test_levels_follow_years_of_experience() -> None:
    people = generate_organisation(5000, seed=2)
    levels = [float(p.level or 0) for p in people]
    years = [p.years_experience for p in people]
    assert statistics.correlation(levels, years) > 0.8
    by_level: dict[int, list[float]] = {}
    for p in people:
        by_level.setdefault(p.level or 0, []).append(p.years_experience)
    means = [statistics.mean(by_level[level]) for level in sorted(by_level)]
    assert means == sorted(means)


def test_managers_outrank_most_of_their_reports() -> None:
    people = generate_organisation(5000, seed=4)
    by_id = {p.employee_id: p for p in people}
    for p in people:
        if p.manager_id:
            assert (p.level or 0) <= (by_id[p.manager_id].level or 0)


def test_opt_out_and_do_not_match_rates_are_in_a_sane_band() -> None:
    people = generate_organisation(5000, seed=9)
    opt_out = sum(p.opt_out for p in people) / len(people)
    assert 0.01 <= opt_out <= 0.035
    with_dnm = [p for p in people if p.do_not_match]
    assert 5 <= len(with_dnm) <= 60
    ids = {p.employee_id for p in people}
    for p in with_dnm:
        assert p.employee_id not in p.do_not_match
        assert set(p.do_not_match) <= ids


def test_attributes_hang_together() -> None:
    people = generate_organisation(3000, seed=6)
    assert len({p.department for p in people}) >= 10
    assert len({p.timezone for p in people}) >= 10
    for p in people:
        assert 2 <= (p.hours_per_month or 0) <= 8
        assert p.languages and p.skills_offered and p.skills_sought and p.career_goals
        assert not set(p.skills_offered) & set(p.skills_sought)
        assert p.goal_statement.endswith((".", "bigger."))
        assert p.email.endswith("@example.com")
    english = sum("English" in p.languages for p in people) / len(people)
    assert english > 0.8
    paris = [p for p in people if p.location == "Paris"]
    assert all(p.timezone == "Europe/Paris" for p in paris)
    assert sum("French" in p.languages for p in paris) > 0.8 * len(paris)


def test_engineers_offer_engineering_skills() -> None:
    engineers = [p for p in generate_organisation(2000, seed=8) if p.department == "Engineering"]
    offered = Counter(skill for p in engineers for skill in p.skills_offered)
    assert offered["system design"] > 0 and offered["negotiation"] == 0


def test_demo_csv_starts_with_the_contract_header() -> None:
    text = demo_people_csv(5, seed=1)
    assert text.splitlines()[0].startswith("employee_id,name,email,manager_id,")
    assert len(text.splitlines()) >= 6


def test_every_manager_by_title_has_reports_and_vice_versa() -> None:
    people = generate_organisation(3000, seed=10)
    managers = _managers(people)
    for p in people:
        leads_people = p.job_family.endswith(" Leadership")
        assert leads_people == (p.employee_id in managers), p


@pytest.mark.parametrize("seed", [0, 1, 42])
@pytest.mark.parametrize("n", [1, 2, 6, 27, 1000])
def test_demo_csv_passes_validation_and_round_trips(n: int, seed: int) -> None:
    result = parse_people_csv(demo_people_csv(n, seed).encode("utf-8"))
    assert result.errors == []
    assert result.people == generate_organisation(n, seed)
