"""PEERMENTOR_MAIL_DIR: a documented default, refused at start when it cannot be a mail
folder, empty for no mail at all; an SMTP host wins over the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from peermentor.config import DEFAULT_MAIL_DIR, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("MAIL_DIR", "SMTP_HOST"):
        monkeypatch.delenv(f"PEERMENTOR_{name}", raising=False)
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY_FILE", str(tmp_path / "secret"))
    monkeypatch.chdir(tmp_path)


def test_by_default_mail_goes_to_a_folder_in_the_working_directory() -> None:
    settings = load_settings()
    assert settings.mail_dir == DEFAULT_MAIL_DIR == "./peermentor-mail"
    assert settings.mail_enabled() and settings.mail_folder() == Path("peermentor-mail")
    assert not Path("peermentor-mail").exists()  # created by the first mail, not at start


def test_a_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("PEERMENTOR_MAIL_DIR", str(tmp_path / "a-file"))
    with pytest.raises(SettingsError, match=r"PEERMENTOR_MAIL_DIR .* is not a directory"):
        load_settings()


def test_empty_means_no_mail_and_an_smtp_host_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERMENTOR_MAIL_DIR", "")
    assert not load_settings().mail_enabled()
    monkeypatch.setenv("PEERMENTOR_SMTP_HOST", "mail.example.org")
    settings = load_settings()
    assert settings.mail_enabled() and settings.mail_folder() is None
