"""`peermentor match`: run, export, scores, why-not."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from peermentor.cli.common import err, fail, out, store_session
from peermentor.csv_safety import escape_cell
from peermentor.services import matching as matching_service
from peermentor.services.access import SYSTEM
from peermentor.services.programs import program_id_named

app = typer.Typer(
    help="Matching: run, export the pairings, export the scores, why two are apart.",
    no_args_is_help=True,
)

ProgramOption = Annotated[str, typer.Option(help="Programme name.")]
OutOption = Annotated[Path | None, typer.Option("--out", help="File to write; default stdout.")]
RunOption = Annotated[
    int | None, typer.Option("--run", help="A stored match run of the programme (its id).")
]
STAGES = ("features", "scores+candidates", "solve", "bound", "explanations")


@contextmanager
def _stage_progress(enabled: bool) -> Iterator[matching_service.Progress | None]:
    if not enabled:
        yield None
        return
    columns = (TextColumn("{task.description:>18}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err) as bar:
        tasks = {stage: bar.add_task(stage, total=1.0, start=False) for stage in STAGES}

        def report(stage: str, fraction: float) -> None:
            task = tasks.get(stage)
            if task is None:
                return
            bar.start_task(task)
            bar.update(task, completed=fraction)

        yield report


@app.command("run")
def run(
    program: ProgramOption,
    publish: Annotated[bool, typer.Option(help="Propose the pairings to their members.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    mode: Annotated[
        str | None, typer.Option(help="default (max total) or fair (best worst pair first).")
    ] = None,
    compare: Annotated[
        bool, typer.Option(help="Also run the other mode and show both side by side.")
    ] = False,
) -> None:
    """Match the programme's pool and print the quality figures."""
    with store_session() as session, _stage_progress(not as_json) as progress:
        program_id = program_id_named(session, SYSTEM, program)
        outcome = matching_service.run_match(
            session, SYSTEM, program_id, publish=publish, mode=mode, progress=progress
        )
        summary = outcome.summary()
        other = None
        if compare:
            other_mode = "fair" if outcome.result.mode == "default" else "default"
            other = matching_service.compare_mode(session, SYSTEM, program_id, other_mode)
    if as_json:
        if other is not None:
            summary["comparison"] = other
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return
    _print_summary(summary, other)


def _row(label: str, value: Any) -> tuple[str, str]:
    if isinstance(value, bool):
        return label, "yes" if value else "no"
    if isinstance(value, float):
        return label, f"{value:,.4f}"
    return label, f"{value:,}" if isinstance(value, int) else str(value)


def _print_summary(summary: dict[str, Any], other: dict[str, Any] | None) -> None:
    table = Table(title=f"match of {summary['program']!r} (run {summary['run_id']})")
    table.add_column("figure")
    table.add_column(summary["mode"], justify="right")
    if other:
        table.add_column(other["mode"], justify="right")
    keys = (
        "pairings",
        "triads",
        "matched_people",
        "unmatched",
        "total_score",
        "upper_bound",
        "gap",
        "exact",
        "blocking_pairs",
        "seconds",
    )
    for key in keys:
        cells = [_row(key, summary[key])[1]]
        if other:
            cells.append(_row(key, other.get(key, ""))[1])
        table.add_row(key, *cells)
    worst = summary["quality"]["worst_pair"]
    table.add_row(
        "worst pair score",
        f"{worst['score']:.4f}" if worst else "",
        *([f"{other['worst_pair_score']:.4f}"] if other else []),
    )
    out.print(table)
    shares = Table(
        "criterion", f"share of pairings ≥ {summary['quality']['threshold']}", title="criteria met"
    )
    for criterion, share in summary["quality"]["criterion_share"].items():
        shares.add_row(criterion, f"{share:.0%}")
    out.print(shares)
    for person in summary["unmatched_people"][:20]:
        out.print(f"unmatched {person['employee_id']}: {person['reason']}")
    if len(summary["unmatched_people"]) > 20:
        out.print(f"... and {len(summary['unmatched_people']) - 20} more unmatched")
    state = (
        "published: members can now accept or decline"
        if summary["published"]
        else ("draft: review it, then publish with --publish")
    )
    out.print(f"pairings are {state}")


def _write_csv(header: list[str], rows: Iterable[Iterable[Any]], out_file: Path | None) -> None:
    try:
        stream = (
            sys.stdout if out_file is None else out_file.open("w", encoding="utf-8", newline="")
        )
    except OSError as error:
        fail(f"cannot write {out_file}: {error.strerror}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 10_000 == 0:  # stream: the scores of a large cohort do not fit a string
            stream.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    stream.write(buffer.getvalue())
    if out_file is not None:
        stream.close()
        err.print(f"wrote {out_file}")


@app.command("export")
def export(program: ProgramOption, run_id: RunOption = None, out_file: OutOption = None) -> None:
    """CSV, one row per participant: employee_id, partner_ids, pairing_id, score, explanation.

    Without --run: the current pairings; with --run N: the pairings of that run."""
    with store_session() as session:
        program_id = program_id_named(session, SYSTEM, program)
        rows = list(matching_service.export_rows(session, SYSTEM, program_id, run_id))
    _write_csv(["employee_id", "partner_ids", "pairing_id", "score", "explanation"], rows, out_file)


@app.command("scores")
def scores(program: ProgramOption, run_id: RunOption = None, out_file: OutOption = None) -> None:
    """CSV of every pair the rules allowed in a stored run (default: the latest), with
    its score, to audit optimality; also after the run was published."""
    with store_session() as session:
        program_id = program_id_named(session, SYSTEM, program)
        rows = (
            (escape_cell(a), escape_cell(b), f"{s:.9f}")  # ids formula-safe; scores as numbers
            for a, b, s in matching_service.score_rows(session, SYSTEM, program_id, run_id)
        )
        _write_csv(["employee_id_a", "employee_id_b", "score"], rows, out_file)


@app.command("why-not")
def why_not(
    program: ProgramOption,
    employee_a: Annotated[str, typer.Argument(help="employee_id of one person.")],
    employee_b: Annotated[str, typer.Argument(help="employee_id of the other.")],
) -> None:
    """The rule that keeps two people apart, or what pairing them costs: their score
    together and what each would lose against their current partners."""
    with store_session() as session:
        program_id = program_id_named(session, SYSTEM, program)
        answer = matching_service.why_not(session, SYSTEM, program_id, employee_a, employee_b)
    out.print(answer, highlight=False, soft_wrap=True)


@app.command("rematch")
def rematch_command(
    program: ProgramOption,
    cooldown_days: Annotated[
        int | None,
        typer.Option(help="Set the programme's cooldown first: days before a leaver is matched."),
    ] = None,
    publish: Annotated[bool, typer.Option(help="Propose the pairings to their members.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Match again the people who left, declined or were left over: live pairings stay,
    past partners are never repeated, leavers wait out the cooldown."""
    from datetime import UTC, datetime

    from peermentor.services.rematch import rematch, set_cooldown

    with store_session() as session:
        program_id = program_id_named(session, SYSTEM, program)
        if cooldown_days is not None:
            set_cooldown(session, SYSTEM, program_id, cooldown_days)
        summary = rematch(session, SYSTEM, program_id, datetime.now(UTC), publish=publish).summary()
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return
    _print_summary(summary, None)
