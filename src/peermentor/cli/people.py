"""`peermentor people`: import, export, list; a person's data: export-data, erase."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from peermentor.cli.common import EXIT_BAD_INPUT, err, fail, out, store_session, write_text
from peermentor.services import people as people_service
from peermentor.services import personal_data
from peermentor.services.access import SYSTEM
from peermentor.services.programs import program_id_named

app = typer.Typer(help="People: import, export, list.", no_args_is_help=True)

PROGRESS_THRESHOLD_ROWS = 1_000
ProgramOption = Annotated[str, typer.Option(help="Programme name.")]
OutOption = Annotated[Path | None, typer.Option("--out", help="File to write; default stdout.")]


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="People CSV (see README for the columns).")],
    program: Annotated[str, typer.Option(help="Programme to enrol them in (created if new).")],
) -> None:
    """Import people from CSV: all or nothing; every problem reported with row and column."""
    try:
        data = file.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror}")
    with store_session() as session, _progress(data.count(b"\n")) as progress:
        try:
            summary = people_service.import_people(session, SYSTEM, program, data, progress)
        except people_service.ImportRejected as rejected:
            err.print(f"[bold red]error:[/] {rejected}; nothing was imported:", highlight=False)
            for problem in rejected.problems:
                err.print(f"  {problem}", highlight=False, markup=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
    out.print(
        f"imported {summary.rows} people into {summary.program!r}: {summary.created} new, "
        f"{summary.updated} updated, {summary.unchanged} unchanged; "
        f"{summary.newly_enrolled} newly enrolled"
    )


@contextmanager
def _progress(rows: int) -> Iterator[people_service.ImportProgress | None]:
    if rows <= PROGRESS_THRESHOLD_ROWS:
        yield None
        return
    columns = (
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report


@app.command("export")
def export(program: ProgramOption, out_file: OutOption = None) -> None:
    """Export a programme's people in the import format (re-imports unchanged)."""
    with store_session() as session:
        text = people_service.export_people(
            session, SYSTEM, program_id_named(session, SYSTEM, program)
        )
    write_text(text, out_file)


@app.command("list")
def list_(
    program: ProgramOption,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
) -> None:
    """List a programme's people."""
    with store_session() as session:
        people = people_service.program_people(
            session, SYSTEM, program_id_named(session, SYSTEM, program)
        )
    table = Table(
        "employee_id",
        "name",
        "email",
        "department",
        "level",
        "years",
        title=f"{len(people)} people in {program!r}",
    )
    for p in people[:limit]:
        level = "" if p.level is None else str(p.level)
        table.add_row(
            p.employee_id, p.name, p.email, p.department, level, f"{p.years_experience:g}"
        )
    out.print(table)
    if len(people) > limit:
        out.print(f"... and {len(people) - limit} more (use --limit)")


EmployeeArgument = Annotated[str, typer.Argument(help="The person's employee id.")]


@app.command("export-data")
def export_data(employee_id: EmployeeArgument, out_file: OutOption = None) -> None:
    """Everything stored about one person and everything they wrote, as one JSON document."""
    with store_session() as session:
        document = personal_data.export_person_data(session, SYSTEM, employee_id, _now())
    write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", out_file)


@app.command("erase")
def erase(
    employee_id: EmployeeArgument,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a person: their row, account, sessions, tokens and everything they wrote.
    Partners keep their own writing; counts stay, without identity."""
    with store_session() as session:
        person = personal_data.find_for_erasure(session, SYSTEM, employee_id)
        if not yes and not typer.confirm(
            f"Erase {person.name} ({employee_id}) and everything they wrote? This cannot be undone"
        ):
            err.print("nothing erased")
            raise typer.Exit(1)
        erasure = personal_data.erase_person(session, SYSTEM, employee_id, _now())
    kept = erasure.counts.get("pairings_kept", 0)
    out.print(
        f"erased {employee_id}: person, {erasure.counts.get('accounts', 0)} account, "
        f"{erasure.counts.get('texts_erased', 0)} texts; "
        f"{kept} pairings kept for their partners as {personal_data.ERASED_NAME!r}",
        highlight=False,
    )


def _now() -> datetime:
    return datetime.now(UTC)
