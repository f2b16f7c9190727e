"""`match scores` and `match export` serve any stored run, also after publishing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from peermentor.demo_org import demo_people_csv
from tests.cli.test_cli import cli, run  # noqa: F401  (the fixture)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _published(cli: CliRunner, tmp_path: Path, name: str, people: int = 16) -> dict:  # type: ignore[type-arg]  # noqa: F811
    (tmp_path / f"{name}.csv").write_text(demo_people_csv(people, seed=4))
    run(cli, "people", "import", f"{name}.csv", "--program", name)
    out, _ = run(cli, "match", "run", "--program", name, "--publish", "--json")
    summary: dict = json.loads(out)  # type: ignore[type-arg]
    assert summary["published"]
    return summary


def test_scores_after_publish_add_up_to_the_runs_total(cli: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    summary = _published(cli, tmp_path, "P")
    latest, _ = run(cli, "match", "scores", "--program", "P")
    by_id, _ = run(cli, "match", "scores", "--program", "P", "--run", str(summary["run_id"]))
    assert latest == by_id
    rows = _rows(latest)
    assert rows, "a published run's scores are not empty"
    if summary["triads"] == 0:
        graph = nx.Graph()
        graph.add_weighted_edges_from(
            (r["employee_id_a"], r["employee_id_b"], float(r["score"])) for r in rows
        )
        best = nx.max_weight_matching(graph, maxcardinality=True)
        optimum = sum(graph[a][b]["weight"] for a, b in best)
        assert optimum == pytest.approx(summary["total_score"], abs=1e-6)
    exported, _ = run(cli, "match", "export", "--program", "P", "--run", str(summary["run_id"]))
    matched = [r for r in _rows(exported) if r["partner_ids"]]
    assert len(matched) == summary["matched_people"]


def test_an_unknown_or_foreign_run_exits_2_and_writes_nothing(
    cli: CliRunner,  # noqa: F811
    tmp_path: Path,
) -> None:
    spring = _published(cli, tmp_path, "Spring", people=8)
    (tmp_path / "autumn.csv").write_text(demo_people_csv(8, seed=5))
    run(cli, "people", "import", "autumn.csv", "--program", "Autumn")
    _, err = run(cli, "match", "scores", "--program", "Autumn", code=2)
    assert "no match run yet" in err
    for command in ("scores", "export"):
        for run_id in (str(spring["run_id"]), "999", "0", "99999999999"):
            _, err = run(
                cli, "match", command, "--program", "Autumn", "--run", run_id, "--out", "x.csv",
                code=2,
            )  # fmt: skip
            assert f"'Autumn' has no match run {run_id}" in err
            assert "Traceback" not in err
            assert not (tmp_path / "x.csv").exists()
    _, err = run(cli, "match", "scores", "--program", "Autumn", "--run", "two", code=2)
    assert "Usage:" in err and "Traceback" not in err
