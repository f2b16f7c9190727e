"""The README and the code agree: every command and setting it names exists, and
every one that exists is named."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from peermentor.cli import app
from peermentor.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def cli_commands() -> set[str]:
    found: set[str] = set()

    def walk(command: object, prefix: str) -> None:
        children = getattr(command, "commands", None)
        if not children:
            found.add(prefix.strip())
            return
        for name, sub in children.items():
            walk(sub, f"{prefix} {name}")

    walk(get_command(app), "")
    return found


def test_every_cli_command_is_documented_and_every_documented_one_exists() -> None:
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for line in re.findall(r"^peermentor (.*)$", section, re.M):
        words = []
        for word in line.split("  ")[0].split():
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            words.append(word)
        documented.add(" ".join(words))
    assert documented == cli_commands()


def test_every_setting_is_documented_and_every_documented_one_exists() -> None:
    documented = set(
        re.findall(
            r"`PEERMENTOR_([A-Z_]+)`", README.split("## Settings", 1)[1].split("\n## ", 1)[0]
        )
    )
    fields = {name.upper() for name in Settings.model_fields}
    assert documented == fields
