"""The FastAPI application: pages and API are thin adapters over the services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from peermentor import __version__
from peermentor.config import Settings
from peermentor.runtime import Store, open_store
from peermentor.services import programs as programs_service
from peermentor.services.access import SYSTEM

WEB_DIR = Path(__file__).parent
templates = Jinja2Templates(directory=WEB_DIR / "templates")


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    store = store or open_store(settings)
    app = FastAPI(title="peermentor", version=__version__)
    app.state.settings = settings
    app.state.store = store
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")

    def db_session() -> Iterator[Session]:
        with store.sessions() as session:
            yield session

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, session: Session = Depends(db_session)) -> HTMLResponse:
        # Programme names and sizes are not private; sign-in arrives with the web app.
        programs = programs_service.list_programs(session, SYSTEM)
        return templates.TemplateResponse(request, "home.html", {"programs": programs})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
