"""`peermentor circles` as an operator runs it: the JSON shapes of design.md, exit 2 on
bad input, and no note text anywhere."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from peermentor.demo_org import demo_people_csv
from tests.cli.test_cli import cli, run  # noqa: F401  (fixture)


def test_create_list_round_and_status_print_the_documented_shapes(
    cli: CliRunner,  # noqa: F811
    tmp_path: Path,
) -> None:
    (tmp_path / "people.csv").write_text(demo_people_csv(60, seed=5))
    run(cli, "people", "import", "people.csv", "--program", "Teams")
    out, _ = run(cli, "circles", "create-from-teams", "--program", "Teams", "--min-size", "3")
    assert "created" in out
    listed = json.loads(run(cli, "circles", "list", "--program", "Teams", "--json")[0])
    assert listed and all(set(c) == {"circle", "name", "lead", "members"} for c in listed)
    first = listed[0]
    assert isinstance(first["circle"], int) and len(first["members"]) >= 3
    assert first["lead"] is None or first["lead"] not in first["members"]
    circle = str(first["circle"])
    status = json.loads(run(cli, "circles", "status", "--circle", circle, "--json")[0])
    assert status == {
        "circle": first["circle"],
        "lead": first["lead"],
        "members": first["members"],
        "round": None,
        "assignments": [],
    }
    out, _ = run(cli, "circles", "round", "--circle", circle)
    assert "round 1 started" in out
    status = json.loads(run(cli, "circles", "status", "--circle", circle, "--json")[0])
    assert set(status) == {"circle", "lead", "members", "round", "assignments"}
    assert status["round"] == 1
    givers = sorted(a["giver"] for a in status["assignments"])
    receivers = sorted(a["receiver"] for a in status["assignments"])
    assert givers == receivers == sorted(first["members"])
    assert all(set(a) == {"giver", "receiver"} for a in status["assignments"])
    # Again: a repeat creates nothing new.
    out, _ = run(cli, "circles", "create-from-teams", "--program", "Teams")
    assert "created 0 circle(s)" in out


def test_bad_input_exits_2_with_a_message(cli: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "people.csv").write_text(demo_people_csv(20, seed=5))
    run(cli, "people", "import", "people.csv", "--program", "Teams")
    _, err = run(
        cli, "circles", "create-from-teams", "--program", "Teams", "--lead", "boss", code=2
    )
    assert "--lead" in err
    _, err = run(cli, "circles", "create-from-teams", "--program", "Nope", code=2)
    assert "Nope" in err
    _, err = run(cli, "circles", "list", "--program", "Nope", code=2)
    assert "Nope" in err
    _, err = run(cli, "circles", "status", "--circle", "999", code=2)
    assert "999" in err
    _, err = run(cli, "circles", "round", "--circle", "0", code=2)
    assert "circle" in err
    _, err = run(
        cli, "circles", "create-from-teams", "--program", "Teams", "--min-size", "1", code=2
    )
    assert "--min-size" in err
