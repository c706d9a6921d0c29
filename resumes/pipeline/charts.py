"""Inline SVG bar charts (no scripts, no CDN): geometry computed here, drawn by a template."""


def bar_chart(rows: list[tuple[str, float, str]], *, width: int = 560, bar: int = 18, gap: int = 6, left: int = 170) -> dict:
    """rows: (label, value 0..1, css class) -> bars with coordinates for resumes/_bars.html."""
    height = max(1, len(rows)) * (bar + gap) + gap
    span = width - left - 60
    bars = []
    for i, (label, value, css) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = max(1, round(span * max(0.0, min(1.0, value))))
        bars.append({"label": label, "x": left, "y": y, "w": w, "h": bar, "text_y": y + bar - 5, "value": f"{value:.0%}",
                     "value_x": left + w + 4, "css": css})
    return {"width": width, "height": height, "left": left, "bars": bars}
