from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotation import services
from annotation.formats import IMPORTERS
from annotation.models import AnnotationProject


class Command(BaseCommand):
    help = (
        "Import a file of annotations for a model kind: every item is checked first, then all are written at once. "
        "With --accepted, labelled items become training data; without it, they become tasks to annotate."
    )

    def add_arguments(self, parser):
        parser.add_argument("format", help=f"import format: {', '.join(sorted(IMPORTERS))}")
        parser.add_argument("path", help="the file to import (.gz is read as gzip)")
        parser.add_argument("--kind", required=True, help="a registered model kind, e.g. resumes.ner")
        parser.add_argument("--accepted", action="store_true", help="store labelled items as accepted annotations")
        parser.add_argument("--project", help="the project's name (default: '<kind> imports')")

    def handle(self, *args, format: str, path: str, kind: str, accepted: bool, project: str | None, **options):
        try:
            with open(path, "rb") as stream, transaction.atomic():  # a rejected file leaves no new project behind
                target = AnnotationProject.objects.get_or_create(kind=kind, name=project)[0] if project else None
                counts = services.annotations_import(format=format, stream=stream, kind=kind, accepted=accepted, project=target)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(
            f"Imported {counts['items']} items into {kind}: {counts['accepted']} accepted, {counts['open']} open "
            f"({counts['preference']} preferences); {counts['skipped']} skipped."
        )
