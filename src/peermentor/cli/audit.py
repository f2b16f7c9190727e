"""`peermentor audit`: read the audit log; purge the entries past retention."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from typing import Annotated, Any

import typer

from peermentor.cli.common import fail, out, settings_or_exit, store_session
from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services import audit as audit_service
from peermentor.services.access import SYSTEM

app = typer.Typer(help="The audit log: who did what, to what, and when.", no_args_is_help=True)


def parse_since(value: str | None) -> datetime | None:
    """A date (the start of that day, UTC) or an ISO 8601 time (UTC unless it says)."""
    if value is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--since: {value!r} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM)")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def describe_details(details: dict[str, Any]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in details.items())


def describe_target(entry: audit_service.AuditEntryView) -> str:
    if entry.target_kind is None:
        return ""
    return f"{entry.target_kind.replace('_', ' ')} {entry.target_id}"


@app.command("list")
def list_(
    since: Annotated[
        str | None, typer.Option(help="Only from this date (YYYY-MM-DD) or time, UTC.")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Only what this account did (email).")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only this action, e.g. sign_in.failed or match.run.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="At most this many.")] = 50,
) -> None:
    """The newest entries first: when (UTC), who, what, to what, programme, details."""
    filters = audit_service.AuditFilters(since=parse_since(since), actor_email=actor, action=action)
    with store_session() as session:
        entries, total = audit_service.list_entries(session, SYSTEM, filters, limit=limit)
    if as_json:
        sys.stdout.write(json.dumps([e.as_json() for e in entries], indent=2) + "\n")
        return
    # One plain line an entry (no table that wraps): easy to read, grep and cut.
    for e in entries:
        programme = f"programme {e.program}" if e.program else ""
        cells = (f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action, describe_target(e), programme)
        line = "  ".join(c for c in (*cells, describe_details(e.details)) if c)
        sys.stdout.write(line + "\n")
    out.print(f"{len(entries)} of {total} entries", highlight=False)


@app.command("purge")
def purge() -> None:
    """Remove the entries older than PEERMENTOR_AUDIT_RETENTION_DAYS (default 400)."""
    days = settings_or_exit().audit_retention_days
    with store_session() as session:
        removed = audit_service.purge(session, SYSTEM, datetime.now(UTC), days)
    out.print(f"removed {removed} audit entries older than {days} days", highlight=False)


def purge_at_start(store: Store, settings: Settings) -> None:
    """`serve` purges once as it starts, so a server left running for years keeps only
    the retention period without anyone scheduling the command."""
    with store.sessions() as session:
        audit_service.purge(session, SYSTEM, datetime.now(UTC), settings.audit_retention_days)
