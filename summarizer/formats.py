"""Import formats for training the summarizer's kinds, registered in the annotation catalogue.

`cuad`: CUAD as published (`CUAD_v1.json` in SQuAD 2.0 form, or the `CUAD_v1` folder of `full_contract_txt/*.txt`
and `master_clauses.csv`), or a zip of `contracts.jsonl(.gz)` and `master_clauses.csv(.gz)`; each labelled excerpt
is located in its contract and the passages it overlaps become clause labels (kind summarizer.clauses).
`scitldr`, `scisummnet`, `plain_english`: reference summaries become sentence labels by the greedy ROUGE
oracle (kind summarizer.salience).
"""
from __future__ import annotations

import ast
import csv
import gzip
import io
import json
import random
import re
import zipfile
from pathlib import Path

from annotation.formats import (
    FormatError,
    Importer,
    json_lines,
    register_importer,
    text_stream,
)
from summarizer.pipeline import clauses as C
from summarizer.pipeline.oracle import greedy_oracle
from summarizer.pipeline.sentences import split

NEGATIVES_PER_POSITIVE = 1  # passages with no key term, kept per labelled one: rare categories still reach 0.5
SCISUMMNET_WORDS = 150


def _need_kind(kind, name: str, fmt: str) -> None:
    if kind.name != name:
        raise FormatError("", f"the {fmt} format imports into {name}, not {kind.name}")


# --- CUAD ------------------------------------------------------------------------------------------


def _excerpts(cell: str) -> list[str]:
    if not cell or cell.strip() in ("[]", ""):
        return []
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return [cell]
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v.strip()]


def _locate(text: str, excerpt: str, cache: dict) -> tuple[int, int] | None:
    """Where an excerpt sits in the text, forgiving differences in whitespace."""
    at = text.find(excerpt)
    if at >= 0:
        return at, at + len(excerpt)
    words = excerpt.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words[:60])
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def cuad_labels(row: dict) -> dict[str, list[str]]:
    """Category -> excerpts of one master_clauses.csv row, category names in CUAD's own spelling."""
    out = {}
    for column, cell in row.items():
        if column is None or column.endswith("Answer") or column == "Filename":
            continue
        label = C.canonical_category(column)
        if label:
            excerpts = _excerpts(cell)
            if excerpts:
                out[label] = excerpts
    return out


def cuad_passages(text: str, labels: dict[str, list[str]]) -> tuple[list[tuple[C.Passage, list[str]]], dict[str, list[tuple[int, int]]]]:
    """Every passage of a contract with the categories whose excerpts it overlaps, and the located excerpt spans."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for label, excerpts in labels.items():
        for excerpt in excerpts:
            found = _locate(text, excerpt, {})
            if found:
                spans.setdefault(label, []).append(found)
    out = []
    for passage in C.passages(split(text)):
        hit = [label for label, ss in spans.items() if any(C.overlaps(passage.start, passage.end, a, b) for a, b in ss)]
        out.append((passage, sorted(hit)))
    return out, spans


def cuad_key(filename: str) -> str:
    """CUAD names a contract's text .txt and its clause row .pdf: match them without the extension."""
    return re.sub(r"\.(?:pdf|txt)$", "", (filename or "").strip(), flags=re.IGNORECASE)


def _contract_items(name: str, labelled, rng: random.Random) -> list[tuple[str, dict]]:
    """Labelled passages of one contract plus a seeded sample of unlabelled ones, grouped by the contract."""
    positives = [(p, ls) for p, ls in labelled if ls]
    negatives = [(p, ls) for p, ls in labelled if not ls]
    keep = rng.sample(negatives, min(len(negatives), max(NEGATIVES_PER_POSITIVE * len(positives), 5)))
    return [(f"{name} @{passage.start}", {"input": passage.text, "group": name[:200], "result": ls})
            for passage, ls in sorted(positives + keep, key=lambda x: x[0].start)]


def cuad_items(contracts: dict[str, str], rows: list[dict], *, seed: int = 13) -> list[tuple[str, dict]]:
    """Items for summarizer.clauses: labelled passages plus a seeded sample of unlabelled ones, grouped by contract."""
    rng = random.Random(seed)
    out = []
    for row in rows:
        name = row.get("Filename", "")
        text = contracts.get(cuad_key(name))
        if text is None:
            continue
        labelled, _ = cuad_passages(text, cuad_labels(row))
        out.extend(_contract_items(name, labelled, rng))
    return out


def passages_with_spans(text: str, spans: dict[str, list[tuple[int, int]]]) -> list[tuple[C.Passage, list[str]]]:
    """Every passage of a contract with the categories whose answer spans (exact offsets) it overlaps."""
    return [
        (passage, sorted(label for label, ss in spans.items() if any(C.overlaps(passage.start, passage.end, a, b) for a, b in ss)))
        for passage in C.passages(split(text))
    ]


# CUAD's SQuAD questions name their category in quotes: 'related to "Governing Law" that should be reviewed'.
SQUAD_CATEGORY = re.compile(r'related to "([^"]+)"')


def squad_category(qa: dict) -> str | None:
    """The CUAD category of one SQuAD question: from its id (`<contract>__<Category>`), else from its wording."""
    qid = str(qa.get("id") or "")
    if "__" in qid:
        found = C.canonical_category(qid.rsplit("__", 1)[1])
        if found:
            return found
    match = SQUAD_CATEGORY.search(str(qa.get("question") or ""))
    return C.canonical_category(match.group(1)) if match else None


def squad_contracts(data, skipped: list[str]) -> list[tuple[str, str, dict[str, list[tuple[int, int]]]]]:
    """(title, context, category -> answer spans) for each paragraph of a CUAD_v1.json (SQuAD 2.0 form)."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise FormatError("", 'CUAD_v1.json is SQuAD 2.0: {"version", "data": [{"title", "paragraphs": [{"context", "qas"}]}]}')
    out = []
    for number, document in enumerate(data["data"], 1):
        if not isinstance(document, dict) or not isinstance(document.get("paragraphs"), list):
            raise FormatError(f"data item {number}", "a document needs 'title' and 'paragraphs'")
        title = str(document.get("title") or f"document {number}")
        for paragraph in document["paragraphs"]:
            context = paragraph.get("context") if isinstance(paragraph, dict) else None
            if not isinstance(context, str) or not isinstance(paragraph.get("qas"), list):
                raise FormatError(title, "a paragraph needs 'context' and 'qas'")
            spans: dict[str, list[tuple[int, int]]] = {}
            for qa in paragraph["qas"]:
                category = squad_category(qa) if isinstance(qa, dict) else None
                if category is None:
                    skipped.append(f"{title}: question {qa.get('id') if isinstance(qa, dict) else qa!r} names no CUAD category")
                    continue
                for answer in qa.get("answers") or []:
                    start, text = answer.get("answer_start"), answer.get("text")
                    if not isinstance(start, int) or not isinstance(text, str) or not text:
                        raise FormatError(f"{title} {qa.get('id')}", f"an answer needs 'text' and an integer 'answer_start': {answer!r}")
                    end = start + len(text)
                    if context[start:end] != text:
                        found = _locate(context, text, {})
                        if found is None:
                            raise FormatError(f"{title} {qa.get('id')}", f"answer at {start} says {text[:60]!r}, which is not in the contract")
                        start, end = found
                    spans.setdefault(category, []).append((start, end))
            out.append((title, context, spans))
    return out


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # a few CUAD text files are not UTF-8


def _read_member(archive: zipfile.ZipFile, stem: str) -> io.TextIOBase | None:
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1]
        if base in (stem, stem + ".gz"):
            raw = archive.read(info)
            if base.endswith(".gz"):
                raw = gzip.decompress(raw)
            return io.StringIO(raw.decode("utf-8-sig"))
    return None


def read_cuad_contracts(lines) -> dict[str, str]:
    contracts = {}
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                record = json.loads(line)
                contracts[cuad_key(record["filename"])] = record["text"]
            except (json.JSONDecodeError, KeyError, TypeError):
                raise FormatError(f"contracts line {number}", "expected {\"filename\", \"text\"}") from None
    return contracts


def read_cuad_folder(folder) -> tuple[dict[str, str], list[dict]]:
    """The data folder's packing of CUAD (contracts.jsonl.gz, master_clauses.csv.gz): contracts by key and the
    label rows of the contracts present, in file order."""
    folder = Path(folder)
    with gzip.open(folder / "contracts.jsonl.gz", "rt", encoding="utf-8") as lines:
        contracts = read_cuad_contracts(lines)
    csv.field_size_limit(1 << 28)  # a CUAD cell can quote a whole contract
    with gzip.open(folder / "master_clauses.csv.gz", "rt", encoding="utf-8-sig") as table:
        rows = [row for row in csv.DictReader(table) if cuad_key(row["Filename"]) in contracts]
    return contracts, rows


@register_importer
class CuadImporter(Importer):
    """CUAD as published, or as this project packs it, for summarizer.clauses.

    - `CUAD_v1.json` (SQuAD 2.0: one paragraph per contract, 41 questions each, answers with `answer_start`):
      the exact answer spans label the passages they overlap.
    - the `CUAD_v1` folder (`full_contract_txt/*.txt` and `master_clauses.csv`), as a folder on the command
      line or a zip of it: each clause excerpt is located in its contract's text.
    - a zip of `contracts.jsonl(.gz)` and `master_clauses.csv(.gz)` (the data folder's own packing).

    A contract with no text, or a question that names no category, is skipped and reported.
    """

    name = "cuad"
    description = ("CUAD as published: CUAD_v1.json (SQuAD 2.0), the CUAD_v1 folder (full_contract_txt/*.txt + "
                   "master_clauses.csv, or a zip of it), or a zip of contracts.jsonl + master_clauses.csv.")

    def parse(self, stream, *, kind):
        _need_kind(kind, "summarizer.clauses", self.name)
        head = stream.read(4)
        stream.seek(0)
        if head[:2] != b"PK":
            yield from self._squad(stream)
            return
        try:
            archive = zipfile.ZipFile(stream)
        except zipfile.BadZipFile:
            raise FormatError("", "not a readable zip") from None
        texts = [i for i in archive.infolist() if "full_contract_txt/" in i.filename and i.filename.lower().endswith(".txt")]
        clauses_file = _read_member(archive, "master_clauses.csv")
        if texts and clauses_file is not None:
            contracts = {cuad_key(i.filename.rsplit("/", 1)[-1]): _decode(archive.read(i)) for i in texts}
        else:
            contracts_file = _read_member(archive, "contracts.jsonl")
            if contracts_file is None or clauses_file is None:
                squad = next((i for i in archive.infolist() if i.filename.rsplit("/", 1)[-1] == "CUAD_v1.json"), None)
                if squad is not None:
                    yield from self._squad(io.BytesIO(archive.read(squad)))
                    return
                raise FormatError("", "the zip needs CUAD_v1's full_contract_txt/*.txt with master_clauses.csv, "
                                      "contracts.jsonl(.gz) with master_clauses.csv(.gz), or CUAD_v1.json")
            contracts = read_cuad_contracts(contracts_file)
        csv.field_size_limit(1 << 28)
        rows = list(csv.DictReader(clauses_file))
        if rows and "Filename" not in rows[0]:
            raise FormatError("master_clauses.csv", f"needs a 'Filename' column; it has {list(rows[0])[:5]}")
        missing = [r.get("Filename", "") for r in rows if cuad_key(r.get("Filename", "")) not in contracts]
        self.skipped.extend(f"{m}: no contract text" for m in missing)
        yield from cuad_items(contracts, [r for r in rows if cuad_key(r.get("Filename", "")) in contracts])

    def _squad(self, stream):
        try:
            data = json.load(text_stream(stream))
        except json.JSONDecodeError as exc:
            raise FormatError(f"line {exc.lineno}", f"not valid JSON ({exc.msg}); CUAD imports CUAD_v1.json or a zip") from None
        except (UnicodeDecodeError, OSError, EOFError):
            raise FormatError("", "expected CUAD_v1.json (SQuAD 2.0 JSON) or a zip of the CUAD_v1 folder") from None
        rng = random.Random(13)
        for title, context, spans in squad_contracts(data, self.skipped):
            yield from _contract_items(title, passages_with_spans(context, spans), rng)


# --- summaries -------------------------------------------------------------------------------------


def summary_item(sentences: list[str], reference: str, group: str, *, max_sentences: int = 10) -> dict:
    return {
        "input": {"sentences": sentences}, "group": group[:200],
        "result": {"selected": greedy_oracle(sentences, reference, max_sentences=max_sentences), "reference": reference},
    }


@register_importer
class ScitldrImporter(Importer):
    name = "scitldr"
    description = "SciTLDR JSON lines: abstract sentences (source) and TLDRs (target); the oracle sentence is the label."

    def parse(self, stream, *, kind):
        _need_kind(kind, "summarizer.salience", self.name)
        for number, record in json_lines(stream, f"{self.name} JSON lines"):
            source, targets = record.get("source"), record.get("target")
            if not source or not targets:
                self.skipped.append(f"line {number}: no source or target")
                continue
            reference = targets[0] if isinstance(targets, list) else str(targets)
            yield f"line {number}", summary_item(list(source), reference, str(record.get("paper_id", number)), max_sentences=1)


@register_importer
class ScisummnetImporter(Importer):
    name = "scisummnet"
    description = "ScisummNet JSON lines: paper body_text and human_summary (~150 words); oracle sentences are the labels."

    def parse(self, stream, *, kind):
        _need_kind(kind, "summarizer.salience", self.name)
        for number, record in json_lines(stream, f"{self.name} JSON lines"):
            body, reference = record.get("body_text") or "", record.get("human_summary") or ""
            sentences = [s.text for s in split(body) if len(s.text.split()) >= 3]
            if not sentences or not reference:
                self.skipped.append(f"line {number}: no body or summary")
                continue
            yield f"line {number}", summary_item(sentences, reference, str(record.get("paper_id", number)))


@register_importer
class PlainEnglishImporter(Importer):
    name = "plain_english"
    description = ("Plain-English clause summaries (a JSON object of {original_text, reference_summary}): oracle sentence labels "
                   "for summarizer.salience, or text -> summary pairs for summarizer.abstract.")

    def parse(self, stream, *, kind):
        if kind.name not in ("summarizer.salience", "summarizer.abstract"):
            raise FormatError("", f"the {self.name} format imports into summarizer.salience or summarizer.abstract, not {kind.name}")
        try:
            data = json.load(text_stream(stream))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise FormatError("", "not a JSON object of clauses") from None
        records = data.values() if isinstance(data, dict) else data
        for number, record in enumerate(records, 1):
            sentences = [s.text for s in split(record.get("original_text") or "")]
            reference = record.get("reference_summary") or ""
            if not sentences or not reference:
                self.skipped.append(f"item {number}: no text or summary")
                continue
            if kind.name == "summarizer.abstract":
                group = str(record.get("uid") or record.get("id") or number)
                yield f"item {number}", {"input": " ".join(s for s in sentences), "group": group[:200], "result": reference}
                continue
            yield f"item {number}", summary_item(sentences, reference, str(record.get("uid") or record.get("id") or number), max_sentences=3)
