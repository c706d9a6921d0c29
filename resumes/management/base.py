"""The shape every reference-data import command shares: one path in, counts out, a service error as a CommandError."""
import csv
import zlib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# What a damaged or foreign file raises while it is read: a missing column, bytes that are not text, a cut gzip.
UNREADABLE = (KeyError, UnicodeDecodeError, EOFError, OSError, zlib.error, csv.Error)


class ReferenceImportCommand(BaseCommand):
    service = ""  # the name of the resumes.services function that imports a path

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **opts):
        from resumes import services

        try:
            with transaction.atomic():  # a file that breaks halfway leaves the earlier import as it was
                counts = getattr(services, self.service)(opts["path"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except UNREADABLE as exc:
            reason = f"column {exc} is missing" if isinstance(exc, KeyError) else str(exc) or type(exc).__name__
            raise CommandError(f"{opts['path']} cannot be read: {reason}") from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
