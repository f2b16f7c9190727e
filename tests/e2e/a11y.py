"""Accessibility and screenshots for every page a browser test visits."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_axe = Axe()
SERIOUS = ("serious", "critical")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def axe_problems(page: Page, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """axe-core's violations of the given impacts on the page as it is now, one line each."""
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in impacts
    ]


def check_page(page: Page, artifacts: Path, name: str) -> None:
    """Save a screenshot, then fail on any serious or critical axe-core violation."""
    page.screenshot(path=str(artifacts / f"{_slug(name)}.png"), full_page=True)
    problems = axe_problems(page)
    assert not problems, f"accessibility problems on {name} ({page.url}):\n" + "\n".join(problems)
