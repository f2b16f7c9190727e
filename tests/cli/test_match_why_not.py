"""`match why-not`: the rule that keeps two people apart, or what pairing them costs."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.cli.test_cli import cli, run  # noqa: F401  (the fixture)

# Ana manages Kim, so they may never be paired; Lee and Max must each take one of them.
TEAM = (
    "employee_id,name,email,manager_id,years_experience\n"
    "E1,Ana Silva,ana@example.com,,12\n"
    "E2,Kim Park,kim@example.com,E1,3\n"
    "E3,Lee Chen,lee@example.com,,7\n"
    "E4,Max Roy,max@example.com,,6\n"
)


def _matched(cli: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "team.csv").write_text(TEAM)
    run(cli, "people", "import", "team.csv", "--program", "Team")
    run(cli, "match", "run", "--program", "Team", "--json")


def test_why_not_names_the_rule_that_keeps_two_apart(cli: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    _matched(cli, tmp_path)
    out, _ = run(cli, "match", "why-not", "--program", "Team", "E1", "E2")
    assert out.startswith("Not allowed:") and "reporting line" in out


def test_why_not_gives_the_cost_against_current_partners(cli: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    _matched(cli, tmp_path)
    out, _ = run(cli, "match", "why-not", "--program", "Team", "E3", "E4")
    text = " ".join(out.split())
    assert "Together E3 and E4 would score" in text
    assert "E3 now scores" in text and "E4 now scores" in text
    # Their partners, Ana and Kim, could not take each other.
    assert "may not be paired" in text


def test_why_not_with_unknown_people_or_programme_exits_2(cli: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    _matched(cli, tmp_path)
    _, err = run(cli, "match", "why-not", "--program", "Team", "E1", "E9", code=2)
    assert "'E9' is not enrolled in 'Team'" in " ".join(err.split())
    _, err = run(cli, "match", "why-not", "--program", "Nope", "E1", "E2", code=2)
    assert "no programme named 'Nope'" in err
    _, err = run(cli, "match", "why-not", "--program", "Team", "E1", "E1", code=2)
    assert "two different people" in err
