from __future__ import annotations

import json

import pytest

from peermentor.matching.settings import CRITERIA, DEFAULT_WEIGHTS, MatchSettings


def test_defaults_weigh_every_criterion_and_two_way_value_most() -> None:
    s = MatchSettings()
    assert set(s.weights) == set(CRITERIA)
    assert max(DEFAULT_WEIGHTS, key=DEFAULT_WEIGHTS.__getitem__) == "two_way_value"


def test_settings_round_trip_through_json() -> None:
    s = MatchSettings(
        forbid_same_team=True,
        max_level_gap=2,
        odd_mode="waitlist",
        weights={**DEFAULT_WEIGHTS, "experience": 3.0},
    )
    assert MatchSettings.from_dict(json.loads(json.dumps(s.to_dict()))) == s


def test_partial_weights_fill_in_defaults() -> None:
    s = MatchSettings.from_dict({"weights": {"practicalities": 0}})
    assert s.weights["practicalities"] == 0
    assert s.weights["experience"] == DEFAULT_WEIGHTS["experience"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"weights": {"charisma": 1}}, "charisma"),
        ({"weights": {"experience": -1}}, "weights.experience"),
        ({"odd_mode": "pairs"}, "odd_mode"),
        ({"mode": "fastest"}, "mode"),
        ({"max_level_gap": -1}, "max_level_gap"),
        ({"top_k": 0}, "top_k"),
        ({"reference_time": "tomorrow"}, "reference_time"),
        ({"colour": "blue"}, "colour"),
        ({"weights": dict.fromkeys(CRITERIA, 0)}, "at least one"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(data: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        MatchSettings.from_dict(data)
