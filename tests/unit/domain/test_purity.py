import subprocess
import sys

MODULES = (
    "errors", "validation", "lifecycle", "charter", "vision", "gaps", "guidance", "sessions",
    "scenarios", "roleplay", "feedback", "checkins", "balance", "closing",
    "nudges", "meetings",
)  # fmt: skip
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "pydantic", "numpy")


def test_importing_the_domain_pulls_in_no_web_framework_or_orm() -> None:
    imports = "; ".join(f"import peermentor.domain.{m}" for m in MODULES)
    code = f"import sys; {imports}; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
