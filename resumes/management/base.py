"""The shape every reference-data import command shares: one path in, counts out, a service error as a CommandError."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class ReferenceImportCommand(BaseCommand):
    service = ""  # the name of the resumes.services function that imports a path

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **opts):
        from resumes import services

        try:
            counts = getattr(services, self.service)(opts["path"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
