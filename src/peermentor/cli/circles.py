"""`peermentor circles`: team peer-feedback circles, never a note's text."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from peermentor.cli.common import fail, out, store_session
from peermentor.services import circles as circles_service
from peermentor.services.access import SYSTEM

app = typer.Typer(help="Team peer-feedback circles.", no_args_is_help=True)

Program = Annotated[str, typer.Option("--program", help="Programme name.")]
CircleId = Annotated[int, typer.Option("--circle", help="Circle id (see `circles list`).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _check_id(circle: int) -> int:
    if not 0 < circle < 2**31:
        fail(f"--circle: no circle {circle}")
    return circle


@app.command("create-from-teams")
def create_from_teams(
    program: Program,
    min_size: Annotated[
        int, typer.Option("--min-size", help="Smallest team that gets a circle.")
    ] = 3,
    lead: Annotated[
        str, typer.Option("--lead", help="manager (the team's manager leads) or none.")
    ] = "manager",
) -> None:
    """A circle for every team of the programme (or every manager's direct reports)."""
    if lead not in circles_service.LEAD_CHOICES:
        fail(f"--lead: choose manager or none, not {lead!r}")
    if not 3 <= min_size <= 30:
        fail(f"--min-size: between 3 and 30, not {min_size}")
    with store_session() as session:
        made = circles_service.create_from_teams(
            session, SYSTEM, program, datetime.now(UTC), min_size=min_size, lead=lead
        )
        out.print(f"created {len(made.circles)} circle(s), skipped {made.skipped} group(s)")
        for circle in made.circles:
            out.print(f"  {circle.id}  {circle.name}", highlight=False)


@app.command("list")
def list_(program: Program, as_json: AsJson = False) -> None:
    """The programme's circles, their lead and members (employee ids)."""
    with store_session() as session:
        found = circles_service.list_circles_named(session, SYSTEM, program)
        rows = [
            {
                "circle": s.circle.id,
                "name": s.circle.name,
                "lead": s.lead.employee_id if s.lead else None,
                "members": [p.employee_id for p in s.members],
            }
            for s in found
        ]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table("circle", "name", "lead", "members")
    for s in found:
        table.add_row(
            str(s.circle.id),
            s.circle.name,
            s.lead.employee_id if s.lead else "",
            str(len(s.members)),
        )
    out.print(table)


@app.command("round")
def round_(circle: CircleId) -> None:
    """Start the circle's next round now."""
    with store_session() as session:
        started = circles_service.start_next_round(
            session, SYSTEM, _check_id(circle), datetime.now(UTC)
        )
        out.print(f"round {started.number} started; deadline {started.deadline:%Y-%m-%d %H:%M} UTC")


@app.command("status")
def status(circle: CircleId, as_json: AsJson = False) -> None:
    """The current round: who gives to whom, never a note's text."""
    with store_session() as session:
        found, pairs = circles_service.admin_status(session, SYSTEM, _check_id(circle))
        data = {
            "circle": found.circle.id,
            "lead": found.lead.employee_id if found.lead else None,
            "members": [p.employee_id for p in found.members],
            "round": found.round.number if found.round else None,
            "assignments": [{"giver": g.employee_id, "receiver": r.employee_id} for g, r in pairs],
        }
        name = found.circle.name
        lead = found.lead.employee_id if found.lead else "none"
        number = found.round.number if found.round else "not started"
        lines = [f"  {g.employee_id} -> {r.employee_id}" for g, r in pairs]
        members = len(found.members)
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    out.print(
        f"circle {found.circle.id} {name!r}: lead {lead}, {members} members, round {number}",
        highlight=False,
    )
    for line in lines:
        out.print(line, highlight=False)
