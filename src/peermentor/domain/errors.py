"""Domain errors: what the services and the API map to 403, 404, 409 and 422.

| error | meaning | HTTP |
| --- | --- | --- |
| NotAMember | the acting person is not a member of the pairing | 403 |
| NotAllowed | a member, but not the one who may do this | 403 |
| NotReady | allowed, but something it needs is missing or already done | 409 |
| NotFound | an id that is not in the collection it names | 404 |
| InvalidTransition | the action is not allowed in the current state | 409 |
| ValidationError | a field holds a bad value | 422 |
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule the domain refuses."""


class ValidationError(DomainError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotAMember(DomainError):
    def __init__(self, member_id: str) -> None:
        super().__init__(f"{member_id!r} is not a member of this pairing")
        self.member_id = member_id


class NotAllowed(DomainError):
    def __init__(self, action: str, reason: str) -> None:
        super().__init__(f"cannot {action}: {reason}")
        self.action = action
        self.reason = reason


class NotReady(DomainError):
    def __init__(self, action: str, reason: str) -> None:
        super().__init__(f"cannot {action}: {reason}")
        self.action = action
        self.reason = reason


class NotFound(DomainError):
    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} {key!r}")
        self.kind = kind
        self.key = key


class InvalidTransition(DomainError):
    def __init__(self, state: str, action: str) -> None:
        super().__init__(f"cannot {action} a pairing that is {state}")
        self.state = state
        self.action = action
