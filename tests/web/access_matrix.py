"""Every route of the app and who may use it. A test walks this table for each role
and fails when the app has a route the table does not list (or the other way round).

Outcomes:
  ALLOW  the request is served (any status but 401/403/404 or a redirect to sign in)
  LOGIN  sent to sign in (a page) or 401 (the API)
  DENY   403 or 404 (404 where telling that the thing exists would already say too much)
"""

from __future__ import annotations

from tests.web.circles_access_matrix import main_matrix_rows

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
TOKEN_OWNER = {"anonymous": LOGIN, "member": ALLOW} | {
    role: DENY for role in ROLES if role not in ("anonymous", "member")
}
ADMINS_OF_PROGRAMME = {
    "anonymous": LOGIN,
    "member": DENY,
    "other_participant": DENY,
    "program_admin": ALLOW,
    "other_program_admin": DENY,
    "org_admin": ALLOW,
}
PARTICIPANTS = dict.fromkeys(ROLES, DENY) | {
    "anonymous": LOGIN,
    "member": ALLOW,
    "other_participant": ALLOW,
}
ANY_ADMIN = ADMINS_OF_PROGRAMME | {"other_program_admin": ALLOW}
# The server's own records (the audit log): organisation admins only.
ORG_ADMIN_ONLY = dict.fromkeys(ROLES, DENY) | {"anonymous": LOGIN, "org_admin": ALLOW}
# A job belongs to the admin who started it; the walk asks for one that is not theirs.
JOB = ADMINS_OF_PROGRAMME | {"program_admin": DENY, "org_admin": DENY}

MATRIX: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    # Company sign-in: 404 unless configured (it is not in the matrix's app); the
    # whole flow, for every kind of identity, is tests/web/test_sso.py.
    ("GET", "/login/sso"): EVERYONE,
    ("GET", "/login/sso/callback"): EVERYONE,
    ("GET", "/invite/{token}"): EVERYONE,
    ("POST", "/invite/{token}"): EVERYONE,
    ("POST", "/logout"): SIGNED_IN,
    ("GET", "/account"): SIGNED_IN,
    ("GET", "/account/data.json"): SIGNED_IN,  # each their own data, nobody else's
    ("GET", "/account/password"): SIGNED_IN,
    # Each their own calendar address; an account with no person is told it has none.
    ("POST", "/account/calendar-feed"): SIGNED_IN,
    ("POST", "/account/calendar-feed/revoke"): SIGNED_IN,
    # A calendar app's subscription: no session, the secret in the path is the key (a
    # wrong one is a 404 for everyone).
    ("GET", "/calendar/{token}.ics"): EVERYONE,
    ("POST", "/account/password"): SIGNED_IN,
    # Each their own blocks (an admin's account has none: the page says so); removing
    # one is a participant's, refused to an account with no person.
    ("GET", "/account/blocks"): SIGNED_IN,
    ("POST", "/account/blocks/remove"): PARTICIPANTS,
    # Each their own profile; an account with no person (an admin's) is refused: 403.
    ("GET", "/account/profile"): PARTICIPANTS,
    ("POST", "/account/profile"): PARTICIPANTS,
    ("GET", "/"): SIGNED_IN,
    ("GET", "/admin/programs"): ANY_ADMIN,
    ("POST", "/admin/programs"): ANY_ADMIN,
    ("GET", "/admin/programs/{program_id}"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/people"): ADMINS_OF_PROGRAMME,
    # Applies a check the caller made (a bad or another's job id: 409, nothing imported).
    ("POST", "/admin/programs/{program_id}/people/apply"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/people.csv"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/people"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/people/{person_id}"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/people-template.csv"): ADMINS_OF_PROGRAMME,
    # Served to both admins; without mail a programme admin's answer is a 409 that says
    # mail is needed, never a link (tests/web/test_invitations.py).
    ("POST", "/admin/programs/{program_id}/invitations"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/settings"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/settings"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/match"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/jobs/{job_id}"): JOB,
    ("GET", "/admin/programs/{program_id}/review"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/why-not"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/pairings/{pairing_id}/lock"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/pairings/{pairing_id}/unpair"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/swap"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/pair"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/publish"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/match.csv"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/health"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/health/release"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/nudges"): ADMINS_OF_PROGRAMME,
    # --- reports and leaving (web/pages/admin_leaving.py): a report's words, to its admins ---
    ("GET", "/admin/programs/{program_id}/leaving"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/leaving/close"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/leaving/cooldown"): ADMINS_OF_PROGRAMME,
    # --- self sign-up (web/pages/signup.py, admin_signup.py) ---
    # The link's secret is the permission: a wrong one is a 404 for everyone.
    ("GET", "/join/sent"): EVERYONE,
    ("GET", "/join/{token}"): EVERYONE,
    ("POST", "/join/{token}"): EVERYONE,
    ("POST", "/join/{token}/me"): SIGNED_IN,
    # Each participant's own availability in a programme they are enrolled in.
    ("GET", "/programmes/{program_id}/availability"): PARTICIPANTS,
    ("POST", "/programmes/{program_id}/availability"): PARTICIPANTS,
    # Choosing one's own peer: each their own page in a programme they are enrolled in
    # (the walk's programme is matched by admins: the page says so, asking is refused
    # 409). {request_id} 1 is nobody's request here: everyone is told it does not exist.
    ("GET", "/programmes/{program_id}/choose"): PARTICIPANTS,
    ("POST", "/programmes/{program_id}/choose/ask"): PARTICIPANTS,
    **{
        ("POST", f"/programmes/{{program_id}}/choose/requests/{{request_id}}/{verb}"): (
            dict.fromkeys(ROLES, DENY) | {"anonymous": LOGIN}
        )
        for verb in ("accept", "decline", "withdraw")
    },
    ("POST", "/admin/programs/{program_id}/settings/self-match"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/signups"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/signups/settings"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/signups/decide"): ADMINS_OF_PROGRAMME,
    # --- programme insight (web/pages/admin_insight.py): figures over 5 or more only ---
    ("GET", "/admin/programs/{program_id}/insight"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/insight.csv"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/insight/report"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/insight/refresh"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/insight/outcomes"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/programs/{program_id}/insight/outcomes-template.csv"): ADMINS_OF_PROGRAMME,
    ("GET", "/admin/audit"): ORG_ADMIN_ONLY,
    # --- mail (web/pages/mail.py) ---
    # The signed link is the permission: a bad token is a 404 for everyone.
    ("GET", "/mail/unsubscribe/{token}"): EVERYONE,
    ("POST", "/mail/unsubscribe/{token}"): EVERYONE,
    ("POST", "/account/mail"): SIGNED_IN,  # each their own; 422 for an account with no person
    # Counts, failures and their reasons; never a body.
    ("GET", "/admin/programs/{program_id}/mail"): ADMINS_OF_PROGRAMME,
    ("POST", "/admin/programs/{program_id}/mail/{message_id}/resend"): ADMINS_OF_PROGRAMME,
    # --- participant pages (web/pages/participant*.py) ---
    # "/" (the dashboard) is above: every signed-in user gets it (admins are sent on).
    # A pairing's pages: its members only; admins never read what a pair writes.
    **dict.fromkeys(
        [
            ("GET", "/pairings/{pairing_id}"),
            ("POST", "/pairings/{pairing_id}/accept"),
            ("GET", "/pairings/{pairing_id}/calendar"),
            ("POST", "/pairings/{pairing_id}/calendar"),
            ("POST", "/pairings/{pairing_id}/calendar/cancel"),
            ("GET", "/pairings/{pairing_id}/calendar/{series_id}.ics"),
            ("GET", "/pairings/{pairing_id}/charter"),
            ("POST", "/pairings/{pairing_id}/charter"),
            ("POST", "/pairings/{pairing_id}/charter/agree"),
            ("POST", "/pairings/{pairing_id}/charter/goals"),
            ("GET", "/pairings/{pairing_id}/checkins"),
            ("POST", "/pairings/{pairing_id}/checkins"),
            ("GET", "/pairings/{pairing_id}/closing"),
            ("POST", "/pairings/{pairing_id}/closing"),
            ("POST", "/pairings/{pairing_id}/closing/close"),
            ("POST", "/pairings/{pairing_id}/closing/rematch"),
            ("POST", "/pairings/{pairing_id}/decline"),
            ("GET", "/pairings/{pairing_id}/feedback"),
            ("POST", "/pairings/{pairing_id}/feedback"),
            ("POST", "/pairings/{pairing_id}/feedback/acknowledge"),
            ("GET", "/pairings/{pairing_id}/gaps"),
            ("POST", "/pairings/{pairing_id}/gaps"),
            ("POST", "/pairings/{pairing_id}/gaps/move"),
            ("POST", "/pairings/{pairing_id}/gaps/remove"),
            ("POST", "/pairings/{pairing_id}/gaps/status"),
            ("GET", "/pairings/{pairing_id}/requests"),
            ("POST", "/pairings/{pairing_id}/requests"),
            ("POST", "/pairings/{pairing_id}/requests/answer"),
            ("POST", "/pairings/{pairing_id}/requests/close"),
            ("GET", "/pairings/{pairing_id}/roleplays"),
            ("POST", "/pairings/{pairing_id}/roleplays"),
            ("POST", "/pairings/{pairing_id}/roleplays/complete"),
            ("POST", "/pairings/{pairing_id}/roleplays/reflect"),
            ("POST", "/pairings/{pairing_id}/roleplays/schedule"),
            ("GET", "/pairings/{pairing_id}/sessions"),
            ("POST", "/pairings/{pairing_id}/sessions"),
            ("POST", "/pairings/{pairing_id}/sessions/contribution"),
            ("GET", "/pairings/{pairing_id}/vision"),
            ("POST", "/pairings/{pairing_id}/vision"),
            ("GET", "/pairings/{pairing_id}/leave"),
            ("POST", "/pairings/{pairing_id}/leave/availability"),
            ("POST", "/pairings/{pairing_id}/leave/end"),
            ("POST", "/pairings/{pairing_id}/leave/report"),
            ("POST", "/pairings/{pairing_id}/leave/block"),
        ],
        dict.fromkeys(ROLES, DENY) | {"anonymous": LOGIN, "member": ALLOW},
    ),
    # --- JSON API (web/api/) ---
    # The pairing's workspace: its members, and nobody else (admins are not members).
    **{
        route: {"anonymous": LOGIN, "member": ALLOW} | dict.fromkeys(ROLES[2:], DENY)
        for route in [
            ("GET", "/api/pairings/{pairing_id}"),
            ("POST", "/api/pairings/{pairing_id}/accept"),
            ("POST", "/api/pairings/{pairing_id}/decline"),
            ("POST", "/api/pairings/{pairing_id}/pause"),
            ("POST", "/api/pairings/{pairing_id}/resume"),
            ("GET", "/api/pairings/{pairing_id}/charter"),
            ("PATCH", "/api/pairings/{pairing_id}/charter"),
            ("PUT", "/api/pairings/{pairing_id}/charter/goals"),
            ("POST", "/api/pairings/{pairing_id}/charter/agree"),
            ("GET", "/api/pairings/{pairing_id}/visions"),
            ("PUT", "/api/pairings/{pairing_id}/visions/mine"),
            ("GET", "/api/pairings/{pairing_id}/gaps"),
            ("POST", "/api/pairings/{pairing_id}/gaps"),
            ("PATCH", "/api/pairings/{pairing_id}/gaps/{gap_id}"),
            ("DELETE", "/api/pairings/{pairing_id}/gaps/{gap_id}"),
            ("PUT", "/api/pairings/{pairing_id}/gaps/{gap_id}/milestone"),
            ("POST", "/api/pairings/{pairing_id}/gaps/{gap_id}/move"),
            ("GET", "/api/pairings/{pairing_id}/requests"),
            ("POST", "/api/pairings/{pairing_id}/requests"),
            ("POST", "/api/pairings/{pairing_id}/requests/{request_id}/answer"),
            ("POST", "/api/pairings/{pairing_id}/requests/{request_id}/close"),
            ("GET", "/api/pairings/{pairing_id}/sessions"),
            ("POST", "/api/pairings/{pairing_id}/sessions"),
            ("PUT", "/api/pairings/{pairing_id}/sessions/{session_id}/contribution"),
            ("GET", "/api/pairings/{pairing_id}/feedback"),
            ("POST", "/api/pairings/{pairing_id}/feedback"),
            ("POST", "/api/pairings/{pairing_id}/feedback/{feedback_id}/acknowledge"),
            ("GET", "/api/pairings/{pairing_id}/roleplays"),
            ("POST", "/api/pairings/{pairing_id}/roleplays"),
            ("PUT", "/api/pairings/{pairing_id}/roleplays/schedule"),
            ("POST", "/api/pairings/{pairing_id}/roleplays/{roleplay_id}/complete"),
            ("PUT", "/api/pairings/{pairing_id}/roleplays/{roleplay_id}/reflection"),
            ("GET", "/api/pairings/{pairing_id}/scenarios"),
            ("GET", "/api/pairings/{pairing_id}/checkins"),
            ("POST", "/api/pairings/{pairing_id}/checkins"),
            ("GET", "/api/pairings/{pairing_id}/balance"),
            ("GET", "/api/pairings/{pairing_id}/closing"),
            ("PUT", "/api/pairings/{pairing_id}/closing/reflection"),
            ("POST", "/api/pairings/{pairing_id}/close"),
            ("POST", "/api/pairings/{pairing_id}/rematch"),
        ]
    },
    ("GET", "/api/me/overview"): SIGNED_IN,
    ("GET", "/api/me/profile"): PARTICIPANTS,
    ("PUT", "/api/me/profile"): PARTICIPANTS,
    ("POST", "/api/me/tokens"): SIGNED_IN,
    ("GET", "/api/me/tokens"): SIGNED_IN,
    # {token_id} is the member's own token: anyone else is told it does not exist.
    ("DELETE", "/api/me/tokens/{token_id}"): TOKEN_OWNER,
    ("POST", "/api/programs/{program_id}/publish"): ADMINS_OF_PROGRAMME,
    ("GET", "/api/programs/{program_id}/health"): ADMINS_OF_PROGRAMME,
    ("GET", "/api/programs/{program_id}/why-not"): ADMINS_OF_PROGRAMME,
    ("POST", "/api/programs/{program_id}/scenarios"): ADMINS_OF_PROGRAMME,
    ("GET", "/api/programs/{program_id}/signups"): ADMINS_OF_PROGRAMME,
    ("PUT", "/api/programs/{program_id}/signups/settings"): ADMINS_OF_PROGRAMME,
    ("POST", "/api/programs/{program_id}/signups/decisions"): ADMINS_OF_PROGRAMME,
    ("GET", "/api/programs/{program_id}/choosing"): PARTICIPANTS,
    ("POST", "/api/programs/{program_id}/choosing/requests"): PARTICIPANTS,
    **{
        ("POST", f"/api/choosing/requests/{{request_id}}/{verb}"): (
            dict.fromkeys(ROLES, DENY) | {"anonymous": LOGIN}
        )
        for verb in ("accept", "decline", "withdraw")
    },
    ("GET", "/api/programs/{program_id}/self-match"): ADMINS_OF_PROGRAMME,
    ("PUT", "/api/programs/{program_id}/self-match"): ADMINS_OF_PROGRAMME,
    ("POST", "/api/pairings/{pairing_id}/withdraw"): ADMINS_OF_PROGRAMME,
    ("POST", "/api/pairings/{pairing_id}/dissolve"): ADMINS_OF_PROGRAMME,
    # --- circles: walked with their own roles in test_circles_access.py ---
    **main_matrix_rows(ROLES),
    # --- framework ---
    ("GET", "/openapi.json"): EVERYONE,
    ("GET", "/docs"): EVERYONE,
    ("GET", "/docs/oauth2-redirect"): EVERYONE,
    ("GET", "/redoc"): EVERYONE,
}
