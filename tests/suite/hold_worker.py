"""Imported (celery worker --include) only by the worker the dead-worker test kills: it holds any document named
hold-* inside extraction, after the claim, so the worker dies mid-way as a machine would. No other process loads it."""

import time

from suite import documents

_extract = documents.extract


def _held_extract(source, *, filename=None, **kwargs):
    if (filename or "").startswith("hold-"):
        time.sleep(600)
    return _extract(source, filename=filename, **kwargs)


documents.extract = _held_extract
