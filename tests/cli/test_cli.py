"""The `peermentor` command as a user runs it: exit codes, messages, files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from peermentor.cli import app
from peermentor.demo_org import demo_people_csv

GOOD = (
    "employee_id,name,email,manager_id,years_experience\n"
    "E1,Ana Silva,ana@example.com,,8\n"
    "E2,Kim Park,kim@example.com,E1,6\n"
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PEERMENTOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY_FILE", str(tmp_path / "secret"))
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def run(cli: CliRunner, *args: str, code: int = 0) -> tuple[str, str]:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout, result.stderr


def all_command_paths() -> list[list[str]]:
    paths: list[list[str]] = [[]]

    def walk(command: object, prefix: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(get_command(app), [])
    return paths


def test_every_command_has_help(cli: CliRunner) -> None:
    paths = all_command_paths()
    assert ["people", "import"] in paths and ["users", "create-admin"] in paths
    for path in paths:
        out, _ = run(cli, *path, "--help")
        assert "Usage" in out


def test_import_list_and_export_round_trip(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(GOOD)
    out, _ = run(cli, "people", "import", "people.csv", "--program", "Spring")
    assert "2 new" in out
    out, _ = run(cli, "programs", "list")
    assert "Spring" in out
    out, _ = run(cli, "people", "list", "--program", "Spring")
    assert "Kim Park" in out and "Ana Silva" in out
    run(cli, "people", "export", "--program", "Spring", "--out", "export.csv")
    out, _ = run(cli, "people", "import", "export.csv", "--program", "Spring")
    assert "0 new, 0 updated, 2 unchanged" in out


def test_export_to_stdout_is_the_import_format(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(GOOD)
    run(cli, "people", "import", "people.csv", "--program", "Spring")
    out, _ = run(cli, "people", "export", "--program", "Spring")
    assert out.splitlines()[0].startswith("employee_id,name,email,manager_id,")
    assert len(out.splitlines()) == 3


def test_bad_file_exits_2_naming_row_and_column_and_imports_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "bad.csv").write_text(GOOD + "E3,Lee,lee@example,,-4\n")
    _, err = run(cli, "people", "import", "bad.csv", "--program", "Spring", code=2)
    assert "row 4, column email" in err
    assert "row 4, column years_experience" in err
    assert "nothing was imported" in err
    out, _ = run(cli, "programs", "list")
    assert "Spring" not in out


def test_missing_file_is_a_clear_error(cli: CliRunner) -> None:
    _, err = run(cli, "people", "import", "nope.csv", "--program", "P", code=2)
    assert "cannot read nope.csv" in err


def test_large_import_shows_a_progress_bar(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_text(demo_people_csv(1_500, seed=2))
    out, err = run(cli, "people", "import", "big.csv", "--program", "Big")
    assert "1500 new" in out
    assert "writing" in err and "1500/1500" in err


def test_programs_create_refuses_duplicates_and_bad_dates(cli: CliRunner) -> None:
    out, _ = run(cli, "programs", "create", "Autumn", "--starts", "2026-09-01")
    assert "created programme 'Autumn'" in out
    _, err = run(cli, "programs", "create", "Autumn", code=2)
    assert "already exists" in err
    _, err = run(cli, "programs", "create", "Winter", "--starts", "01/12/2026", code=2)
    assert "--starts" in err and "YYYY-MM-DD" in err
    _, err = run(
        cli,
        "programs",
        "create",
        "Late",
        "--starts",
        "2026-09-01",
        "--ends",
        "2026-01-01",
        code=2,
    )
    assert "ends_on" in err


def test_export_of_unknown_programme_is_a_clear_error(cli: CliRunner) -> None:
    _, err = run(cli, "people", "export", "--program", "Ghost", code=2)
    assert "no programme named 'Ghost'" in err


def test_create_admin_then_reset_password(cli: CliRunner) -> None:
    out, _ = run(cli, "users", "create-admin", "Boss@Example.com", "--password", "s3cure-enough")
    assert "created organisation admin boss@example.com" in out
    out, _ = run(cli, "users", "create-admin", "boss@example.com", "--password", "another-b0ss-key")
    assert "updated" in out
    _, err = run(cli, "users", "create-admin", "x@example.com", "--password", "short", code=2)
    assert "at least 10 characters" in err
    _, err = run(
        cli, "users", "create-admin", "not-an-email", "--password", "long-enough-1", code=2
    )
    assert "email" in err


def test_bad_setting_is_refused_at_start_with_its_name(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEERMENTOR_DATABASE_URL", "mysql://root@localhost/x")
    _, err = run(cli, "programs", "list", code=2)
    assert "PEERMENTOR_DATABASE_URL" in err
    monkeypatch.setenv("PEERMENTOR_DATABASE_URL", "sqlite:///ok.db")
    monkeypatch.setenv("PEERMENTOR_SECRET_KEY", "changeme")
    _, err = run(cli, "programs", "list", code=2)
    assert "PEERMENTOR_SECRET_KEY" in err


def test_db_upgrade_is_safe_to_run_twice(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "db", "upgrade")
    out, _ = run(cli, "db", "upgrade")
    assert "latest schema" in out
    assert (tmp_path / "cli.db").exists()


def test_demo_builds_a_database_and_prints_logins(cli: CliRunner, tmp_path: Path) -> None:
    out, _ = run(cli, "demo", "--people", "40", "--no-serve", "--database", "demo.db")
    assert "admin@example.com" in out and "password" in out
    assert out.count("peer ") >= 2
    assert (tmp_path / "demo.db").exists()


def test_the_demos_role_plays_give_every_member_of_a_triad_a_role(
    cli: CliRunner, tmp_path: Path
) -> None:
    """A role-play whose roles leave out a member of its pairing cannot be shown to
    them: the demo's history must rotate a triad's three roles as the workspace does."""
    import json
    import sqlite3

    run(cli, "demo", "--people", "60", "--no-serve", "--database", "demo.db")
    db = sqlite3.connect(tmp_path / "demo.db")
    members: dict[int, set[int]] = {}
    for pairing, person in db.execute("SELECT pairing_id, person_id FROM pairing_members"):
        members.setdefault(pairing, set()).add(person)
    played = db.execute("SELECT pairing_id, roles FROM roleplays").fetchall()
    assert played, "the demo has no role-plays"
    triads = {p for p, _ in played if len(members[p]) == 3}
    assert triads, "the 60-person demo has no triad with role-plays to check"
    for pairing, roles in played:
        named = json.loads(roles)
        assert {m for m, _ in named} == members[pairing], (pairing, named)
        assert len({r for _, r in named}) == len(named) and "practising" in {r for _, r in named}


def test_match_run_json_export_and_scores(cli: CliRunner, tmp_path: Path) -> None:
    import csv
    import json

    (tmp_path / "people.csv").write_text(demo_people_csv(31, seed=3))
    run(cli, "people", "import", "people.csv", "--program", "P")
    out, _ = run(cli, "match", "run", "--program", "P", "--json")
    summary = json.loads(out)
    for key in (
        "pairings",
        "unmatched",
        "total_score",
        "upper_bound",
        "gap",
        "blocking_pairs",
        "seconds",
    ):
        assert key in summary
    assert summary["upper_bound"] >= summary["total_score"] > 0
    run(cli, "match", "export", "--program", "P", "--out", "match.csv")
    with (tmp_path / "match.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["employee_id", "partner_ids", "pairing_id", "score", "explanation"]
    assert len(rows) == 31
    matched = [r for r in rows if r["partner_ids"]]
    assert len(matched) == summary["matched_people"]
    run(cli, "match", "scores", "--program", "P", "--out", "scores.csv")
    with (tmp_path / "scores.csv").open() as f:
        scores = {
            frozenset((r["employee_id_a"], r["employee_id_b"])): float(r["score"])
            for r in csv.DictReader(f)
        }
    pair_total = (
        sum(
            scores[frozenset([*r["partner_ids"].split(";"), r["employee_id"]])]
            for r in matched
            if ";" not in r["partner_ids"]
        )
        / 2
    )
    assert pair_total <= summary["total_score"] + 1e-6


def test_match_run_prints_quality_and_publishes(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(demo_people_csv(20, seed=3))
    run(cli, "people", "import", "people.csv", "--program", "P")
    out, err = run(cli, "match", "run", "--program", "P", "--publish", "--compare")
    assert "total_score" in out and "upper_bound" in out and "fair" in out
    assert "published" in out
    assert "solve" in err  # the progress bar names the stages


def test_match_on_unknown_programme_is_a_clear_error(cli: CliRunner) -> None:
    _, err = run(cli, "match", "run", "--program", "Nope", code=2)
    assert "no programme named 'Nope'" in err


def test_the_demo_database_is_readable_by_its_owner_only(cli: CliRunner, tmp_path: Path) -> None:
    import os

    (tmp_path / "demo.db").write_text("an old demo")  # rebuilt from scratch, whatever it was
    (tmp_path / "demo.db").chmod(0o644)
    old = os.umask(0o022)  # the usual umask: new files are world-readable unless made private
    try:
        run(cli, "demo", "--people", "20", "--no-serve", "--database", "demo.db")
    finally:
        os.umask(old)
    files = sorted(tmp_path.glob("demo.db*"))
    assert files and files[0].name == "demo.db"
    assert {f.name: oct(f.stat().st_mode & 0o777) for f in files} == {
        f.name: oct(0o600) for f in files
    }
