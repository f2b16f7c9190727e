"""`peermentor people export-data` and `people erase` as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from peermentor.cli import app
from tests.cli.test_cli import GOOD, run
from tests.cli.test_cli import cli as cli  # a fixture: the tests take it by name


def _imported(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(GOOD)
    run(cli, "people", "import", "people.csv", "--program", "Spring")


def test_export_data_prints_one_json_document(cli: CliRunner, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    out, _ = run(cli, "people", "export-data", "E2")
    doc = json.loads(out)
    assert doc["person"]["name"] == "Kim Park" and doc["person"]["manager_id"] == "E1"
    assert [e["program"] for e in doc["enrolments"]] == ["Spring"]
    assert doc["account"] is None and doc["pairings"] == []


def test_export_data_writes_the_file_asked_for(cli: CliRunner, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    _, err = run(cli, "people", "export-data", "E1", "--out", "ana.json")
    assert "ana.json" in err
    assert json.loads((tmp_path / "ana.json").read_text())["person"]["email"] == "ana@example.com"


def test_an_unknown_employee_id_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    _, err = run(cli, "people", "export-data", "E9", code=2)
    assert "no person with employee id 'E9'" in err
    _, err = run(cli, "people", "erase", "E9", "--yes", code=2)
    assert "no person with employee id 'E9'" in err


def test_erase_asks_first_and_a_no_erases_nothing(cli: CliRunner, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    result = cli.invoke(app, ["people", "erase", "E2"], input="n\n")
    assert result.exit_code == 1 and "Kim Park" in result.stdout
    assert "nothing erased" in result.stderr
    run(cli, "people", "export-data", "E2")  # still there


def test_erase_after_a_yes_removes_the_person(cli: CliRunner, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    result = cli.invoke(app, ["people", "erase", "E2"], input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "erased E2" in result.stdout
    run(cli, "people", "export-data", "E2", code=2)
    out, _ = run(cli, "people", "list", "--program", "Spring")
    assert "Kim Park" not in out and "Ana Silva" in out


def test_erase_with_yes_does_not_ask(cli: CliRunner, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    out, _ = run(cli, "people", "erase", "E1", "--yes")
    assert "erased E1" in out
    # Kim's reporting line named Ana: it is gone with her.
    out, _ = run(cli, "people", "export-data", "E2")
    assert json.loads(out)["person"]["manager_id"] is None
