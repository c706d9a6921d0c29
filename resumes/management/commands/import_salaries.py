from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import aijobs.net salary reports (salaries.csv.gz)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **opts):
        from resumes.services import import_aijobs

        try:
            counts = import_aijobs(opts["path"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
