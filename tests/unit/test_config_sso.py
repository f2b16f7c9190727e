"""Company sign-in settings: off unless an issuer is set, and then complete or refused
at start-up with a message that names the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from peermentor.config import SettingsError, load_settings

ISSUER = "https://login.example.com/"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "OIDC_ISSUER",
        "OIDC_CLIENT_ID",
        "OIDC_CLIENT_SECRET",
        "OIDC_CLIENT_SECRET_FILE",
        "OIDC_ALLOWED_DOMAINS",
        "OIDC_EMPLOYEE_ID_CLAIM",
        "PASSWORD_SIGN_IN",
    ):
        monkeypatch.delenv(f"PEERMENTOR_{name}", raising=False)
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY_FILE", str(tmp_path / "secret"))


def _refused(monkeypatch: pytest.MonkeyPatch, **values: str) -> str:
    for name, value in values.items():
        monkeypatch.setenv(f"PEERMENTOR_{name.upper()}", value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    return str(refused.value)


def test_company_sign_in_is_off_by_default() -> None:
    settings = load_settings()
    assert not settings.sso_enabled()
    assert settings.password_sign_in == "everyone"


def test_a_complete_setting_turns_it_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "oidc-secret"
    secret.write_text("s3cret-from-a-file\n")
    monkeypatch.setenv("PEERMENTOR_OIDC_ISSUER", ISSUER)
    monkeypatch.setenv("PEERMENTOR_OIDC_CLIENT_ID", "peermentor")
    monkeypatch.setenv("PEERMENTOR_OIDC_CLIENT_SECRET_FILE", str(secret))
    monkeypatch.setenv("PEERMENTOR_OIDC_ALLOWED_DOMAINS", " Example.com, @corp.example.com ")
    settings = load_settings()
    assert settings.sso_enabled()
    assert settings.oidc_issuer == "https://login.example.com"  # trailing slash dropped
    assert settings.oidc_secret() == "s3cret-from-a-file"
    assert settings.allowed_domain_list() == ["example.com", "corp.example.com"]


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"oidc_issuer": "http://login.example.com"}, "must be an https:// URL"),
        ({"oidc_issuer": "https://login.example.com/?tenant=1"}, "issuer's base URL"),
        ({"oidc_issuer": ISSUER}, "PEERMENTOR_OIDC_CLIENT_ID is required"),
        ({"oidc_issuer": ISSUER, "oidc_client_id": "pm"}, "exactly one of"),
        (
            {
                "oidc_issuer": ISSUER,
                "oidc_client_id": "pm",
                "oidc_client_secret": "a",
                "oidc_client_secret_file": "/etc/hosts",
            },
            "exactly one of",
        ),
        (
            {
                "oidc_issuer": ISSUER,
                "oidc_client_id": "pm",
                "oidc_client_secret_file": "/nonexistent/secret",
            },
            "cannot be read or is empty",
        ),
        ({"oidc_allowed_domains": "example.com, not a domain"}, "is not an email domain"),
        ({"password_sign_in": "admins"}, "needs company sign-in"),
        ({"password_sign_in": "nobody"}, "PEERMENTOR_PASSWORD_SIGN_IN"),
    ],
)
def test_incomplete_or_bad_settings_are_refused(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, str], words: str
) -> None:
    message = _refused(monkeypatch, **values)
    assert words in message
    assert "PEERMENTOR_" in message


def test_plain_http_is_allowed_on_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERMENTOR_OIDC_ISSUER", "http://127.0.0.1:9000")
    monkeypatch.setenv("PEERMENTOR_OIDC_CLIENT_ID", "pm")
    monkeypatch.setenv("PEERMENTOR_OIDC_CLIENT_SECRET", "x")
    assert load_settings().oidc_issuer == "http://127.0.0.1:9000"
