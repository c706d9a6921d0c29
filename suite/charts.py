"""Every chart in FineLoop: the geometry is computed here, and suite/templates/charts/ draws it as inline SVG.

No script and no CDN: a page renders its charts on the server (a live page that wants fresh charts fetches the
page again; see static/suite/ml.js). Three shapes cover the house:

- `bar_chart`: horizontal bars in groups (answers per annotator, flag rate per version, skills in demand);
  drawn by charts/bars.html.
- `line_chart`: one or more series over ordered points (answers per day, loss per epoch); charts/lines.html.
- `share_bars` and `meter_x`: the small inline bars of a label balance and the dot on an agreement meter.

Classes (`css`) name a series so a page's stylesheet can colour it; `SERIES_FILL` gives each a colour of its
own for pages without one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

# A series' colour where no stylesheet sets one (an SVG fill attribute, which page CSS overrides).
DEFAULT_FILL = "#2563eb"
SERIES_FILL = {
    "hot": "#c2410c",
    "submitted": "#1d6fa5",
    "accepted": "#137333",
    "rejected": "#b42318",
    "rate": "#b5531b",
    "s0": "#1d6fa5",
    "s1": "#b5531b",
    "s2": "#137333",
    "s3": "#7b3fb0",
    "s4": "#a0760a",
    "s5": "#555",
}
# Classes for series that have no name of their own (one per model version on a flag-rate chart).
SERIES_CSS = ("s0", "s1", "s2", "s3", "s4", "s5")

# Bars: a name column wide enough for the longest (shortened) name, at most half the chart.
LABEL_CHARS = 40
LABEL_MIN, LABEL_CHAR_WIDTH, VALUE_ROOM = 60, 7, 60


def number(value: float, *, percent: bool = False) -> str:
    """A value as a chart prints it: a share as a whole percent, a whole number without decimals."""
    if percent:
        return f"{value * 100:.0f}%"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bar_chart(
    groups: list[tuple[str, list[tuple[str, float, str]]]],
    *,
    scale_max: float | None = None,
    percent: bool = False,
    width: int = 560,
    bar_height: int = 12,
    bar_gap: int = 2,
    group_gap: int = 12,
    top: int = 8,
) -> dict:
    """Horizontal bars: `groups` is [(name, [(series, value, css), ...]), ...], one row of bars per name.

    The scale runs from 0 to `scale_max` (default: the largest value); a value above it is drawn full length.
    """
    values = [value or 0 for _, bars in groups for _, value, _ in bars]
    scale = scale_max or max(values + [0]) or 1
    longest = max((len(_short(str(name))) for name, _ in groups), default=0)
    left = min(max(LABEL_MIN, 14 + LABEL_CHAR_WIDTH * longest), width // 2)
    span = width - left - VALUE_ROOM
    bars, labels, y = [], [], top
    for name, row in groups:
        group_height = len(row) * (bar_height + bar_gap) - bar_gap
        labels.append({"x": left - 8, "y": y + group_height / 2, "text": _short(str(name)), "title": str(name)})
        for series, value, css in row:
            value = value or 0
            length = span * min(max(value / scale, 0.0), 1.0)
            shown = number(value, percent=percent)
            bars.append(
                {
                    "x": left,
                    "y": y,
                    "w": f"{max(length, 0.5 if value else 0):.1f}",
                    "h": bar_height,
                    "css": css,
                    "fill": SERIES_FILL.get(css, DEFAULT_FILL),
                    "text_y": f"{y + bar_height / 2:.1f}",
                    "value_x": f"{left + length + 4:.1f}",
                    "value": shown,
                    "title": f"{name} · {series}: {shown}" if series else f"{name}: {shown}",
                }
            )
            y += bar_height + bar_gap
        y += group_gap - bar_gap
    return {
        "width": width,
        "height": max(y + top - group_gap, 40),
        "left": left,
        "bars": bars,
        "labels": labels,
        "axis_bottom": y - group_gap + bar_gap + 2,
    }


@dataclass(frozen=True)
class Frame:
    """A line chart's box in SVG user units (the chart scales to its container) and the room left for ticks."""

    width: int = 560
    height: int = 220
    left: int = 52
    right: int = 16
    top: int = 12
    bottom: int = 30


def line_chart(
    points: list,
    series: list[tuple[str, list, str]],
    *,
    frame: Frame = Frame(),
    unit_range: bool = False,
    whole: bool = False,
    best: int | None = None,
    max_xticks: int = 10,
    tick_label: Callable[[object], str] = str,
    point_title: Callable[[object, str, float], str] | None = None,
    empty: str = "Nothing to show yet",
) -> dict:
    """Lines over ordered `points` (days, epochs): `series` is [(name, values, css)], one value per point.

    A value that is None or not finite leaves no dot (a day a version served nothing). The y axis runs from 0 (or
    below, for negative values) to the top value; `unit_range` keeps a top of 1 for scores up to 1, `whole` an even
    whole top for counts, so the middle tick is a whole number. At most `max_xticks` points are labelled.
    """
    n = len(points)
    ys = [float(v) for _, values, _ in series for v in values if _finite(v)]
    base = {
        "width": frame.width,
        "height": frame.height,
        "empty": empty,
        "middle_x": frame.width / 2,
        "middle_y": frame.height / 2,
        "lines": [],
    }
    if not ys:
        return base
    low, high = min(0.0, min(ys)), max(ys)
    if unit_range and high <= 1:
        high = 1.0
    if whole:
        high = max(math.ceil(high), 1)
        high += high % 2 if high > 1 else 0
    if high <= low:
        high = low + 1.0
    width, height = frame.width - frame.left - frame.right, frame.height - frame.top - frame.bottom

    def x(i):
        return frame.left + (width * i / (n - 1) if n > 1 else width / 2)

    def y(value):
        return frame.top + height * (1 - (value - low) / (high - low))

    radius = "2.5" if n > 30 else "3.5"
    title = point_title or (lambda point, name, value: f"{point}: {number(value)} {name}")
    lines = []
    for name, values, css in series:
        dots = [
            {
                "x": f"{x(i):.1f}",
                "y": f"{y(float(v)):.1f}",
                "r": radius,
                "best": best is not None and i == best,
                "title": title(points[i], name, float(v)),
            }
            for i, v in enumerate(values)
            if _finite(v)
        ]
        lines.append(
            {
                "key": name,
                "css": css,
                "fill": SERIES_FILL.get(css, DEFAULT_FILL),
                "points": dots,
                "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
            }
        )
    step = max(1, math.ceil(n / max_xticks))
    return {
        **base,
        "lines": lines,
        "left": frame.left,
        "right": frame.width - frame.right,
        "top": frame.top,
        "bottom": frame.height - frame.bottom,
        "label_y": frame.height - frame.bottom + 16,
        "yticks": [{"y": f"{y(v):.1f}", "label": number(v)} for v in sorted({low, (low + high) / 2, high})],
        "xticks": [{"x": f"{x(i):.1f}", "label": tick_label(points[i])} for i in range(0, n, step)],
    }


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def share_bars(counts: dict) -> list[dict]:
    """Small inline bars of a label balance: each label's count as a width (percent of the largest) and a share."""
    top = max(counts.values(), default=0)
    total = sum(counts.values()) or 1
    return [
        {"label": k, "n": n, "width": round(100 * n / top) if top else 0, "share": round(100 * n / total)}
        for k, n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]


def meter_x(value: float, *, signed: bool) -> str:
    """Where a score sits on a 100-unit meter: -1..1 when `signed` (kappa, alpha), else 0..1 (F1)."""
    share = (max(-1.0, min(1.0, value)) + 1) / 2 if signed else max(0.0, min(1.0, value))
    return f"{4 + 92 * share:.1f}"
