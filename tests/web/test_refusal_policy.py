"""One policy for refusals: every class of the family (domain/errors.py and its service
subclasses) answers a page and an API call with the same status, from the one table
in web/refusals.py; and the refusals where page and API used to disagree."""

# ruff: noqa: F811 (tests take the imported `pairings` fixture as an argument)
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from peermentor.domain import errors
from peermentor.domain.errors import DomainError
from peermentor.domain.outcomes_csv import OutcomesFileRefused, Problem
from peermentor.services import access, auth, invitations, jobs, people, sso, throttle
from peermentor.web import refusals
from peermentor.web.api.common import api_router
from peermentor.web.render import sentence
from tests.web.conftest import PEER, sign_in
from tests.web.test_participant_access import activate
from tests.web.test_participant_flow import (
    Browser,
    Pairings,
    pairings,  # noqa: F401 (the fixture)
)

# One example of every refusal; a new class must be added here (and so to the table).
EXAMPLES: dict[type[DomainError], Callable[[], DomainError]] = {
    DomainError: lambda: DomainError("refused by a rule"),
    errors.ValidationError: lambda: errors.ValidationError("must not be empty", field="topic"),
    errors.ValidationErrors: lambda: errors.ValidationErrors(
        (
            errors.ValidationError("must not be empty", field="topic"),
            errors.ValidationError("is too long", field="detail"),
        )
    ),
    errors.NotAMember: lambda: errors.NotAMember("17"),
    errors.NotAllowed: lambda: errors.NotAllowed("close this request", "only the asker can"),
    errors.NotReady: lambda: errors.NotReady("agree the charter", "nobody has written it"),
    errors.NotFound: lambda: errors.NotFound("gap", "9"),
    errors.InvalidTransition: lambda: errors.InvalidTransition("proposed", "log a session in"),
    auth.LoginFailed: lambda: auth.LoginFailed(auth.LOGIN_REFUSED),
    auth.InvalidToken: lambda: auth.InvalidToken(auth.INVITATION_GONE),
    auth.InvitationRefused: lambda: auth.InvitationRefused("can already sign in"),
    throttle.TooManyAttempts: lambda: throttle.TooManyAttempts(timedelta(minutes=3)),
    invitations.MailNotConfigured: lambda: invitations.MailNotConfigured(invitations.MAIL_NEEDED),
    people.ImportRejected: lambda: people.ImportRejected([]),
    OutcomesFileRefused: lambda: OutcomesFileRefused([Problem(3, "date", "not a date")]),
    jobs.PreviewGone: lambda: jobs.PreviewGone("This checked file is not kept any more."),
    sso.SsoRefused: lambda: sso.SsoRefused("This company account may not sign in here."),
    sso.SsoNotCompleted: lambda: sso.SsoNotCompleted("The sign-in did not complete."),
}


def _family(root: type[DomainError] = DomainError) -> list[type[DomainError]]:
    found = [root]
    for sub in root.__subclasses__():
        found += [kind for kind in _family(sub) if kind not in found]
    return found


def _with_probes(app: FastAPI) -> None:
    """A page route and an API route that raise the refusal named in the path."""
    by_name = {kind.__name__: make for kind, make in EXAMPLES.items()}

    def page(name: str) -> None:
        raise by_name[name]()

    api = api_router("probe")

    @api.get("/probe/{name}")
    def api_probe(name: str) -> None:
        raise by_name[name]()

    app.add_api_route("/probe/{name}", page, include_in_schema=False)
    outer = APIRouter(prefix="/api")
    outer.include_router(api)
    app.include_router(outer)


def test_the_old_names_are_the_one_family() -> None:
    assert access.NotFound is errors.NotFound
    assert access.Forbidden is errors.NotAllowed
    assert access.InvalidInput is errors.ValidationError
    assert access.ServiceError is DomainError
    assert issubclass(throttle.TooManyAttempts, DomainError)


def test_every_refusal_has_an_example_here_and_a_row_in_the_table() -> None:
    family = _family()
    assert set(family) == set(EXAMPLES), "add the new refusal to EXAMPLES"
    for kind in family:
        assert any(k in refusals.TABLE for k in kind.__mro__)


def test_a_refusal_names_its_field_in_each_of_its_spellings() -> None:
    for refused in (
        errors.ValidationError("must not be empty", field="topic"),
        errors.ValidationError("topic", "must not be empty"),
        access.InvalidInput("topic: must not be empty"),
    ):
        assert (refused.field, refused.message) == ("topic", "must not be empty")
        assert str(refused) == "topic: must not be empty"
    sentence = access.InvalidInput("new password: the two entries differ")
    assert sentence.field is None and sentence.message == "new password: the two entries differ"


@pytest.mark.parametrize("kind", list(EXAMPLES), ids=lambda kind: kind.__name__)
def test_page_and_api_answer_a_refusal_with_the_same_status(
    client: TestClient, kind: type[DomainError]
) -> None:
    _with_probes(client.app)  # type: ignore[arg-type]
    refused = EXAMPLES[kind]()
    expected = refusals.TABLE[next(k for k in kind.__mro__ if k in refusals.TABLE)].status

    page = client.get(f"/probe/{kind.__name__}")
    api = client.get(f"/api/probe/{kind.__name__}")

    assert page.status_code == api.status_code == expected
    assert page.headers["content-type"].startswith("text/html")
    # The page says it as a sentence: capital first, full stop last.
    shown = sentence(str(refused))
    assert not shown[0].islower() and shown.replace("'", "&#39;") in page.text
    body = api.json()
    if isinstance(refused, errors.ValidationErrors):  # every refused value is listed
        assert [(d["loc"], d["msg"]) for d in body["detail"]] == [
            (["body", "topic"], "must not be empty"),
            (["body", "detail"], "is too long"),
        ]
    elif isinstance(refused, errors.ValidationError):
        assert body["detail"][0]["msg"] == refused.message
        assert body["detail"][0]["loc"] == ["body", refused.field] if refused.field else ["body"]
    else:
        assert body == {"detail": str(refused)}
    if isinstance(refused, throttle.TooManyAttempts):
        assert page.headers["retry-after"] == api.headers["retry-after"] == "180"


# --- where page and API disagreed before one table ---


@pytest.fixture
def ana(pairings: Pairings, session: Session) -> Browser:
    activate(pairings, session)
    return pairings.sign_in("ana")


def _alerts(html: str) -> list[str]:
    """What the page says in its alerts, tags dropped."""
    found = re.findall(r'<p class="error" role="alert">(.*?)</p>', html, re.DOTALL)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


def _field_error(html: str, field_id: str) -> str | None:
    """The error shown next to the input with this id."""
    found = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', html)
    return found.group(1) if found else None


def test_feedback_to_someone_outside_the_pairing_is_a_bad_value_as_in_the_api(
    pairings: Pairings, ana: Browser
) -> None:
    # The API answers 422 naming receiver_id (tests/api/test_bad_input.py); the page
    # answered 403, as if ana were the outsider.
    omar = str(pairings.people["omar"].id)
    response = ana.post(
        pairings.url("feedback"),
        dimension="attitude",
        situation="Standup",
        behaviour="Late",
        impact="Waiting",
        receiver_id=omar,
    )
    # A pair's form has no "To" list, so the refusal is said above the form; it was
    # not shown at all, its field being one the form leaves out.
    assert response.status_code == 422
    assert any(f"{omar} is not a member of this pairing" in a for a in _alerts(response.text))


def test_a_request_to_someone_outside_the_pairing_is_a_bad_value_as_in_the_api(
    pairings: Pairings, ana: Browser
) -> None:
    omar = str(pairings.people["omar"].id)
    response = ana.post(pairings.url("requests"), topic="Help", recipient_id=omar)
    assert response.status_code == 422
    assert any(f"{omar} is not a member of this pairing" in a for a in _alerts(response.text))


def test_an_unknown_scenario_is_a_bad_value_as_in_the_api(pairings: Pairings, ana: Browser) -> None:
    # The API answers 422 naming scenario_id; the page answered 404 as if the pairing
    # were missing.
    ana.submit(pairings.url("roleplays/schedule"), start="2026-03-02", cadence="weekly")
    response = ana.post(pairings.url("roleplays"), scenario_id="no-such-scenario")
    assert response.status_code == 422
    assert "No scenario &#39;no-such-scenario&#39;" in (
        _field_error(response.text, "rp-scenario") or ""
    )


def test_an_admin_asking_for_a_pairing_that_does_not_exist_is_refused_alike(
    pairings: Pairings,
) -> None:
    # Pages refused an admin before looking the pairing up (403); the API looked it up
    # first and answered 404, telling an admin which pairings exist.
    admin = pairings.sign_in("admin")
    for path in ("/pairings/999999", "/api/pairings/999999"):
        assert admin.client.get(path).status_code == 403, path


def test_an_id_past_the_databases_integers_is_422_on_pages_and_api(
    pairings: Pairings, ana: Browser
) -> None:
    huge = 10**30
    page = ana.client.get(pairings.url("gaps", pairing_id=huge))
    api = ana.client.get(f"/api/pairings/{huge}")
    assert page.status_code == api.status_code == 422
    assert "pairing_id" in page.text and page.headers["content-type"].startswith("text/html")
    assert api.json()["detail"][0]["loc"] == ["path", "pairing_id"]


def test_a_nul_character_in_a_form_names_its_field(pairings: Pairings, ana: Browser) -> None:
    response = ana.post(pairings.url("requests"), topic="Help\x00me")
    assert response.status_code == 422
    assert "Topic: must not contain a NUL character, which cannot be stored." in response.text


def test_a_participant_is_refused_a_programme_page_before_its_existence_is_told(
    client: TestClient,
) -> None:
    sign_in(client, *PEER)
    for path in ("/admin/programs/999999", "/api/programs/999999/health"):
        assert client.get(path).status_code == 403, path
