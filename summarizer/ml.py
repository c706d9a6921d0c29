"""The summarizer's learned components, registered with suite.ml."""
from suite.ml import kinds as K
from suite.ml.tasktypes import summary_selection
from summarizer.pipeline import analyse as A
from summarizer.pipeline import clauses as C
from summarizer.pipeline.structure import DOC_TYPES, doctype_rule
from summarizer.pipeline.summary import centrality_scores

SALIENCE, CLAUSES, DOCTYPE, ABSTRACT = "summarizer.salience", "summarizer.clauses", "summarizer.doctype", "summarizer.abstract"
DOCTYPE_CHARS = 4000  # the doctype kind reads the opening of a document


@K.register
class SalienceKind(K.ModelKind):
    """Scores each sentence of a document for the summary; people teach it by adding and removing sentences."""

    name = SALIENCE
    task_type = K.EXTRACTIVE_SUMMARY
    default_strategy = "feature"
    description = "How summary-worthy each sentence of a document is; corrections of summaries become sentence labels."
    retrain_threshold = 40

    def default_predict(self, inputs):
        out = []
        for x in inputs:
            scores = [float(s) for s in centrality_scores(list(x["sentences"]))]
            out.append({"scores": scores, "selected": summary_selection(scores, x.get("k"))})
        return out


@K.register
class ClausesKind(K.ModelKind):
    """Which CUAD key-term categories a contract passage expresses (none for most passages)."""

    name = CLAUSES
    task_type = K.MULTILABEL
    labels = C.LABELS
    # TF-IDF and a linear model per category, thresholds from validation: on 261 CUAD training contracts it beats the
    # feature head on the encoder (bench/summarizer.py, README "Documents benchmark"), and trains in minutes on CPU.
    default_strategy = "sparse"
    description = "Contract key terms: the 41 CUAD categories a passage belongs to; lawyers fix or add them by selecting text."
    retrain_threshold = 100
    # Judged as people see it: per contract, the one passage shown for each category (the bench's measure too).
    metric = "key_term_f1"

    @property
    def metric_names(self):
        return ("key_term_f1", *super().metric_names)

    def evaluate(self, examples, *, version=None, predictor=None):
        if predictor is None:
            predictor = (lambda xs: self.predict_with(xs, version)) if version is not None else (lambda xs: self.predict(xs))
        predictions = predictor([e["input"] for e in examples])
        replay = dict(zip((e["input"] for e in examples), predictions))
        metrics = super().evaluate(examples, predictor=lambda xs: [replay[x] for x in xs])
        return {**metrics, "key_term_f1": key_term_f1(examples, predictions)}

    def serve(self, predictor):
        """A trained model verifies and extends the patterns, labelled at the blend's threshold; denials always win.

        A model whose scores are already thresholded per category on validation (the sparse strategy: 0.5 is each
        category's own threshold, and a category that never reached the precision stays under it) is served by
        `thresholded_blend`; other models' scores are averaged with the patterns' (`fused_clauses`)."""

        def predict(texts):
            raw = predictor(texts)
            if raw and raw[0].get("thresholded"):
                blended = [thresholded_blend(text, p) for text, p in zip(texts, raw)]
            else:
                blended = [p["scores"] for p in A.blended_with_patterns(texts, dict(enumerate(raw)))]
            sure = A.CLAUSE_FUSED_THRESHOLD
            return [{"labels": [label for label, v in s.items() if v >= sure], "scores": s} for s in blended]

        return predict

    def default_predict(self, inputs):
        out = []
        for text in inputs:
            found = C.rule_scores(text)
            scores = {label: found.get(label, 0.0) for label in C.LABELS}
            out.append({"labels": [label for label, v in found.items() if v >= 0.5], "scores": scores})
        return out


# How a thresholded model meets the patterns: "model" trusts the model alone; "union" also lets a sure pattern speak
# where the model is at least unsure (in the "possible" band). bench/summarizer.py compares them on validation.
THRESHOLDED_BLEND = "union"
PATTERN_NEEDS_MODEL = A.CLAUSE_FUSED_THRESHOLD - A.POSSIBLE_MARGIN


def thresholded_blend(text: str, prediction: dict, *, mode: str | None = None) -> dict[str, float]:
    """Scores of a model thresholded per category, with the sure patterns where the model does not rule them out; a
    passage that denies a category never yields it (read only where a score could show)."""
    mode = mode or THRESHOLDED_BLEND
    scores = prediction.get("scores", {})
    rules = C.rule_scores(text) if mode == "union" else {}
    out = {}
    for label in C.LABELS:
        v = float(scores.get(label, 0.0))
        rule = rules.get(label, 0.0)
        if rule >= A.CLAUSE_FUSED_THRESHOLD and v >= PATTERN_NEEDS_MODEL:
            v = max(v, rule)
        out[label] = 0.0 if v > A.DENIAL_CHECK_ABOVE and C.denies(label, text) else v
    return out


def key_term_f1(examples: list[dict], predictions: list[dict]) -> float:
    """Micro F1 of the passage shown per category and contract (group): a hit when people labelled it with that category."""
    by_group: dict[str, list[tuple[set, dict]]] = {}
    for example, prediction in zip(examples, predictions):
        by_group.setdefault(example.get("group") or example["input"], []).append((set(example["target"]), prediction))
    tp = fp = fn = 0
    for passages in by_group.values():
        wanted = set().union(*(gold for gold, _ in passages))
        for label in C.LABELS:
            shown = [(p.get("scores", {}).get(label, 0.0), gold) for gold, p in passages if label in p.get("labels", [])]
            if shown:
                hit = label in max(shown, key=lambda s: s[0])[1]
                tp, fp = tp + hit, fp + (not hit)
                fn += label in wanted and not hit
            else:
                fn += label in wanted
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@K.register
class DoctypeKind(K.ModelKind):
    name = DOCTYPE
    task_type = K.CLASSIFICATION
    labels = DOC_TYPES
    description = "Whether a document is a contract, a research paper or something else (from its opening)."
    retrain_threshold = 30

    def default_predict(self, inputs):
        out = []
        for text in inputs:
            label, score = doctype_rule(text)
            out.append({"label": label, "score": score})
        return out


@K.register
class AbstractKind(K.ModelKind):
    """The optional abstractive tier: rewrites each extracted summary sentence; serves only once a version is trained."""

    name = ABSTRACT
    task_type = K.SEQ2SEQ
    description = "Plain-language rewrites of summary sentences (needs SUITE_GENERATOR); each stays linked to its source sentence."
    retrain_threshold = 50

    def default_predict(self, inputs):
        return [{"text": str(text)} for text in inputs]  # before training, the source sentence itself
