"""The session lifetime settings: documented defaults, bad values refused at start
naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from peermentor.config import SettingsError, load_settings

VARIABLES = ("SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(f"PEERMENTOR_{name}", raising=False)
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY_FILE", str(tmp_path / "secret"))


def test_sessions_last_thirty_idle_minutes_and_twelve_hours_by_default() -> None:
    settings = load_settings()
    assert (settings.session_idle_minutes, settings.session_max_hours) == (30, 12)


def test_the_limits_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERMENTOR_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("PEERMENTOR_SESSION_MAX_HOURS", "8")
    settings = load_settings()
    assert (settings.session_idle_minutes, settings.session_max_hours) == (15, 8)


@pytest.mark.parametrize("variable", VARIABLES)
@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("0", "greater than or equal to 1"),
        ("-5", "greater than or equal to 1"),
        ("half an hour", "integer"),
        ("99999999", "less than or equal"),
    ],
)
def test_bad_values_are_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(f"PEERMENTOR_{variable}", value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert f"PEERMENTOR_{variable}" in str(refused.value) and words in str(refused.value)
