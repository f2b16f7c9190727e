from __future__ import annotations

import subprocess
import sys


def test_matching_imports_no_web_framework_and_no_orm() -> None:
    code = (
        "import sys, peermentor.matching as m\n"
        "from peermentor.matching import engine, audit, explain, quality, run_inputs\n"
        "m.run_matching\n"
        "bad = [x for x in ('fastapi', 'sqlalchemy', 'starlette', 'alembic') if x in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
