"""`peermentor db`: the schema."""

from __future__ import annotations

import typer

from peermentor.cli.common import open_store_or_exit, out, settings_or_exit

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Create or migrate the schema to the latest version."""
    open_store_or_exit(settings_or_exit(), migrate=True).close()
    out.print("database is at the latest schema version")
