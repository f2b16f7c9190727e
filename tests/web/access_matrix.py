"""Every route of the app and who may use it. A test walks this table for each role
and fails when the app has a route the table does not list (or the other way round).

Outcomes:
  ALLOW  the request is served (any status but 401/403/404 or a redirect to sign in)
  LOGIN  sent to sign in (a page) or 401 (the API)
  DENY   403 or 404 (404 where telling that the thing exists would already say too much)
"""

from __future__ import annotations

ROLES = (
    "anonymous",
    "member",  # a member of the pairing in the path
    "other_participant",  # a participant in another pairing of the same programme
    "program_admin",  # admin of the programme in the path
    "other_program_admin",  # admin of another programme only
    "org_admin",
)

ALLOW, LOGIN, DENY = "allow", "login", "deny"
EVERYONE = dict.fromkeys(ROLES, ALLOW)
SIGNED_IN = {"anonymous": LOGIN} | {role: ALLOW for role in ROLES[1:]}
ADMINS_OF_PROGRAMME = {
    "anonymous": LOGIN,
    "member": DENY,
    "other_participant": DENY,
    "program_admin": ALLOW,
    "other_program_admin": DENY,
    "org_admin": ALLOW,
}
ANY_ADMIN = ADMINS_OF_PROGRAMME | {"other_program_admin": ALLOW}
# A job belongs to the admin who started it; the walk asks for one that is not theirs.
JOB = ADMINS_OF_PROGRAMME | {"program_admin": DENY, "org_admin": DENY}

MATRIX: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("GET", "/invite/{token}"): EVERYONE,
    ("POST", "/invite/{token}"): EVERYONE,
    ("POST", "/logout"): SIGNED_IN,
    ("GET", "/account/password"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("GET", "/"): SIGNED_IN,
    ("GET", "/admin/programs"): ANY_ADMIN,
    ("POST", "/admin/programs"): ANY_ADMIN,
    ("GET", "/admin/programs/{program_id}"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/people"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/people.csv"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/invitations"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/settings"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/settings"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/match"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/jobs/{job_id}"): JOB,
    ("GET", "/admin/programs/{program_id}/review"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/pairings/{pairing_id}/lock"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/pairings/{pairing_id}/unpair"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/swap"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/pair"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/publish"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/match.csv"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/health"): ADMINS_OF_PROGRAMME,
    # --- participant pages (web/pages/participant*.py) ---
    # --- JSON API (web/api/) ---
    # --- framework ---
    ("GET", "/openapi.json"): EVERYONE,
    ("GET", "/docs"): EVERYONE,
    ("GET", "/docs/oauth2-redirect"): EVERYONE,
    ("GET", "/redoc"): EVERYONE,
}
