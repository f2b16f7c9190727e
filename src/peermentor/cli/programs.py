"""`peermentor programs`: cohorts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from peermentor.cli.common import fail, out, store_session
from peermentor.services import programs as programs_service
from peermentor.services.access import SYSTEM

app = typer.Typer(help="Programmes (cohorts).", no_args_is_help=True)

DateOption = Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD.")]


def _parse_date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date in the form YYYY-MM-DD")


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Programme name, unique.")],
    description: Annotated[str, typer.Option(help="What the programme is for.")] = "",
    starts: DateOption = None,
    ends: DateOption = None,
) -> None:
    """Create a programme."""
    starts_on, ends_on = _parse_date("--starts", starts), _parse_date("--ends", ends)
    with store_session() as session:
        program = programs_service.create_program(
            session, SYSTEM, name, description=description, starts_on=starts_on, ends_on=ends_on
        )
        session.commit()
        out.print(f"created programme {program.name!r} (id {program.id})")


@app.command("list")
def list_() -> None:
    """List programmes with their enrolment counts."""
    with store_session() as session:
        programs = programs_service.list_programs(session, SYSTEM)
    table = Table("name", "status", "starts", "ends", "enrolled")
    for p in programs:
        table.add_row(
            p.name, p.status, str(p.starts_on or ""), str(p.ends_on or ""), str(p.enrolled)
        )
    out.print(table)
