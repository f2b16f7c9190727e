"""`peermentor serve` and `peermentor demo`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from peermentor.cli.audit import purge_at_start
from peermentor.cli.common import fail, open_store_or_exit, out, settings_or_exit
from peermentor.config import Settings
from peermentor.demo_outcomes import LATE_JOINERS
from peermentor.runtime import pool_for_workers

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(min=1, max=65535, envvar="PORT", help="Port (or $PORT).")]
People = Annotated[
    int, typer.Option(min=2, max=200_000, help="Size of the generated organisation.")
]
Seed = Annotated[int, typer.Option(help="Seed of the generator (same seed, same people).")]
Database = Annotated[Path, typer.Option(help="Demo SQLite file, rebuilt from scratch.")]
NoServe = Annotated[bool, typer.Option("--no-serve", help="Build and print the logins only.")]
Workers = Annotated[
    int, typer.Option(min=1, max=64, help="Server processes (each with its own connections).")
]
# uvicorn would believe X-Forwarded-For from 127.0.0.1 by default and print its name in
# every answer; forwarded headers are the app's business (PEERMENTOR_TRUSTED_PROXIES).
UVICORN_OPTIONS: dict[str, object] = {"proxy_headers": False, "server_header": False}


def serve(host: Host = "127.0.0.1", port: Port = 8000, workers: Workers = 1) -> None:
    """Serve the web app on the configured database."""
    import uvicorn

    from peermentor.web.app import create_app

    settings = settings_or_exit()
    # Migrate once here, so that several workers never race to upgrade the schema.
    store = open_store_or_exit(settings)
    purge_at_start(store, settings)
    try:
        pool = pool_for_workers(settings.db_pool_size, workers, store.max_connections())
    except ValueError as error:
        store.close()
        fail(str(error))
    if pool < settings.db_pool_size:
        typer.echo(
            f"Each of the {workers} server processes holds at most {pool} database "
            "connections, so that all fit the server's max_connections.",
            err=True,
        )
        # The worker processes read their settings from the environment.
        os.environ["PEERMENTOR_DB_POOL_SIZE"] = str(pool)
        settings = settings.model_copy(update={"db_pool_size": pool})
        if workers == 1:
            store.close()
            store = open_store_or_exit(settings, migrate=False)
    if workers == 1:
        uvicorn.run(create_app(settings, store), host=host, port=port, **UVICORN_OPTIONS)  # type: ignore[arg-type]
        return
    store.close()
    # Likewise the secret key: generated here once, or every worker would make its own.
    settings.resolved_secret_key()
    uvicorn.run(
        "peermentor.web.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        **UVICORN_OPTIONS,  # type: ignore[arg-type]
    )


def demo(
    people: People = 300,
    seed: Seed = 7,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    database: Database = Path("peermentor-demo.db"),
    no_serve: NoServe = False,
) -> None:
    """Build a fresh demo database (generated organisation, demo logins) and serve it."""
    import uvicorn

    from peermentor.demo import build_demo, fresh_private_database
    from peermentor.services.worker import Worker
    from peermentor.web.app import create_app

    fresh_private_database(database)
    os.environ["PEERMENTOR_DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    # Plain HTTP on localhost: a Secure cookie would never come back from the browser.
    os.environ["PEERMENTOR_INSECURE_COOKIES"] = "true"
    settings = settings_or_exit()
    store = open_store_or_exit(settings)
    with store.sessions() as session:
        logins = build_demo(session, people=people, seed=seed)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    out.print(
        f"\n[bold]peermentor demo[/]: {people} generated people and {LATE_JOINERS} late "
        f"joiners who never took part, in {database}"
    )
    out.print(f"  open   http://{shown_host}:{port}/")
    match = logins.match_summary
    if match:
        out.print(
            f"  match  {match['pairings']} pairings, {match['unmatched']} unmatched, "
            f"total {match['total_score']:.2f} (gap to proven bound {match['gap']:.3%})"
        )
    out.print(f"  mail   {_where_mail_goes(settings)}", soft_wrap=True, highlight=False)
    out.print(f"  admin  {logins.admin[0]}  password {logins.admin[1]}")
    if logins.admin_landing != "/":
        landing = f"http://{shown_host}:{port}/login?next={logins.admin_landing}"
        out.print(f"  admin  lands on the programme's insight: {landing}")
    for email, password, name in logins.participants:
        out.print(f"  peer   {email}  password {password}  ({name})")
    if logins.circle_lead:
        email, password, name = logins.circle_lead
        out.print(
            f"  lead   {email}  password {password}  ({name}, lead of circle {logins.circle!r})"
        )
    for email, password, name in logins.circle_members:
        out.print(f"  member {email}  password {password}  ({name}, circle {logins.circle!r})")
    if no_serve:
        out.print("")
        store.close()
        return
    # Match runs, dry runs and uploads started on the pages are jobs; without a worker
    # they would wait for one. In production the worker is its own process.
    worker = Worker(store, settings)
    worker.start_thread(interval=1.0)
    out.print("  worker running beside the server (match runs, dry runs, uploads and mail)\n")
    try:
        uvicorn.run(create_app(settings, store), host=host, port=port, **UVICORN_OPTIONS)  # type: ignore[arg-type]
    finally:
        worker.stop.set()


def _where_mail_goes(settings: Settings) -> str:
    folder = settings.mail_folder()
    if settings.smtp_host:
        return f"sent by SMTP through {settings.smtp_host}:{settings.smtp_port}"
    if folder is not None:
        return (
            f"no SMTP host: written to the mail folder {folder.resolve()} "
            f"(list it: PEERMENTOR_DATABASE_URL={settings.database_url} peermentor mail list)"
        )
    return "off (PEERMENTOR_MAIL_DIR is empty and there is no SMTP host)"
