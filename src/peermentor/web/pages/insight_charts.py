"""Programme insight as figures: each a chart (inline SVG from pygal), the same numbers
as a table, and rows for the CSV download.

The charts carry their values as text on the bars and points, so they read without
colour; the CSP allows no inline style or script, so pygal's <style> and <script> are
stripped and static/insight-charts.css (pygal's own CSS, scoped to .pygal-chart) stands
in for them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pygal
from markupsafe import Markup

from peermentor.csv_safety import escape_cell
from peermentor.domain.insight import MIN_GROUP, FunnelStep, Hidden, Point, Share, safe_count
from peermentor.services.insight_view import Insight, RunInsight

HIDDEN_WORDS = f"fewer than {MIN_GROUP} (hidden)"
_STRIP = re.compile(r"<style[^>]*>.*?</style>|<script[^>]*>.*?</script>|<!--.*?-->", re.S)


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    svg: Markup | None = None
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def num_text(value: float | int | Hidden | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, Hidden):
        return HIDDEN_WORDS
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def share_text(value: Share | Hidden) -> str:
    if isinstance(value, Hidden):
        return HIDDEN_WORDS
    return f"{value.ratio:.0%} ({value.part:,} of {value.whole:,})"


def _plain(value: float | int | Hidden | None) -> float | None:
    return None if value is None or isinstance(value, Hidden) else float(value)


def _svg(chart: pygal.graph.graph.Graph, title: str) -> Markup:
    chart.title = title
    raw = chart.render(is_unicode=True)
    raw = _STRIP.sub("", raw).replace(' id=""', "", 1)
    # The table beside it carries the numbers for assistive technology.
    raw = raw.replace("<svg ", '<svg role="img" aria-hidden="true" focusable="false" ', 1)
    return Markup(raw)


def _config(**extra: object) -> dict[str, object]:
    return {
        "js": [],
        "no_prefix": True,
        "disable_xml_declaration": True,
        "print_values": True,
        "show_legend": False,
        "width": 720,
        "height": 340,
        "explicit_size": False,
        "truncate_label": 40,
        "dots_size": 4,
        **extra,
    }


def bar_svg(
    title: str, labels: Sequence[str], values: Sequence[float | None], horizontal: bool = False
) -> Markup:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(**_config(value_formatter=lambda v: f"{v:,.1f}".rstrip("0").rstrip(".")))
    # A horizontal bar chart draws its first label at the bottom: reversed, it reads down.
    order = slice(None, None, -1) if horizontal else slice(None)
    chart.x_labels = list(labels)[order]
    chart.add(title, list(values)[order])
    return _svg(chart, title)


def _line(title: str, points: Sequence[Point], range_: tuple[float, float] | None = None) -> Markup:
    extra: dict[str, object] = {"x_label_rotation": 30, "value_formatter": lambda v: f"{v:.2f}"}
    if range_:
        extra["range"] = range_
    chart = pygal.Line(**_config(**extra))
    chart.x_labels = [p.period.strftime("%b %Y") for p in points]
    chart.add(title, [_plain(p.value) for p in points])
    return _svg(chart, title)


def _funnel_figure(key: str, title: str, steps: Sequence[FunnelStep]) -> Figure:
    rows = [
        (
            s.label,
            num_text(s.people),
            "" if s.dropped is None else num_text(s.dropped),
            "" if s.share_of_start is None else f"{s.share_of_start:.0%}",
        )
        for s in steps
    ]
    svg = bar_svg(
        title, [s.label for s in steps], [_plain(s.people) for s in steps], horizontal=True
    )
    return Figure(
        key, title, ("Step", "People", "Dropped since the step before", "Of enrolled"), rows, svg
    )


def _series_figure(
    key: str,
    title: str,
    unit: str,
    points: Sequence[Point],
    range_: tuple[float, float] | None = None,
) -> Figure:
    rows = [
        (p.period.strftime("%Y-%m"), num_text(safe_count(p.pairings)), num_text(p.value, 2))
        for p in points
    ]
    return Figure(
        key,
        title,
        ("Month", "Pairings counted", unit),
        rows,
        _line(title, points, range_) if points else None,
    )


def _run_figures(run: RunInsight) -> list[Figure]:
    label = f"run {run.run_id}"
    quality_rows = [
        ("Pairings", num_text(run.pairings)),
        ("Certified gap to the optimum", "—" if run.gap is None else f"{run.gap:.2%}"),
        ("Blocking pairs", num_text(run.blocking_pairs)),
        ("Mean pair score", num_text(run.mean_score, 3)),
        ("Worst pair's score", num_text(run.worst_score, 3)),
        *(
            (f"Pairings meeting “{name}”", f"{share:.0%}")
            for name, share in sorted(run.criterion_share.items())
        ),
    ]
    bands = [
        (
            b.label,
            num_text(safe_count(b.pairings)),
            num_text(b.mean_score, 3),
            num_text(b.mean_sessions),
            num_text(b.mean_checkin, 2),
            share_text(b.renewed),
        )
        for b in run.bands
    ]
    return [
        _funnel_figure(f"funnel-run-{run.run_id}", f"Funnel of {label}", run.funnel),
        Figure(
            f"quality-run-{run.run_id}",
            f"Match quality of {label}",
            ("Figure", "Value"),
            quality_rows,
        ),
        Figure(
            f"fared-run-{run.run_id}",
            f"How pairs fared by score, {label}",
            (
                "Score third",
                "Pairings",
                "Mean score",
                "Sessions a pair",
                "Mean check-in",
                "Renewed",
            ),
            bands,
            bar_svg(
                f"Sessions a pair by score third, {label}",
                [b.label for b in run.bands],
                [_plain(b.mean_sessions) for b in run.bands],
            ),
            note=run.reading,
        ),
    ]


_MADE: dict[tuple[object, ...], list[Figure]] = {}


def figures(insight: Insight) -> list[Figure]:
    """Every figure of the analytics page, in its order; drawn once per refresh (the
    service hands back the same insight until the counters are refreshed)."""
    key = (insight.program_id, insight.refreshed_at, insight.since, insight.until)
    if key not in _MADE:
        if len(_MADE) >= 32:
            _MADE.pop(next(iter(_MADE)))
        _MADE[key] = _figures(insight)
    return _MADE[key]


def _figures(insight: Insight) -> list[Figure]:
    result = [_funnel_figure("funnel", "Funnel: enrolled to closed or renewed", insight.funnel)]
    result.append(
        _series_figure(
            "sessions", "Sessions a pair per month", "Sessions a pair", insight.sessions_per_month
        )
    )
    result.append(
        _series_figure(
            "feedback",
            "Feedback given a pair per month",
            "Feedback a pair",
            insight.feedback_per_month,
        )
    )
    result.append(
        _series_figure(
            "checkins",
            "Mean check-in score per month (1 to 5)",
            "Mean of trust, candour, mutual benefit, progress",
            insight.checkin_per_month,
            (1, 5),
        )
    )
    exchange_rows = [(label, share_text(share)) for label, share in insight.exchange]
    exchange_rows.append(("Mean time to answer guidance (hours)", num_text(insight.answer_hours)))
    result.append(
        Figure(
            "exchange",
            "Exchange: share of accepted pairings that ...",
            ("Pairings that", "Share"),
            exchange_rows,
            bar_svg(
                "Share of pairings (%)",
                [label for label, _ in insight.exchange],
                [
                    None if isinstance(s, Hidden) else round(100 * s.ratio, 1)
                    for _, s in insight.exchange
                ],
                horizontal=True,
            ),
        )
    )
    if insight.balance.shown:
        balance_svg = bar_svg(
            "Open pairings by balance",
            [n for n, _ in insight.balance.shown],
            [float(n) for _, n in insight.balance.shown],
        )
    else:
        balance_svg = None
    note = (
        f"Merged into “other”: {', '.join(insight.balance.merged)}."
        if insight.balance.merged
        else ""
    )
    if not insight.balance.shown:
        note = f"Fewer than {MIN_GROUP} open pairings with activity: hidden."
    result.append(
        Figure(
            "balance",
            "Give-and-take balance of open pairings",
            ("Band", "Pairings"),
            [(n, f"{c:,}") for n, c in insight.balance.shown],
            balance_svg,
            note,
        )
    )
    result.append(
        Figure(
            "risk",
            "Pairs at risk",
            ("Reason", "Pairings"),
            [(label, num_text(n)) for label, n in insight.risk_counts],
            bar_svg(
                "Pairings at risk",
                [label for label, _ in insight.risk_counts],
                [_plain(n) for _, n in insight.risk_counts],
                horizontal=True,
            ),
        )
    )
    labels, values, rows = [], [], []
    for d in insight.diversity:
        observed = None if isinstance(d.observed, Hidden) else round(100 * d.observed.ratio, 1)
        baseline = None if d.random_baseline is None else round(100 * d.random_baseline, 1)
        labels += [f"{d.attribute}: matched", f"{d.attribute}: random"]
        values += [observed, baseline]
        rows.append(
            (d.attribute, share_text(d.observed), "—" if baseline is None else f"{baseline:.0f}%")
        )
    result.append(
        Figure(
            "diversity",
            "Diversity: pairings across departments, locations and backgrounds",
            ("Across", "Matched pairings", "Random pairing of the same pool"),
            rows,
            bar_svg("Pairings across (%): matched against random", labels, values, horizontal=True),
        )
    )
    for run in insight.runs:
        result.extend(_run_figures(run))
    return result


def figures_csv(items: Sequence[Figure]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("figure", "column", "row", "value"))
    for f in items:
        for row in f.rows:
            for header, cell in zip(f.headers[1:], row[1:], strict=False):
                writer.writerow(tuple(escape_cell(x) for x in (f.key, header, row[0], cell)))
    return out.getvalue()
