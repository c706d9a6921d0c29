"""The health assistant's learned components, registered with suite.ml."""
from suite.ml import kinds as K

from chatbot.pipeline.intents import INTENTS, intent_rules
from chatbot.pipeline.text import coverage, terms
from chatbot.pipeline.triage import LEVELS, RANK, triage_rules

INTENT, TRIAGE, RANKER = "chatbot.intent", "chatbot.triage", "chatbot.answer_ranker"


@K.register
class IntentKind(K.ModelKind):
    name = INTENT
    task_type = K.CLASSIFICATION
    labels = INTENTS
    description = "What a patient's message asks for: a question, a symptom, booking, cancelling, a person..."
    personal_data = True
    retrain_threshold = 50

    def default_predict(self, inputs):
        return [{"label": intent_rules(text), "score": 1.0} for text in inputs]


@K.register
class TriageKind(K.ModelKind):
    name = TRIAGE
    task_type = K.CLASSIFICATION
    labels = tuple(reversed(LEVELS))
    metric = "macro_f1"
    description = ("How urgent a message is (emergency, urgent, routine, none): a model over the team's written messages "
                   "and staff corrections, with the rules as a floor it never lowers.")
    personal_data = True
    retrain_threshold = 50

    def default_predict(self, inputs):
        from chatbot.pipeline.triage_model import triage_model

        return self.serve(triage_model(triage_correction_levels()).predict)(inputs)

    def serve(self, predictor):
        def floored(inputs):
            out = []
            for text, prediction in zip(inputs, predictor(inputs)):
                floor = triage_rules(text)
                if RANK[floor.level] >= RANK.get(prediction.get("label"), 0):
                    prediction = {**prediction, "label": floor.level, "score": max(float(prediction.get("score") or 0), 1.0 if floor.reasons else 0)}
                out.append(prediction)
            return out

        return floored


def triage_corrections() -> list[dict]:
    """Accepted staff corrections of triage levels, as examples; they reach the default model on the next message."""
    from annotation.selectors import annotation_examples

    return annotation_examples(TRIAGE)


def triage_correction_levels() -> list[dict]:
    """The corrections as the triage model trains on them: a message's text and its level."""
    return [{"text": e["input"], "level": e["target"]} for e in triage_corrections() if isinstance(e.get("input"), str)]


@K.register
class AnswerRankerKind(K.ModelKind):
    """A reward model over (question, candidate reply); people teach it by choosing the better of two replies."""

    name = RANKER
    task_type = K.RANKING
    feedback = "preference"
    description = "Scores candidate answers for a question; trained from staff preferences and ratings."
    personal_data = True
    retrain_threshold = 30

    def default_predict(self, inputs):
        # Before any training: the candidate that covers more of the question's words scores higher.
        return [{"score": coverage(terms(x["query"]), x["candidate"])} for x in inputs]

    def examples_from_preference(self, annotation: dict) -> list[dict]:
        """A choice between options becomes ranking pairs: the chosen option relevant (1), the others not (0)."""
        task_input, result = annotation["input"], annotation["result"] or {}
        options = task_input.get("options", [])
        if "ranking" in result:
            order = result["ranking"]
            grades = {index: len(order) - 1 - place for place, index in enumerate(order)}
        elif "chosen" in result:
            grades = {i: int(i == result["chosen"]) for i in range(len(options))}
        else:
            return []
        group = str(annotation.get("group") or annotation.get("id", ""))
        base = str(annotation.get("id", ""))
        ordered = sorted(grades, key=lambda i: -grades[i])  # the best option first: it is what the annotation app keeps
        return [
            {"id": f"{base}-{i}", "group": group, "input": {"query": task_input["prompt"], "candidate": options[i]}, "target": grades[i]}
            for i in ordered
        ]

    def example_from_annotation(self, annotation: dict) -> dict | list[dict] | None:
        # One choice between options gives one example per option: the chosen relevant, the others not.
        if isinstance(annotation.get("input"), dict) and "options" in annotation["input"]:
            return self.examples_from_preference(annotation)
        return super().example_from_annotation(annotation)

    def result_from_prediction(self, prediction: dict):
        if "chosen" in prediction:
            return {"chosen": prediction["chosen"]}
        return prediction.get("score")

    def validate_example(self, example: dict):
        problem = super().validate_example(example)
        if problem:
            return problem
        task_input = example["input"]
        if isinstance(task_input, dict) and "options" in task_input:
            return None  # a preference item, checked by the annotation app
        if not isinstance(task_input, dict) or not {"query", "candidate"} <= set(task_input):
            return "a ranking input is {'query', 'candidate'}"
        return None
