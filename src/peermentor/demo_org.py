"""A deterministic, realistic synthetic organisation for the demo, tests and benchmarks.

`generate_organisation(n, seed)` builds an org tree (a CEO, department heads, managers
and individual contributors with a span of control of about 5 to 10) and then gives
each person attributes that hang together: level follows the position in the tree,
years of experience follow the level, skills follow the department, languages follow
the location. All randomness comes from one `random.Random(seed)`, so the same
arguments always give the same people.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from collections import deque
from dataclasses import dataclass, field, replace
from itertools import accumulate

from peermentor.demo_org_data import (
    CAREER_GOALS,
    CHALLENGES_COMMON,
    CHALLENGES_MANAGER,
    CROSS_CUTTING_SKILLS,
    DEPARTMENTS,
    EDUCATION,
    EXTRA_LANGUAGES,
    FIRST_NAMES,
    GOAL_CLOSERS,
    GOAL_JOINERS,
    GOAL_OPENERS,
    GOAL_WEIGHTS,
    LAST_NAMES,
    LEADERSHIP_SKILLS,
    LOCATIONS,
    PRIOR_INDUSTRIES,
    Department,
    Location,
    Team,
)
from peermentor.domain.people import PersonRecord
from peermentor.people_csv import serialize_people_csv

CEO = -1  # department index of the chief executive, who belongs to no department
TINY_ORG = 10  # up to this many people, everyone reports straight to the founder
PEOPLE_PER_DEPARTMENT = 25  # a department is opened for roughly every this many people
MIN_SPAN, MAX_SPAN = 5, 10  # span of control: direct reports of a manager
SAME_LOCATION_AS_MANAGER = 0.7
OPT_OUT_RATE = 0.02
DO_NOT_MATCH_RATE = 0.005

# Typical years of experience at each level (1-9); heads and the CEO have the most.
YEARS_BY_LEVEL = {1: 1.0, 2: 3.0, 3: 5.0, 4: 8.0, 5: 11.0, 6: 14.0, 7: 17.0, 8: 20.0, 9: 24.0}
IC_LEVEL_WEIGHTS = (12, 22, 26, 20, 13, 7)  # levels 1..6 among individual contributors
IC_TITLE_BY_LEVEL = {
    1: "Associate {}",
    2: "{}",
    3: "{} II",
    4: "Senior {}",
    5: "Lead {}",
    6: "Principal {}",
}
HOURS_PER_MONTH = (2.0, 2.5, 3.0, 4.0, 4.0, 4.0, 5.0, 6.0, 6.0, 8.0)

_GOAL_TABLES = {
    band: (tuple(weights), tuple(accumulate(weights.values())))
    for band, weights in GOAL_WEIGHTS.items()
}
_LOCATION_CUM_WEIGHTS = tuple(accumulate(loc.weight for loc in LOCATIONS))
_IC_LEVEL_CUM_WEIGHTS = tuple(accumulate(IC_LEVEL_WEIGHTS))


@dataclass(slots=True)
class _Node:
    """One position in the org tree before it is given a person."""

    manager: int | None
    department: int  # index into DEPARTMENTS, or CEO
    team: str
    team_spec: Team | None  # None for the CEO and the department heads
    is_head: bool = False
    height: int = 0  # 0 for individual contributors, 1 for first-line managers, ...
    reports: list[int] = field(default_factory=list)


def generate_organisation(n: int, seed: int = 0) -> list[PersonRecord]:
    """`n` people with employee ids E000001..; E000001 is the CEO and the only root."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    if n == 0:
        return []
    rng = random.Random(seed)
    nodes = _build_tree(n, rng)
    people = _People(nodes, rng)
    return people.records()


def demo_people_csv(n: int, seed: int = 0) -> str:
    """The organisation as an import file (the people CSV contract)."""
    return serialize_people_csv(generate_organisation(n, seed))


# ---- the tree ---------------------------------------------------------------------


def _build_tree(n: int, rng: random.Random) -> list[_Node]:
    nodes = [_Node(None, CEO, "Executive Office", None)]
    if n <= TINY_ORG:
        # A start-up: the founder and a handful of people from different functions.
        for i in range(n - 1):
            dept = DEPARTMENTS[i % len(DEPARTMENTS)]
            _add(nodes, _Node(0, i % len(DEPARTMENTS), dept.teams[0].name, dept.teams[0]))
        return nodes

    n_departments = min(len(DEPARTMENTS), max(2, (n - 1) // PEOPLE_PER_DEPARTMENT))
    weights = [d.weight for d in DEPARTMENTS[:n_departments]]
    sizes = _split(n - 1, weights, minimum=1)
    # Breadth first, so ids grow with depth and every manager precedes their reports.
    pending: deque[tuple[int, int]] = deque()
    team_counters = [0] * n_departments
    for k, size in enumerate(sizes):
        head = _add(nodes, _Node(0, k, f"{DEPARTMENTS[k].name} Leadership", None, True))
        pending.append((head, size - 1))
    while pending:
        manager, budget = pending.popleft()
        node = nodes[manager]
        for child_budget in _report_budgets(budget, rng):
            team_spec: Team | None = node.team_spec
            team_name = node.team
            if node.is_head:  # the head's direct reports each start a team
                dept = DEPARTMENTS[node.department]
                team_spec, team_name = _next_team(dept, team_counters[node.department])
                team_counters[node.department] += 1
            index = _add(nodes, _Node(manager, node.department, team_name, team_spec))
            if child_budget:
                pending.append((index, child_budget))
    _compute_heights(nodes)
    return nodes


def _report_budgets(budget: int, rng: random.Random) -> list[int]:
    """For each direct report of a manager, how many people will sit below them.

    `budget` is how many people sit below the manager. A manager has MIN_SPAN to
    MAX_SPAN direct reports; when the budget is larger, some reports become managers
    themselves and share the rest, each getting at least MIN_SPAN people, so that no
    manager ends up with one or two reports.
    """
    if budget <= MAX_SPAN:
        return [0] * budget
    span = rng.randint(MIN_SPAN, MAX_SPAN)
    if budget - span < MIN_SPAN:  # too few left for a team of their own: fewer direct reports
        span = budget - MIN_SPAN
    below = budget - span
    n_managers = min(span, below // MIN_SPAN)
    weights = [rng.uniform(0.6, 1.4) for _ in range(n_managers)]
    shares = _split(below, weights, minimum=MIN_SPAN)
    return shares + [0] * (span - n_managers)


def _add(nodes: list[_Node], node: _Node) -> int:
    nodes.append(node)
    index = len(nodes) - 1
    if node.manager is not None:
        nodes[node.manager].reports.append(index)
    return index


def _next_team(dept: Department, counter: int) -> tuple[Team, str]:
    spec = dept.teams[counter % len(dept.teams)]
    round_ = counter // len(dept.teams)
    return spec, spec.name if round_ == 0 else f"{spec.name} {round_ + 1}"


def _split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """`total` shared in proportion to `weights` (largest remainders get the rest)."""
    floor_total = total - minimum * len(weights)
    scale = floor_total / sum(weights)
    exact = [w * scale for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - exact[i])
    for i in by_remainder[: floor_total - sum(shares)]:
        shares[i] += 1
    return [share + minimum for share in shares]


def _compute_heights(nodes: list[_Node]) -> None:
    # Reports always come after their manager, so one backwards pass suffices.
    for node in reversed(nodes):
        if node.manager is not None:
            parent = nodes[node.manager]
            parent.height = max(parent.height, node.height + 1)


# ---- the people -------------------------------------------------------------------


class _People:
    """Gives every position of the tree a person whose attributes fit together."""

    def __init__(self, nodes: list[_Node], rng: random.Random) -> None:
        self.nodes = nodes
        self.rng = rng
        self.levels: list[int] = []
        self.locations: list[Location] = []

    def records(self) -> list[PersonRecord]:
        people = [self._person(i, node) for i, node in enumerate(self.nodes)]
        for i, other in self._do_not_match_pairs():
            people[i] = _with_do_not_match(people[i], people[other].employee_id)
        return people

    def _person(self, i: int, node: _Node) -> PersonRecord:
        rng = self.rng
        level = self._level(node)
        self.levels.append(level)
        location = self._location(node)
        self.locations.append(location)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        dept = DEPARTMENTS[node.department] if node.department != CEO else None
        band = _band(node, level)
        goals = self._goals(band)
        offered, sought = self._skills(dept, band, "switch function" in goals)
        return PersonRecord(
            employee_id=_employee_id(i),
            name=f"{first} {last}",
            email=f"{_email_part(first)}.{_email_part(last)}{i + 1}@example.com",
            manager_id=None if node.manager is None else _employee_id(node.manager),
            department=dept.name if dept else "Executive",
            team=node.team,
            job_family=_job_family(node, dept),
            job_title=_job_title(node, dept, level),
            location=location.name,
            level=level,
            years_experience=self._years(level),
            timezone=location.timezone,
            languages=self._languages(location),
            skills_offered=offered,
            skills_sought=sought,
            career_goals=goals,
            goal_statement=self._goal_statement(goals),
            challenges=self._challenges(node),
            background=self._background(level),
            hours_per_month=rng.choice(HOURS_PER_MONTH),
            opt_out=rng.random() < OPT_OUT_RATE,
        )

    def _level(self, node: _Node) -> int:
        if node.manager is None:
            return 9
        if node.is_head:
            return 8
        if node.height >= 2:
            return 7
        if node.height == 1:
            return 5 if self.rng.random() < 0.6 else 6
        level = self.rng.choices(range(1, 7), cum_weights=_IC_LEVEL_CUM_WEIGHTS)[0]
        return min(level, self.levels[node.manager])

    def _years(self, level: int) -> float:
        mean = YEARS_BY_LEVEL[level]
        years = self.rng.gauss(mean, 1.0 + 0.2 * level)
        # Half years, so the file holds both whole and fractional numbers.
        return min(45.0, max(0.0, round(years * 2) / 2))

    def _location(self, node: _Node) -> Location:
        # Teams cluster: most people sit where their manager sits. Heads are spread
        # out, otherwise the CEO's city would dominate the whole organisation.
        if node.manager and self.rng.random() < SAME_LOCATION_AS_MANAGER:
            return self.locations[node.manager]
        return self.rng.choices(LOCATIONS, cum_weights=_LOCATION_CUM_WEIGHTS)[0]

    def _languages(self, location: Location) -> tuple[str, ...]:
        rng = self.rng
        languages = [lang for lang in location.local_languages[:1] if rng.random() < 0.95]
        if not languages or rng.random() < 0.9:
            languages.append("English")
        if rng.random() < 0.12:
            languages.append(rng.choice(EXTRA_LANGUAGES))
        return tuple(dict.fromkeys(languages))

    def _skills(
        self, dept: Department | None, band: str, switching: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        rng = self.rng
        own = dept.skills if dept else CROSS_CUTTING_SKILLS
        leads = band in ("manager", "executive")
        n_own = 1 + (band != "junior") + (rng.random() < 0.5)
        # One draw for both sides keeps the department skills offered and sought apart,
        # so everyone seeks at least two things they do not already offer.
        picks = rng.sample(own, n_own + 2)
        offered, sought = picks[:n_own], picks[n_own:]
        offered.append(rng.choice(LEADERSHIP_SKILLS if leads else CROSS_CUTTING_SKILLS))
        sought.append(rng.choice(CROSS_CUTTING_SKILLS if leads else LEADERSHIP_SKILLS))
        if rng.random() < 0.5:
            sought.append(rng.choice(CROSS_CUTTING_SKILLS))
        if switching:  # people who want to change function want that function's skills
            sought.append(rng.choice(rng.choice(DEPARTMENTS).skills))
        offered_unique = tuple(dict.fromkeys(offered))
        sought_unique = tuple(s for s in dict.fromkeys(sought) if s not in offered_unique)
        return offered_unique, sought_unique

    def _goals(self, band: str) -> tuple[str, ...]:
        tags, cum_weights = _GOAL_TABLES[band]
        picks = self.rng.choices(tags, cum_weights=cum_weights, k=2)
        # One goal or two: a repeated draw simply means the person has one.
        return tuple(dict.fromkeys(picks))

    def _goal_statement(self, goals: tuple[str, ...]) -> str:
        rng = self.rng
        phrases = [rng.choice(CAREER_GOALS[goal]) for goal in goals]
        sentence = rng.choice(GOAL_OPENERS).format(phrases[0])
        if len(phrases) > 1:
            sentence += rng.choice(GOAL_JOINERS).format(phrases[1])
        return sentence + "." + rng.choice(GOAL_CLOSERS)

    def _challenges(self, node: _Node) -> tuple[str, ...]:
        pool = CHALLENGES_COMMON + CHALLENGES_MANAGER if node.height else CHALLENGES_COMMON
        return tuple(self.rng.sample(pool, self.rng.randint(1, 3)))

    def _background(self, level: int) -> tuple[str, ...]:
        rng = self.rng
        # Juniors often come straight from education, with no prior industry.
        industries = 0 if level <= 2 and rng.random() < 0.5 else rng.randint(1, 2)
        return (*rng.sample(PRIOR_INDUSTRIES, industries), rng.choice(EDUCATION))

    def _do_not_match_pairs(self) -> list[tuple[int, int]]:
        """A few people ask never to meet a colleague, typically from another team."""
        rng, nodes = self.rng, self.nodes
        if len(nodes) < 2:
            return []
        pairs = []
        for i, node in enumerate(nodes):
            if rng.random() >= DO_NOT_MATCH_RATE:
                continue
            other = i
            for _ in range(20):
                other = rng.randrange(len(nodes))
                candidate = nodes[other]
                if candidate.department == node.department and candidate.team != node.team:
                    break
            if other == i:
                other = (i + 1) % len(nodes)
            pairs.append((i, other))
        return pairs


def _band(node: _Node, level: int) -> str:
    if node.manager is None or node.is_head:
        return "executive"
    if node.height:
        return "manager"
    return "junior" if level <= 3 else "senior"


def _job_family(node: _Node, dept: Department | None) -> str:
    if dept is None or node.team_spec is None:
        return "Executive Leadership"
    if node.height:
        return f"{dept.name} Leadership"
    return node.team_spec.job_family


def _job_title(node: _Node, dept: Department | None, level: int) -> str:
    if dept is None:
        return "Chief Executive Officer"
    if node.team_spec is None:
        return dept.head_title
    if node.height >= 2:
        return f"Director, {node.team}"
    if node.height == 1:
        return dept.manager_title if level <= 5 else f"Senior {dept.manager_title}"
    return IC_TITLE_BY_LEVEL[level].format(node.team_spec.role)


def _employee_id(index: int) -> str:
    return f"E{index + 1:06d}"


@functools.cache  # a few hundred distinct names, 200,000 calls for a large organisation
def _email_part(name: str) -> str:
    """ASCII letters and digits only: "Siobhán" -> "siobhan", "O'Brien" -> "obrien"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_name.lower() if ch.isalnum())


def _with_do_not_match(person: PersonRecord, other_id: str) -> PersonRecord:
    return replace(person, do_not_match=(*person.do_not_match, other_id))
