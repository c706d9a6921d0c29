"""Small kinds with synthetic data for exercising the training engine end to end."""
import random

from suite.ml import kinds as K

POSITIVE = ("great", "wonderful", "excellent", "pleasant", "superb", "delightful", "lovely", "fine")
NEGATIVE = ("awful", "terrible", "dreadful", "poor", "horrible", "nasty", "bad", "grim")
NOUNS = ("meal", "service", "room", "film", "book", "visit", "trip", "concert", "class", "phone")
# The rule-based default only knows a few words, so training has room to beat it.
KNOWN_POSITIVE, KNOWN_NEGATIVE = POSITIVE[:2], NEGATIVE[:2]


@K.register
class Sentiment(K.ModelKind):
    name = "tests.sentiment"
    task_type = K.CLASSIFICATION
    labels = ("positive", "negative")
    description = "Is a short review positive or negative?"

    def default_predict(self, inputs):
        out = []
        for text in inputs:
            words = set(text.lower().split())
            label = "negative" if words & set(KNOWN_NEGATIVE) else "positive"
            out.append({"label": label, "score": 0.5, "scores": {}})
        return out


def sentiment_examples(n: int = 160, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        label = "positive" if i % 2 == 0 else "negative"
        adjective = rng.choice(POSITIVE if label == "positive" else NEGATIVE)
        text = f"the {rng.choice(NOUNS)} was {adjective} {rng.choice(['today', 'again', 'overall', 'indeed'])}"
        rows.append({"id": str(i), "group": f"review-{i // 2}", "input": text, "target": label})
    return rows


@K.register
class Skills(K.ModelKind):
    name = "tests.skills"
    task_type = K.TOKEN_CLASSIFICATION
    labels = ("SKILL",)
    description = "Skills mentioned in a sentence."

    def default_predict(self, inputs):
        return [{"spans": []} for _ in inputs]


@K.register
class Copy(K.ModelKind):
    name = "tests.copy"
    task_type = K.SEQ2SEQ
    description = "Repeat the input: the smallest task a generative model can learn."

    def default_predict(self, inputs):
        return [{"text": ""} for _ in inputs]


@K.register
class HealthIntent(K.ModelKind):
    name = "tests.health_intent"
    task_type = K.CLASSIFICATION
    labels = ("question", "book")
    personal_data = True
    description = "What a patient's message asks for; the messages are personal health data."

    def default_predict(self, inputs):
        return [{"label": "book" if "appointment" in t.lower() else "question", "score": 0.6, "scores": {}} for t in inputs]


@K.register
class Relevance(K.ModelKind):
    name = "tests.relevance"
    task_type = K.RANKING
    description = "Does a passage answer a question? People rate it 1-5."

    def default_predict(self, inputs):
        return [{"score": 0.5} for _ in inputs]
