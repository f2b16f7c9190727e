"""The domain is pure: every one of its modules imports without a web framework, an
ORM, validation libraries or numpy. The modules are found by walking the package, so a
new one is checked without anyone adding it to a list."""

import subprocess
import sys

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "pydantic", "numpy")

WALK = (
    "import importlib, pkgutil, sys\n"
    "import peermentor.{package} as package\n"
    "names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.')]\n"
    "for name in names:\n"
    "    importlib.import_module(name)\n"
    "print(len(names))\n"
    "print(','.join(m for m in {forbidden!r} if m in sys.modules))\n"
)


def imported_and_forbidden(package: str, forbidden: tuple[str, ...]) -> tuple[int, str]:
    """How many modules of the package were imported, and which forbidden ones came."""
    code = WALK.format(package=package, forbidden=forbidden)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    count, bad = [*result.stdout.splitlines(), "", ""][:2]
    return int(count), bad.strip()


def test_importing_every_domain_module_pulls_in_no_web_framework_or_orm() -> None:
    count, bad = imported_and_forbidden("domain", FORBIDDEN)
    assert count >= 16  # people and throttle included
    assert bad == ""
