"""The careers app's learned components, registered with suite.ml: entity tagging and job matching."""
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
    default_strategy = "full"
    retrain_threshold = 50
    personal_data = True  # a resume names its candidate: annotators see it masked (same length, spans still fit)
    # Few, long documents: every layer learns, the head takes bigger steps; 4 epochs on 208 dotin resumes reach
    # micro F1 0.44 against the rules' 0.25 (README, careers benchmark).
    default_hyperparameters = {"learning_rate": 1e-4, "head_learning_rate": 3e-3, "max_length": 128}

    def default_predict(self, inputs):
        from resumes.selectors import skill_taxonomy
        from resumes.pipeline.entities import default_entities

        taxonomy = skill_taxonomy()
        return [{"spans": default_entities(text, taxonomy)} for text in inputs]

    def predict(self, inputs, *, version=None):
        """The served CRF (`train_entity_tagger`, promoted only when it beat what served) for production calls."""
        from resumes.selectors import entity_tagger_serving

        production, moved_at = _production(self.name)
        tagger = entity_tagger_serving(production_moved_at=moved_at)
        if tagger is not None and (version is None or version == production):
            from resumes.selectors import skill_taxonomy
            from resumes.services.entity_model import tagger_predictor

            return tagger_predictor(tagger, skill_taxonomy())(inputs)
        return super().predict(inputs, version=version)

    def serve(self, predictor):
        """A trained version's spans, completed by the precise rules (e-mail, name) where it found nothing."""
        from resumes.pipeline.entities import merged_with_rules

        def predict(inputs):
            model, rules = predictor(inputs), self.default_predict(inputs)
            return [{**m, "spans": merged_with_rules(m["spans"], r["spans"])} for m, r in zip(model, rules)]

        return predict


def _production(kind):
    """The production version (None: the default) and when its alias last moved."""
    from suite.ml.selectors import production_moved_at, production_version

    return production_version(kind=kind), production_moved_at(kind=kind)


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
