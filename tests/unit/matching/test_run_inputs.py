"""A run's inputs survive the trip through JSON exactly, so its scores are the same."""

from __future__ import annotations

import json

import pytest

from peermentor.demo_org import generate_organisation
from peermentor.matching.audit import allowed_pair_scores
from peermentor.matching.run_inputs import RunInputs, without_person
from peermentor.matching.settings import MatchSettings


def test_inputs_round_trip_through_json_and_score_the_same() -> None:
    people = generate_organisation(30, seed=11)
    past = [frozenset((people[0].employee_id, people[1].employee_id)), frozenset(("X", "Y"))]
    inputs = RunInputs.of(people, past, [[people[2].employee_id, people[3].employee_id]])
    assert inputs.past_partners == (past[0],)  # pairs outside the pool are not kept
    stored = json.dumps(inputs.to_json())
    assert people[0].email not in stored  # no score uses it, so the run does not keep it
    again = RunInputs.from_json(json.loads(stored))
    assert [p.employee_id for p in again.pool] == [p.employee_id for p in people]
    assert (again.past_partners, again.pinned) == (inputs.past_partners, inputs.pinned)
    settings = MatchSettings()
    assert list(allowed_pair_scores(again.pool, settings, again.past_partners)) == list(
        allowed_pair_scores(people, settings, past)
    )


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        RunInputs.from_json({"format": 99, "pool": [], "past_partners": [], "pinned": []})


def test_without_person_removes_every_mention() -> None:
    people = generate_organisation(10, seed=2)
    gone = people[0].employee_id
    value = RunInputs.of(
        people, [frozenset((gone, people[1].employee_id))], [[gone, people[2].employee_id]]
    ).to_json()
    cleaned = without_person(value, gone)
    assert gone not in json.dumps(cleaned)
    assert len(cleaned["pool"]) == 9
    assert RunInputs.from_json(cleaned).pinned == ((people[2].employee_id,),)
