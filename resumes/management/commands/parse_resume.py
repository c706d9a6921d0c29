import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suite import documents


class Command(BaseCommand):
    help = "Parse resumes (PDF, DOCX, TXT) into profiles: one JSON object a line with --json."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--json", action="store_true", help="one JSON object per resume, per line")

    def handle(self, *args, **opts):
        from resumes.ml import NER
        from resumes.selectors import skill_taxonomy
        from resumes.services.resumes import parse_result, parse_text
        from suite.ml.selectors import production_version

        version, taxonomy = production_version(kind=NER), skill_taxonomy()  # loaded once for every file
        failed = 0
        for path in opts["paths"]:
            try:
                text = documents.extract(Path(path)).text
            except (documents.DocumentError, OSError) as exc:
                failed += 1
                self.stderr.write(f"{path}: {exc}")
                continue
            profile, spans, _ = parse_text(text, version=version, taxonomy=taxonomy)
            result = parse_result(text, profile, spans, version)
            if opts["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                self.stdout.write(f"{path}: {result['name'] or '(no name)'} <{result['email']}>, "
                                  f"{len(result['skills'])} skills, {len(result['experience'])} jobs, "
                                  f"{result['total_experience_months']} months")
        if failed:
            raise CommandError(f"{failed} of {len(opts['paths'])} file(s) could not be read.")
