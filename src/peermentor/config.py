"""Settings from PEERMENTOR_* environment variables, checked once at start-up.

Nothing is required to start: the database defaults to a SQLite file in the working
directory and the secret key is generated and stored beside it on first run. Bad
values are refused with a message that names the variable, never a traceback.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./peermentor.db"
SECRET_FILE_NAME = ".peermentor_secret"
DEFAULT_MAIL_DIR = "./peermentor-mail"
# Values people copy from examples; a deployment must never run with them.
_WELL_KNOWN_SECRETS = {"changeme", "change-me", "secret", "development", "dev", "test"}
_MIN_SECRET_LENGTH = 32


class SettingsError(Exception):
    """A setting has a value the application refuses to start with."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PEERMENTOR_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: SecretStr | None = None
    # Where a generated secret key is kept when PEERMENTOR_SECRET_KEY is absent.
    secret_key_file: Path = Path(SECRET_FILE_NAME)
    # Cookies are Secure unless the app is told it runs over plain HTTP (the local demo).
    insecure_cookies: bool = False
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "peermentor@localhost"
    smtp_starttls: bool = False
    base_url: str = "http://127.0.0.1:8000"
    # With no SMTP host, mail is written to this local mail folder (Maildir) instead of
    # being sent, so a trial install shows what would go out; empty: no mail at all.
    mail_dir: str = DEFAULT_MAIL_DIR
    # A browser session ends after this long without a request, and at the latest this
    # long after sign-in, whatever happens (ASVS 7.3). Upper bounds stop a typo from
    # meaning "never".
    session_idle_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)
    session_max_hours: int = Field(default=12, ge=1, le=30 * 24)
    # Addresses or networks (comma-separated) of the reverse proxies in front of the app.
    # Only a request arriving from one of them has its X-Forwarded-For/-Proto believed;
    # empty: nobody's, so a client cannot pick the address that login throttling sees.
    trusted_proxies: str = ""
    # Largest request body in bytes: forms and JSON, and the people CSV upload (100,000
    # people are about 50 MiB). A body over its limit is refused with 413 unread.
    max_request_bytes: int = Field(default=1 << 20, ge=1024)
    max_upload_bytes: int = Field(default=64 << 20, ge=1024)
    # Database connections each process may hold at most (10 stay open, the rest are
    # opened on demand and closed when idle). `serve --workers N` on PostgreSQL lowers
    # it so that N processes fit the server's max_connections (runtime.pool_for_workers).
    db_pool_size: int = Field(default=40, ge=2, le=1000)
    # Memory each web process may give to rendered participant pages kept until what
    # they show changes (web/page_cache.py); 0 renders every page afresh.
    page_cache_mb: int = Field(default=32, ge=0, le=4096)
    # Audit entries older than this are purged (`peermentor audit purge`, and at serve).
    audit_retention_days: int = Field(default=400, ge=1, le=36_500)
    # Company single sign-on (OpenID Connect). Off unless an issuer is set; then the
    # client id and exactly one of the secret or a file holding it are required.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr | None = None
    oidc_client_secret_file: Path | None = None
    # Only identities whose email ends in one of these domains may sign in (empty: any).
    oidc_allowed_domains: str = ""
    # A claim holding the employee id: a first sign-in is linked to the imported person
    # with that id; without it (or when the token lacks it), by verified email.
    oidc_employee_id_claim: str = ""
    oidc_button_label: str = "Sign in with your company account"
    # "admins": participants sign in only through the company; passwords are for admins.
    password_sign_in: Literal["everyone", "admins"] = "everyone"

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        scheme = value.split(":", 1)[0].lower()
        if not (scheme.startswith("sqlite") or scheme.startswith("postgresql")):
            raise ValueError(
                "must be a sqlite:/// or postgresql:// URL (e.g. postgresql://user@host/dbname)"
            )
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        for item in _split(value):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"'{item}' is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)"
                ) from None
        return value

    @field_validator("mail_dir")
    @classmethod
    def _usable_mail_dir(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        path = Path(value).expanduser()
        if path.exists() and not path.is_dir():
            raise ValueError(f"'{value}' exists and is not a directory")
        parent = next((p for p in (path, *path.parents) if p.exists()), Path("."))
        if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
            raise ValueError(f"'{value}' cannot be written (no write access to {parent})")
        return value

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value:
            return value
        parts = urlsplit(value)
        loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
            raise ValueError(
                "must be an https:// URL (plain http only on 127.0.0.1 or localhost, for tests)"
            )
        if not parts.hostname or parts.query or parts.fragment:
            raise ValueError("must be the issuer's base URL, e.g. https://login.example.com")
        return value

    @field_validator("oidc_allowed_domains")
    @classmethod
    def _email_domains(cls, value: str) -> str:
        domains = [item.lower().lstrip("@") for item in _split(value)]
        for domain in domains:
            if "." not in domain or any(c in domain for c in " /@:"):
                raise ValueError(f"'{domain}' is not an email domain (e.g. example.com)")
        return ",".join(domains)

    @model_validator(mode="after")
    def _complete_sso(self) -> Settings:
        if not self.oidc_issuer:
            if self.password_sign_in == "admins":
                raise ValueError(
                    "PEERMENTOR_PASSWORD_SIGN_IN=admins needs company sign-in: "
                    "set PEERMENTOR_OIDC_ISSUER too"
                )
            return self
        if not self.oidc_client_id.strip():
            raise ValueError("PEERMENTOR_OIDC_CLIENT_ID is required with PEERMENTOR_OIDC_ISSUER")
        has_secret = self.oidc_client_secret is not None
        has_file = self.oidc_client_secret_file is not None
        if has_secret == has_file:
            raise ValueError(
                "set exactly one of PEERMENTOR_OIDC_CLIENT_SECRET and "
                "PEERMENTOR_OIDC_CLIENT_SECRET_FILE with PEERMENTOR_OIDC_ISSUER"
            )
        if has_file and not _read_text(self.oidc_client_secret_file):
            raise ValueError(
                f"PEERMENTOR_OIDC_CLIENT_SECRET_FILE '{self.oidc_client_secret_file}' "
                "cannot be read or is empty"
            )
        return self

    def sso_enabled(self) -> bool:
        return bool(self.oidc_issuer)

    def oidc_secret(self) -> str:
        if self.oidc_client_secret is not None:
            return self.oidc_client_secret.get_secret_value()
        return _read_text(self.oidc_client_secret_file)

    def allowed_domain_list(self) -> list[str]:
        return _split(self.oidc_allowed_domains)

    def mail_folder(self) -> Path | None:
        """Where mail goes when there is no SMTP host (None: SMTP, or no mail at all)."""
        if self.smtp_host or not self.mail_dir:
            return None
        return Path(self.mail_dir).expanduser()

    def mail_enabled(self) -> bool:
        return bool(self.smtp_host) or bool(self.mail_dir)

    def trusted_proxy_list(self) -> list[str]:
        return _split(self.trusted_proxies)

    @field_validator("secret_key")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if raw.strip().lower() in _WELL_KNOWN_SECRETS:
            raise ValueError("is a well-known placeholder; set a random value")
        if len(raw) < _MIN_SECRET_LENGTH:
            raise ValueError(f"must be at least {_MIN_SECRET_LENGTH} characters long")
        return value

    def resolved_secret_key(self) -> str:
        """The secret key, generating and storing one on first run when none is set."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return _read_secret_file(self.secret_key_file) or _store_new_secret(self.secret_key_file)


def _read_secret_file(path: Path) -> str | None:
    if not path.exists():
        return None
    stored = path.read_text(encoding="utf-8").strip()
    return stored if len(stored) >= _MIN_SECRET_LENGTH else None


def _store_new_secret(path: Path) -> str:
    """A new key in a file only its owner can read, private from its first byte: it is
    written to a new file created with mode 0600, which then takes the target's name."""
    generated = secrets.token_urlsafe(48)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(generated + "\n")
        try:
            # Never over a key that a second process started at the same time stored first.
            os.link(temporary, path)
        except FileExistsError:
            stored = _read_secret_file(path)
            if stored is not None:
                return stored
            os.replace(temporary, path)  # what was there was too short to be a key
        except OSError:  # a file system without hard links
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return generated


def _read_text(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.expanduser().read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        if problem["loc"]:
            lines.append(f"PEERMENTOR_{str(problem['loc'][0]).upper()} {message}")
        else:  # a rule over several settings names them itself
            lines.append(message)
    return "; ".join(lines)


def load_settings() -> Settings:
    """Read the environment; raise SettingsError with a readable message on bad values."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None
