"""Refusals: every "no" a use case gives, from the domain's rules and the services alike.

One family, rooted in DomainError. Each refusal carries the sentence a person reads
(`message`) and, where it is about one input, that input's name (`field`). Which HTTP
status each becomes is written once, in web/refusals.py; the CLI prints the message.

| refusal | meaning |
| --- | --- |
| ValidationError | a value is refused (the field named where there is one) |
| NotAMember | the acting person is not a member of the pairing |
| NotAllowed | the actor may not do this |
| NotReady | allowed, but something it needs is missing or already done |
| NotFound | no such thing (or the actor may not know that it exists) |
| InvalidTransition | the action is not allowed in the pairing's current state |

The services add a few of their own (sign-in, throttling, mail, imports), all
subclasses of these.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The services' first way of naming a field: the message starts with it ("email: ...").
_FIELD_FIRST = re.compile(r"^([a-z_][a-z0-9_.]*): (.+)$", re.DOTALL)


class DomainError(Exception):
    """Base of every refusal."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """A value is refused: `ValidationError("must not be empty", field="topic")`.

    The two older spellings mean the same and still work: the domain's
    `ValidationError("topic", "must not be empty")` and the services'
    `InvalidInput("topic: must not be empty")`."""

    def __init__(self, message: str, detail: str | None = None, *, field: str | None = None):
        if detail is not None:  # ValidationError(field, message)
            field, message = message, detail
        elif field is None and (named := _FIELD_FIRST.match(message)):
            field, message = named.group(1), named.group(2)
        super().__init__(message, field=field)


class ValidationErrors(ValidationError):
    """Several values refused at once, so a form can mark every one: the first one is
    the message (as a single ValidationError would be), `problems` holds them all."""

    def __init__(self, problems: tuple[ValidationError, ...]) -> None:
        first = problems[0]
        super().__init__(first.message, field=first.field)
        self.problems = problems


def collect(*checks: Callable[[], object]) -> None:
    """Run every check; raise all the ValidationErrors they raised together."""
    found: list[ValidationError] = []
    for check in checks:
        try:
            check()
        except ValidationError as error:
            found.append(error)
    if len(found) == 1:
        raise found[0]
    if found:
        raise ValidationErrors(tuple(found))


class NotAMember(DomainError):
    def __init__(self, member_id: str) -> None:
        super().__init__(f"{member_id!r} is not a member of this pairing")
        self.member_id = member_id


class NotAllowed(DomainError):
    """`NotAllowed(action, reason)` ("cannot {action}: {reason}"), or one sentence."""

    def __init__(self, action: str, reason: str | None = None) -> None:
        super().__init__(action if reason is None else f"cannot {action}: {reason}")
        self.action = None if reason is None else action
        self.reason = action if reason is None else reason


class NotReady(DomainError):
    """`NotReady(action, reason)` ("cannot {action}: {reason}"), or one sentence."""

    def __init__(self, action: str, reason: str | None = None) -> None:
        super().__init__(action if reason is None else f"cannot {action}: {reason}")
        self.action = None if reason is None else action
        self.reason = action if reason is None else reason


class NotFound(DomainError):
    """`NotFound(kind, key)` ("no {kind} {key!r}"), or one sentence ("no pairing 7")."""

    def __init__(self, kind: str, key: str | None = None) -> None:
        super().__init__(kind if key is None else f"no {kind} {key!r}")
        self.kind = None if key is None else kind
        self.key = key


class InvalidTransition(DomainError):
    def __init__(self, state: str, action: str) -> None:
        super().__init__(f"cannot {action} a pairing that is {state}")
        self.state = state
        self.action = action
