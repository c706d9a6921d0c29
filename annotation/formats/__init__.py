"""The catalogue of import and export formats: one small class per format, found by name.

An importer turns a file into items `{"input", "group", "result"?, "prediction"?, "feedback_type"?}`, each
tagged with where it came from (`"line 3"`, `"item 7"`), so a rejection can point at it; it only parses.
The annotation services validate every item against the kind and write them all in one transaction.

An exporter writes rows from `annotation.selectors.export_rows` to a file (or a folder), one row at a
time, so a large export runs in constant memory.

Domain apps add their own formats from their AppConfig.ready:

    from annotation.formats import Importer, register_importer

    @register_importer
    class ContractClauses(Importer):
        name = "cuad"
        ...
"""
from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, ClassVar


class UnknownFormat(LookupError):
    pass


class FormatError(ValueError):
    """A file that cannot be read as its format says, with where (line or item) and why."""

    def __init__(self, where: str, reason: str):
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}" if where else reason)


class Importer:
    """Parses one file format into items. A fresh instance reads each file."""

    name: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self):
        # Parts of the file that hold nothing to import (ties, empty answers), with where they are.
        self.skipped: list[str] = []
        # What was read leniently or left out without failing ("whitespace_tolerated", "drafts_ignored", ...).
        self.notes: Counter = Counter()

    def parse(self, stream: IO[bytes], *, kind) -> Iterator[tuple[str, dict]]:
        """Yield `(where, item)` for each item in the file; raise FormatError where it cannot be read."""
        raise NotImplementedError


class Exporter:
    """Writes rows of one kind to a file (or a folder, when `folder` is true)."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    extension: ClassVar[str] = ".jsonl"
    folder: ClassVar[bool] = False

    def check(self, kind, options: dict) -> None:
        """Raise FormatError when this format cannot hold the kind or the options make no sense."""

    def write(self, rows: Iterable[dict], path: Path, *, kind, options: dict) -> int:
        """Write `rows` to `path` one at a time; return how many records were written."""
        raise NotImplementedError


IMPORTERS: dict[str, type[Importer]] = {}
EXPORTERS: dict[str, type[Exporter]] = {}


def register_importer(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make an import format available by its name."""
    IMPORTERS[cls.name] = cls
    return cls


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    """Class decorator: make an export format available by its name."""
    EXPORTERS[cls.name] = cls
    return cls


def get_importer(name: str) -> Importer:
    try:
        return IMPORTERS[name]()
    except KeyError:
        raise UnknownFormat(f"Unknown import format {name!r}; known import formats: {', '.join(sorted(IMPORTERS))}.") from None


def get_exporter(name: str) -> Exporter:
    try:
        return EXPORTERS[name]()
    except KeyError:
        raise UnknownFormat(f"Unknown export format {name!r}; known export formats: {', '.join(sorted(EXPORTERS))}.") from None


def text_stream(stream: IO[bytes]) -> IO[str]:
    """UTF-8 text of a binary stream, gunzipped when it is gzip (a BOM is dropped)."""
    head = stream.read(2)
    stream.seek(0)
    raw: Any = gzip.GzipFile(fileobj=stream) if head == b"\x1f\x8b" else stream
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def json_lines(stream: IO[bytes], what: str = "JSON lines") -> Iterator[tuple[int, Any]]:
    """(line number, record) for each non-blank line; bad JSON or bytes raise a FormatError naming the line."""
    try:
        for number, line in enumerate(text_stream(stream), 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise FormatError(f"line {number}", f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except (UnicodeDecodeError, OSError, EOFError):
        raise FormatError("", f"not a UTF-8 {what} file") from None


# The built-in formats register themselves on import.
from annotation.formats import exports, imports  # noqa: F401
