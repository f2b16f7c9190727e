"""Templates, with what every page needs (the signed-in caller and its CSRF token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates


def sentence(text: str) -> str:
    """A refusal's words as a sentence a page shows: capital first, full stop last
    ("topic: must not be empty" -> "Topic: must not be empty.")."""
    text = text.strip()
    if not text:
        return text
    end = "" if text.endswith((".", "?", "!")) else "."
    first = text.split(" ", 1)[0]
    if any(c in first for c in "_.@/0123456789"):  # a field's or a file's name: as it is
        return text + end
    return text[:1].upper() + text[1:] + end


def _csp_nonce(request: Request) -> dict[str, str]:
    # Set per request by web/headers.py; every <script> in a template carries it.
    return {"csp_nonce": getattr(request.state, "csp_nonce", "")}


templates = Jinja2Templates(
    directory=Path(__file__).parent / "templates", context_processors=[_csp_nonce]
)
# The templates ship inside the package and change only with a new release (and a
# restart), so Jinja need not stat every file of a page's chain on every render.
templates.env.auto_reload = False


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = dict(context or {})
    who = context.get("caller")
    if who is not None and "csrf_token" not in context:
        context["csrf_token"] = who.csrf_token
    return templates.TemplateResponse(request, template, context, status_code=status_code)
