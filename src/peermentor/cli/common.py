"""What every command shares: consoles, one-line errors with exit code 2, the store."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from peermentor.config import Settings, SettingsError, load_settings
from peermentor.runtime import Store, open_store
from peermentor.services.access import ServiceError

EXIT_BAD_INPUT = 2

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        fail(str(error))


def open_store_or_exit(settings: Settings, *, migrate: bool = True) -> Store:
    try:
        return open_store(settings, migrate=migrate)
    except OperationalError as error:
        fail(f"cannot open the database: {error.orig}")


@contextmanager
def store_session() -> Iterator[Session]:
    """A session on the configured store; service errors become one line and exit 2."""
    store = open_store_or_exit(settings_or_exit())
    try:
        with store.sessions() as session:
            yield session
    except ServiceError as error:
        fail(str(error))
    finally:
        store.close()


def write_text(text: str, out_file: Path | None) -> None:
    if out_file is None:
        sys.stdout.write(text)
        return
    try:
        out_file.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        fail(f"cannot write {out_file}: {error.strerror}")
    err.print(f"wrote {out_file}")
