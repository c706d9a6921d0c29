from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotation import services
from annotation.formats import EXPORTERS


class Command(BaseCommand):
    help = "Export a model kind's annotations to a file (a folder for hf), streaming rows from the database."

    def add_arguments(self, parser):
        parser.add_argument("format", help=f"export format: {', '.join(sorted(EXPORTERS))}")
        parser.add_argument("--kind", required=True, help="a registered model kind")
        parser.add_argument("--out", required=True, help="the file (or, for hf, the new folder) to write")
        parser.add_argument("--scope", choices=["accepted", "all"], default="accepted",
                            help="accepted annotations only (default), or every task with its answer where it has one")
        parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                            help="a format option, e.g. style=prompt_completion or system='You are ...' for sft")

    def handle(self, *args, format: str, kind: str, out: str, scope: str, option: list[str], **options):
        format_options = {}
        for pair in option:
            key, sep, value = pair.partition("=")
            if not sep or not key:
                raise CommandError(f"--option takes KEY=VALUE, not {pair!r}")
            format_options[key.strip()] = value
        try:
            rows = services.annotations_export(format=format, kind=kind, path=out, scope=scope, options=format_options)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"Wrote {rows} rows of {kind} to {out} ({format}).")
