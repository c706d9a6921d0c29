"""Train the triage model once (shipped messages plus accepted staff corrections) and save it under MODEL_ROOT,
so that no web or worker process trains it on a patient's first message."""
import time

from django.core.management.base import BaseCommand

from chatbot.ml import triage_correction_levels
from chatbot.pipeline.triage_model import correction_examples, load_or_train, model_path, shipped_examples, training_key


class Command(BaseCommand):
    help = "Train chatbot.triage's default model for the current training data (skipped when it is already saved)."

    def handle(self, *args, **opts):
        corrections = triage_correction_levels()
        key = training_key(corrections)
        path = model_path(key)
        saved = path.exists()
        started = time.perf_counter()
        load_or_train(key, shipped_examples() + correction_examples(corrections))
        verb = "already saved" if saved else f"trained in {time.perf_counter() - started:.1f} s"
        self.stdout.write(f"triage model {key[:16]} ({len(corrections)} corrections): {verb}: {path}")
