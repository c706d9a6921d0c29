from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import BLS OEWS national wages (national_M2023_dl.csv)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **opts):
        from resumes.services import import_bls

        try:
            counts = import_bls(opts["path"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
