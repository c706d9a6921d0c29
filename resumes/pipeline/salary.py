"""Salaries on one scale (yearly USD) and the guidance built from BLS wages and aijobs.net reports."""
from __future__ import annotations

import re

import numpy as np

HOURS_PER_YEAR, WORKDAYS_PER_YEAR = 2080, 260
PER_YEAR = {"annual": 1, "yearly": 1, "year": 1, "hourly": HOURS_PER_YEAR, "hour": HOURS_PER_YEAR, "daily": WORKDAYS_PER_YEAR,
            "day": WORKDAYS_PER_YEAR, "weekly": 52, "week": 52, "monthly": 12, "month": 12}
BLS_SOURCE = "U.S. BLS Occupational Employment and Wage Statistics (national)"
AIJOBS_SOURCE = "aijobs.net salary reports"
LEVELS = {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "executive"}
DATA_AI_TITLE = re.compile(r"\b(data|machine learning|ml|ai|artificial intelligence|analytics|deep learning|nlp|mlops|"
                           r"computer vision|research scientist|statistic)", re.I)


def yearly(amount, frequency: str) -> float | None:
    """A posted amount as yearly pay; None when the frequency is unknown."""
    if amount in (None, ""):
        return None
    factor = PER_YEAR.get((frequency or "annual").strip().lower())
    return round(float(amount) * factor, 2) if factor else None


def posted_salary(job) -> dict:
    if job.yearly_min is None and job.yearly_max is None:
        return {}
    return {
        "min": job.yearly_min, "max": job.yearly_max, "currency": "USD", "period": "year",
        "posted": {"from": job.salary_from, "to": job.salary_to, "frequency": job.salary_frequency},
        "source": f"posting {job.source}:{job.external_id}", "year": job.posted_at.year if job.posted_at else None,
    }


def bls_figures(wage) -> dict:
    return {
        "soc": wage.soc, "title": wage.title, "p10": wage.p10, "p25": wage.p25, "p50": wage.p50, "p75": wage.p75,
        "p90": wage.p90, "mean": wage.mean, "currency": "USD", "period": "year", "source": BLS_SOURCE, "year": wage.year,
    }


def is_data_ai(title: str) -> bool:
    return bool(DATA_AI_TITLE.search(title or ""))


def distribution_by_level(rows: list[tuple[str, int, int]]) -> list[dict]:
    """(experience_level, salary_usd, year) rows -> percentiles per level, each naming its source and years."""
    out = []
    for code, level in LEVELS.items():
        values = np.asarray([r[1] for r in rows if r[0] == code], dtype=float)
        if len(values) == 0:
            continue
        years = sorted({r[2] for r in rows if r[0] == code})
        p25, p50, p75 = np.percentile(values, [25, 50, 75])
        out.append({"level": level, "n": int(len(values)), "p25": round(p25), "p50": round(p50), "p75": round(p75),
                    "currency": "USD", "period": "year", "source": AIJOBS_SOURCE,
                    "year": years[-1], "years": f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])})
    return out
