"""Checks shared by the domain modules; each failure names the field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import TypeVar

from peermentor.domain.errors import NotAMember, ValidationError

E = TypeVar("E", bound=Enum)

MIN_MEMBERS = 2
MAX_MEMBERS = 3


def require_members(members: Iterable[str]) -> tuple[str, ...]:
    """A pairing has 2 or 3 distinct, non-blank member ids, kept in the given order."""
    result = tuple(members)
    if not MIN_MEMBERS <= len(result) <= MAX_MEMBERS:
        raise ValidationError("members", f"a pairing has 2 or 3 members, not {len(result)}")
    if any(not isinstance(m, str) or not m.strip() for m in result):
        raise ValidationError("members", "member ids must be non-blank strings")
    if len(set(result)) != len(result):
        raise ValidationError("members", "a member cannot appear twice")
    return result


def require_member(members: tuple[str, ...], member_id: str) -> str:
    if member_id not in members:
        raise NotAMember(member_id)
    return member_id


def require_text(field: str, value: str, *, max_len: int, required: bool = True) -> str:
    """Strip the text; refuse it when blank (if required) or longer than max_len."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    text = value.strip()
    if required and not text:
        raise ValidationError(field, "must not be empty")
    if len(text) > max_len:
        raise ValidationError(field, f"must be at most {max_len} characters, not {len(text)}")
    return text


def require_texts(
    field: str, values: Iterable[str], *, max_len: int, max_items: int, min_items: int = 0
) -> tuple[str, ...]:
    if isinstance(values, str):
        raise ValidationError(field, "must be a list of texts, not one text")
    items = tuple(require_text(field, v, max_len=max_len) for v in values)
    if len(items) < min_items:
        raise ValidationError(field, f"needs at least {min_items} item(s)")
    if len(items) > max_items:
        raise ValidationError(field, f"must hold at most {max_items} items, not {len(items)}")
    return items


def require_choice(field: str, value: object, choices: type[E]) -> E:
    """Accept an enum member or its value; the message lists what is allowed."""
    try:
        return choices(value)
    except ValueError:
        allowed = ", ".join(str(c.value) for c in choices)
        raise ValidationError(field, f"{value!r} is not one of: {allowed}") from None


def require_int(field: str, value: object, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "must be a whole number")
    if not low <= value <= high:
        raise ValidationError(field, f"must be between {low} and {high}, not {value}")
    return value


def require_aware(field: str, value: datetime) -> datetime:
    """Times carry a time zone, so comparing two of them never depends on the server."""
    if not isinstance(value, datetime):
        raise ValidationError(field, "must be a date and time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, "must carry a time zone")
    return value


def require_id(field: str, value: str) -> str:
    return require_text(field, value, max_len=100)
