"""The FastAPI application: pages and API are thin adapters over the services."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from peermentor import __version__
from peermentor.config import Settings, load_settings
from peermentor.domain.errors import DomainError, ValidationError
from peermentor.runtime import Store, open_store
from peermentor.services.invitations import mailer_for
from peermentor.web import api
from peermentor.web.deps import LoginRequired
from peermentor.web.docs import install_docs
from peermentor.web.headers import SecurityHeaders
from peermentor.web.limits import install_body_limit
from peermentor.web.oidc import OidcClient
from peermentor.web.page_cache import PageCache
from peermentor.web.pages import account as account_pages
from peermentor.web.pages import (
    account_blocks,
    admin_audit,
    admin_circles,
    admin_health,
    admin_leaving,
    admin_matching,
    admin_people,
    admin_programs,
    admin_signup,
    calendar_feed,
    choose_peer,
    circles,
    mail,
    my_programmes,
    participant,
    profile,
    signup,
)
from peermentor.web.pages import auth as auth_pages
from peermentor.web.pages import sso as sso_pages
from peermentor.web.proxies import behind_trusted_proxies
from peermentor.web.refusals import api_response, message_page, page_response
from peermentor.web.security import CsrfFailed

WEB_DIR = Path(__file__).parent


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    def login_required(request: Request, _: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "sign in or send an API token"}, status_code=401)
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(CsrfFailed)
    def csrf_failed(request: Request, _: CsrfFailed) -> Response:
        message = "The form was stale or not sent from this site. Reload the page and retry."
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=403)
        return message_page(request, "Please retry", message, 403)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        """An address no route answers: a page says so under the caller's own header;
        the API keeps FastAPI's JSON."""
        if _wants_json(request) or error.status_code != 404:
            return await http_exception_handler(request, error)
        return await run_in_threadpool(
            message_page, request, "Not found", "There is no page at this address.", 404
        )

    @app.exception_handler(DomainError)
    def refused(request: Request, error: DomainError) -> Response:
        if _wants_json(request):
            return api_response(error)
        return page_response(request, error)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        """A value FastAPI refused (an id past the database's integers, say): the API
        keeps FastAPI's own 422, a page says it in words with the same status."""
        if _wants_json(request):
            return await request_validation_exception_handler(request, error)
        return page_response(request, ValidationError(_first_problem(error)))


def _first_problem(error: RequestValidationError) -> str:
    problems = error.errors()
    if not problems:
        return "the request could not be read"
    where = [str(part) for part in problems[0].get("loc", ()) if part not in ("path", "query")]
    what = str(problems[0].get("msg", "is not valid"))
    return f"{'.'.join(where)}: {what}" if where else what


class PeermentorApp(FastAPI):
    """FastAPI with the proxy and header middleware outside everything else, so even
    the 500 answer of Starlette's outermost error middleware carries the headers."""

    def build_middleware_stack(self) -> ASGIApp:
        settings: Settings = self.state.settings
        inner = behind_trusted_proxies(
            super().build_middleware_stack(), settings.trusted_proxy_list()
        )
        return SecurityHeaders(inner, hsts=not settings.insecure_cookies)


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    store = store or open_store(settings)
    # The docs pages come from web/docs.py: offline assets, scripts with the CSP nonce.
    app = PeermentorApp(title="peermentor", version=__version__, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.store = store
    app.state.page_cache = PageCache(settings.page_cache_mb << 20)
    app.state.secret_key = settings.resolved_secret_key()
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    _install_error_pages(app)
    install_docs(app)
    # True in in-process tests only: queued jobs run inside the request (web/jobs.py).
    app.state.jobs_inline = False
    if settings.mail_enabled():
        # SMTP, or the local mail folder: invitations go by mail, never as links on a page.
        app.state.invitation_mailer = mailer_for(store, settings)
    install_body_limit(app, settings)
    # Company sign-in: the provider is asked for its metadata at the first sign-in.
    app.state.oidc = OidcClient(settings) if settings.sso_enabled() else None
    app.include_router(auth_pages.router)
    app.include_router(sso_pages.router)
    app.include_router(account_pages.router)
    for pages in (
        admin_programs,
        admin_people,
        admin_matching,
        admin_health,
        admin_audit,
        admin_circles,
        admin_leaving,
        admin_signup,
        signup,
        my_programmes,
        choose_peer,
        account_blocks,
        circles,
        mail,
        participant,
        profile,
    ):
        app.include_router(pages.router)
    app.include_router(calendar_feed.router)
    app.include_router(api.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def app_from_environment() -> FastAPI:
    """For `peermentor serve --workers N`: each worker process builds its own app from
    the environment; the parent has already migrated the database."""
    settings = load_settings()
    return create_app(settings, open_store(settings, migrate=False))
