"""The layer contracts in pyproject.toml ([tool.importlinter]) hold: the domain and the
matching engine import no web, ORM, store or services; the store no services; the
adapters no table models; layers one way. docs/architecture.md explains them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    # Every contract ran: a contract dropped from pyproject.toml fails here too.
    assert "Contracts: 4 kept" in result.stdout
