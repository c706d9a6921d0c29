from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotation.services import exports
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
        parser.add_argument("--status", help="review states, comma-separated: open, in_review, accepted, rejected (with --scope all)")
        parser.add_argument("--annotator", help="only items this person answered (a username, or an imported tool's annotator)")
        parser.add_argument("--since", help="answers accepted (items created, when unanswered) on or after this day, YYYY-MM-DD")
        parser.add_argument("--until", help="... on or before this day, YYYY-MM-DD")
        parser.add_argument("--label", help="only items whose answer has this label")

    def handle(self, *args, format: str, kind: str, out: str, scope: str, option: list[str], **options):
        filters = {name: options.get(name) for name in ("status", "annotator", "since", "until", "label") if options.get(name)}
        format_options = {}
        for pair in option:
            key, sep, value = pair.partition("=")
            if not sep or not key:
                raise CommandError(f"--option takes KEY=VALUE, not {pair!r}")
            format_options[key.strip()] = value
        try:
            rows = exports.annotations_export(format=format, kind=kind, path=out, scope=scope, options=format_options, filters=filters)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"Wrote {rows} rows of {kind} to {out} ({format}).")
