import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suite import documents


class Command(BaseCommand):
    help = "Recommend jobs for a resume file, with salary guidance, skill trends and career paths."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        from resumes.services.matching import insights, recommend_for_profile
        from resumes.services.resumes import parse_text

        if opts["top"] < 1:
            raise CommandError("--top must be at least 1.")
        try:
            text = documents.extract(Path(opts["path"])).text
        except (documents.DocumentError, OSError) as exc:
            raise CommandError(f"{opts['path']}: {exc}") from None
        profile, _, _ = parse_text(text)
        found = recommend_for_profile(profile, top=opts["top"])
        keys = ("job_id", "title", "employer", "location", "score", "matched_skills", "missing_skills", "salary", "why")
        recommendations = [{k: r[k] for k in keys} for r in found["recommendations"]]
        out = {"profile": profile, "recommendations": recommendations, **insights(profile, recommendations=recommendations)}
        if opts["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False, default=str))
            return
        for i, r in enumerate(recommendations, 1):
            pay = r["salary"]
            money = f" ${pay['min']:,.0f}-${pay['max']:,.0f}/yr" if pay.get("min") and pay.get("max") else ""
            self.stdout.write(f"{i:2}. {r['score']:.3f} {r['title']} - {r['employer']}{money}\n    {r['why']}")
