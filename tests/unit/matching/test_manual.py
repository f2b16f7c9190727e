"""Hand-made groups keep the hard rules and get the engine's own scores."""

from __future__ import annotations

import dataclasses

import pytest

from peermentor.demo_org import generate_organisation
from peermentor.matching.audit import allowed_pair_scores
from peermentor.matching.manual import evaluate_groups
from peermentor.matching.settings import MatchSettings


def test_a_hand_made_pair_scores_what_the_engine_scores() -> None:
    people = generate_organisation(30, seed=3)
    settings = MatchSettings()
    scores = {frozenset((a, b)): s for a, b, s in allowed_pair_scores(people, settings)}
    pair = next(iter(scores))
    [pairing] = evaluate_groups(people, settings, [tuple(sorted(pair))])
    assert pairing.score == pytest.approx(scores[pair], rel=1e-12)
    assert set(pairing.explanations) == set(pair)
    assert all(pairing.explanations.values())


def test_manager_and_report_cannot_be_paired_by_hand() -> None:
    people = generate_organisation(30, seed=3)
    report = next(p for p in people if p.manager_id)
    with pytest.raises(ValueError, match="hard rule"):
        evaluate_groups(people, MatchSettings(), [(report.employee_id, report.manager_id)])


def test_opted_out_person_cannot_be_paired_by_hand() -> None:
    people = generate_organisation(30, seed=3)
    people[5] = dataclasses.replace(people[5], opt_out=True)
    other = people[20].employee_id
    with pytest.raises(ValueError, match="opted out"):
        evaluate_groups(people, MatchSettings(), [(people[5].employee_id, other)])


def test_someone_outside_the_pool_is_named() -> None:
    people = generate_organisation(10, seed=3)
    with pytest.raises(ValueError, match="E999999 is not in"):
        evaluate_groups(people, MatchSettings(), [(people[3].employee_id, "E999999")])
