"""The careers app's learned components, registered with suite.ml: entity tagging and job matching."""
from functools import lru_cache

import numpy as np

from suite.ml import kinds as K

from resumes.pipeline.entities import LABELS

NER, MATCH = "resumes.ner", "resumes.match"


@K.register
class ResumeEntitiesKind(K.ModelKind):
    name = NER
    task_type = K.TOKEN_CLASSIFICATION
    labels = LABELS
    description = "Entities in a resume (the twelve dotin labels); untrained: sections, patterns and the skills taxonomy."
    default_strategy = "crf"
    retrain_threshold = 50
    personal_data = True  # a resume names its candidate: annotators see it masked (same length, spans still fit)
    # crf: c1/c2 at the point validation picked on 208 dotin resumes (README, careers benchmark); each "epoch" is one
    # point of the engine's grid around it. The encoder strategies: few, long documents, so every layer learns and
    # the head takes bigger steps (4 epochs reached micro F1 0.44 against the rules' 0.25).
    default_hyperparameters = {
        "learning_rate": 1e-4, "head_learning_rate": 3e-3, "max_length": 128, "l1_penalty": 0.2, "l2_penalty": 0.01,
    }

    def default_predict(self, inputs):
        from resumes.selectors import skill_taxonomy

        taxonomy = skill_taxonomy()
        return [{"spans": _rules(text, taxonomy)} for text in inputs]

    def token_features(self, text, tokens):
        """What the CRF strategy adds to the engine's token features: layout, sections, rules, gazetteers."""
        from resumes.pipeline import crf
        from resumes.selectors import skill_taxonomy, title_gazetteer

        taxonomy = skill_taxonomy()
        return crf.token_features(
            text, tokens, rule_spans=_rules(text, taxonomy), taxonomy=taxonomy, titles=title_gazetteer()
        )

    def serve(self, predictor):
        """A trained version's spans, completed by the precise rules (e-mail, name) where it found nothing, and the
        name marked wherever it recurs."""
        from resumes.pipeline.crf import name_everywhere
        from resumes.pipeline.entities import merged_with_rules

        def predict(inputs):
            model, rules = predictor(inputs), self.default_predict(inputs)
            return [
                {**m, "spans": name_everywhere(text, merged_with_rules(m["spans"], r["spans"]))}
                for text, m, r in zip(inputs, model, rules)
            ]

        return predict


def _rules(text, taxonomy):
    """The rules' spans of a text, a fresh copy each call: serving asks twice (CRF features, then the merge) for every
    text of a batch, so they are kept per text and taxonomy."""
    return [list(s) for s in _rule_spans(text, taxonomy)]


@lru_cache(maxsize=256)
def _rule_spans(text, taxonomy):
    from resumes.pipeline.entities import default_entities

    return tuple(tuple(s) for s in default_entities(text, taxonomy))


@K.register
class JobMatchKind(K.ModelKind):
    """Relevance of a job posting (candidate) to a candidate's profile (query); people rate 1-5."""

    name = MATCH
    task_type = K.RANKING
    feedback = "rating"
    description = "Scores a job for a candidate; untrained: encoder similarity blended with skill overlap."
    default_strategy = "full"
    retrain_threshold = 30

    def default_predict(self, inputs):
        from resumes.pipeline.matcher import pair_scores
        from resumes.selectors import skill_taxonomy

        scores = pair_scores([x["query"] for x in inputs], [x["candidate"] for x in inputs], skill_taxonomy())
        return [{"score": float(s)} for s in np.asarray(scores)]
