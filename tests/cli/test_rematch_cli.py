"""`peermentor match rematch`: the cooldown is set and checked, the run is printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from peermentor.demo_org import demo_people_csv


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "PEERMENTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "PEERMENTOR_MAIL_DIR": "",
        "PEERMENTOR_SECRET_KEY_FILE": str(tmp_path / "secret"),
    }
    return subprocess.run(
        [sys.executable, "-m", "peermentor", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_rematch_refuses_a_bad_cooldown_and_prints_the_run(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(demo_people_csv(16, seed=2))
    assert _cli(tmp_path, "people", "import", "p.csv", "--program", "C").returncode == 0
    bad = _cli(tmp_path, "match", "rematch", "--program", "C", "--cooldown-days", "400")
    assert bad.returncode == 2 and "0 to 365 days" in bad.stderr and "Traceback" not in bad.stderr
    good = _cli(tmp_path, "match", "rematch", "--program", "C", "--cooldown-days", "7", "--json")
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["pairings"] > 0
