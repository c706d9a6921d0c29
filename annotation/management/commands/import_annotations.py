import argparse
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotation.services import imports
from annotation.formats import IMPORTERS


def label_map_argument(value: str | None):
    """`--labels` is FROM=TO,... or the path of a JSON file holding {"FROM": "TO"}."""
    if not value:
        return None
    path = Path(value)
    if value.endswith(".json") or (path.exists() and path.is_file()):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read the label mapping {value}: {exc.strerror or exc}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"The label mapping {value} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return value


class Command(BaseCommand):
    help = (
        "Import a file of annotations for a model kind: every item is checked first, then all are written at once. "
        "With --accepted, labelled items become training data; without it, they become tasks to annotate."
    )

    def add_arguments(self, parser):
        parser.add_argument("format", help=f"import format: {', '.join(sorted(IMPORTERS))}")
        parser.add_argument("path", help="the file (or, for cuad_v1, the CUAD_v1 folder) to import (.gz is read as gzip)")
        parser.add_argument("--kind", required=True, help="a registered model kind, e.g. resumes.ner")
        parser.add_argument("--accepted", action="store_true", help="store labelled items as accepted annotations")
        parser.add_argument("--project", help="the project's name (default: '<kind> imports')")
        parser.add_argument("--labels", metavar="FROM=TO,...|FILE.json",
                            help="map the file's labels to the kind's; labels with no mapping are left out and reported")
        parser.add_argument("--dry-run", action="store_true", help="check everything and print what would be imported; write nothing")
        parser.add_argument("--blind", action=argparse.BooleanOptionalAction, default=None,
                            help="make the --project blind (later annotators do not see earlier answers), or not")

    def handle(self, *args, format: str, path: str, kind: str, accepted: bool, project: str | None,
               labels: str | None, dry_run: bool, blind: bool | None, **options):
        mapping = label_map_argument(labels)
        try:
            with imports.import_source(path) as stream:
                counts = imports.annotations_import_upload(
                    stream=stream, format=format, kind=kind, accepted=accepted, project=project, labels=mapping, dry_run=dry_run,
                    blind=blind,
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {counts['items']} items into {kind}: {counts['accepted']} accepted, {counts['open']} open "
            f"({counts['preference']} preferences); {counts['skipped']} skipped."
        )
        for line in imports.import_report_lines(counts):
            self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
