"""Settings refuse bad values at start-up with a message naming the variable."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from peermentor.config import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DATABASE_URL", "SECRET_KEY", "SMTP_PORT", "INSECURE_COOKIES", "TRUSTED_PROXIES"):
        monkeypatch.delenv(f"PEERMENTOR_{name}", raising=False)
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY_FILE", str(tmp_path / "secret"))


def test_nothing_is_required_to_start() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///./peermentor.db"
    assert settings.insecure_cookies is False


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings().resolved_secret_key()
    assert len(first) >= 32
    assert load_settings().resolved_secret_key() == first
    assert (tmp_path / "secret").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("DATABASE_URL", "mysql://root@localhost/db", "sqlite"),
        ("SECRET_KEY", "changeme", "placeholder"),
        ("SECRET_KEY", "short-but-random", "at least 32"),
        ("SMTP_PORT", "70000", "less than or equal"),
        ("SMTP_PORT", "twenty-five", "integer"),
        ("INSECURE_COOKIES", "perhaps", "boolean"),
        ("TRUSTED_PROXIES", "10.0.0.1, proxy.internal", "not an IP address or network"),
        ("TRUSTED_PROXIES", "10.0.0.0/33", "not an IP address or network"),
    ],
)
def test_bad_values_are_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(f"PEERMENTOR_{variable}", value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert f"PEERMENTOR_{variable}" in str(refused.value)
    assert words in str(refused.value)
    assert value not in str(refused.value) or variable != "SECRET_KEY"


def test_postgres_url_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERMENTOR_DATABASE_URL", "postgresql://app@db.internal/peermentor")
    assert load_settings().database_url.startswith("postgresql://")


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """Files made with the usual umask are world-readable unless made private."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_secret_key_is_private_from_its_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, usual_umask: None
) -> None:
    # The process may stop at any moment (here: right after the key reaches the disk,
    # should the code still make the file private afterwards); the key is never readable
    # by others on the way.
    def stopped(self: Path, mode: int, **_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "chmod", stopped)
    with contextlib.suppress(KeyboardInterrupt):
        load_settings().resolved_secret_key()
    secret = tmp_path / "secret"
    assert len(secret.read_text().strip()) >= 32
    assert secret.stat().st_mode & 0o777 == 0o600


def test_a_key_too_short_to_use_is_replaced_by_a_private_one(
    tmp_path: Path, usual_umask: None
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("short\n")
    secret.chmod(0o644)
    key = load_settings().resolved_secret_key()
    assert secret.read_text().strip() == key and len(key) >= 32
    assert secret.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]  # no temporary file left


def test_no_proxy_is_trusted_unless_named(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().trusted_proxy_list() == []
    monkeypatch.setenv("PEERMENTOR_TRUSTED_PROXIES", " 10.0.0.5, 192.168.0.0/16 ")
    assert load_settings().trusted_proxy_list() == ["10.0.0.5", "192.168.0.0/16"]
