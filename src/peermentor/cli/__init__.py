"""The `peermentor` command: thin adapters over the services."""

from __future__ import annotations

import typer

from peermentor.cli import audit, circles, db, demo, mail, match, people, programs, users, worker

app = typer.Typer(
    help="peermentor: run peer-mentoring programmes (import people, match, serve).",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(programs.app, name="programs")
app.add_typer(people.app, name="people")
app.add_typer(users.app, name="users")
app.add_typer(match.app, name="match")
app.add_typer(audit.app, name="audit")
app.add_typer(mail.app, name="mail")
app.add_typer(circles.app, name="circles")
app.command("serve")(demo.serve)
app.command("demo")(demo.demo)
app.command("worker")(worker.worker)

__all__ = ["app"]
