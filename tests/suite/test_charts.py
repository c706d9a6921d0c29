"""suite.charts, the one chart module: bar and line geometry, and the templates that draw it as inline SVG."""
import re

from django.template.loader import render_to_string

from suite import charts


def test_bars_scale_to_the_largest_value_and_a_zero_value_draws_no_bar():
    chart = charts.bar_chart([("ann", [("submitted", 4, "submitted"), ("rejected", 0, "rejected")]),
                              ("bob", [("submitted", 2, "submitted"), ("rejected", 1, "rejected")])])

    widths = [float(b["w"]) for b in chart["bars"]]
    span = chart["width"] - chart["left"] - charts.VALUE_ROOM
    assert widths == [span, 0.0, span / 2, span / 4]
    assert [label["text"] for label in chart["labels"]] == ["ann", "bob"]
    assert chart["bars"][0]["title"] == "ann · submitted: 4"


def test_a_share_above_the_scale_is_drawn_full_length_and_printed_as_a_percent():
    chart = charts.bar_chart([("python", [("", 1.4, "hot")])], scale_max=1, percent=True)

    bar = chart["bars"][0]
    assert float(bar["w"]) == chart["width"] - chart["left"] - charts.VALUE_ROOM
    assert bar["value"] == "140%" and bar["fill"] == charts.SERIES_FILL["hot"]


def test_a_long_name_is_shortened_on_the_axis_and_kept_whole_in_its_title():
    name = "a skill with a very long name that would push the bars off the chart"
    chart = charts.bar_chart([(name, [("", 0.5, "")])])

    assert len(chart["labels"][0]["text"]) == charts.LABEL_CHARS and chart["labels"][0]["title"] == name
    assert chart["left"] <= chart["width"] // 2


def test_a_line_skips_missing_values_and_marks_the_best_point():
    chart = charts.line_chart([1, 2, 3, 4], [("loss", [0.9, None, float("nan"), 0.3], "")], best=3)

    points = chart["lines"][0]["points"]
    assert len(points) == 2 and [p["best"] for p in points] == [False, True]
    assert chart["lines"][0]["polyline"] == " ".join(f"{p['x']},{p['y']}" for p in points)
    assert float(points[0]["x"]) == chart["left"] and float(points[1]["x"]) == chart["right"]


def test_counts_get_an_even_whole_top_so_the_middle_tick_is_whole():
    chart = charts.line_chart(["d1", "d2"], [("submitted", [3, 5], "submitted")], whole=True)

    assert [t["label"] for t in chart["yticks"]] == ["0", "3", "6"]


def test_scores_keep_a_top_of_one_with_unit_range():
    chart = charts.line_chart([1, 2], [("f1", [0.2, 0.4], "")], unit_range=True)

    assert [t["label"] for t in chart["yticks"]] == ["0", "0.5", "1"]


def test_a_line_chart_without_values_says_so():
    chart = charts.line_chart([1, 2], [("loss", [None, None], "")], empty="No epochs yet")

    html = render_to_string("charts/lines.html", {"chart": chart, "title": "Loss"})
    assert "No epochs yet" in html and "<polyline" not in html


def test_the_templates_draw_every_bar_and_point_as_svg():
    bars = charts.bar_chart([("ann", [("submitted", 4, "submitted"), ("accepted", 3, "accepted")])])
    lines = charts.line_chart([1, 2, 3], [("loss", [3, 2, 1], "")], best=2)

    bars_html = render_to_string("charts/bars.html", {"chart": bars, "title": "Answers"})
    lines_html = render_to_string("charts/lines.html",
                                  {"chart": lines, "title": "Loss", "svg_class": "plot", "id": "plot-loss"})

    assert bars_html.count('<rect class="bar ') == 2 and 'aria-label="Answers"' in bars_html
    assert re.search(r'<svg class="plot" id="plot-loss"', lines_html)
    assert lines_html.count('<circle class="point') == 3 and lines_html.count('<circle class="point best"') == 1


def test_meter_and_share_bars_place_scores_and_counts():
    assert charts.meter_x(-1.0, signed=True) == "4.0" and charts.meter_x(1.0, signed=True) == "96.0"
    assert charts.meter_x(0.5, signed=False) == "50.0"
    assert charts.share_bars({"a": 1, "b": 3}) == [
        {"label": "b", "n": 3, "width": 100, "share": 75}, {"label": "a", "n": 1, "width": 33, "share": 25},
    ]
