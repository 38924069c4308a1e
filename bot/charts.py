"""PNG charts for /stats, drawn with matplotlib's Agg backend (imported only when drawing)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.queries import MonthCount
from bot.records import WEAPONS

_COLOURS = {
    "rocket": "#d62728",
    "drone": "#1f77b4",
    "mortar": "#ff7f0e",
    "missile": "#9467bd",
    "ied": "#8c564b",
    "gunfire": "#2ca02c",
    "unknown": "#7f7f7f",
}
# Past this many months the bars are too thin to read: the chart shows the most recent ones.
MAX_MONTHS = 60


def _months(counts: Sequence[MonthCount]) -> list[tuple[int, int]]:
    """Every month from the first to the last in `counts`, gaps included."""
    first = min((c.year, c.month) for c in counts)
    last = max((c.year, c.month) for c in counts)
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-MAX_MONTHS:]


def monthly_chart_png(counts: Sequence[MonthCount], *, title: str) -> bytes | None:
    """A stacked bar chart of incidents per month by weapon, as PNG bytes; None if no data."""
    if not counts:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    months = _months(counts)
    index = {month: i for i, month in enumerate(months)}
    figure = Figure(figsize=(8, 4), dpi=100)
    axes = figure.subplots()
    bottoms = [0] * len(months)
    for weapon in WEAPONS:
        heights = [0] * len(months)
        for c in counts:
            if c.weapon == weapon and (c.year, c.month) in index:
                heights[index[(c.year, c.month)]] += c.count
        if any(heights):
            axes.bar(
                range(len(months)), heights, bottom=bottoms, label=weapon, color=_COLOURS[weapon]
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    step = max(1, len(months) // 12)
    axes.set_xticks(range(0, len(months), step))
    axes.set_xticklabels(
        [f"{y}-{m:02d}" for y, m in months[::step]], rotation=45, ha="right", fontsize=8
    )
    axes.set_ylabel("incidents")
    axes.set_title(title)
    axes.legend(fontsize=8)
    # Fixed margins: tight_layout measures every label and costs about as much as the drawing.
    figure.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.2)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
