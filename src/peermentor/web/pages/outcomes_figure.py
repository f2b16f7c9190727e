"""The outcomes figure of the insight page: retention, promotion and internal moves of
participants against non-participants, as a chart, a table and CSV rows."""

from __future__ import annotations

from peermentor.domain.insight import Hidden, Share
from peermentor.domain.outcomes import Outcomes
from peermentor.web.pages.insight_charts import Figure, bar_svg, num_text, share_text

KEY = "outcomes"


def _percent(value: Share | Hidden) -> float | None:
    return None if isinstance(value, Hidden) else round(100 * value.ratio, 1)


_MADE: dict[tuple[Outcomes, int], Figure] = {}


def outcomes_figure(found: Outcomes, stored_events: int) -> Figure:
    """The figure, drawn once for the same figures (pygal's SVG is the slow part)."""
    key = (found, stored_events)
    if key not in _MADE:
        if len(_MADE) >= 32:
            _MADE.pop(next(iter(_MADE)))
        _MADE[key] = _drawn(found, stored_events)
    return _MADE[key]


def _drawn(found: Outcomes, stored_events: int) -> Figure:
    title = f"Outcomes: participants against non-participants, {found.since} to {found.until}"
    rows = [
        (
            g.label,
            num_text(g.people),
            share_text(g.retained),
            share_text(g.promoted),
            share_text(g.moved),
        )
        for g in found.groups
    ]
    labels, values = [], []
    for g in found.groups:
        labels += [f"{g.label}: stayed", f"{g.label}: promoted"]
        values += [_percent(g.retained), _percent(g.promoted)]
    svg = bar_svg("People (%): stayed and promoted", labels, values, horizontal=True)
    if not stored_events:
        note = "No outcome events uploaded yet: upload a CSV from HR below. " + found.caveat
    else:
        note = f"{found.reading} {found.caveat}"
    return Figure(
        KEY,
        title,
        ("Group", "People", "Stayed", "Promoted", "Moved internally"),
        rows,
        svg if stored_events else None,
        note,
    )
