"""`peermentor audit list` and `peermentor audit purge` as an operator runs them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peermentor.cli import app
from peermentor.cli.audit import purge_at_start
from peermentor.config import load_settings
from peermentor.runtime import open_store
from peermentor.services import audit
from peermentor.services.access import SYSTEM

PEOPLE = (
    "employee_id,name,email,manager_id,years_experience\n"
    "E1,Ana Silva,ana@example.com,,8\n"
    "E2,Kim Park,kim@example.com,E1,6\n"
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PEERMENTOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY_FILE", str(tmp_path / "secret"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text(PEOPLE)
    return CliRunner()


def run(cli: CliRunner, *args: str, code: int = 0) -> tuple[str, str]:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout, result.stderr


def test_an_import_is_listed_with_its_counts_and_the_command_line_as_actor(
    cli: CliRunner,
) -> None:
    run(cli, "people", "import", "people.csv", "--program", "Spring")
    run(cli, "people", "export", "--program", "Spring", "--out", "out.csv")
    out, _ = run(cli, "audit", "list", "--json")
    entries = json.loads(out)
    assert [e["action"] for e in entries] == ["people.exported", "people.imported"]
    imported = entries[1]
    assert set(imported) == {"at", "actor", "action", "target", "program", "details"}
    assert imported["actor"] == "command line" and imported["program"] == "Spring"
    assert imported["details"]["created"] == 2 and imported["target"] is None
    assert datetime.fromisoformat(imported["at"]).tzinfo is not None

    out, _ = run(cli, "audit", "list", "--action", "people.imported", "--limit", "5")
    assert "people.imported" in out and "created 2" in out and "1 of 1 entries" in out
    out, _ = run(cli, "audit", "list", "--json", "--actor", "ana@example.com")
    assert json.loads(out) == []
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    out, _ = run(cli, "audit", "list", "--json", "--since", tomorrow)
    assert json.loads(out) == []
    out, _ = run(cli, "audit", "list", "--json", "--limit", "1")
    assert len(json.loads(out)) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"], "--since: 'last tuesday' is not a date"),
        (["--since", "2026-13-01"], "is not a date"),
        (["--action", "people.deleted"], "action: 'people.deleted' is not one of"),
    ],
)
def test_bad_filters_exit_2_with_a_message(cli: CliRunner, args: list[str], message: str) -> None:
    _, err = run(cli, "audit", "list", *args, code=2)
    assert message in " ".join(err.split())


def test_purge_removes_entries_past_the_retention_setting(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEERMENTOR_AUDIT_RETENTION_DAYS", "30")
    store = open_store(load_settings())
    now = datetime.now(UTC)
    with store.sessions() as session:
        audit.record(session, SYSTEM, "match.run", now=now - timedelta(days=31))
        audit.record(session, SYSTEM, "match.run", now=now - timedelta(days=29))
        session.commit()
    store.close()
    out, _ = run(cli, "audit", "purge")
    assert "removed 1 audit entries older than 30 days" in out
    out, _ = run(cli, "audit", "list", "--json")
    assert [e["action"] for e in json.loads(out)] == ["audit.purged", "match.run"]


def test_a_bad_retention_setting_stops_with_the_variable_named(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEERMENTOR_AUDIT_RETENTION_DAYS", "0")
    _, err = run(cli, "audit", "purge", code=2)
    assert "PEERMENTOR_AUDIT_RETENTION_DAYS" in err


def test_serve_purges_once_as_it_starts(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERMENTOR_AUDIT_RETENTION_DAYS", "30")
    settings = load_settings()
    store = open_store(settings)
    with store.sessions() as session:
        audit.record(session, SYSTEM, "match.run", now=datetime.now(UTC) - timedelta(days=40))
        session.commit()
    purge_at_start(store, settings)
    with store.sessions() as session:
        found, _ = audit.list_entries(session, SYSTEM, audit.AuditFilters())
    store.close()
    assert [(e.action, e.details) for e in found] == [
        ("audit.purged", {"removed": 1, "retention_days": 30})
    ]
