"""Import knowledge-base articles (MedQuAD, JSONL or Markdown) and bring the search index up to date."""
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from chatbot import services
from chatbot.services.knowledge import IMPORTERS


class Command(BaseCommand):
    help = "import_kb {medquad,jsonl,markdown,starter} [PATH]: create or update articles by source id, then index them."

    def add_arguments(self, parser):
        parser.add_argument("format", choices=[*IMPORTERS, "starter"])
        parser.add_argument("path", nargs="?")
        parser.add_argument("--limit", type=int, help="MedQuAD: import only the first N answered pairs")
        parser.add_argument("--no-index", action="store_true", help="leave indexing to the first question")

    def _progress(self):
        """A progress bar over the passages being embedded (to stderr, so --json-like stdout stays clean)."""
        from tqdm import tqdm

        bar = None

        def step(done: int, total: int):
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, desc="embedding passages", unit="passage", file=self.stderr._out, mininterval=1.0)
            bar.update(done)
            if bar.n >= total:
                bar.close()

        return step

    def handle(self, *args, **opts):
        started = time.perf_counter()
        try:
            if opts["format"] == "starter":
                counts = services.starter_kb_load()
            else:
                if not opts["path"]:
                    raise CommandError(f"{opts['format']} needs a PATH.")
                path = Path(opts["path"])
                if not path.exists():
                    raise CommandError(f"{path} does not exist.")
                extra = {"limit": opts["limit"]} if opts["format"] == "medquad" else {}
                counts = services.articles_import(IMPORTERS[opts["format"]](path, **extra))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"articles: {counts['created']} new, {counts['updated']} changed, {counts['unchanged']} unchanged")
        if not opts["no_index"]:
            index = services.knowledge_index(progress=self._progress(), importing=True)
            self.stdout.write(f"index: {len(index)} chunks ({time.perf_counter() - started:.1f} s)")
