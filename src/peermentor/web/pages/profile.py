"""The participant's own profile page: the fields they keep, in a form that shows a
refused value next to its input and keeps everything typed; what HR keeps, read-only.
Thin: services.profiles decides (the same use case as PUT /api/me/profile)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.errors import ValidationError, ValidationErrors
from peermentor.domain.profiles import FIELD_LABELS, MISSING_WORDS, OWNED_FIELDS, TAG_FIELDS
from peermentor.services import profiles
from peermentor.web import refusals
from peermentor.web.deps import Caller, Clock, caller, csrf_protected, db_session
from peermentor.web.pages.account import NO_STORE
from peermentor.web.render import render, sentence

router = APIRouter(prefix="/account/profile", include_in_schema=False)

TAG_SEPARATOR = ","  # the form's tag inputs are comma-separated
NOTICES = {
    "saved": "Your profile is saved. The next match uses it.",
    "unchanged": "Nothing changed: your profile was already like this.",
}
HINTS = {
    "skills_offered": "What you could help a peer with. Separate them with commas.",
    "skills_sought": "What you would like to learn. Separate them with commas.",
    "career_goals": "Where you want your career to go, e.g. lead a team. Separate with commas.",
    "goal_statement": (
        "In your own words. The matching reads it and your programme's admins can see it;"
        " your peer does not."
    ),
    "challenges": "What you are working through, e.g. giving feedback. Separate with commas.",
    "background": "Prior industries, education, ... Separate them with commas.",
    "languages": "Languages you can hold a conversation in. Separate them with commas.",
    "timezone": "An IANA name such as Europe/Paris, for working hours that overlap.",
    "hours_per_month": "A number, 0 or more; leave it empty if you do not know yet.",
    "opt_out": "While ticked, no match run pairs you with anyone.",
    "name": "As your colleagues know you.",
    "years_experience": "A number, like 4 or 2.5: you are matched with peers of similar "
    "experience.",
}


def missing_words(fields: tuple[str, ...]) -> str:
    """The empty completeness fields in plain words: "skills sought and background"."""
    words = [MISSING_WORDS[f] for f in fields]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _number(value: float) -> str:
    """Hours as typed: 4 for 4.0, every digit of 4.25 (never 1e+06 for a million)."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _form_of(profile: profiles.MyProfile) -> dict[str, str]:
    """The profile as the form's inputs show it."""
    form: dict[str, str] = {}
    if profile.keeps_name_and_years:
        form["name"] = profile.name
        form["years_experience"] = _number(profile.years_experience)
    for column in OWNED_FIELDS:
        value = getattr(profile, column)
        if column in TAG_FIELDS:
            form[column] = f"{TAG_SEPARATOR} ".join(value)
        elif column == "hours_per_month":
            form[column] = "" if value is None else _number(value)
        elif column == "opt_out":
            form[column] = "yes" if value else ""
        else:
            form[column] = value
    return form


def split_tags(text: str, known: tuple[str, ...] = ()) -> list[str]:
    """The tags of one comma-separated input, in order. A tag the person already has
    that holds a comma itself (an import may bring one: "Sales, EMEA") stays one tag."""
    whole = sorted((t for t in known if TAG_SEPARATOR in t and t in text), key=len, reverse=True)
    marks = {f"\ue000{i}\ue000": tag for i, tag in enumerate(whole)}
    for mark, tag in marks.items():
        text = text.replace(tag, mark)
    items = [item.strip() for item in text.split(TAG_SEPARATOR)]
    for mark, tag in marks.items():
        items = [item.replace(mark, tag) for item in items]
    return items


def _changes(form: dict[str, str], profile: profiles.MyProfile) -> dict[str, object]:
    """The form's text as the use case takes it: tags as lists."""
    changes: dict[str, object] = {}
    for column, text in form.items():
        if column in TAG_FIELDS:
            changes[column] = split_tags(text, getattr(profile, column))
        elif column == "opt_out":
            changes[column] = text == "yes"
        else:
            changes[column] = text
    return changes


def _show(
    request: Request,
    who: Caller,
    session: Session,
    status_code: int = 200,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    profile = profiles.my_profile(session, who.actor)
    context: dict[str, Any] = {
        "caller": who,
        "profile": profile,
        "form": form if form is not None else _form_of(profile),
        "errors": errors or {},
        "labels": FIELD_LABELS,
        "hints": HINTS,
        "tag_fields": TAG_FIELDS,
        "missing": missing_words(profile.incomplete),
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    }
    page = render(request, "profile.html", context, status_code=status_code)
    page.headers.update(NO_STORE)
    return page


@router.get("")
def profile_page(
    request: Request, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Response:
    return _show(request, who, session)


@router.post("")
def save_profile(
    request: Request,
    moment: Clock,
    skills_offered: Annotated[str, Form()] = "",
    skills_sought: Annotated[str, Form()] = "",
    career_goals: Annotated[str, Form()] = "",
    goal_statement: Annotated[str, Form()] = "",
    challenges: Annotated[str, Form()] = "",
    background: Annotated[str, Form()] = "",
    languages: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
    hours_per_month: Annotated[str, Form()] = "",
    opt_out: Annotated[str, Form()] = "",
    name: Annotated[str | None, Form()] = None,
    years_experience: Annotated[str | None, Form()] = None,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    form = {
        "skills_offered": skills_offered,
        "skills_sought": skills_sought,
        "career_goals": career_goals,
        "goal_statement": goal_statement,
        "challenges": challenges,
        "background": background,
        "languages": languages,
        "timezone": timezone,
        "hours_per_month": hours_per_month,
        "opt_out": "yes" if opt_out else "",
    }
    try:
        current = profiles.my_profile(session, who.actor)
        if current.keeps_name_and_years:  # signed up on their own: not HR's yet
            form = {"name": name or "", "years_experience": years_experience or ""} | form
        changed = profiles.update_my_profile(session, who.actor, _changes(form, current), moment)
    except ValidationError as error:
        session.rollback()
        problems = error.problems if isinstance(error, ValidationErrors) else (error,)
        errors: dict[str, str] = {}
        for problem in problems:
            name = refusals.field_name(problem.field or "")
            errors.setdefault(name if name in form else "", sentence(problem.message))
        return _show(request, who, session, refusals.status(error), form, errors)
    notice = "saved" if changed else "unchanged"
    return RedirectResponse(f"/account/profile?notice={notice}", status_code=303)
