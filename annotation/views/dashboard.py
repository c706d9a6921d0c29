"""The dashboard page: throughput, agreement and flag rates, with charts drawn from suite.charts."""

from datetime import date, timedelta

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from annotation.selectors.dashboard import annotation_dashboard
from suite import access, charts
from suite import roles as R


def _daily_series(daily: list[dict]) -> list[dict]:
    """Every day from the first to the last with a count, the days without one as zeros."""
    if not daily:
        return []
    by_day = {row["date"]: row for row in daily}
    first, last = date.fromisoformat(daily[0]["date"]), date.fromisoformat(daily[-1]["date"])
    days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    return [by_day.get(d, {"date": d, "submitted": 0, "accepted": 0}) for d in days]


def _version_name(row: dict) -> str:
    return f"{row['kind']} v{row['version']}" if row["version"] is not None else f"{row['kind']} default"


def _flag_rate_days(rows: list[dict]) -> tuple[list[str], list[tuple[str, list, str]]]:
    """Daily flag rate (percent) per kind and version: the days in order, and one series per version."""
    names: list[str] = []
    by_day: dict[str, dict] = {}
    for r in rows:
        name = _version_name(r)
        if name not in names:
            names.append(name)
        by_day.setdefault(r["date"], {})[name] = round(100 * r["rate"], 1)
    days = sorted(by_day)
    css = charts.SERIES_CSS
    return days, [(name, [by_day[d].get(name) for d in days], css[i % len(css)]) for i, name in enumerate(names)]


def _per_day(days: list[str], series: list[tuple[str, list, str]], *, unit: str = "") -> dict:
    """A line chart over days, dates as month-day under the axis and in full on each dot."""
    return charts.line_chart(
        days,
        series,
        whole=True,
        max_xticks=6,
        tick_label=lambda day: day[5:],
        point_title=lambda day, name, value: f"{day}: {charts.number(value)} {unit or name}",
        empty="No annotations in the last 30 days",
    )


AGREEMENT_ROWS = (
    ("cohen_kappa", "Cohen's kappa", "mean over annotator pairs, label items"),
    ("fleiss_kappa", "Fleiss' kappa", "items with the same number of annotators"),
    ("krippendorff_alpha", "Krippendorff's alpha", "ratings, interval level"),
    ("span_f1", "Span F1", "between the first two annotators of a spans item"),
)


def _agreement_row(name: str, title: str, help_text: str, value: float | None) -> dict:
    """A measure with where it sits on its meter and how good it reads (0.6 and up: substantial)."""
    row = {"name": name, "title": title, "help": help_text, "value": value, "signed": name != "span_f1"}  # F1 runs 0..1
    if value is not None:
        row["x"] = charts.meter_x(value, signed=row["signed"])
        row["quality"] = "good" if value >= 0.6 else "fair" if value >= 0.2 else "poor"
    return row


@never_cache
@access.role_required(R.REVIEWER)
def dashboard(request):
    kind = request.GET.get("kind") or None
    data = annotation_dashboard(kind=kind)
    throughput = data["throughput"]
    flag_rates = [{**row, "name": _version_name(row)} for row in data["flag_rates"]]
    agreement = data["agreement"]
    days = _daily_series(data["daily"])
    flag_days, flag_series = _flag_rate_days(data["flag_rates_daily"])
    answers = ("submitted", "accepted", "rejected")
    context = {
        "data": data,
        "kind": kind or "",
        "throughput_chart": charts.bar_chart(
            [(row["annotator"], [(key, row[key], key) for key in answers]) for row in throughput]
        )
        if throughput
        else None,
        "daily_chart": _per_day(
            [row["date"] for row in days], [(key, [row[key] for row in days], key) for key in answers[:2]]
        ),
        "flag_rates": flag_rates,
        "flag_daily_chart": _per_day(flag_days, flag_series, unit="% flagged") if flag_days else None,
        "flag_series": [(name, css) for name, _, css in flag_series],
        "flag_chart": charts.bar_chart(
            [(row["name"], [("rate", row["rate"], "rate")]) for row in flag_rates],
            percent=True,
            width=760,
        )
        if flag_rates
        else None,
        "agreement_rows": [
            _agreement_row(name, title, help_text, agreement.get(name)) for name, title, help_text in AGREEMENT_ROWS
        ],
        "items_with_overlap": agreement.get("items_with_overlap", 0),
    }
    return render(request, "annotation/dashboard.html", context)
