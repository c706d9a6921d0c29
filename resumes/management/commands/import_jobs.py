from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import job postings: `import_jobs nyc PATH` (NYC Jobs CSV) or `import_jobs generic PATH [--source NAME]` (CSV/JSON/JSONL)."

    def add_arguments(self, parser):
        parser.add_argument("format", choices=("nyc", "generic"))
        parser.add_argument("path")
        parser.add_argument("--source", default="generic", help="name stored with generic postings")
        parser.add_argument("--no-index", action="store_true", help="do not embed the postings now")

    def handle(self, *args, **opts):
        from resumes.services import (
            import_jobs_generic,
            import_jobs_nyc,
            job_index_build,
        )

        try:
            counts = import_jobs_nyc(opts["path"]) if opts["format"] == "nyc" else import_jobs_generic(opts["path"], source=opts["source"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if not opts["no_index"]:
            counts["embedded"] = job_index_build()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
