"""Reading one cell of the people CSV: numbers, booleans, emails, time zones, lists.

Each reader takes the cell's text (already stripped) and returns the value, or raises
`CellError` with a message that quotes what the user typed, so that the caller can put
the row and column in front of it.
"""

from __future__ import annotations

import functools
import re
import zoneinfo

from email_validator import EmailNotValidError, validate_email

LIST_SEPARATOR = ";"


class CellError(ValueError):
    """The cell's text is not a valid value for its column."""


# Plain decimal notation, optionally with an exponent: what spreadsheets write and what
# repr(float) produces. float() alone would also accept "nan", "inf" and "1_000".
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")

_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0", ""})


def read_non_negative_number(text: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise CellError(f'"{text}" is not a number')
    value = float(text)
    if value == float("inf"):
        raise CellError(f'"{text}" is too large')
    if value < 0:
        raise CellError(f'"{text}" is negative; it must be 0 or more')
    return value


def read_integer(text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise CellError(f'"{text}" is not a whole number')
    return int(text)


def read_boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(f'"{text}" is not a yes/no value (use true/false, yes/no or 1/0)')


def read_timezone(text: str) -> str:
    if text not in known_timezones():
        raise CellError(f'"{text}" is not a known IANA time zone (e.g. Europe/Paris)')
    return text


@functools.cache
def known_timezones() -> frozenset[str]:
    # Listing the zones reads the whole tz database from disk: do it once per process.
    return frozenset(zoneinfo.available_timezones())


def read_list(text: str) -> tuple[str, ...]:
    """`a; b;;a` -> ("a", "b"): items trimmed, empties dropped, first occurrence kept."""
    if LIST_SEPARATOR not in text:
        return (text,) if text else ()
    items = (item.strip() for item in text.split(LIST_SEPARATOR))
    return tuple(dict.fromkeys(item for item in items if item))


# A conservative shape of an ordinary ASCII address. Whatever matches it (and is not
# caught by _NEEDS_LIBRARY) is valid for email-validator too, which a property test
# checks; everything else goes to the library, which is ~25 us per address: too slow
# to run on every row of a 100,000-row file, fine for the unusual ones.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_SIMPLE_EMAIL = re.compile(
    rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?:{_LABEL}\.)+(?P<tld>[A-Za-z]{{2,63}})"
)
# Special-use domains (RFC 6761) email-validator refuses; "--" may be punycode (IDNA).
_SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def read_email(text: str) -> str:
    """The address as typed, once it is known to be valid."""
    if _is_plainly_valid_email(text):
        return text
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise CellError(f'"{text}" is not a valid email address ({error})') from None
    return text


def _is_plainly_valid_email(text: str) -> bool:
    match = _SIMPLE_EMAIL.fullmatch(text)
    return (
        match is not None
        and len(match["local"]) <= 64
        and len(text) <= 254
        and "--" not in text.partition("@")[2]
        and match["tld"].lower() not in _SPECIAL_USE_TLDS
    )
