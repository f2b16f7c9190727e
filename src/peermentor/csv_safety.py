"""Formula-safe CSV cells: what every CSV export writes and the people import reads.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or
carriage return let one slip past a check of the first character), so a name such as
`=HYPERLINK(...)` in an export would run on the admin's machine (OWASP "CSV injection").
An export writes such a text cell with a leading apostrophe, which spreadsheets show as
plain text; the import removes exactly that apostrophe, so an export re-imports unchanged.

So that the round trip holds for any text, a cell that already starts with apostrophes
followed by one of those characters (`'=x`) gets one more apostrophe too: the import
strips one apostrophe only from such a cell, and never touches `'abc`.
Numbers are not text: callers pass them formatted and unescaped (a score of -0.5 stays
-0.5); `escape_cell` only ever sees text columns.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CLASS = "[" + re.escape("".join(FORMULA_STARTS)) + "]"
_NEEDS_ESCAPE = re.compile(f"'*{_CLASS}")
_ESCAPED = re.compile(f"'+{_CLASS}")


def escape_cell(text: str) -> str:
    """The text as an export writes it: a spreadsheet shows it and never runs it."""
    return "'" + text if _NEEDS_ESCAPE.match(text) else text


def unescape_cell(text: str) -> str:
    """The text an export's cell stood for: undoes `escape_cell`, and only that."""
    return text[1:] if _ESCAPED.match(text) else text
