"""Every CSV the CLI writes is formula-safe: people export, match export, match scores."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from peermentor.csv_safety import FORMULA_STARTS, unescape_cell
from peermentor.people_csv import serialize_people_csv
from tests.cli.test_cli import cli, run  # noqa: F401  (the fixture)
from tests.store.test_csv_exports import formula_people


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_cli_exports_never_start_a_formula_and_scores_stay_numbers(
    cli: CliRunner,  # noqa: F811
    tmp_path: Path,
) -> None:
    people = formula_people(10)
    (tmp_path / "people.csv").write_text(serialize_people_csv(people), newline="")
    run(cli, "people", "import", "people.csv", "--program", "Cohort")
    run(cli, "match", "run", "--program", "Cohort", "--json")
    exported, _ = run(cli, "people", "export", "--program", "Cohort")
    matched, _ = run(cli, "match", "export", "--program", "Cohort")
    scores, _ = run(cli, "match", "scores", "--program", "Cohort")
    ids = {p.employee_id for p in people}
    for text in (exported, matched):
        for row in rows_of(text)[1:]:
            assert unescape_cell(row[0]) in ids
            assert all(cell[:1] not in FORMULA_STARTS for cell in row if cell), row
    score_rows = rows_of(scores)[1:]
    assert score_rows
    for a, b, score in score_rows:
        assert {unescape_cell(a), unescape_cell(b)} <= ids
        assert a[:1] not in FORMULA_STARTS and b[:1] not in FORMULA_STARTS
        float(score)  # a plain number, never given an apostrophe
    (tmp_path / "again.csv").write_text(exported, newline="")
    out, _ = run(cli, "people", "import", "again.csv", "--program", "Cohort")
    assert "0 new, 0 updated, 10 unchanged" in out
