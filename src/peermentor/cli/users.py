"""`peermentor users`: login accounts."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from peermentor.cli.common import (
    err,
    fail,
    open_store_or_exit,
    out,
    settings_or_exit,
    store_session,
)
from peermentor.services import users as users_service
from peermentor.services.access import SYSTEM, ServiceError

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


@app.command("invite")
def invite(
    program: Annotated[str, typer.Option(help="Programme whose people are invited.")],
) -> None:
    """Invitation mails for the programme's people who cannot sign in yet (people who can
    are not invited again). Queued in the outbox and delivered at once."""
    from datetime import UTC, datetime

    from peermentor.services import invitations
    from peermentor.services.outbox import deliver_due

    settings = settings_or_exit()
    store = open_store_or_exit(settings)
    now = datetime.now(UTC)
    mailer = invitations.mailer_for(store, settings)
    try:
        with store.sessions() as session:
            outcome = invitations.invite_program(
                session, SYSTEM, program, settings.base_url, now, mailer
            )
        delivered = deliver_due(store, settings, now) if mailer else 0
    except ServiceError as error:
        fail(str(error))
    finally:
        store.close()
    out.print(
        f"{outcome.program}: {outcome.sent} invitation(s) queued, {delivered} mail(s) delivered; "
        f"{outcome.already_signed_up} can already sign in, {outcome.opted_out} opted out"
    )
    for refused in outcome.not_invited:
        out.print(f"  not invited: {refused.name} <{refused.email}>: {refused.reason}")
    folder = settings.mail_folder()
    if mailer and folder is not None:
        out.print(f"no SMTP host: the mails are in the mail folder {folder.resolve()}")
    if outcome.links:
        err.print("mail is off: these links are credentials, pass each on privately")
        for message in outcome.links:
            out.print(f"  {message.to}  {message.link}", highlight=False, markup=False)
