"""docs/architecture.md names only packages, modules and files that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "src" / "peermentor"
# A file or package path: segments of letters, digits, _ - * < > and dots, with a slash
# or a known ending.
PATH = re.compile(r"^[\w.<>*-]+(/[\w.<>*-]*)*$")
ROOTS = ("tests/", "bench/", "docs/", "src/")


def named_paths(text: str) -> list[str]:
    found = []
    for quoted in re.findall(r"`([^`\n]+)`", text):
        if PATH.match(quoted) and ("/" in quoted or quoted.endswith((".py", ".toml", ".md"))):
            found.append(quoted)
    return found


def exists(path: str) -> bool:
    base = ROOT if path.startswith(ROOTS) or path.endswith((".toml", ".md")) else PACKAGE
    if "<" in path or "*" in path:  # a pattern, such as store/<aggregate>_repo.py
        pattern = re.sub(r"<[^>]+>", "*", path)
        return any(base.glob(pattern))
    return (base / path).exists()


def test_every_path_in_the_architecture_page_exists() -> None:
    paths = named_paths(DOC.read_text())
    assert len(paths) > 40, paths  # the page names its places; the check is not empty
    missing = [p for p in paths if not exists(p)]
    assert missing == []


def test_every_dotted_module_it_names_exists() -> None:
    for name in re.findall(r"`(services\.[\w.]+)`", DOC.read_text()):
        module, _, attribute = name.rpartition(".")
        path = PACKAGE / Path(*module.split("."))
        assert path.with_suffix(".py").exists(), name
        assert f"def {attribute}(" in path.with_suffix(".py").read_text(), name
