"""Properties of run_matching on random small cohorts."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peermentor.matching.audit import allowed_pair_scores
from peermentor.matching.engine import NO_TRIAD, WAITLISTED, run_matching
from peermentor.matching.rules import RuleContext, pair_rule
from peermentor.matching.settings import MatchSettings

from .cohorts import Case, people_case

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

rule_settings = st.builds(
    MatchSettings,
    forbid_same_team=st.booleans(),
    forbid_same_department=st.booleans().map(lambda b: b and False),
    max_level_gap=st.one_of(st.none(), st.integers(1, 4)),
    allow_past_partners=st.booleans(),
    odd_mode=st.sampled_from(("triad", "waitlist")),
)


def allowed_graph(case: Case, s: MatchSettings) -> nx.Graph:
    """Allowed pairs judged by the readable rules, weighted by the engine's scores."""
    ctx = RuleContext.build(case.people, s, case.past)
    g = nx.Graph()
    eligible = [p.employee_id for p in case.people if not p.opt_out]
    g.add_nodes_from(eligible)
    scores = {frozenset((a, b)): w for a, b, w in allowed_pair_scores(case.people, s, case.past)}
    for a, b in itertools.combinations(eligible, 2):
        if pair_rule(a, b, ctx) is None:
            g.add_edge(a, b, weight=scores[frozenset((a, b))])
    return g


@PROPERTY
@given(case=people_case(), s=rule_settings)
def test_no_hard_rule_is_ever_broken(case: Case, s: MatchSettings) -> None:
    result = run_matching(case.people, s, past_partners=case.past)
    ctx = RuleContext.build(case.people, s, case.past)
    seen: list[str] = []
    for pairing in result.pairings:
        for a, b in itertools.combinations(pairing.members, 2):
            assert pair_rule(a, b, ctx) is None
        seen += pairing.members
    seen += [pid for pid, _ in result.unmatched]
    assert sorted(seen) == sorted(p.employee_id for p in case.people)
    opted = {p.employee_id for p in case.people if p.opt_out}
    assert {pid for pid, why in result.unmatched if why == "opted out"} == opted


@PROPERTY
@given(case=people_case(), s=rule_settings)
def test_allowed_pairs_are_exactly_those_the_rules_allow(case: Case, s: MatchSettings) -> None:
    ctx = RuleContext.build(case.people, s, case.past)
    listed = {frozenset((a, b)) for a, b, _ in allowed_pair_scores(case.people, s, case.past)}
    ids = [p.employee_id for p in case.people]
    expected = {
        frozenset((a, b)) for a, b in itertools.combinations(ids, 2) if pair_rule(a, b, ctx) is None
    }
    assert listed == expected


@PROPERTY
@given(case=people_case(), s=rule_settings)
def test_total_is_the_exact_optimum(case: Case, s: MatchSettings) -> None:
    s = s.with_changes(odd_mode="waitlist")
    g = allowed_graph(case, s)
    best = nx.max_weight_matching(g, maxcardinality=True)
    optimum = sum(g[a][b]["weight"] for a, b in best)
    result = run_matching(case.people, s, past_partners=case.past)
    assert result.total_score == pytest.approx(optimum, abs=1e-6)
    assert sum(len(p.members) == 2 for p in result.pairings) == len(best)
    assert result.upper_bound >= result.total_score - 1e-9
    assert result.exact


@PROPERTY
@given(case=people_case(), s=rule_settings)
def test_everyone_eligible_is_matched_when_a_perfect_matching_exists(
    case: Case, s: MatchSettings
) -> None:
    g = allowed_graph(case, s)
    perfect = len(nx.max_weight_matching(g, maxcardinality=True)) * 2 == g.number_of_nodes()
    result = run_matching(case.people, s.with_changes(odd_mode="waitlist"), past_partners=case.past)
    if perfect:
        assert all(why == "opted out" for _, why in result.unmatched)


@PROPERTY
@given(case=people_case(min_size=3), s=rule_settings)
def test_odd_leftover_joins_a_triad_or_says_why(case: Case, s: MatchSettings) -> None:
    triad = run_matching(case.people, s.with_changes(odd_mode="triad"), past_partners=case.past)
    wait = run_matching(case.people, s.with_changes(odd_mode="waitlist"), past_partners=case.past)
    waitlisted = [pid for pid, why in wait.unmatched if why == WAITLISTED]
    assert len(waitlisted) <= 1
    triads = sum(len(p.members) == 3 for p in triad.pairings)
    if waitlisted:
        # The leftover joins a pairing, unless the rules allow no group of three.
        assert triads == 1 or any(why == NO_TRIAD for _, why in triad.unmatched)
        assert not any(why == WAITLISTED for _, why in triad.unmatched)
        assert triad.total_score >= wait.total_score - 1e-9
    assert triad.upper_bound >= triad.total_score - 1e-9


@PROPERTY
@given(case=people_case(min_size=4), data=st.data())
def test_pinned_pairs_are_kept_and_the_rest_matched_around_them(
    case: Case, data: st.DataObject
) -> None:
    s = MatchSettings()
    g = allowed_graph(case, s)
    if g.number_of_edges() == 0:
        return
    pin = data.draw(st.sampled_from(sorted(tuple(sorted(e)) for e in g.edges)))
    result = run_matching(case.people, s, pinned=[pin], past_partners=case.past)
    pinned = [p for p in result.pairings if p.pinned]
    assert [p.members for p in pinned] == [pin]
    others = [m for p in result.pairings if not p.pinned for m in p.members]
    assert not set(pin) & set(others)


def test_a_pin_that_breaks_a_hard_rule_is_refused() -> None:
    from peermentor.domain.people import PersonRecord

    boss = PersonRecord("B", "Bo Boss", "b@x.org", 10)
    report = PersonRecord("R", "Ria Report", "r@x.org", 3, manager_id="B")
    with pytest.raises(ValueError, match="reporting line"):
        run_matching([boss, report], pinned=[("B", "R")])
