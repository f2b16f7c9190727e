"""`peermentor users invite` and `peermentor mail list` as an operator runs them, with no
SMTP host: the mails land in the mail folder, the outbox lists them, people who can sign
in are not invited again, and no link is left in the database."""

from __future__ import annotations

import email
import email.policy
import json
import mailbox
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from peermentor.services.auth import accept_invitation
from peermentor.store.db import make_engine, make_session_factory
from peermentor.store.mail_models import OutboxMessage
from tests.cli.test_cli import GOOD, run

BASE = "https://mentoring.example.org"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PEERMENTOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY_FILE", str(tmp_path / "secret"))
    monkeypatch.setenv("PEERMENTOR_BASE_URL", BASE)
    monkeypatch.setenv("PEERMENTOR_MAIL_DIR", str(tmp_path / "mail"))
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def links_in(folder: Path) -> dict[str, str]:
    found = {}
    for mail in mailbox.Maildir(folder, create=False):
        parsed = email.message_from_bytes(mail.as_bytes(), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        body = parsed.get_body(("plain",))
        assert body is not None
        [link] = re.findall(r"https://\S+/invite/[\w-]+", str(body.get_content()))
        found[str(parsed["To"])] = link
    return found


def test_invite_mails_each_person_once_and_mail_list_shows_the_outbox(
    cli: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "people.csv").write_text(GOOD)
    run(cli, "people", "import", "people.csv", "--program", "Spring")
    out, _ = run(cli, "users", "invite", "--program", "Spring")
    assert "2 invitation(s) queued, 2 mail(s) delivered" in out
    assert str((tmp_path / "mail").resolve()) in out.replace("\n", "")
    links = links_in(tmp_path / "mail")
    assert sorted(links) == ["Ana Silva <ana@example.com>", "Kim Park <kim@example.com>"]
    assert all(link.startswith(f"{BASE}/invite/") for link in links.values())

    listing, _ = run(cli, "mail", "list")
    assert "mail folder" in listing and listing.count("invitation") == 2
    rows = json.loads(run(cli, "mail", "list", "--json", "--limit", "1")[0])
    assert len(rows) == 1 and rows[0]["kind"] == "invitation" and rows[0]["state"] == "sent"
    assert set(rows[0]) >= {"id", "kind", "to", "subject", "state", "attempts", "error"}

    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with make_session_factory(engine)() as session:
        token = links["Ana Silva <ana@example.com>"].rsplit("/", 1)[1]
        accept_invitation(session, token, "a-long-and-unusual-passphrase", datetime.now(UTC))
        bodies = [m.text_body + m.html_body for m in session.scalars(select(OutboxMessage))]
    engine.dispose()
    assert not any(link in body for body in bodies for link in links.values())

    again, _ = run(cli, "users", "invite", "--program", "Spring")
    assert "1 invitation(s) queued" in again and "1 can already sign in" in again


def test_invite_names_an_unknown_programme(cli: CliRunner) -> None:
    _, err = run(cli, "users", "invite", "--program", "Nowhere", code=2)
    assert "Nowhere" in err


def test_a_mail_folder_that_is_a_file_is_refused_at_start(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv("PEERMENTOR_MAIL_DIR", str(tmp_path / "not-a-folder"))
    _, err = run(cli, "mail", "list", code=2)
    assert "PEERMENTOR_MAIL_DIR" in err and "not a directory" in err
