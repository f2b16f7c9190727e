"""The admin's line for a pairing: strong and weak criteria in plain words."""

from __future__ import annotations

from peermentor.matching.admin_words import CRITERION_WORDS, admin_summary
from peermentor.matching.settings import CRITERIA


def test_every_criterion_has_words() -> None:
    assert set(CRITERION_WORDS) == set(CRITERIA)


def test_strongest_first_then_weakest_first() -> None:
    line = admin_summary(
        {
            "experience": 0.93,
            "practicalities": 1.0,
            "two_way_value": 0.0,
            "career_goals": 0.2,
            "work_context": 0.5,
        }
    )
    assert line == (
        "Strong on overlapping hours, time zone and language (1.00), similar experience "
        "(0.93); weak on skills each can offer the other (0.00), similar career goals (0.20)."
    )


def test_only_weak_or_neither() -> None:
    assert admin_summary({"experience": 0.1}) == "Weak on similar experience (0.10)."
    assert admin_summary({"experience": 0.45}).startswith("Middling on every criterion")
    assert admin_summary({}) == ""
