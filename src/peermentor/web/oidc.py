"""The OpenID Connect relying party: the redirect to the company's provider and back.

authlib builds the authorization request (PKCE with S256, state, nonce) and exchanges
the code at the token endpoint; joserfc checks the ID token (signature against the
provider's published keys, issuer, audience, nonce, expiry). Discovery and keys are
read once per process and the keys read again when a token names a key not seen yet
(the provider rotated them). What comes out is a services.sso.VerifiedIdentity: who
it may be here is decided there, not here.

Times in the ID token are the provider's clock, so they are checked against the
wall clock, not the app's injected one.
"""

from __future__ import annotations

import secrets
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.deprecate import AuthlibDeprecationWarning

with warnings.catch_warnings():
    # authlib 1.9 would rather talk through httpx2 (not a dependency here); with httpx it
    # works the same and says so once at import.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from peermentor.config import Settings
from peermentor.services.sso import SsoNotCompleted, SsoPolicy, VerifiedIdentity

SCOPES = "openid email profile"
TIMEOUT = httpx.Timeout(10.0)
# Signing algorithms accepted for ID tokens: never "none", never a symmetric one.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
CLOCK_LEEWAY_SECONDS = 60
UNREACHABLE = (
    "The company sign-in service could not be reached. Try again in a minute, or sign in "
    "with your password if you have one."
)


@dataclass(frozen=True, slots=True)
class Start:
    """What the browser is sent to, and what must come back with it."""

    url: str
    state: str
    nonce: str
    code_verifier: str


class OidcClient:
    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.oidc_issuer
        self.client_id = settings.oidc_client_id
        self._secret = settings.oidc_secret()
        self.employee_id_claim = settings.oidc_employee_id_claim.strip()
        self.policy = SsoPolicy(
            allowed_domains=tuple(settings.allowed_domain_list()),
            link_by_employee_id=bool(self.employee_id_claim),
        )
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._lock = threading.Lock()

    # Provider metadata and keys

    def _get(self, url: str) -> dict[str, Any]:
        try:
            answer = httpx.get(url, timeout=TIMEOUT, follow_redirects=False)
            answer.raise_for_status()
            found = answer.json()
        except (httpx.HTTPError, ValueError):
            raise SsoNotCompleted(UNREACHABLE) from None
        if not isinstance(found, dict):
            raise SsoNotCompleted(UNREACHABLE)
        return found

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata is None:
                found = self._get(f"{self.issuer}/.well-known/openid-configuration")
                # A document for another issuer would let that issuer's tokens in.
                if str(found.get("issuer", "")).rstrip("/") != self.issuer:
                    raise SsoNotCompleted(
                        "The company sign-in service answered for a different issuer than "
                        "PEERMENTOR_OIDC_ISSUER; an operator has to check the setting."
                    )
                self._metadata = found
            return self._metadata

    def _key_set(self, refresh: bool = False) -> KeySet:
        with self._lock:
            if self._keys is None or refresh:
                assert self._metadata is not None
                self._keys = KeySet.import_key_set(self._get(self._metadata["jwks_uri"]))  # type: ignore[arg-type]
            return self._keys

    def _oauth(self, redirect_uri: str) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self._secret,
            scope=SCOPES,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=TIMEOUT,
        )

    # The two legs of the redirect

    def start(self, redirect_uri: str) -> Start:
        endpoint = self.metadata()["authorization_endpoint"]
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(64)
        with self._oauth(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                endpoint, state=state, code_verifier=verifier, nonce=nonce
            )
        return Start(url=url, state=state, nonce=nonce, code_verifier=verifier)

    def finish(self, redirect_uri: str, code: str, started: Start) -> VerifiedIdentity:
        metadata = self.metadata()
        try:
            with self._oauth(redirect_uri) as client:
                token = client.fetch_token(
                    metadata["token_endpoint"], code=code, code_verifier=started.code_verifier
                )
                claims = self._id_token_claims(str(token.get("id_token", "")), started.nonce)
                userinfo_url = metadata.get("userinfo_endpoint")
                extra = client.get(userinfo_url).json() if userinfo_url else {}
        except (httpx.HTTPError, ValueError) as error:
            raise SsoNotCompleted(UNREACHABLE) from error
        except Exception as error:  # authlib's OAuth errors: the provider refused the code
            if isinstance(error, SsoNotCompleted):
                raise
            raise SsoNotCompleted(_NOT_COMPLETED) from error
        if isinstance(extra, dict) and extra.get("sub") == claims["sub"]:
            # Userinfo may add claims; it never overrides what the signed token says.
            claims = {**extra, **claims}
        return self._identity(claims)

    def _id_token_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        if not id_token:
            raise SsoNotCompleted(_NOT_COMPLETED)
        try:
            try:
                decoded = jwt.decode(id_token, self._key_set(), algorithms=ALGORITHMS)
            except (JoseError, ValueError):
                decoded = jwt.decode(id_token, self._key_set(refresh=True), algorithms=ALGORITHMS)
            registry = jwt.JWTClaimsRegistry(
                now=lambda: int(time.time()),
                leeway=CLOCK_LEEWAY_SECONDS,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                sub={"essential": True},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise SsoNotCompleted(_NOT_COMPLETED) from error
        return dict(decoded.claims)

    def _identity(self, claims: dict[str, Any]) -> VerifiedIdentity:
        employee_id = claims.get(self.employee_id_claim) if self.employee_id_claim else None
        return VerifiedIdentity(
            issuer=self.issuer,
            subject=str(claims["sub"]),
            email=str(claims.get("email") or ""),
            email_verified=claims.get("email_verified") in (True, "true"),  # some send a string
            employee_id=str(employee_id) if isinstance(employee_id, str | int) else None,
            name=_display_name(claims),
        )


def _display_name(claims: dict[str, Any]) -> str:
    """The standard claims' name: `name`, else given and family names together."""
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    parts = [claims.get("given_name"), claims.get("family_name")]
    return " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())


_NOT_COMPLETED = (
    "Company sign-in did not complete: the answer from the sign-in service could not be "
    "checked. Start again from the sign-in page."
)
