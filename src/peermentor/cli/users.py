"""`peermentor users`: login accounts."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from peermentor.cli.common import fail, out, store_session
from peermentor.services import users as users_service
from peermentor.services.access import SYSTEM

app = typer.Typer(help="Login accounts.", no_args_is_help=True)


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Argument(help="The admin's email, used to log in.")],
    password: Annotated[
        str | None, typer.Option(help="Password; asked for when omitted (not echoed).")
    ] = None,
) -> None:
    """Create an organisation admin account (or reset an existing one's password)."""
    if password is None:
        password = _ask_password()
    with store_session() as session:
        user, created = users_service.create_admin(session, SYSTEM, email, password)
        session.commit()
        out.print(f"{'created' if created else 'updated'} organisation admin {user.email}")


def _ask_password() -> str:
    if not sys.stdin.isatty():
        fail("no --password given and no terminal to ask for one")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        fail("the two passwords differ")
    return first


@app.command("create-program-admin")
def create_program_admin(
    email: Annotated[str, typer.Argument(help="The admin's email, used to log in.")],
    program: Annotated[str, typer.Option(help="Programme they will manage.")],
    password: Annotated[
        str | None, typer.Option(help="Password for a new account; asked for when omitted.")
    ] = None,
) -> None:
    """Make someone the admin of a programme (creating their account if needed)."""
    with store_session() as session:
        from peermentor.services.users import find_user

        if find_user(session, email) is None and password is None:
            password = _ask_password()
        user, created = users_service.create_program_admin(
            session, SYSTEM, email, password, program
        )
        session.commit()
        verb = "created" if created else "updated"
        out.print(f"{verb} {user.email}: programme admin of {program!r}")
