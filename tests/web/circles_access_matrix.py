"""Who may use each circle route, for the roles a circle has. Walked by
tests/web/test_circles_access.py on a real circle with a round under way; the main
matrix (access_matrix.py) gets rows derived from this one for its own roles.
"""

from __future__ import annotations

ROLES = (
    "anonymous",
    "member",  # a member of the circle in the path, the receiver of the note in the path
    "same_circle",  # another member of that circle
    "other_circle",  # a member of another circle of the same programme
    "lead",  # the circle's lead: named, not a member
    "program_admin",
    "other_program_admin",
    "org_admin",
)
ALLOW, LOGIN, DENY = "allow", "login", "deny"

_NOBODY = {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], DENY)
SIGNED_IN = {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], ALLOW)
MEMBERS = _NOBODY | {"member": ALLOW, "same_circle": ALLOW}
RECEIVER = _NOBODY | {"member": ALLOW}
ADMINS = _NOBODY | {"program_admin": ALLOW, "org_admin": ALLOW}
COUNTERS = ADMINS | {"lead": ALLOW}

CIRCLE_MATRIX: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/circles"): SIGNED_IN,
    ("GET", "/api/circles"): SIGNED_IN,
    **dict.fromkeys(
        [
            ("GET", "/circles/{circle_id}"),
            ("POST", "/circles/{circle_id}/notes"),
            ("POST", "/circles/{circle_id}/skip"),
            ("POST", "/circles/{circle_id}/pause"),
            ("POST", "/circles/{circle_id}/resume"),
            # The page forms name the note in the body: another member's answer is a
            # page again with "no note for you", so these are the circle's members'.
            ("POST", "/circles/{circle_id}/acknowledge"),
            ("POST", "/circles/{circle_id}/reply"),
            ("GET", "/api/circles/{circle_id}"),
            ("POST", "/api/circles/{circle_id}/notes"),
            ("POST", "/api/circles/{circle_id}/skip"),
            ("POST", "/api/circles/{circle_id}/pause"),
            ("POST", "/api/circles/{circle_id}/resume"),
        ],
        MEMBERS,
    ),
    ("POST", "/api/circle-notes/{note_id}/acknowledge"): RECEIVER,
    ("POST", "/api/circle-notes/{note_id}/replies"): RECEIVER,
    ("GET", "/circles/{circle_id}/participation"): COUNTERS,
    ("GET", "/api/circles/{circle_id}/participation"): COUNTERS,
    **dict.fromkeys(
        [
            ("GET", "/admin/circles/{circle_id}"),
            ("POST", "/admin/circles/{circle_id}/members"),
            ("POST", "/admin/circles/{circle_id}/members/remove"),
            ("POST", "/admin/circles/{circle_id}/round"),
            ("POST", "/admin/circles/{circle_id}/settings"),
            ("GET", "/admin/programs/{program_id}/circles"),
            ("POST", "/admin/programs/{program_id}/circles"),
            ("POST", "/admin/programs/{program_id}/circles/from-teams"),
            ("GET", "/api/circles/{circle_id}/settings"),
            ("PATCH", "/api/circles/{circle_id}/settings"),
            ("POST", "/api/circles/{circle_id}/members"),
            ("DELETE", "/api/circles/{circle_id}/members/{person_id}"),
            ("POST", "/api/circles/{circle_id}/rounds"),
            ("GET", "/api/programs/{program_id}/circles"),
            ("POST", "/api/programs/{program_id}/circles"),
            ("POST", "/api/programs/{program_id}/circles/from-teams"),
        ],
        ADMINS,
    ),
}


def main_matrix_rows(main_roles: tuple[str, ...]) -> dict[tuple[str, str], dict[str, str]]:
    """The same routes for the main matrix's roles, in its world with no circle: the
    circle and note in the path do not exist, so everyone is refused (or sent to sign
    in); the programme's routes are its admins'; the lists are everyone's."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for route, rule in CIRCLE_MATRIX.items():
        if rule is SIGNED_IN:
            rows[route] = {"anonymous": LOGIN} | dict.fromkeys(main_roles[1:], ALLOW)
        elif "{program_id}" in route[1]:
            rows[route] = (
                {"anonymous": LOGIN}
                | dict.fromkeys(main_roles[1:], DENY)
                | {"program_admin": ALLOW, "org_admin": ALLOW}
            )
        else:
            rows[route] = {"anonymous": LOGIN} | dict.fromkeys(main_roles[1:], DENY)
    return rows
