from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import O*NET text files (Occupation_Data, Job_Zones, Alternate_Titles, Technology_Skills) from a folder."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **opts):
        from resumes.services import import_onet

        try:
            counts = import_onet(opts["path"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
