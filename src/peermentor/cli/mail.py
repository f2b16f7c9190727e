"""`peermentor mail`: what is in the outbox (and, without SMTP, where the mail folder is)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from peermentor.cli.common import open_store_or_exit, out, settings_or_exit
from peermentor.store import mail_repo

app = typer.Typer(help="Outgoing mail.", no_args_is_help=True)


@app.command("list")
def list_mail(
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Newest messages shown.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
) -> None:
    """The outbox, newest first: kind, recipient, subject, state (never a body)."""
    settings = settings_or_exit()
    store = open_store_or_exit(settings)
    try:
        with store.sessions() as session:
            rows = [
                {
                    "id": m.id,
                    "kind": m.kind,
                    "to": email,
                    "subject": m.subject,
                    "state": m.state,
                    "attempts": m.attempts,
                    "queued_at": m.queued_at.isoformat(),
                    "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                    "error": m.last_error or None,
                }
                for m, email in mail_repo.latest(session, limit)
            ]
    finally:
        store.close()
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    folder = settings.mail_folder()
    if settings.smtp_host:
        out.print(f"mail goes by SMTP to {settings.smtp_host}:{settings.smtp_port}")
    elif folder is not None:
        out.print(f"no SMTP host: mail is written to the mail folder {folder.resolve()}")
    else:
        out.print("mail is off (no PEERMENTOR_SMTP_HOST and PEERMENTOR_MAIL_DIR empty)")
    if not rows:
        out.print("the outbox is empty")
    for row in rows:
        line = f"{row['id']:>6}  {row['state']:<9} {row['kind']:<20} {row['to']}  {row['subject']}"
        if row["error"]:
            line += f"  ({row['error']})"
        out.print(line, highlight=False, markup=False, soft_wrap=True)
