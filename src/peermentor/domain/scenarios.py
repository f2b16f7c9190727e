"""Role-play scenarios: the library shipped with the product, and programme additions.

Every scenario has two roles. The first is the one being practised (the person the
scenario is about); the second is the counterpart, played by a peer in support. In a
triad the third member observes and reports what they saw.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peermentor.domain.errors import NotFound, ValidationError
from peermentor.domain.validation import require_id, require_text

MAX_TITLE = 120
MAX_TEXT = 2000
LIBRARY_SOURCE = "library"


@dataclass(frozen=True, slots=True)
class RoleBrief:
    name: str
    brief: str


@dataclass(frozen=True, slots=True)
class Scenario:
    scenario_id: str
    title: str
    situation: str
    practising: RoleBrief  # the role the scenario trains
    counterpart: RoleBrief  # the peer's supporting role
    practise: str  # what to practise
    source: str = LIBRARY_SOURCE  # "library" or the id of the programme that added it


def _s(
    sid: str,
    title: str,
    situation: str,
    lead: tuple[str, str],
    other: tuple[str, str],
    practise: str,
) -> Scenario:
    return Scenario(sid, title, situation, RoleBrief(*lead), RoleBrief(*other), practise)


LIBRARY: tuple[Scenario, ...] = (
    _s(
        "onboarding-new-hire",
        "Onboarding a new hire",
        "A new colleague starts on Monday and you are their onboarding buddy for the first week.",
        ("Buddy", "Welcome them, find out what they already know, agree a plan for week one."),
        ("New hire", "You are keen but anxious; you hesitate to admit what you don't know."),
        "Asking open questions, setting expectations, making it safe to ask for help.",
    ),
    _s(
        "difficult-feedback",
        "A difficult feedback conversation",
        "A peer's missed deadlines have twice delayed your team's release.",
        ("Feedback giver", "Describe the situation, the behaviour and its impact; agree a change."),
        ("Peer", "You feel overloaded and a little defensive; you have reasons nobody asked for."),
        "Specific, non-judgemental feedback (situation, behaviour, impact) and listening.",
    ),
    _s(
        "negotiating-scope",
        "Negotiating scope",
        "A stakeholder wants three extra features in a release whose date cannot move.",
        ("Delivery lead", "Protect the date and the team; find what the stakeholder really needs."),
        ("Stakeholder", "You promised these features to a customer and you are under pressure."),
        "Separating interests from positions, offering options, saying no without a wall.",
    ),
    _s(
        "presenting-to-executive",
        "Presenting to an executive",
        "You have five minutes with a senior executive to ask for budget for your project.",
        ("Presenter", "Lead with the decision you need; keep the detail for questions."),
        ("Executive", "You are short of time, interrupt early and ask about the risk."),
        "Starting with the ask, handling interruptions, answering hard questions briefly.",
    ),
    _s(
        "asking-for-promotion",
        "Asking for a promotion",
        "You believe you have been working at the next level for a year.",
        ("Employee", "Make the case with evidence and ask what is missing."),
        ("Manager", "You are supportive but the budget is tight and you have doubts."),
        "Making a case with evidence, asking for concrete criteria, staying calm.",
    ),
    _s(
        "saying-no-to-senior",
        "Saying no to a senior colleague",
        "A senior colleague asks you to take on urgent work that would break another promise.",
        ("Colleague asked", "Decline or renegotiate while keeping the relationship."),
        ("Senior colleague", "You are used to hearing yes and you need this done this week."),
        "Saying no clearly, offering alternatives, not over-explaining.",
    ),
    _s(
        "resolving-conflict",
        "Resolving a conflict between two team members",
        "Two people in your team no longer speak to each other after a heated code review.",
        ("Mediator", "Hear one side without taking it; find a shared next step."),
        ("Team member", "You feel publicly humiliated and want the other person told off."),
        "Neutral listening, naming feelings, moving from blame to agreements.",
    ),
    _s(
        "delegating-task",
        "Delegating an important task",
        "You must hand over a task you care about to a colleague while you are on leave.",
        ("Delegator", "Explain the outcome and its limits, not every step; agree check-ins."),
        ("Colleague", "You are willing but unsure how much freedom you really have."),
        "Delegating outcomes, giving context, letting go of the method.",
    ),
    _s(
        "networking-introduction",
        "Introducing yourself to someone you want to learn from",
        "At an internal event you meet someone whose career you admire.",
        ("Newcomer", "Introduce yourself in two sentences and ask for a short conversation."),
        ("Admired colleague", "You are friendly but busy and get many such requests."),
        "A short, specific introduction and a clear, small ask.",
    ),
    _s(
        "receiving-criticism",
        "Receiving critical feedback",
        "Your manager tells you that your last presentation lost the audience.",
        ("Receiver", "Listen, ask for examples, thank them, decide what you will try."),
        ("Manager", "You are direct and expect the other person to get defensive."),
        "Listening without defending, asking for specifics, turning it into a next step.",
    ),
)

LIBRARY_BY_ID = {s.scenario_id: s for s in LIBRARY}


def programme_scenario(
    scenario_id: str,
    programme_id: str,
    *,
    title: str,
    situation: str,
    practising: RoleBrief,
    counterpart: RoleBrief,
    practise: str,
) -> Scenario:
    """A scenario a programme adds; its id may not clash with the shipped library."""
    sid = require_id("scenario_id", scenario_id)
    if sid in LIBRARY_BY_ID:
        raise ValidationError("scenario_id", f"{sid!r} is already a library scenario")
    return Scenario(
        scenario_id=sid,
        title=require_text("title", title, max_len=MAX_TITLE),
        situation=require_text("situation", situation, max_len=MAX_TEXT),
        practising=_role("practising", practising),
        counterpart=_role("counterpart", counterpart),
        practise=require_text("practise", practise, max_len=MAX_TEXT),
        source=require_id("programme_id", programme_id),
    )


def _role(field: str, role: RoleBrief) -> RoleBrief:
    return RoleBrief(
        require_text(f"{field}.name", role.name, max_len=MAX_TITLE),
        require_text(f"{field}.brief", role.brief, max_len=MAX_TEXT),
    )


def scenarios_for(programme_scenarios: Iterable[Scenario] = ()) -> tuple[Scenario, ...]:
    """The library followed by a programme's own scenarios, ids unique."""
    result = list(LIBRARY)
    seen = set(LIBRARY_BY_ID)
    for s in programme_scenarios:
        if s.scenario_id in seen:
            raise ValidationError("scenario_id", f"{s.scenario_id!r} appears twice")
        seen.add(s.scenario_id)
        result.append(s)
    return tuple(result)


def find_scenario(scenario_id: str, programme_scenarios: Iterable[Scenario] = ()) -> Scenario:
    for s in scenarios_for(programme_scenarios):
        if s.scenario_id == scenario_id:
            return s
    raise NotFound("scenario", scenario_id)
